package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pollen-team/pollen/bot"
	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/gitimport"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// regexps is a repeatable -flag of regular expressions.
type regexps []*regexp.Regexp

func (r *regexps) String() string { return fmt.Sprint(*r) }
func (r *regexps) Set(s string) error {
	re, err := regexp.Compile(s)
	if err != nil {
		return err
	}
	*r = append(*r, re)
	return nil
}

// cmdImportGit seeds a project's familiarity from its git history: who
// authors which files (degree of authorship), as imported events in the
// knowledge log, and prints the repository's truck factor beside Pollen's
// bus factor for the project.
func cmdImportGit(ctx context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	fs := flag.NewFlagSet("import-git", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.DBFlag(fs)
	project := fs.String("project", "", "the Pollen `project` the repository is")
	repo := fs.String("repo", "", "`path` of a local clone")
	authors := fs.String("authors", "", "CSV `file` of email,slack_user_id")
	since := fs.String("since", "", "only history after this `date` (YYYY-MM-DD)")
	maxFiles := fs.Int("max-files", 100, "ignore commits that change more than `n` existing files (mass reformatting); 0 for no limit")
	dryRun := fs.Bool("dry-run", false, "print the report, write nothing")
	var exAuthors, exSubjects, exPaths regexps
	fs.Var(&exAuthors, "exclude-author", "ignore commits whose author email or name matches this `regexp` (repeatable; bots are always ignored)")
	fs.Var(&exSubjects, "exclude-subject", "ignore commits whose subject matches this `regexp` (repeatable)")
	fs.Var(&exPaths, "exclude-path", "leave out files whose path matches this `regexp`, e.g. ^vendor/ (repeatable)")
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	name, err := pairing.ProjectName(*project)
	if err != nil || *repo == "" || fs.NArg() > 0 {
		return usageErr("usage: pollen import-git -project NAME -repo PATH [-authors map.csv] [-since YYYY-MM-DD]")
	}
	opts := gitimport.Options{ExcludeAuthors: append(regexps{gitimport.Bots}, exAuthors...), ExcludeSubjects: exSubjects, ExcludePaths: exPaths, MaxFiles: *maxFiles}
	if *since != "" {
		if opts.Since, err = time.Parse(time.DateOnly, *since); err != nil {
			return usageErr("-since %q is not a date: use YYYY-MM-DD", *since)
		}
	}
	mapping := map[string]string{}
	if *authors != "" {
		f, err := os.Open(*authors)
		if err != nil {
			return err
		}
		mapping, err = gitimport.ReadAuthorMap(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *authors, err)
		}
		opts.Aliases = mapping
	}
	h, err := gitimport.Read(ctx, *repo, opts)
	if err != nil {
		return err
	}
	res := gitimport.Authorship(h)
	if cfg.BotToken != "" { // ask Slack for the authors the map does not name
		var emails []string
		for _, a := range res.Authors {
			if a.Files > 0 && !mapped(a, mapping) {
				emails = append(emails, a.Emails...)
			}
		}
		found, err := bot.LookupEmails(ctx, cfg.BotToken.Reveal(), cfg.APIURL, emails)
		if err != nil {
			return err
		}
		for e, id := range found {
			mapping[e] = id
		}
	}
	now := time.Now()
	events, unmapped := gitimport.Events(res, mapping, name, store.NewID, now)
	fmt.Fprintf(env.stdout, "Repository %s as project %s: %d commits, %d files.\n", *repo, name, len(h.Commits), len(res.Files))
	if err := gitimport.Report(env.stdout, res, mapping, pairing.DefaultModel(), now); err != nil {
		return err
	}
	if *dryRun {
		fmt.Fprintf(env.stdout, "\nTruck factor of the repository: %d. Dry run: nothing written.\n", gitimport.TruckFactor(res.Files))
		return nil
	}
	written, bf, err := saveGitEvents(cfg.DB, name, events, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "\nTruck factor of the repository: %d. Pollen's bus factor for %s now: %d.\n", gitimport.TruckFactor(res.Files), name, bf)
	fmt.Fprintf(env.stdout, "Wrote %d familiarity events (%d already in the log were skipped).\n", written, len(events)-written)
	if n := len(unmapped); n > 0 {
		var list []string
		for _, a := range unmapped {
			list = append(list, fmt.Sprintf("%s <%s>", a.Name, strings.Join(a.Emails, ", ")))
		}
		sort.Strings(list)
		who := fmt.Sprintf("%d authors of files have no Slack user and were", n)
		if n == 1 {
			who = "1 author of files has no Slack user and was"
		}
		fmt.Fprintf(env.stdout, "%s not imported; add them to -authors:\n  %s\n", who, strings.Join(list, "\n  "))
	}
	return nil
}

func mapped(a gitimport.Author, mapping map[string]string) bool {
	for _, e := range a.Emails {
		if _, ok := mapping[strings.ToLower(e)]; ok {
			return true
		}
	}
	return false
}

// saveGitEvents writes the import in one transaction: the project if it is
// new, and each event unless the log already has the same import (person,
// project, level and date), so importing twice changes nothing.
func saveGitEvents(path, project string, events []pairing.Event, now time.Time) (written, busFactor int, err error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return 0, 0, fmt.Errorf("no database at %s: run pollen once, or point -db at it", path)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		if _, err := tx.Project(project); errors.Is(err, pairing.ErrNotFound) {
			if err := tx.PutProject(pairing.Project{Name: project}); err != nil {
				return err
			}
		}
		existing, err := tx.Events()
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		key := func(e pairing.Event) string {
			return fmt.Sprintf("%s|%s|%s|%.6f|%d", e.Source, e.Project, e.Person, e.Level, e.At.Unix())
		}
		for _, e := range existing {
			if e.Kind == pairing.EventImported {
				seen[key(e)] = true
			}
		}
		for _, e := range events {
			if seen[key(e)] {
				continue
			}
			if _, err := tx.AppendEvent(e); err != nil {
				return err
			}
			written++
		}
		people, err := tx.People()
		if err != nil {
			return err
		}
		busFactor = pairing.Replay(pairing.DefaultModel(), append(existing, events...)).BusFactor(project, people, now)
		return nil
	})
	return written, busFactor, err
}
