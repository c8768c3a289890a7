package gitimport

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// The degree-of-authorship model of Fritz et al. (weights) as Avelino et al.
// use it to find file authors (ICPC 2016; aserg-ufmg/Truck-Factor).
const (
	doaBase        = 3.293
	doaFirst       = 1.098
	doaDelivery    = 0.164
	doaAcceptance  = 0.321
	authorRelative = 0.75  // DOA / max DOA of the file must exceed it
	authorAbsolute = 3.293 // and DOA must reach it
)

// DOA is the degree of authorship of a developer on a file:
// 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1+AC), where FA is 1 if they
// created the file, DL the number of their later commits to it and AC the
// number of commits to it by others. As in Avelino's tool, the commit that
// creates a file gives first authorship, not a delivery, and a rename
// counts as a delivery.
func DOA(firstAuthor bool, deliveries, othersChanges int) float64 {
	fa := 0.0
	if firstAuthor {
		fa = 1
	}
	return doaBase + doaFirst*fa + doaDelivery*float64(deliveries) - doaAcceptance*math.Log1p(float64(othersChanges))
}

// Result is who authors what at the end of a history.
type Result struct {
	// Files are the files present at the end of the history, by path.
	Files []File
	// Authors are everyone with a commit that counts, most files authored
	// first.
	Authors []Author
}

// File is one file and the degree of authorship of everyone who worked on
// it, across its renames.
type File struct {
	Path    string
	Authors []string // keys of its authors, highest DOA first
	Degrees []Degree // everyone with a counted commit on it, highest DOA first
}

// Degree is one developer's degree of authorship on one file.
type Degree struct {
	Author        string
	FirstAuthor   bool
	Deliveries    int
	OthersChanges int
	DOA           float64
}

// Author is one person of the history, all their aliases merged.
type Author struct {
	Key        string   // the alias group's key, usually their main email
	Emails     []string // every email they committed with, lower-cased
	Name       string   // the name they committed with most
	Commits    int      // commits that count
	LastCommit time.Time
	// FirstCommit is the author date of their earliest counted commit in
	// the history read (after Options.Since, if set).
	FirstCommit time.Time
	// Files is the number of files they author (DOA criterion).
	Files int
	// Familiarity is Files as a share of all the files: the level the
	// import gives them for the project (see the package documentation).
	Familiarity float64
}

// lineage is one file's history, carried along its renames.
type lineage struct {
	creator    string         // who added it, if that commit counts
	deliveries map[string]int // counted commits per author, the creation excepted
	total      int            // sum of deliveries
}

func (l *lineage) deliver(c Commit) {
	if c.Excluded == "" {
		l.deliveries[c.Key()]++
		l.total++
	}
}

// Authorship replays the history, oldest commit first, and finds each
// file's authors: a developer authors a file when their DOA is more than
// 0.75 of the file's highest DOA and at least 3.293 (Avelino et al.).
//
// Renamed files keep their history; deleted files are dropped, and a file
// added again later at the same path starts a new history. A change made on
// a parallel branch to a path that was renamed meanwhile goes to the renamed
// file, as the merge would take it. Excluded commits still add, delete and
// rename files but count for nobody. When h.Files is set, only those files
// count; a file the analysed history never touched (see Options.Since) is
// not in the result, and one whose history starts before the window has no
// first author.
func Authorship(h History) Result {
	t := tree{live: make(map[string]*lineage), away: make(map[string]*lineage)}
	people := make(map[string]*person)
	for _, c := range h.Commits {
		if c.Excluded == "" {
			p, ok := people[c.Key()]
			if !ok {
				p = &person{names: map[string]int{}, emails: map[string]bool{}}
				people[c.Key()] = p
			}
			p.add(c)
		}
		t.apply(c)
	}

	paths := t.paths(h.Files)
	r := Result{Files: make([]File, len(paths))}
	authored := make(map[string]int)
	for i, path := range paths {
		r.Files[i] = fileAuthorship(path, t.live[path])
		for _, a := range r.Files[i].Authors {
			authored[a]++
		}
	}
	for key, p := range people {
		a := p.author(key)
		a.Files = authored[key]
		a.Familiarity = float64(a.Files) / float64(max(1, len(r.Files)))
		r.Authors = append(r.Authors, a)
	}
	slices.SortFunc(r.Authors, func(a, b Author) int {
		if c := cmp.Compare(b.Files, a.Files); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Commits, a.Commits); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return r
}

// tree is the replay's state: the history of every live path, and of the
// paths renamed away, for changes that parallel branches still make there.
type tree struct {
	live map[string]*lineage
	away map[string]*lineage
}

// paths lists the live paths, sorted, keeping only those in files unless
// files is nil.
func (t tree) paths(files []string) []string {
	var paths []string
	if files != nil {
		for _, path := range files {
			if t.live[path] != nil {
				paths = append(paths, path)
			}
		}
	} else {
		for path := range t.live {
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

func newLineage() *lineage { return &lineage{deliveries: make(map[string]int)} }

// apply plays one commit. Deletions and the sources of renames are detached
// first, so a commit that renames a to b and adds a new a, or swaps two
// names, keeps every history with its file.
func (t tree) apply(c Commit) {
	moved := make(map[int]*lineage)
	for i, ch := range c.Changes {
		switch ch.Status {
		case Deleted:
			delete(t.live, ch.Path)
			delete(t.away, ch.Path)
		case Renamed:
			l := t.live[ch.OldPath]
			if l == nil {
				l = t.away[ch.OldPath] // renamed on two branches
			}
			if l != nil {
				moved[i], t.away[ch.OldPath] = l, l
			}
			delete(t.live, ch.OldPath)
		}
	}
	for i, ch := range c.Changes {
		switch ch.Status {
		case Deleted:
		case Added, Copied:
			if l, ok := t.live[ch.Path]; ok {
				l.deliver(c) // added on two branches: a change to the same file
				continue
			}
			l := newLineage()
			if c.Excluded == "" {
				l.creator = c.Key()
			}
			t.live[ch.Path] = l
			delete(t.away, ch.Path)
		case Renamed:
			l := moved[i]
			if l == nil { // its history starts before the window
				l = newLineage()
			}
			t.live[ch.Path] = l
			delete(t.away, ch.Path)
			l.deliver(c)
		default: // modified, type changed
			l := t.live[ch.Path]
			if l == nil {
				l = t.away[ch.Path] // a parallel branch: the change follows the rename
			}
			if l == nil { // its history starts before the window
				l = newLineage()
				t.live[ch.Path] = l
			}
			l.deliver(c)
		}
	}
}

func fileAuthorship(path string, l *lineage) File {
	f := File{Path: path}
	if l.creator != "" {
		if _, ok := l.deliveries[l.creator]; !ok {
			f.Degrees = append(f.Degrees, Degree{Author: l.creator})
		}
	}
	for a, dl := range l.deliveries {
		f.Degrees = append(f.Degrees, Degree{Author: a, Deliveries: dl})
	}
	best := math.Inf(-1)
	for i := range f.Degrees {
		d := &f.Degrees[i]
		d.FirstAuthor = d.Author == l.creator
		d.OthersChanges = l.total - d.Deliveries
		d.DOA = DOA(d.FirstAuthor, d.Deliveries, d.OthersChanges)
		best = max(best, d.DOA)
	}
	slices.SortFunc(f.Degrees, func(a, b Degree) int {
		if c := cmp.Compare(b.DOA, a.DOA); c != 0 {
			return c
		}
		return cmp.Compare(a.Author, b.Author)
	})
	for _, d := range f.Degrees {
		if best > 0 && d.DOA/best > authorRelative && d.DOA >= authorAbsolute {
			f.Authors = append(f.Authors, d.Author)
		}
	}
	return f
}

// person collects one alias group's counted commits.
type person struct {
	commits int
	first   time.Time
	last    time.Time
	names   map[string]int
	emails  map[string]bool
}

func (p *person) add(c Commit) {
	p.commits++
	if c.When.After(p.last) {
		p.last = c.When
	}
	if p.first.IsZero() || c.When.Before(p.first) {
		p.first = c.When
	}
	p.names[c.Name]++
	if e := identity(c.Email, ""); e != "" {
		p.emails[e] = true
	}
}

func (p *person) author(key string) Author {
	a := Author{Key: key, Commits: p.commits, LastCommit: p.last, FirstCommit: p.first}
	for e := range p.emails {
		a.Emails = append(a.Emails, e)
	}
	slices.Sort(a.Emails)
	for n, k := range p.names {
		if k > p.names[a.Name] || k == p.names[a.Name] && n < a.Name {
			a.Name = n
		}
	}
	return a
}
