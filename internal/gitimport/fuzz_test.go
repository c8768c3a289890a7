package gitimport

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// encodeLog writes a history the way Read's git log command does, so that
// parsing can be checked by a round trip.
func encodeLog(h History) []byte {
	var b bytes.Buffer
	for _, c := range h.Commits {
		fmt.Fprintf(&b, "%s%s\x00%s\x00%s\x00%s\x00%s\x00", commitMark, c.Hash, c.Email, c.Name, c.When.Format(time.RFC3339Nano), c.Subject)
		for i, ch := range c.Changes {
			if i == 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, ":100644 100644 0000000 0000000 %c\x00", ch.Status)
			if ch.Status.hasTwoPaths() {
				b.WriteString(ch.OldPath + "\x00")
			}
			b.WriteString(ch.Path + "\x00")
		}
	}
	return b.Bytes()
}

// FuzzParseLog: the parser never panics, whatever git (or a corrupted
// pipe) sends; what it accepts is well formed and survives a round trip.
func FuzzParseLog(f *testing.F) {
	for _, c := range captured {
		raw, err := os.ReadFile(filepath.Join("testdata", c.name+".log"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte(""))
	f.Add([]byte("\x1eabc\x00a@x\x00A\x002024-01-01T10:00:00+02:00\x00s\x00"))
	f.Add([]byte("\x1eabc\x00a@x\x00A\x002024-01-01T10:00:00Z\x00s\x00\n:0 0 0 0 R100\x00a\x00b\x00"))
	f.Add([]byte("\x1eabc\x00a@x\x00A\x002024-01-01T10:00:00Z\x00s\x00\n:0 0 0 0 A\x00x\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		h, err := ParseLog(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, c := range h.Commits {
			if c.Hash == "" {
				t.Fatalf("commit without a hash: %+v", c)
			}
			for _, ch := range c.Changes {
				if ch.Path == "" || (ch.OldPath != "") != ch.Status.hasTwoPaths() {
					t.Fatalf("malformed change %+v", ch)
				}
			}
		}
		again, err := ParseLog(bytes.NewReader(encodeLog(h)))
		if err != nil {
			t.Fatalf("re-parsing what was parsed: %v", err)
		}
		if !sameHistory(h, again) {
			t.Fatalf("round trip changed the history:\n%s\nvs\n%s", dump(h), dump(again))
		}
		Authorship(h) // must not panic either
	})
}

func sameHistory(a, b History) bool {
	return slices.EqualFunc(a.Commits, b.Commits, func(x, y Commit) bool {
		return x.Hash == y.Hash && x.Email == y.Email && x.Name == y.Name && x.When.Equal(y.When) &&
			x.Subject == y.Subject && slices.Equal(x.Changes, y.Changes)
	})
}

// FuzzReadAuthorMap: the authors map parser never panics or fails on what
// a file holds; every line is either mapped or reported, and every key it
// returns is an identity key.
func FuzzReadAuthorMap(f *testing.F) {
	f.Add("email,slack_user_id\nana@example.com,UANA\nCy Park <cpark>,UCY\n")
	f.Add("\ufeffEmail,Slack\r\n\"broken,U1\nx,y,z\n# c\n\n")
	f.Add("a@b,U1\nA@B,U2\n<>,U3\nname <,U4\n")
	f.Fuzz(func(t *testing.T, in string) {
		m, bad, err := ReadAuthorMap(strings.NewReader(in))
		if err != nil {
			if len(in) < 60<<10 { // only a line longer than the scanner's buffer may fail the read
				t.Fatalf("ReadAuthorMap(%q): %v", in, err)
			}
			return
		}
		for k, id := range m {
			if key, ok := IdentityKey(k); !ok || key != k || !isSlackID(id) {
				t.Fatalf("mapped %q → %q, not an identity key and a Slack ID", k, id)
			}
		}
		for _, b := range bad {
			if !strings.HasPrefix(b, "line ") {
				t.Fatalf("problem %q does not name its line", b)
			}
		}
	})
}
