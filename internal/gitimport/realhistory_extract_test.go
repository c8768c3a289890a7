package gitimport

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractRealHistory writes the derived history data the real-history
// measurement reads (testdata/realhistory/NAME.txt.gz) from a clone of a
// public repository. It runs only when asked:
//
//	POLLEN_EXTRACT_REPO=/path/to/clone POLLEN_EXTRACT_NAME=go-kit \
//	POLLEN_EXTRACT_MODULES='auth/ circuitbreaker/ …' \
//	go test -run TestExtractRealHistory ./internal/gitimport/
//
// The data is what Avelino's tool reads (git log --no-merges
// --name-status --find-renames, oldest first) and the files of the last
// commit, with each author email replaced by a short hash of it: no file
// contents, no addresses. Format, one record per line, tab-separated:
//
//	h	NAME	HEAD	DATE		header: last commit and its date (RFC 3339)
//	m	PREFIX			a module: the files under PREFIX
//	c	UNIX	EMAILHASH	NAME	a commit, then its changes:
//	A|M|D|T	PATH			added, modified, deleted, type changed
//	R	OLD	NEW		renamed
//	f	PATH			a file of the last commit
func TestExtractRealHistory(t *testing.T) {
	repo, name := os.Getenv("POLLEN_EXTRACT_REPO"), os.Getenv("POLLEN_EXTRACT_NAME")
	if repo == "" || name == "" {
		t.Skip("set POLLEN_EXTRACT_REPO, POLLEN_EXTRACT_NAME and POLLEN_EXTRACT_MODULES to extract")
	}
	git := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return string(out)
	}
	var b strings.Builder
	head := strings.Fields(git("log", "-1", "--format=%H %cI"))
	fmt.Fprintf(&b, "h\t%s\t%s\t%s\n", name, head[0], head[1])
	for _, m := range strings.Fields(os.Getenv("POLLEN_EXTRACT_MODULES")) {
		fmt.Fprintf(&b, "m\t%s\n", m)
	}
	log := git("log", "--no-merges", "--date-order", "--reverse", "--name-status", "--find-renames", "-z",
		"--format=%x1e%at%x00%aE%x00%aN%x00", "HEAD", "--")
	for _, rec := range strings.Split(log, "\x1e")[1:] {
		f := strings.Split(strings.TrimSuffix(rec, "\x00"), "\x00")
		sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(f[1]))))
		fmt.Fprintf(&b, "c\t%s\t%s\t%s\n", f[0], hex.EncodeToString(sum[:5]), clean(f[2]))
		for i := 3; i < len(f); i++ {
			st := strings.TrimPrefix(f[i], "\n")
			if st == "" {
				continue
			}
			switch st[0] {
			case 'R', 'C':
				fmt.Fprintf(&b, "%c\t%s\t%s\n", st[0], clean(f[i+1]), clean(f[i+2]))
				i += 2
			default:
				fmt.Fprintf(&b, "%c\t%s\n", st[0], clean(f[i+1]))
				i++
			}
		}
	}
	for _, p := range strings.Split(strings.TrimSuffix(git("ls-tree", "-r", "-z", "--name-only", "HEAD"), "\x00"), "\x00") {
		fmt.Fprintf(&b, "f\t%s\n", clean(p))
	}
	path := filepath.Join("testdata", "realhistory", name+".txt.gz")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	w.WriteString(b.String())
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// clean keeps a field on its line.
func clean(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
