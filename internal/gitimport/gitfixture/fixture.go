// Package gitfixture builds large git histories for benchmarks, with git
// fast-import, so that a 5,000-commit repository takes about a second to
// make. It is for tests and benchmarks only.
package gitfixture

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Large makes a repository (branch main) of n non-merge commits by 20
// authors over 300 files (adds, edits, a rename every 50 commits, a
// deletion every 97) in a temporary directory and returns its path.
func Large(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	if out, err := exec.Command("git", "-c", "init.defaultBranch=main", "init", "-q", dir).CombinedOutput(); err != nil {
		tb.Fatalf("git init: %v\n%s", err, out)
	}
	var s bytes.Buffer
	live := []string{}
	for i := range n {
		header(&s, i, i%20, "")
		switch {
		case len(live) < 300 && i%3 == 0:
			path := fmt.Sprintf("pkg%d/file%d.py", len(live)%12, len(live))
			live = append(live, path)
			fmt.Fprintf(&s, "M 644 inline %s\ndata <<EOF\n%s\nEOF\n", path, Lines(path, 30))
		case i%50 == 0 && len(live) > 0:
			j := i % len(live)
			old := live[j]
			live[j] = old + ".moved"
			fmt.Fprintf(&s, "R %s %s\n", old, live[j])
		case i%97 == 0 && len(live) > 1:
			j := i % len(live)
			fmt.Fprintf(&s, "D %s\n", live[j])
			live = append(live[:j], live[j+1:]...)
		default:
			path := live[(i*7)%len(live)]
			fmt.Fprintf(&s, "M 644 inline %s\ndata <<EOF\n%s%d\nEOF\n", path, Lines(path, 30), i)
		}
	}
	fastImport(tb, dir, &s)
	return dir
}

// Append adds n commits to main of the repository at dir, each adding a
// file, numbered from "from" on (so successive calls make new commits).
func Append(tb testing.TB, dir string, from, n int) {
	tb.Helper()
	var s bytes.Buffer
	for i := from; i < from+n; i++ {
		parent := ""
		if i == from {
			parent = "from refs/heads/main^0\n"
		}
		header(&s, 100000+i, i%20, parent)
		path := fmt.Sprintf("extra/file%d.py", i)
		fmt.Fprintf(&s, "M 644 inline %s\ndata <<EOF\n%s\nEOF\n", path, Lines(path, 30))
	}
	fastImport(tb, dir, &s)
}

// header starts commit number i by developer who in a fast-import stream.
func header(s *bytes.Buffer, i, who int, parent string) {
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour).Unix()
	fmt.Fprintf(s, "commit refs/heads/main\nauthor Dev %d <dev%d@example.com> %d +0000\ncommitter Dev %d <dev%d@example.com> %d +0000\ndata 8\ncommit\n\n%s",
		who, who, at, who, who, at, parent)
}

func fastImport(tb testing.TB, dir string, s *bytes.Buffer) {
	tb.Helper()
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stdin = s
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("git fast-import: %v\n%s", err, out)
	}
}

// Lines returns n distinct lines starting with tag, so that edits and
// renames are recognisable by git's rename detection.
func Lines(tag string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s line %d\n", tag, i)
	}
	return b.String()
}
