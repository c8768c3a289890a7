package transfer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

func FuzzParseCSV(f *testing.F) {
	seed(f, "import.csv", "bad.csv", "roster.golden.csv", "people.golden.csv", "projects.golden.csv")
	f.Add([]byte("kind,person,hours\nperson,U1,09:00-24:00\n"))
	f.Add([]byte("\ufeffKIND , Person\n\"person\",\"U1\"\n,,\n# comment\n"))
	f.Add([]byte("kind,project,owners\nproject,a.b_c-d,\"U1; W2,U1\"\n"))
	f.Add([]byte("kind,person,project,level\nfamiliarity,U1,p,0x1p-1\nfamiliarity,U1,q,-0\n"))
	f.Add([]byte("kind\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, "fuzz.csv", data) })
}

func FuzzParseYAML(f *testing.F) {
	seed(f, "import.yaml", "bad.yaml")
	f.Add([]byte("people:\n  - &ada {id: U1, hours: \"09:00-17:00\"}\n  - *ada\nprojects: [{name: p, owners: [U1, *x]}]\n"))
	f.Add([]byte("familiarity:\n  - {person: U1, project: p, level: 1e0}\n  - {person: U1, project: p, level: .5}\n"))
	f.Add([]byte("people: ~\nprojects:\n  - name: p\n    owners: U1;U2\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("---\npeople: []\n...\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, "fuzz.yaml", data) })
}

// seed adds files under testdata/ to the fuzz corpus.
func seed(f *testing.F, names ...string) {
	f.Helper()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkParse holds Parse to its contract on any input: an error that lists
// at least one problem, or a batch whose records are valid; and Read agrees.
func checkParse(t *testing.T, name string, data []byte) {
	b, err := Parse(name, bytes.NewReader(data))
	rb, rerr := Read(name, bytes.NewReader(data), Known{})
	if err != nil {
		var verr *ValidationError
		if !errors.As(err, &verr) || len(verr.Problems) == 0 {
			t.Fatalf("error %v is not a *ValidationError with problems", err)
		}
		for _, p := range verr.Problems {
			if p.Line < 0 || p.Message == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if rerr == nil {
			t.Fatalf("Parse failed with %v but Read accepted the file", err)
		}
		return
	}
	if (rerr == nil) != (Validate(b, Known{}) == nil) {
		t.Fatalf("Read says %v, Parse and Validate disagree", rerr)
	}
	if rerr == nil && len(rb.People)+len(rb.Projects)+len(rb.Familiarity) != len(b.People)+len(b.Projects)+len(b.Familiarity) {
		t.Fatal("Read and Parse gave different batches")
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	people, projects, events := b.Records(pairing.DefaultModel(), now, ids(), Known{})
	for _, p := range people {
		if err := p.Validate(); err != nil {
			t.Fatalf("person %+v: %v", p, err)
		}
		if p.TZ != "" {
			if _, err := time.LoadLocation(p.TZ); err != nil {
				t.Fatalf("person %+v: %v", p, err)
			}
		}
	}
	for _, p := range projects {
		if err := p.Validate(); err != nil {
			t.Fatalf("project %+v: %v", p, err)
		}
	}
	for _, e := range events {
		if _, err := pairing.ProjectName(e.Project); err != nil || !slackIDRE.MatchString(e.Person) || !(e.Level >= 0 && e.Level <= 1) {
			t.Fatalf("bad event %+v", e)
		}
	}
}
