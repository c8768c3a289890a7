package gitimport

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/pollen-team/pollen/internal/golden"
)

// dump writes a history one line per commit and change, for golden files.
func dump(h History) string {
	var b strings.Builder
	for _, c := range h.Commits {
		fmt.Fprintf(&b, "commit %s %q %q %s %q\n", c.Hash, c.Email, c.Name, c.When.Format(time.RFC3339), c.Subject)
		for _, ch := range c.Changes {
			fmt.Fprintf(&b, "  %c %q", ch.Status, ch.Path)
			if ch.OldPath != "" {
				fmt.Fprintf(&b, " from %q", ch.OldPath)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// captured are git log outputs under testdata/, made by running Read's
// command on the test repositories (go test -update rebuilds them).
var captured = []struct {
	name  string
	build func(*testing.T) *testRepo
}{
	{"team", buildTeamRepo},
	{"odd", buildOddRepo},
}

func TestParseLogCaptured(t *testing.T) {
	for _, c := range captured {
		t.Run(c.name, func(t *testing.T) {
			logPath := filepath.Join("testdata", c.name+".log")
			if *goldenfile.Update {
				r := c.build(t)
				out, err := exec.Command("git", logArgs(r.dir, "HEAD", Options{})...).Output()
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(logPath, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			raw, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			h, err := ParseLog(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+".golden", []byte(dump(h)))
		})
	}
}

func TestParseLogErrors(t *testing.T) {
	const head = "\x1eabc\x00a@x\x00A\x002024-01-01T10:00:00Z\x00subject\x00"
	tests := []struct {
		name, in, want string
	}{
		{"no commit first", ":000000 100644 0 0 A\x00f\x00", "expected a commit"},
		{"header cut short", "\x1eabc\x00a@x\x00A\x00", "log ends early"},
		{"bad date", "\x1eabc\x00a@x\x00A\x00yesterday\x00s\x00", `author date "yesterday"`},
		{"no hash", "\x1e\x00a@x\x00A\x002024-01-01T10:00:00Z\x00s\x00", "without a hash"},
		{"raw without status", head + "\n:100644 100644\x00f\x00", "has no status"},
		{"raw without its path", head + "\n:000000 100644 0 0 A\x00", "log ends early"},
		{"rename without its new path", head + "\n:100644 100644 0 0 R090\x00old\x00", "log ends early"},
		{"empty path", head + "\n:000000 100644 0 0 A\x00\x00", "empty path"},
		{"line counts (--numstat is not asked for)", head + "\n1\t0\tf\x00", "unexpected field"},
		{"garbage", head + "\nhello\x00", "unexpected field"},
		{"empty diff field", head + "\x00", "empty field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLog(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseLog = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseLogEmpty(t *testing.T) {
	h, err := ParseLog(strings.NewReader(""))
	if err != nil || len(h.Commits) != 0 {
		t.Errorf("ParseLog(\"\") = %+v, %v", h, err)
	}
}
