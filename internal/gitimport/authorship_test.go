package gitimport

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func add(p string) Change        { return Change{Status: Added, Path: p} }
func mod(p string) Change        { return Change{Status: Modified, Path: p} }
func del(p string) Change        { return Change{Status: Deleted, Path: p} }
func ren(from, to string) Change { return Change{Status: Renamed, OldPath: from, Path: to} }
func cp(from, to string) Change  { return Change{Status: Copied, OldPath: from, Path: to} }
func typeChange(p string) Change { return Change{Status: 'T', Path: p} }
func hist(cs ...Commit) History  { return History{Commits: cs} }
func by(as who, d int, chs ...Change) Commit {
	return Commit{Hash: "h", Email: as.email, Name: as.name, When: day(d), Subject: "work", Changes: chs}
}

var botKey = strings.ToLower(bot.email)

func TestDOA(t *testing.T) {
	tests := []struct {
		name   string
		fa     bool
		dl, ac int
		want   float64
	}{
		{"creator alone", true, 0, 0, 3.293 + 1.098},
		{"one delivery", false, 1, 0, 3.293 + 0.164},
		// The reference's calibration: an owner (FA, 5 deliveries) against a
		// newcomer with 5: 3.293 + 1.098 + 0.82 − 0.321·ln 6 = 4.636.
		{"owner after newcomer's five", true, 5, 5, 4.636},
		{"newcomer's five", false, 5, 5, 3.293 + 0.82 - 0.321*math.Log(6)},
		{"many changes by others", false, 0, 99, 3.293 - 0.321*math.Log(100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DOA(tt.fa, tt.dl, tt.ac); math.Abs(got-tt.want) > 1e-3 {
				t.Errorf("DOA(%v, %d, %d) = %.4f, want %.4f", tt.fa, tt.dl, tt.ac, got, tt.want)
			}
		})
	}
}

// TestAuthorshipCalibration checks the worked example of the knowledge
// model reference: a newcomer becomes a co-author of a file whose creator
// made 5 more commits only with 5 commits of their own. With 4:
// Ana 4.391 + 0.82 − 0.321·ln 5 = 4.6944, Bo 3.293 + 0.656 − 0.321·ln 6 =
// 3.3738 = 0.7187 of Ana's. With 5: 4.636 and 3.538 = 0.763 of Ana's.
func TestAuthorshipCalibration(t *testing.T) {
	for _, tt := range []struct {
		commits int
		want    []string
	}{{4, []string{ana.email}}, {5, []string{ana.email, bo.email}}} {
		cs := []Commit{by(ana, 1, add("f.py"))}
		for i := range 5 {
			cs = append(cs, by(ana, 2+i, mod("f.py")))
		}
		for i := range tt.commits {
			cs = append(cs, by(bo, 10+i, mod("f.py")))
		}
		res := Authorship(hist(cs...))
		if got := res.Files[0].Authors; !slices.Equal(got, tt.want) {
			t.Errorf("with %d commits by Bo, authors = %q (%+v), want %q", tt.commits, got, res.Files[0].Degrees, tt.want)
		}
	}
}

func TestAuthorshipFileHistories(t *testing.T) {
	tests := []struct {
		name string
		h    History
		want map[string][]Degree // per file; DOA to 1e-3
	}{{
		name: "a chain of renames keeps the first author",
		h:    hist(by(ana, 1, add("a.py")), by(bo, 2, ren("a.py", "b.py")), by(cy, 3, ren("b.py", "c.py"))),
		// Ana 4.391 − 0.321·ln 3 = 4.0383; Bo and Cy 3.293 + 0.164 − 0.321·ln 2 = 3.2345.
		want: map[string][]Degree{"c.py": {{ana.email, true, 0, 2, 4.0383}, {bo.email, false, 1, 1, 3.2345}, {cy.email, false, 1, 1, 3.2345}}},
	}, {
		name: "two files swap names in one commit",
		h:    hist(by(ana, 1, add("x.py")), by(bo, 2, add("y.py")), by(cy, 3, ren("x.py", "y.py"), ren("y.py", "x.py"))),
		want: map[string][]Degree{
			// The creator 4.391 − 0.321·ln 2 = 4.1685; Cy 3.293 + 0.164 = 3.457.
			"x.py": {{bo.email, true, 0, 1, 4.1685}, {cy.email, false, 1, 0, 3.457}},
			"y.py": {{ana.email, true, 0, 1, 4.1685}, {cy.email, false, 1, 0, 3.457}}, // Ana's file, now y.py
		},
	}, {
		name: "a rename and a new file at the old path in one commit",
		h:    hist(by(ana, 1, add("old.py")), by(bo, 2, ren("old.py", "new.py"), add("old.py"))),
		want: map[string][]Degree{
			"new.py": {{ana.email, true, 0, 1, 4.1685}, {bo.email, false, 1, 0, 3.457}},
			"old.py": {{bo.email, true, 0, 0, 4.391}},
		},
	}, {
		name: "a file deleted and added again starts a new history",
		h:    hist(by(ana, 1, add("f.py")), by(ana, 2, mod("f.py")), by(bo, 3, del("f.py")), by(cy, 4, add("f.py"))),
		want: map[string][]Degree{"f.py": {{cy.email, true, 0, 0, 4.391}}},
	}, {
		name: "a deleted file is dropped",
		h:    hist(by(ana, 1, add("f.py"), add("g.py")), by(bo, 2, del("g.py"))),
		want: map[string][]Degree{"f.py": {{ana.email, true, 0, 0, 4.391}}},
	}, {
		name: "a copy is a new file of the copier's",
		h:    hist(by(ana, 1, add("f.py")), by(bo, 2, cp("f.py", "g.py"))),
		want: map[string][]Degree{"f.py": {{ana.email, true, 0, 0, 4.391}}, "g.py": {{bo.email, true, 0, 0, 4.391}}},
	}, {
		name: "a type change is a delivery",
		h:    hist(by(ana, 1, add("f.py")), by(bo, 2, typeChange("f.py"))),
		want: map[string][]Degree{"f.py": {{ana.email, true, 0, 1, 4.1685}, {bo.email, false, 1, 0, 3.457}}},
	}, {
		name: "a file added on two branches: the second add is a delivery",
		h:    hist(by(ana, 1, add("f.py")), by(bo, 2, add("f.py"))),
		want: map[string][]Degree{"f.py": {{ana.email, true, 0, 1, 4.1685}, {bo.email, false, 1, 0, 3.457}}},
	}, {
		name: "a change on a parallel branch follows the rename",
		h:    hist(by(ana, 1, add("x.py")), by(bo, 2, ren("x.py", "y.py")), by(cy, 3, mod("x.py"))),
		// Ana 4.391 − 0.321·ln 3 = 4.0383; Bo and Cy 3.457 − 0.321·ln 2 = 3.2345.
		want: map[string][]Degree{"y.py": {{ana.email, true, 0, 2, 4.0383}, {bo.email, false, 1, 1, 3.2345}, {cy.email, false, 1, 1, 3.2345}}},
	}, {
		name: "the last commit's files decide which files count",
		h: History{
			Commits: []Commit{by(ana, 1, add("kept.py"), add("ghost.py")), by(bo, 2, add("kept.py"))},
			Files:   []string{"kept.py", "merge-only.py", "kept.py"},
		},
		want: map[string][]Degree{"kept.py": {{ana.email, true, 0, 1, 4.1685}, {bo.email, false, 1, 0, 3.457}}},
	}, {
		name: "history before the window: no first author",
		h:    hist(by(ana, 1, mod("f.py")), by(bo, 2, ren("g.py", "h.py"))),
		want: map[string][]Degree{"f.py": {{ana.email, false, 1, 0, 3.457}}, "h.py": {{bo.email, false, 1, 0, 3.457}}},
	}, {
		name: "an excluded commit shapes the tree but counts for nobody",
		h: hist(
			by(ana, 1, add("f.py")),
			Commit{Email: bot.email, Name: bot.name, When: day(2), Excluded: ExcludedBot, Changes: []Change{ren("f.py", "g.py"), add("bot.yml")}},
			by(bo, 3, mod("g.py")),
		),
		want: map[string][]Degree{
			"bot.yml": nil,
			"g.py":    {{ana.email, true, 0, 1, 4.1685}, {bo.email, false, 1, 0, 3.457}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Authorship(tt.h)
			if len(res.Files) != len(tt.want) {
				t.Fatalf("files = %+v, want %d", res.Files, len(tt.want))
			}
			for _, f := range res.Files {
				want, ok := tt.want[f.Path]
				if !ok {
					t.Fatalf("unexpected file %q", f.Path)
				}
				if len(f.Degrees) != len(want) {
					t.Fatalf("%s: degrees %+v, want %+v", f.Path, f.Degrees, want)
				}
				for i, d := range f.Degrees {
					w := want[i]
					if d.Author != w.Author || d.FirstAuthor != w.FirstAuthor || d.Deliveries != w.Deliveries ||
						d.OthersChanges != w.OthersChanges || math.Abs(d.DOA-w.DOA) > 1e-3 {
						t.Errorf("%s: degree %d = %+v, want %+v", f.Path, i, d, w)
					}
				}
			}
		})
	}
}

func TestAuthorshipNoFiles(t *testing.T) {
	res := Authorship(hist(by(ana, 1, add("f.py")), by(ana, 2, del("f.py"))))
	if len(res.Files) != 0 || len(res.Authors) != 1 || res.Authors[0].Files != 0 || res.Authors[0].Familiarity != 0 {
		t.Errorf("Authorship = %+v, want no files and Ana with none", res)
	}
	if tf := TruckFactor(res.Files); tf != 0 {
		t.Errorf("truck factor of nothing = %d", tf)
	}
}

func TestPrepare(t *testing.T) {
	anaWork := who{"Ana Lima", "Ana.Lima@Corp.example"}
	anaHome := who{"ana lima", "ana@home.example"}
	h := hist(
		by(anaWork, 1, add("a.py"), add("b.py"), add("c.py")),
		by(anaHome, 2, mod("a.py")),
		by(anaWork, 3, mod("b.py")),
		by(bot, 4, mod("a.py")),
		Commit{Email: bo.email, Name: bo.name, When: day(5), Subject: "style: black", Changes: []Change{mod("a.py")}},
		by(bo, 6, mod("a.py"), ren("b.py", "bb.py"), add("d.py"), add("e.py"), del("c.py")),
		by(bo, 7, mod("a.py"), mod("bb.py"), mod("d.py")),
		by(who{"Renovate Bot", "renovate@whitesourcesoftware.com"}, 8, mod("a.py")),
	)
	opts := Options{
		ExcludeAuthors:  []*regexp.Regexp{Bots},
		ExcludeSubjects: []*regexp.Regexp{regexp.MustCompile(`^style:`)},
		MaxFiles:        2, // day 6 changes 2 existing files, day 7 changes 3
	}
	tests := []struct {
		name     string
		aliases  map[string]string
		apart    bool     // SeparateNames
		authors  []string // Commit.Author per commit
		excluded []string
	}{{
		name:    "same email, any case",
		apart:   true,
		authors: []string{"ana.lima@corp.example", "ana@home.example", "ana.lima@corp.example", botKey, bo.email, bo.email, bo.email, "renovate@whitesourcesoftware.com"},
	}, {
		name:    "aliases from the author map",
		apart:   true,
		aliases: map[string]string{"ana.lima@corp.example": "UANA", " ANA@home.example ": "UANA", "bo@example.com": "UBO"},
		authors: []string{"ana.lima@corp.example", "ana.lima@corp.example", "ana.lima@corp.example", botKey, bo.email, bo.email, bo.email, "renovate@whitesourcesoftware.com"},
	}, {
		name:    "merge by name, by default",
		authors: []string{"ana.lima@corp.example", "ana.lima@corp.example", "ana.lima@corp.example", botKey, bo.email, bo.email, bo.email, "renovate@whitesourcesoftware.com"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts
			o.Aliases, o.SeparateNames = tt.aliases, tt.apart
			got := Prepare(h, o)
			var authors, excluded []string
			for _, c := range got.Commits {
				authors = append(authors, c.Author)
				excluded = append(excluded, c.Excluded)
			}
			if !slices.Equal(authors, tt.authors) {
				t.Errorf("authors = %q, want %q", authors, tt.authors)
			}
			want := []string{"", "", "", ExcludedBot, ExcludedSubject, "", ExcludedMassChange, ExcludedBot}
			if !slices.Equal(excluded, want) {
				t.Errorf("excluded = %q, want %q", excluded, want)
			}
			if h.Commits[0].Author != "" || h.Commits[3].Excluded != "" {
				t.Error("Prepare modified its input")
			}
		})
	}
}

// TestAliasesMergeAuthorship: Ana's two addresses become one author with
// both emails, whose commits add up on the file.
func TestAliasesMergeAuthorship(t *testing.T) {
	anaHome := who{"Ana L.", "ana@home.example"}
	h := hist(by(bo, 1, add("f.py")), by(ana, 2, mod("f.py")), by(anaHome, 3, mod("f.py")), by(ana, 4, mod("f.py")))
	// Apart: Bo 4.391 − 0.321·ln 4 = 3.946; Ana 3.293 + 0.328 − 0.321·ln 2 = 3.3985 (0.861: an author).
	// Merged: Ana 3.293 + 0.164·3 = 3.785 (0.959 of Bo's 3.946).
	res := Authorship(Prepare(h, Options{Aliases: map[string]string{ana.email: "UANA", anaHome.email: "UANA"}}))
	if got := res.Files[0].Authors; !slices.Equal(got, []string{bo.email, ana.email}) {
		t.Fatalf("authors = %q (%+v)", got, res.Files[0].Degrees)
	}
	if d := res.Files[0].Degrees[1]; d.Deliveries != 3 || math.Abs(d.DOA-3.785) > 1e-3 {
		t.Errorf("Ana's degree = %+v, want 3 deliveries, DOA 3.785", d)
	}
	a := res.Authors[0] // one file each; Ana has more commits
	if a.Key != ana.email || !slices.Equal(a.Emails, []string{ana.email, anaHome.email}) || a.Name != ana.name || a.Commits != 3 || !a.LastCommit.Equal(day(4)) {
		t.Errorf("merged author = %+v", a)
	}
}
