package gitimport

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// teamOptions exclude the bot by name and the reformatting by subject.
var teamOptions = Options{
	ExcludeAuthors:  []*regexp.Regexp{Bots},
	ExcludeSubjects: []*regexp.Regexp{regexp.MustCompile(`^style:`)},
}

func readRepo(t *testing.T, dir string, opts Options) History {
	t.Helper()
	h, err := Read(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestReadTeamRepo(t *testing.T) {
	r := buildTeamRepo(t)
	h := readRepo(t, r.dir, teamOptions)

	// Thirteen days, one merge: twelve commits, oldest first.
	if len(h.Commits) != 12 {
		t.Fatalf("got %d commits, want 12 (the merge skipped)", len(h.Commits))
	}
	for i, c := range h.Commits {
		if c.Email == mia.email {
			t.Errorf("commit %d is Mia's merge; merges must be skipped", i)
		}
		if i > 0 && c.When.Before(h.Commits[i-1].When) {
			t.Errorf("commit %d (%s) is older than the one before it", i, c.Subject)
		}
	}
	var excluded []string
	for _, c := range h.Commits {
		if c.Excluded != "" {
			excluded = append(excluded, c.Subject+": "+c.Excluded)
		}
	}
	wantExcluded := []string{"Bump numpy: bot", "Bump pandas: bot", "style: reformat: subject"}
	if !slices.Equal(excluded, wantExcluded) {
		t.Errorf("excluded %q, want %q", excluded, wantExcluded)
	}
	move := h.Commits[3].Changes
	if want := []Change{{Status: Renamed, Path: "pipeline/etl.py", OldPath: "etl.py"}}; !slices.Equal(move, want) {
		t.Errorf("day 4 changes = %+v, want %+v", move, want)
	}
	logo := h.Commits[5].Changes[0]
	if logo.Path != "logo.png" || logo.Status != Added {
		t.Errorf("day 6 first change = %+v, want logo.png added", logo)
	}

	res := Authorship(h)
	// model.py: Ana created it and edited it twice (days 2, 11); Bo once
	// (day 3; his day-13 reformatting is excluded).
	//   Ana: 3.293 + 1.098 + 0.164·2 − 0.321·ln(1+1) = 4.719 − 0.2225 = 4.4965
	//   Bo:  3.293 + 0.164·1 − 0.321·ln(1+2)         = 3.457 − 0.3527 = 3.1043
	//   Bo: 3.1043/4.4965 = 0.69 ≤ 0.75 (and < 3.293): not an author.
	// pipeline/etl.py: created by Ana as etl.py; Bo renamed it (a delivery)
	// and edited it.
	//   Ana: 3.293 + 1.098 − 0.321·ln(1+2) = 4.0383
	//   Bo:  3.293 + 0.164·2               = 3.621; 3.621/4.0383 = 0.897: an author.
	// requirements.txt: Ana created it; the bot's two bumps are excluded.
	//   Ana: 3.293 + 1.098 = 4.391
	// logo.png (Cy) and features.py (Bo): created, nothing else: 4.391.
	// scratch.py was deleted and is gone.
	wantFiles := map[string][]Degree{
		"features.py":      {{bo.email, true, 0, 0, 4.391}},
		"logo.png":         {{cy.email, true, 0, 0, 4.391}},
		"model.py":         {{ana.email, true, 2, 1, 4.4965}, {bo.email, false, 1, 2, 3.1043}},
		"pipeline/etl.py":  {{ana.email, true, 0, 2, 4.0383}, {bo.email, false, 2, 0, 3.621}},
		"requirements.txt": {{ana.email, true, 0, 0, 4.391}},
	}
	wantAuthors := map[string][]string{
		"features.py": {bo.email}, "logo.png": {cy.email}, "model.py": {ana.email},
		"pipeline/etl.py": {ana.email, bo.email}, "requirements.txt": {ana.email},
	}
	checkFiles(t, res.Files, wantFiles, wantAuthors)

	checkAuthors(t, res.Authors, []Author{
		{Key: ana.email, Name: ana.name, Commits: 3, LastCommit: day(11), Files: 3, Familiarity: 0.6},
		{Key: bo.email, Name: bo.name, Commits: 4, LastCommit: day(10), Files: 2, Familiarity: 0.4},
		{Key: cy.email, Name: cy.name, Commits: 2, LastCommit: day(7), Files: 1, Familiarity: 0.2},
	})

	// Coverage 5/5: remove Ana (3 files); etl.py, features.py and logo.png
	// keep an author, 3/5 ≥ 50%: remove Bo (2 files); 1/5 < 50%: stop.
	if got := TruckFactorAuthors(res.Files); !slices.Equal(got, []string{ana.email, bo.email}) {
		t.Errorf("truck factor authors = %q, want Ana then Bo", got)
	}
}

func TestReadTeamRepoWithoutExclusions(t *testing.T) {
	r := buildTeamRepo(t)
	res := Authorship(readRepo(t, r.dir, Options{}))
	// requirements.txt: Ana 3.293 + 1.098 − 0.321·ln(1+2) = 4.0383;
	//   the bot 3.293 + 0.164·2 = 3.621, 0.897 of Ana's: a co-author.
	// model.py: Ana 4.719 − 0.321·ln(1+2) = 4.3663; Bo with the reformat
	//   3.621 − 0.321·ln(1+2) = 3.2683 < 3.293: still not an author.
	// pipeline/etl.py: Ana 4.391 − 0.321·ln(1+3) = 3.946; Bo 3.293 + 0.164·3 = 3.785.
	// features.py: Bo 4.391 + 0.164 = 4.555.
	checkFiles(t, res.Files, map[string][]Degree{
		"features.py":      {{bo.email, true, 1, 0, 4.555}},
		"logo.png":         {{cy.email, true, 0, 0, 4.391}},
		"model.py":         {{ana.email, true, 2, 2, 4.3663}, {bo.email, false, 2, 2, 3.2683}},
		"pipeline/etl.py":  {{ana.email, true, 0, 3, 3.946}, {bo.email, false, 3, 0, 3.785}},
		"requirements.txt": {{ana.email, true, 0, 2, 4.0383}, {botKey, false, 2, 0, 3.621}},
	}, map[string][]string{
		"features.py": {bo.email}, "logo.png": {cy.email}, "model.py": {ana.email},
		"pipeline/etl.py": {ana.email, bo.email}, "requirements.txt": {ana.email, botKey},
	})
	// Remove Ana (3): 4/5 covered; Bo (2): requirements.txt (bot) and
	// logo.png (Cy) left, 2/5 < 50%: the truck factor is still 2.
	if tf := TruckFactor(res.Files); tf != 2 {
		t.Errorf("truck factor = %d, want 2", tf)
	}
}

func TestReadSince(t *testing.T) {
	r := buildTeamRepo(t)
	opts := teamOptions
	opts.Since = day(4).Add(2 * time.Hour)
	res := Authorship(readRepo(t, r.dir, opts))
	// From day 5 on, histories start mid-way and nobody is first author:
	//   model.py: Ana's day-11 edit, 3.293 + 0.164 = 3.457: an author.
	//   pipeline/etl.py: Bo's day-5 edit, 3.457: an author.
	//   requirements.txt: only the bot's excluded bumps: no author.
	//   logo.png (Cy) and features.py (Bo) are created in the window: 4.391.
	checkFiles(t, res.Files, map[string][]Degree{
		"features.py":      {{bo.email, true, 0, 0, 4.391}},
		"logo.png":         {{cy.email, true, 0, 0, 4.391}},
		"model.py":         {{ana.email, false, 1, 0, 3.457}},
		"pipeline/etl.py":  {{bo.email, false, 1, 0, 3.457}},
		"requirements.txt": nil,
	}, map[string][]string{
		"features.py": {bo.email}, "logo.png": {cy.email}, "model.py": {ana.email},
		"pipeline/etl.py": {bo.email}, "requirements.txt": nil,
	})
	// 4/5 covered; remove Bo (2): 2/5 < 50%.
	if tf := TruckFactor(res.Files); tf != 1 {
		t.Errorf("truck factor = %d, want 1", tf)
	}
}

// oddPaths are file names that would break a parser of quoted or
// line-based git output.
var oddPaths = []string{"tab\there.py", "new\nline.py", `"quoted".py`, "ünïcødé.py", "\x1estarts-with-the-mark.py", "- dash.py", "12\t3\tlooks-like-numstat", ":looks-like-raw"}

// buildOddRepo: Ana adds every odd path on day 1, Bo moves them all under
// moved/ on day 2.
func buildOddRepo(t *testing.T) *testRepo {
	r := newTestRepo(t)
	for _, p := range oddPaths {
		r.write(p, lines(p, 10))
	}
	r.commit(ana, 1, "odd names")
	for _, p := range oddPaths {
		r.remove(p)
		r.write("moved/"+p, lines(p, 10))
	}
	r.commit(bo, 2, "move them")
	return r
}

func TestReadOddPaths(t *testing.T) {
	r := buildOddRepo(t)
	res := Authorship(readRepo(t, r.dir, Options{}))
	var got []string
	for _, f := range res.Files {
		got = append(got, f.Path)
		if !slices.Equal(f.Authors, []string{ana.email, bo.email}) {
			// Ana 4.391 − 0.321·ln 2 = 4.1685; Bo 3.293 + 0.164 = 3.457, 0.829 of Ana's.
			t.Errorf("%q authors = %q, want Ana and Bo", f.Path, f.Authors)
		}
	}
	var want []string
	for _, p := range oddPaths {
		want = append(want, "moved/"+p)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
}

// TestReadParallelRename: Bo renames x.py on main while Cy edits it on a
// branch, dated later; Mia's merge applies Cy's edit to y.py and adds a
// file of her own in the merge. Without merges the replay sees Cy edit a
// path that no longer exists: her edit must reach y.py, and neither x.py
// nor the merge's file may appear.
func TestReadParallelRename(t *testing.T) {
	r := newTestRepo(t)
	r.write("x.py", lines("x", 20))
	r.commit(ana, 1, "add x")
	r.git(cy, day(1), "checkout", "-q", "-b", "side")
	r.git(cy, day(1), "checkout", "-q", "main")
	r.git(bo, day(2), "mv", "x.py", "y.py")
	r.commit(bo, 2, "rename x to y")
	r.git(cy, day(3), "checkout", "-q", "side")
	r.write("x.py", lines("x", 21))
	r.commit(cy, 3, "edit x")
	r.git(mia, day(4), "checkout", "-q", "main")
	r.git(mia, day(4), "merge", "-q", "--no-ff", "--no-commit", "side")
	r.write("merge-only.txt", "decided in the merge\n")
	r.commit(mia, 4, "Merge branch 'side'")
	if got := r.git(ana, day(5), "show", "HEAD:y.py"); got != lines("x", 21) {
		t.Fatalf("the merge did not carry Cy's edit to y.py: %q", got)
	}

	h := readRepo(t, r.dir, Options{})
	if !slices.Equal(h.Files, []string{"merge-only.txt", "y.py"}) {
		t.Errorf("History.Files = %q", h.Files)
	}
	// Ana 4.391 − 0.321·ln(1+2) = 4.0383; Bo (the rename) and Cy (the
	// edit) 3.293 + 0.164 − 0.321·ln(1+1) = 3.2345, below 3.293.
	checkFiles(t, Authorship(h).Files, map[string][]Degree{
		"y.py": {{ana.email, true, 0, 2, 4.0383}, {bo.email, false, 1, 1, 3.2345}, {cy.email, false, 1, 1, 3.2345}},
	}, map[string][]string{"y.py": {ana.email}})
}

// TestReadIgnoresUserConfig runs Read under a configuration that changes
// git log's output in every way we know of; the result must not change.
func TestReadIgnoresUserConfig(t *testing.T) {
	r := buildTeamRepo(t)
	want := readRepo(t, r.dir, teamOptions)
	hostile := "[diff]\n\trenames = false\n\trelative = true\n\tnoprefix = true\n\tmnemonicPrefix = true\n" +
		"[color]\n\tui = always\n[log]\n\tshowRoot = false\n\tdate = relative\n\tdecorate = full\n\tfollow = true\n" +
		"[format]\n\tpretty = fuller\n[core]\n\tquotePath = true\n[i18n]\n\tlogOutputEncoding = ISO-8859-1\n"
	cfg := filepath.Join(t.TempDir(), "gitconfig")
	if err := os.WriteFile(cfg, []byte(hostile), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", cfg)
	got := readRepo(t, r.dir, teamOptions)
	if len(got.Commits) != len(want.Commits) {
		t.Fatalf("%d commits under a hostile config, want %d", len(got.Commits), len(want.Commits))
	}
	for i := range want.Commits {
		g, w := got.Commits[i], want.Commits[i]
		if g.Hash != w.Hash || !slices.Equal(g.Changes, w.Changes) || !g.When.Equal(w.When) || g.Name != w.Name {
			t.Errorf("commit %d differs under a hostile config:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestReadErrors(t *testing.T) {
	empty := newTestRepo(t)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	team := buildTeamRepo(t)
	tests := []struct {
		name string
		ctx  context.Context
		dir  string
		want string
	}{
		{"not a repository", context.Background(), t.TempDir(), "not a git repository"},
		{"missing directory", context.Background(), filepath.Join(t.TempDir(), "nope"), "nope"},
		{"no commits yet", context.Background(), empty.dir, "no commits yet"},
		{"canceled", canceled, team.dir, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.ctx, tt.dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// checkFiles compares files with the hand-computed degrees (to 1e-3) and
// authors.
func checkFiles(t *testing.T, files []File, want map[string][]Degree, authors map[string][]string) {
	t.Helper()
	if len(files) != len(want) {
		var paths []string
		for _, f := range files {
			paths = append(paths, f.Path)
		}
		t.Fatalf("files = %q, want %d files", paths, len(want))
	}
	for _, f := range files {
		w, ok := want[f.Path]
		if !ok {
			t.Errorf("unexpected file %q", f.Path)
			continue
		}
		if len(f.Degrees) != len(w) {
			t.Errorf("%s: degrees %+v, want %+v", f.Path, f.Degrees, w)
			continue
		}
		for i, d := range f.Degrees {
			wd := w[i]
			if d.Author != wd.Author || d.FirstAuthor != wd.FirstAuthor || d.Deliveries != wd.Deliveries ||
				d.OthersChanges != wd.OthersChanges || math.Abs(d.DOA-wd.DOA) > 1e-3 {
				t.Errorf("%s: degree %d = %+v, want %+v", f.Path, i, d, wd)
			}
		}
		if !slices.Equal(f.Authors, authors[f.Path]) {
			t.Errorf("%s: authors %q, want %q", f.Path, f.Authors, authors[f.Path])
		}
	}
}

func checkAuthors(t *testing.T, got, want []Author) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d authors %+v, want %d", len(got), got, len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.Key != w.Key || g.Name != w.Name || g.Commits != w.Commits || !g.LastCommit.Equal(w.LastCommit) ||
			g.Files != w.Files || math.Abs(g.Familiarity-w.Familiarity) > 1e-9 {
			t.Errorf("author %d = %+v, want %+v", i, g, w)
		}
	}
}

// Excluded paths (vendored code, images) count for nobody and leave the
// base the shares are computed over.
func TestReadExcludePaths(t *testing.T) {
	r := buildTeamRepo(t)
	opts := teamOptions
	opts.ExcludePaths = []*regexp.Regexp{regexp.MustCompile(`^pipeline/`), regexp.MustCompile(`\.png$`)}
	res := Authorship(readRepo(t, r.dir, opts))
	var paths []string
	for _, f := range res.Files {
		paths = append(paths, f.Path)
	}
	if want := []string{"features.py", "model.py", "requirements.txt"}; !slices.Equal(paths, want) {
		t.Fatalf("files %q, want %q", paths, want)
	}
	shares := map[string]float64{}
	for _, a := range res.Authors {
		shares[a.Key] = a.Familiarity
	}
	for key, want := range map[string]float64{ana.email: 2.0 / 3, bo.email: 1.0 / 3, cy.email: 0} {
		if math.Abs(shares[key]-want) > 1e-9 {
			t.Errorf("%s: familiarity %.4f, want %.4f", key, shares[key], want)
		}
	}
}
