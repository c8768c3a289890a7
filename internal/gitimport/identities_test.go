package gitimport

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// buildIdentitiesRepo: Ana commits from work and from home under the same
// name spelt differently; Bo changed address, which the repository's
// .mailmap says; Cy has no email at all ("Cy Park <cpark>").
func buildIdentitiesRepo(t *testing.T) *testRepo {
	r := newTestRepo(t)
	anaWork := who{"Ana Lima", "ana@corp.example"}
	anaHome := who{"ana  LIMA", "ana@home.example"}
	boOld := who{"B. Chen", "bo@old.example"}
	cyHandle := who{"Cy Park", "cpark"}
	r.write("a.py", lines("a", 10))
	r.commit(anaWork, 1, "a")
	r.write("b.py", lines("b", 10))
	r.commit(anaHome, 2, "b")
	r.write("c.py", lines("c", 10))
	r.commit(boOld, 3, "c")
	r.write("d.py", lines("d", 10))
	r.commit(bo, 4, "d")
	r.write("e.py", lines("e", 10))
	r.commit(cyHandle, 5, "e")
	r.write(".mailmap", "Bo Chen <bo@example.com> <bo@old.example>\n")
	r.commit(bo, 6, "mailmap")
	return r
}

func TestReadMergesIdentities(t *testing.T) {
	r := buildIdentitiesRepo(t)
	tests := []struct {
		name string
		opts Options
		want map[string][]string // author key → emails
	}{
		{"by default: email, .mailmap and name", Options{}, map[string][]string{
			"ana@corp.example": {"ana@corp.example", "ana@home.example"},
			"bo@example.com":   {"bo@example.com"},
			"cpark":            {"cpark"},
		}},
		{"names kept apart", Options{SeparateNames: true}, map[string][]string{
			"ana@corp.example": {"ana@corp.example"},
			"ana@home.example": {"ana@home.example"},
			"bo@example.com":   {"bo@example.com"},
			"cpark":            {"cpark"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Authorship(readRepo(t, r.dir, tt.opts))
			got := map[string][]string{}
			for _, a := range res.Authors {
				got[a.Key] = a.Emails
			}
			if len(got) != len(tt.want) {
				t.Fatalf("authors = %v, want %v", got, tt.want)
			}
			for k, emails := range tt.want {
				if !slices.Equal(got[k], emails) {
					t.Errorf("author %s has emails %q, want %q (all: %v)", k, got[k], emails, got)
				}
			}
		})
	}
	// The handle maps through the author map like an email does.
	res := Authorship(readRepo(t, r.dir, Options{}))
	events, unmapped := Events(res, map[string]string{"CPark": "UCY", "ana@home.example": "UANA"}, "x", func() string { return "id" }, day(30))
	if len(events) != 2 || events[0].Person != "UANA" || events[0].Level != 2.0/6 || events[1].Person != "UCY" {
		t.Errorf("events = %+v, want Ana (both her files, by her home address) and Cy (by handle)", events)
	}
	if len(unmapped) != 1 || unmapped[0].Key != "bo@example.com" {
		t.Errorf("unmapped = %+v, want Bo", unmapped)
	}
}

// TestReadBloblessClone: a clone made with --filter=blob:none has no
// historical file contents. Read needs none but those git's rename
// detection compares, so most blobs stay missing (line counts would fetch
// them all), and the result is the full clone's.
func TestReadBloblessClone(t *testing.T) {
	r := buildTeamRepo(t)
	r.git(who{}, time.Time{}, "config", "uploadpack.allowFilter", "true")
	clone := t.TempDir()
	if out, err := exec.Command("git", "clone", "-q", "--bare", "--filter=blob:none", "file://"+r.dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("blobless clone: %v\n%s", err, out)
	}
	missing := func() int {
		out, err := exec.Command("git", "-C", clone, "rev-list", "--objects", "--missing=print", "--all").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(out), "\n?")
	}
	before := missing()
	if before < 10 {
		t.Fatalf("the clone misses only %d objects: not blobless", before)
	}
	got := Authorship(readRepo(t, clone, teamOptions))
	if after := missing(); after < before-2 {
		t.Errorf("reading fetched %d of the %d missing blobs; want at most the 2 of the one rename", before-after, before)
	}
	want := Authorship(readRepo(t, r.dir, teamOptions))
	if dump := func(res Result) string {
		var b strings.Builder
		for _, f := range res.Files {
			b.WriteString(f.Path + ":" + strings.Join(f.Authors, ",") + "\n")
		}
		return b.String()
	}; dump(got) != dump(want) {
		t.Errorf("blobless clone:\n%s\nfull clone:\n%s", dump(got), dump(want))
	}
}
