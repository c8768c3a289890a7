package gitimport

import (
	"bytes"
	"errors"
	"path/filepath"
	"regexp"
	"testing"

	goldenfile "github.com/pollen-team/pollen/internal/golden"
	"github.com/pollen-team/pollen/pairing"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

func TestReport(t *testing.T) {
	var b bytes.Buffer
	// Six months after the history: Ana's 0.5 of day 3 has faded to
	// 0.5·2^(−182/365) = 0.354, the others' 1/6 to about 0.12.
	if err := Report(&b, smallTeam(), smallTeamMap, pairing.DefaultModel(), day(3).AddDate(0, 6, 0)); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.golden", b.Bytes())
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestReportWriteError(t *testing.T) {
	if err := Report(failingWriter{}, smallTeam(), nil, pairing.DefaultModel(), day(9)); err == nil {
		t.Error("Report ignored a failing writer")
	}
}

func TestCountSaysWhatWasDropped(t *testing.T) {
	r := buildTeamRepo(t)
	opts := teamOptions
	opts.ExcludePaths = []*regexp.Regexp{regexp.MustCompile(`\.png$`)}
	h := readRepo(t, r.dir, opts)
	got := Count(h, Authorship(h)).String()
	want := "12 commits read, 3 dropped (2 bot commits, 1 by subject); 1 file left out by path; 4 files, 2 authors"
	if got != want {
		t.Errorf("Count = %q\nwant     %q", got, want)
	}
}
