package reposync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pollen-team/pollen/internal/gitimport"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// ErrNoRepository is the error Sync returns for a project that has no
// repository.
var ErrNoRepository = errors.New("has no repository: add one with /pair project add NAME REPO")

// Options configure a sync.
type Options struct {
	DataDir string            // clones live in DataDir/repos
	Import  gitimport.Options // what the history counts; zero: gitimport.DefaultOptions
	// Mapping maps identities (emails, handles) to Slack user IDs.
	Mapping map[string]string
	// Lookup, if not nil, maps the emails Mapping does not know (the
	// bot looks them up in Slack).
	Lookup func(ctx context.Context, emails []string) (map[string]string, error)
	Now    func() time.Time // nil: time.Now
}

// Result is what a sync did.
type Result struct {
	Project    string
	Head       string // the commit synced
	Unchanged  bool   // the branch had not moved since the last sync: nothing read or written
	NewCommits int    // non-merge commits since the last sync
	Counts     gitimport.Counts
	Written    int // knowledge events new to the log
	// Evidence is how many first commits after sessions the sync recorded
	// (pairing.CommitEvidence); they are among Written.
	Evidence int
	Unmapped int // authors of files with no Slack user
	// TruckFactor is the repository's; Before and After are Pollen's bus
	// factor for the project (people on the roster).
	TruckFactor, Before, After int

	firstCommit time.Time // the history's first commit: the project's start
}

// String says in one line what the sync did.
func (r Result) String() string {
	if r.Unchanged {
		return fmt.Sprintf("%s: up to date at %s, nothing new.", r.Project, short(r.Head))
	}
	return fmt.Sprintf("%s: synced to %s, %d new %s (%s); %d familiarity %s written, %d unmapped %s; truck factor %d, bus factor %d before, %d after.",
		r.Project, short(r.Head), r.NewCommits, plural(r.NewCommits, "commit", "commits"), r.Counts,
		r.Written, plural(r.Written, "event", "events"), r.Unmapped, plural(r.Unmapped, "author", "authors"),
		r.TruckFactor, r.Before, r.After) + r.evidence()
}

// evidence is the sentence String adds when the sync recorded first
// commits after sessions.
func (r Result) evidence() string {
	if r.Evidence == 0 {
		return ""
	}
	return fmt.Sprintf(" First commits after sessions recorded: %d.", r.Evidence)
}

func short(h string) string { return h[:min(len(h), 12)] }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Sync brings a project's knowledge up to its repository: it clones or
// fetches the repository (see the package documentation), and when the
// branch moved since the last sync, imports its history and records the
// commit, in one transaction. Its errors are one line, free of
// credentials; on error nothing is written.
func Sync(ctx context.Context, db Store, project string, opts Options) (Result, error) {
	res := Result{Project: project}
	var p pairing.Project
	if err := db.Snapshot(ctx, func(r store.Reader) (err error) { p, err = r.Project(project); return err }); err != nil {
		return res, fmt.Errorf("sync %s: %w", project, err)
	}
	if p.RepoURL == "" {
		return res, fmt.Errorf("sync %s: the project %w", project, ErrNoRepository)
	}
	fail := func(err error) (Result, error) {
		return res, fmt.Errorf("sync %s from %s: %s", project, Redact(p.RepoURL), Redact(err.Error()))
	}
	dir := ClonePath(opts.DataDir, project)
	if err := update(ctx, dir, p.RepoURL); err != nil {
		return fail(err)
	}
	out, err := git(ctx, dir, "rev-parse", "--verify", "HEAD^{commit}")
	if err != nil {
		return fail(err)
	}
	res.Head = strings.TrimSpace(string(out))
	if res.Head == p.Synced {
		res.Unchanged = true
		return res, nil
	}
	if res.NewCommits, err = newCommits(ctx, dir, p.Synced, res.Head); err != nil {
		return fail(err)
	}
	events, firsts, err := read(ctx, dir, project, opts, &res)
	if err != nil {
		return fail(err)
	}
	now := opts.now()
	if _, err := db.Apply(ctx, func(r store.Reader) (store.Change, error) { return decide(r, project, events, firsts, now, &res) }); err != nil {
		return res, fmt.Errorf("sync %s: %w", project, err)
	}
	return res, nil
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// read imports the clone's history (at res.Head) into knowledge events,
// with each Slack user's first commit for pairing.CommitEvidence.
func read(ctx context.Context, dir, project string, opts Options, res *Result) ([]pairing.Event, map[string]time.Time, error) {
	imp := opts.Import
	if imp.ExcludeAuthors == nil && imp.ExcludeSubjects == nil && imp.ExcludePaths == nil && imp.MaxFiles == 0 && imp.Aliases == nil {
		imp = gitimport.DefaultOptions()
	}
	mapping := make(map[string]string, len(opts.Mapping))
	for k, v := range opts.Mapping {
		mapping[k] = v
	}
	if imp.Aliases == nil {
		imp.Aliases = mapping
	}
	h, err := gitimport.Read(ctx, dir, imp)
	if err != nil {
		return nil, nil, err
	}
	r := gitimport.Authorship(h)
	if opts.Lookup != nil {
		if err := lookup(ctx, r, mapping, opts.Lookup); err != nil {
			return nil, nil, err
		}
	}
	events, unmapped := gitimport.Events(r, mapping, project, store.NewID, opts.now())
	res.Counts, res.Unmapped, res.TruckFactor = gitimport.Count(h, r), len(unmapped), gitimport.TruckFactor(r.Files)
	res.firstCommit = gitimport.FirstCommitOf(r)
	return events, gitimport.FirstCommits(r, mapping, opts.now()), nil
}

// lookup adds to mapping what find says of the emails of authors of files
// that mapping does not name.
func lookup(ctx context.Context, r gitimport.Result, mapping map[string]string, find func(context.Context, []string) (map[string]string, error)) error {
	var emails []string
	for _, a := range r.AuthorsOfFiles() {
		known := false
		for _, e := range a.Emails {
			_, ok := mapping[strings.ToLower(e)]
			known = known || ok
		}
		if !known {
			emails = append(emails, a.Emails...)
		}
	}
	if len(emails) == 0 {
		return nil
	}
	found, err := find(ctx, emails)
	if err != nil {
		return fmt.Errorf("looking up authors in Slack: %w", err)
	}
	for e, id := range found {
		mapping[e] = id
	}
	return nil
}

// decide says what a sync writes: the events the log does not hold yet,
// and the first commits after sessions (firsts, see
// pairing.CommitEvidence), and res.Head as the project's synced commit. It
// fills in res what the plan counted.
func decide(r store.Reader, project string, events []pairing.Event, firsts map[string]time.Time, now time.Time, res *Result) (store.Change, error) {
	p, err := r.Project(project)
	if err != nil {
		return store.Change{}, err
	}
	existing, err := r.Events()
	if err != nil {
		return store.Change{}, err
	}
	people, err := r.People()
	if err != nil {
		return store.Change{}, err
	}
	plan := pairing.PlanImport(pairing.DefaultModel(), existing, people, project, events, firsts, store.NewID, now)
	fresh := append(plan.Fresh, plan.Evidence...)
	res.Evidence, res.Before, res.After = len(plan.Evidence), plan.Before, plan.After
	res.Written = len(fresh)
	p.Synced = res.Head
	p.StartsBy(res.firstCommit) // its history begins at its first commit
	return store.Change{Projects: []pairing.Project{p}, Events: fresh}, nil
}
