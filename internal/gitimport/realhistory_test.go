package gitimport

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// realRepo is one repository's derived history (see
// TestExtractRealHistory for the format).
type realRepo struct {
	name    string
	head    time.Time
	modules []string
	commits []Commit
	files   []string
}

func loadRealRepo(t testing.TB, path string) realRepo {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var r realRepo
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		rec := strings.Split(sc.Text(), "\t")
		switch rec[0] {
		case "h":
			r.name = rec[1]
			if r.head, err = time.Parse(time.RFC3339, rec[3]); err != nil {
				t.Fatal(err)
			}
		case "m":
			r.modules = append(r.modules, rec[1])
		case "c":
			sec, err := strconv.ParseInt(rec[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			r.commits = append(r.commits, Commit{Hash: strconv.Itoa(len(r.commits)), When: time.Unix(sec, 0).UTC(), Email: rec[2], Name: rec[3]})
		case "f":
			r.files = append(r.files, rec[1])
		default:
			c := &r.commits[len(r.commits)-1]
			if rec[0] == "R" || rec[0] == "C" {
				c.Changes = append(c.Changes, Change{Status: Status(rec[0][0]), OldPath: rec[1], Path: rec[2]})
			} else {
				c.Changes = append(c.Changes, Change{Status: Status(rec[0][0]), Path: rec[1]})
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return r
}

// moduleFigures are one module's truck factor by the published algorithm
// and the two figures Pollen shows for it.
type moduleFigures struct {
	repo, module        string
	files               int
	published           int // Avelino's greedy TF, implemented independently below
	truckFactor         int // what import-git prints (TruckFactor)
	busFactor           int // Pollen's bus factor, every author on the team
	knowersBefore       int // the bus factor before issue 18: knowers of a faded share
	truckFactor100      int // printed truck factor with -max-files 100, the old default
	publishedAuthorsTop string
}

// knowersBefore is the bus factor Pollen showed before issue 18: the
// authors whose share, faded from their last commit with a 365-day
// half-life down to half of it, is at least 0.5.
func knowersBefore(mod Result, t time.Time) int {
	n := 0
	for _, a := range mod.Authors {
		days := t.Sub(a.LastCommit).Hours() / 24
		if f := math.Max(a.Familiarity*math.Exp2(-days/365), a.Familiarity/2); f >= 0.5 {
			n++
		}
	}
	return n
}

func measureRealHistory(t testing.TB) []moduleFigures {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "realhistory", "*.txt.gz"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no derived history under testdata/realhistory: %v", err)
	}
	var out []moduleFigures
	for _, path := range paths {
		r := loadRealRepo(t, path)
		res := Authorship(Prepare(History{Commits: r.commits, Files: r.files}, DefaultOptions()))
		massOpts := DefaultOptions()
		massOpts.MaxFiles = 100
		mass := Authorship(Prepare(History{Commits: r.commits, Files: r.files}, massOpts))
		ref := avelinoAuthors(r.commits, r.files)
		for _, m := range r.modules {
			mod := res.Within(m)
			pub, top := avelinoTruckFactor(ref, m)
			out = append(out, moduleFigures{
				repo: r.name, module: m, files: len(mod.Files), published: pub, publishedAuthorsTop: top,
				truckFactor:    TruckFactor(mod.Files),
				busFactor:      BusFactor(mod, pairing.DefaultModel(), r.head),
				knowersBefore:  knowersBefore(mod, r.head),
				truckFactor100: TruckFactor(mass.Within(m).Files),
			})
		}
	}
	return out
}

// TestRealHistoryAgreesWithPublishedTruckFactor is the measurement of issue
// 18: on the top-level modules of three public repositories (derived data
// under testdata/realhistory), with default settings and no alias map,
// Pollen's bus factor equals the module truck factor of Avelino et al.'s
// algorithm in at least 93% of the modules and the truck factor import-git
// prints in at least 95%. Run with -v for the table:
//
//	go test -v -run TestRealHistoryAgreesWithPublishedTruckFactor ./internal/gitimport/
func TestRealHistoryAgreesWithPublishedTruckFactor(t *testing.T) {
	figs := measureRealHistory(t)
	repos := map[string]bool{}
	bfOK, tfOK, oldOK, massOK, multi, multiOK := 0, 0, 0, 0, 0, 0
	for _, f := range figs {
		repos[f.repo] = true
		if f.knowersBefore == f.published {
			oldOK++
		}
		if f.truckFactor100 == f.published {
			massOK++
		}
		if f.files > 1 {
			multi++
			if f.busFactor == f.published {
				multiOK++
			}
		}
		mark := ""
		if f.busFactor == f.published {
			bfOK++
		} else {
			mark += " BF≠"
		}
		if f.truckFactor == f.published {
			tfOK++
		} else {
			mark += " TF≠"
		}
		t.Logf("%-9s %-32s files %4d  published TF %d  printed TF %d  bus factor %d%s  (%s)", f.repo, f.module, f.files, f.published, f.truckFactor, f.busFactor, mark, f.publishedAuthorsTop)
	}
	n := len(figs)
	t.Logf("%d repositories, %d modules: bus factor = published TF in %d (%.1f%%), printed TF in %d (%.1f%%)",
		len(repos), n, bfOK, 100*float64(bfOK)/float64(n), tfOK, 100*float64(tfOK)/float64(n))
	t.Logf("modules of more than one file: %d, bus factor agrees in %d; the knowers count Pollen showed before agrees in %d of %d; the printed truck factor with -max-files 100 in %d of %d",
		multi, multiOK, oldOK, n, massOK, n)
	if len(repos) < 3 || n < 40 {
		t.Fatalf("%d repositories and %d modules; the measurement needs at least 3 and 40", len(repos), n)
	}
	if float64(bfOK) < math.Ceil(0.93*float64(n)) {
		t.Errorf("bus factor agrees on %d of %d modules, want at least 93%%", bfOK, n)
	}
	if float64(tfOK) < math.Ceil(0.95*float64(n)) {
		t.Errorf("printed truck factor agrees on %d of %d modules, want at least 95%%", tfOK, n)
	}
}

// The published algorithm, written from the paper (Avelino et al., ICPC
// 2016) and its tool's defaults, independently of authorship.go: every
// non-merge commit counts (no bot or mass-change filter), renames carry a
// file's history, and aliases are merged as a person would by hand: the
// same email, or the same name.

type avelinoFile struct {
	creator string
	changes map[string]int
}

// avelinoAuthors returns, for each file of the last commit, its authors.
func avelinoAuthors(commits []Commit, final []string) map[string][]string {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	byName := map[string]string{}
	for _, c := range commits {
		e := "e:" + strings.ToLower(c.Email)
		find(e)
		n := strings.ToLower(strings.Join(strings.Fields(c.Name), " "))
		if first, ok := byName[n]; ok {
			parent[find(e)] = find(first)
		} else {
			byName[n] = e
		}
	}
	files := map[string]*avelinoFile{}
	for _, c := range commits {
		dev := find("e:" + strings.ToLower(c.Email))
		renamed := map[string]*avelinoFile{}
		for _, ch := range c.Changes {
			if ch.Status == Renamed {
				renamed[ch.Path] = files[ch.OldPath]
				delete(files, ch.OldPath)
			}
			if ch.Status == Deleted {
				delete(files, ch.Path)
			}
		}
		for _, ch := range c.Changes {
			switch ch.Status {
			case Deleted:
			case Added, Copied:
				if f := files[ch.Path]; f != nil {
					f.changes[dev]++
				} else {
					files[ch.Path] = &avelinoFile{creator: dev, changes: map[string]int{}}
				}
			case Renamed:
				f := renamed[ch.Path]
				if f == nil {
					f = &avelinoFile{changes: map[string]int{}}
				}
				f.changes[dev]++
				files[ch.Path] = f
			default:
				f := files[ch.Path]
				if f == nil {
					f = &avelinoFile{changes: map[string]int{}}
					files[ch.Path] = f
				}
				f.changes[dev]++
			}
		}
	}
	authors := map[string][]string{}
	for _, path := range final {
		f := files[path]
		if f == nil {
			continue
		}
		total := 0
		for _, n := range f.changes {
			total += n
		}
		devs := map[string]float64{}
		if f.creator != "" {
			devs[f.creator] = 0
		}
		for d := range f.changes {
			devs[d] = 0
		}
		best := math.Inf(-1)
		for d := range devs {
			fa := 0.0
			if d == f.creator {
				fa = 1
			}
			devs[d] = 3.293 + 1.098*fa + 0.164*float64(f.changes[d]) - 0.321*math.Log(1+float64(total-f.changes[d]))
			best = math.Max(best, devs[d])
		}
		var as []string
		for d, doa := range devs {
			if doa/best > 0.75 && doa >= 3.293 {
				as = append(as, d)
			}
		}
		authors[path] = as
	}
	return authors
}

// avelinoTruckFactor is the greedy truck factor of the files under prefix:
// while at least half of them have an author, remove the author of the
// most; it also names the authors removed, for the table.
func avelinoTruckFactor(authors map[string][]string, prefix string) (int, string) {
	var files [][]string
	for path, as := range authors {
		if path == prefix || strings.HasSuffix(prefix, "/") && strings.HasPrefix(path, prefix) {
			files = append(files, slices.Clone(as))
		}
	}
	tf := 0
	var removed []string
	for {
		covered, count := 0, map[string]int{}
		for _, as := range files {
			if len(as) > 0 {
				covered++
			}
			for _, a := range as {
				count[a]++
			}
		}
		if len(files) == 0 || 2*covered < len(files) {
			return tf, strings.Join(removed, " ")
		}
		top := ""
		for a, n := range count {
			if top == "" || n > count[top] || n == count[top] && a < top {
				top = a
			}
		}
		for i, as := range files {
			files[i] = slices.DeleteFunc(as, func(a string) bool { return a == top })
		}
		tf++
		removed = append(removed, fmt.Sprintf("%.8s:%d", strings.TrimPrefix(top, "e:"), count[top]))
	}
}
