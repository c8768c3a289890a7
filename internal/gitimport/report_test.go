package gitimport

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/pollen-team/pollen/pairing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
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
