package gitimport

import (
	"context"
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Import is a repository's history read for a project (`pollen import-git`):
// who authors which files, and the knowledge events that adds, before it
// is saved.
type Import struct {
	Project string
	History History
	Result  Result
	// Mapping maps identities (emails, handles) to Slack user IDs: the
	// author map's, and what the lookup found.
	Mapping  map[string]string
	Events   []pairing.Event // a familiarity per mapped author of files
	Unmapped []Author        // authors of files with no Slack user
	// Firsts is each Slack user's first commit, for pairing.CommitEvidence.
	Firsts map[string]time.Time
	Now    time.Time
}

// Lookup finds the Slack users of emails (the bot asks Slack); it returns
// the ones it found, by lower-cased email.
type Lookup func(ctx context.Context, emails []string) (map[string]string, error)

// ReadImport reads the history of the repository at dir (Read, with opts)
// for project and turns it into knowledge events as of now. mapping maps
// identities to Slack users; lookup, if not nil, is asked for the emails
// of the authors of files it does not name. mapping is not modified.
func ReadImport(ctx context.Context, dir, project string, opts Options, mapping map[string]string, lookup Lookup, now time.Time) (Import, error) {
	h, err := Read(ctx, dir, opts)
	if err != nil {
		return Import{}, err
	}
	imp := Import{Project: project, History: h, Result: Authorship(h), Mapping: maps.Clone(mapping), Now: now}
	if imp.Mapping == nil {
		imp.Mapping = map[string]string{}
	}
	if lookup != nil {
		var emails []string
		for _, a := range imp.Result.AuthorsOfFiles() {
			if !mapped(a, imp.Mapping) {
				emails = append(emails, a.Emails...)
			}
		}
		found, err := lookup(ctx, emails)
		if err != nil {
			return Import{}, err
		}
		maps.Copy(imp.Mapping, found)
	}
	imp.Events, imp.Unmapped = Events(imp.Result, imp.Mapping, project, store.NewID, now)
	imp.Firsts = FirstCommits(imp.Result, imp.Mapping, now)
	return imp, nil
}

func mapped(a Author, mapping map[string]string) bool {
	for _, e := range a.Emails {
		if _, ok := mapping[strings.ToLower(e)]; ok {
			return true
		}
	}
	return false
}

// Saved is what saving an import did, or would do in a dry run.
type Saved struct {
	Written       int // familiarity events new to the log
	Before, After int // Pollen's bus factor for the project
	OffRoster     int // mapped Slack users not on the roster
	Evidence      int // first commits after sessions, new to the log
}

// Unsaved is what a dry run says when there is no database yet: every
// event is new and nobody is on the roster.
func (imp Import) Unsaved() Saved {
	return Saved{Written: len(imp.Events), OffRoster: len(imp.Events)}
}

// ForSave is the import with only what Save reads (see decide): the
// project, the events, the first commits, the time and the authors (for
// the repository's first commit), without the history and the files,
// which can be large. A running bot is sent this to save an import.
func (imp Import) ForSave() Import {
	return Import{Project: imp.Project, Result: Result{Authors: imp.Result.Authors},
		Events: imp.Events, Firsts: imp.Firsts, Now: imp.Now}
}

// Store is what an import is saved through.
type Store interface {
	Apply(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error)
	Preview(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Change, error)
}

// Save writes the import in one store operation (see decide). In a dry
// run it decides the same over what db holds and writes nothing.
func (imp Import) Save(ctx context.Context, db Store, dryRun bool) (Saved, error) {
	var out Saved
	decide := func(r store.Reader) (c store.Change, err error) {
		c, out, err = imp.decide(r)
		return c, err
	}
	var err error
	if dryRun {
		_, err = db.Preview(ctx, decide)
	} else {
		_, err = db.Apply(ctx, decide)
	}
	if err != nil {
		return Saved{}, err
	}
	return out, nil
}

// decide is what the import writes over what r holds: the project if it
// is new, or its history's start moved back to the repository's first
// commit; each event unless the log already has the same import (person,
// project, level and date), so importing twice changes nothing; and the
// first commits after sessions (pairing.CommitEvidence), once per person
// and project.
func (imp Import) decide(r store.Reader) (store.Change, Saved, error) {
	existing, err := r.Events()
	if err != nil {
		return store.Change{}, Saved{}, err
	}
	people, err := r.People()
	if err != nil {
		return store.Change{}, Saved{}, err
	}
	plan := pairing.PlanImport(pairing.DefaultModel(), existing, people, imp.Project, imp.Events, imp.Firsts, store.NewID, imp.Now)
	out := Saved{Written: len(plan.Fresh), Evidence: len(plan.Evidence), OffRoster: plan.OffRoster, Before: plan.Before, After: plan.After}
	c := store.Change{Events: append(plan.Fresh, plan.Evidence...)}
	p, err := r.Project(imp.Project)
	if errors.Is(err, pairing.ErrNotFound) {
		p, err = pairing.Project{Name: imp.Project}, nil
	}
	if err != nil {
		return store.Change{}, Saved{}, err
	}
	if p.StartsBy(FirstCommitOf(imp.Result)) || p.Since.IsZero() { // its history begins at its first commit
		c.Projects = append(c.Projects, p)
	}
	return c, out, nil
}
