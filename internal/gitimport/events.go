package gitimport

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Source marks the knowledge events an import from git produces.
const Source = "git"

// Events turns a result into knowledge events for the project: one
// pairing.EventImported per Slack user, with Level the share of the
// project's files they author (their Familiarity), dated at their last
// counted commit. The knowledge model fades it from there, so the import
// does not fade it itself (see the package documentation). No event is
// dated after at, the time of the import, even if a commit's clock ran
// ahead.
//
// Authors are matched to Slack users through mapping (email → Slack user
// ID; case and spaces in emails are ignored) by any of their emails, their
// key first. Several authors mapped to the same Slack user count together:
// their level is the share of files at least one of them authors. Authors
// who author files but have no Slack user are returned in unmapped, most
// files first, so the caller can report them. Authors who author no file
// produce no event: git says nothing about what they know.
//
// newID makes the events' IDs (the store wants a UUID v7). Events come in
// order of Slack user ID.
func Events(r Result, mapping map[string]string, project string, newID func() string, at time.Time) (events []pairing.Event, unmapped []Author) {
	m := foldKeys(mapping)
	type group struct {
		files map[int]bool
		last  time.Time
	}
	groups := make(map[string]*group)
	fileIdx := filesByAuthor(r.Files)
	for _, a := range r.Authors {
		if a.Files == 0 {
			continue
		}
		id, ok := slackID(a, m)
		if !ok {
			unmapped = append(unmapped, a)
			continue
		}
		g, ok := groups[id]
		if !ok {
			g = &group{files: make(map[int]bool)}
			groups[id] = g
		}
		for _, i := range fileIdx[a.Key] {
			g.files[i] = true
		}
		if a.LastCommit.After(g.last) {
			g.last = a.LastCommit
		}
	}
	for id, g := range groups {
		when := g.last
		if !at.IsZero() && when.After(at) {
			when = at
		}
		events = append(events, pairing.Event{
			At:      when,
			Kind:    pairing.EventImported,
			Project: project,
			Person:  id,
			Level:   float64(len(g.files)) / float64(len(r.Files)),
			Source:  Source,
		})
	}
	slices.SortFunc(events, func(a, b pairing.Event) int { return cmp.Compare(a.Person, b.Person) })
	for i := range events {
		events[i].ID = newID() // in order, so IDs do not depend on map order
	}
	return events, unmapped
}

// FirstCommits is, per Slack user (through mapping, as in Events), the
// author date of their earliest counted commit in the history read, no
// later than at: what pairing.CommitEvidence needs. Unlike Events it
// counts authors of no file too: one commit is a first commit. Commits
// dropped as bots or mass changes do not count.
func FirstCommits(r Result, mapping map[string]string, at time.Time) map[string]time.Time {
	m := foldKeys(mapping)
	out := make(map[string]time.Time)
	for _, a := range r.Authors {
		id, ok := slackID(a, m)
		if !ok || a.FirstCommit.IsZero() {
			continue
		}
		when := a.FirstCommit
		if !at.IsZero() && when.After(at) {
			when = at
		}
		if t, ok := out[id]; !ok || when.Before(t) {
			out[id] = when
		}
	}
	return out
}

// FirstCommitOf is the author date of the history's earliest counted
// commit, by anyone: when the project began, for pairing.Project.StartsBy.
func FirstCommitOf(r Result) time.Time {
	var first time.Time
	for _, a := range r.Authors {
		if !a.FirstCommit.IsZero() && (first.IsZero() || a.FirstCommit.Before(first)) {
			first = a.FirstCommit
		}
	}
	return first
}

// filesByAuthor lists, per author key, the indexes of the files they author.
func filesByAuthor(files []File) map[string][]int {
	idx := make(map[string][]int)
	for i, f := range files {
		for _, a := range f.Authors {
			idx[a] = append(idx[a], i)
		}
	}
	return idx
}

// slackID finds the Slack user of an author in a folded mapping: by key
// first, then by each of their emails in order.
func slackID(a Author, folded map[string]string) (string, bool) {
	for _, e := range append([]string{a.Key}, a.Emails...) {
		if id, ok := folded[e]; ok && id != "" {
			return id, true
		}
	}
	return "", false
}

// FamiliarityAt is the familiarity the knowledge model gives the author at
// t once their imported level is replayed, dated at their last commit (the
// model holds an imported level, so it is their share unless the model
// changes). It replays through pairing.Knowledge, so the report cannot
// drift from what Pollen will show.
func (a Author) FamiliarityAt(m pairing.Model, t time.Time) float64 {
	when := a.LastCommit
	if when.After(t) {
		when = t
	}
	k := pairing.NewKnowledge(m)
	k.Apply(pairing.Event{At: when, Kind: pairing.EventImported, Person: a.Key, Project: "-", Level: a.Familiarity})
	return k.F(a.Key, "-", t)
}

// AuthorsOfFiles are the authors who author at least one file.
func (r Result) AuthorsOfFiles() []Author {
	var out []Author
	for _, a := range r.Authors {
		if a.Files > 0 {
			out = append(out, a)
		}
	}
	return out
}

// BusFactor is Pollen's bus factor for the repository if every author of
// its files were on the team with what the import gives them, at t: their
// imported levels replayed through the knowledge model, counted by
// pairing.CoverageBusFactor. It is the figure that should agree with
// TruckFactor (see the package documentation).
func BusFactor(r Result, m pairing.Model, t time.Time) int {
	var fs []float64
	for _, a := range r.AuthorsOfFiles() {
		fs = append(fs, a.FamiliarityAt(m, t))
	}
	return pairing.CoverageBusFactor(fs)
}

// Within is the result for the files under prefix (a directory ending in
// "/", or one file): a module of the repository, as if it were its own
// project. Authors keep their commits; their files and familiarity count
// only the module's files. Authors of none of them are left out.
func (r Result) Within(prefix string) Result {
	var out Result
	n := make(map[string]int)
	for _, f := range r.Files {
		if f.Path == prefix || strings.HasSuffix(prefix, "/") && strings.HasPrefix(f.Path, prefix) {
			out.Files = append(out.Files, f)
			for _, a := range f.Authors {
				n[a]++
			}
		}
	}
	for _, a := range r.Authors {
		if n[a.Key] > 0 {
			a.Files = n[a.Key]
			a.Familiarity = float64(a.Files) / float64(len(out.Files))
			out.Authors = append(out.Authors, a)
		}
	}
	slices.SortStableFunc(out.Authors, func(a, b Author) int { return cmp.Compare(b.Files, a.Files) })
	return out
}
