package gitimport

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"
)

// buildLargeRepo makes a repository of n non-merge commits by 20 authors
// over 300 files (adds, edits, a rename every 50 commits, a deletion every
// 97), written with git fast-import so that building it takes a second.
func buildLargeRepo(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if out, err := exec.Command("git", "-c", "init.defaultBranch=main", "init", "-q", dir).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	var s bytes.Buffer
	live := []string{}
	for i := range n {
		who := i % 20
		at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour).Unix()
		fmt.Fprintf(&s, "commit refs/heads/main\nauthor Dev %d <dev%d@example.com> %d +0000\ncommitter Dev %d <dev%d@example.com> %d +0000\ndata 8\ncommit\n\n",
			who, who, at, who, who, at)
		switch {
		case len(live) < 300 && i%3 == 0:
			path := fmt.Sprintf("pkg%d/file%d.py", len(live)%12, len(live))
			live = append(live, path)
			fmt.Fprintf(&s, "M 644 inline %s\ndata <<EOF\n%s\nEOF\n", path, lines(path, 30))
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
			fmt.Fprintf(&s, "M 644 inline %s\ndata <<EOF\n%s%d\nEOF\n", path, lines(path, 30), i)
		}
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stdin = &s
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, out)
	}
	return dir
}

// BenchmarkImport5000Commits is the cost of a first import or sync of a
// 5,000-commit history, the part that is not network: reading the log,
// authorship, the truck factor and the events (target: well under 10 s).
//
//	go test -run XXX -bench Import5000 ./internal/gitimport/
func BenchmarkImport5000Commits(b *testing.B) {
	dir := buildLargeRepo(b, 5000)
	b.ResetTimer()
	for range b.N {
		h, err := Read(context.Background(), dir, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		res := Authorship(h)
		TruckFactor(res.Files)
		Events(res, map[string]string{"dev1@example.com": "U1"}, "p", func() string { return "id" }, time.Now())
		if len(h.Commits) != 5000 {
			b.Fatalf("read %d commits, want 5000", len(h.Commits))
		}
	}
}
