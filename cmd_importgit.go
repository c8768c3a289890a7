package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pollen-team/pollen/bot"
	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/gitimport"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
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
// knowledge log. It says what it read and dropped, and prints the
// repository's truck factor beside Pollen's bus factor for the project,
// before and after. It needs no Slack tokens and creates the database if
// there is none yet. The import itself is gitimport.ReadImport and
// Import.Save; this command parses the flags, opens the database and
// prints.
func cmdImportGit(ctx context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	fs := flag.NewFlagSet("import-git", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.DBFlag(fs)
	project := fs.String("project", "", "the Pollen `project` the repository is")
	repo := fs.String("repo", "", "`path` of a local clone (a blobless clone will do)")
	authors := fs.String("authors", "", "CSV `file` of identity,slack_user_id (identity: an email, or Name <handle>)")
	since := fs.String("since", "", "only history after this `date` (YYYY-MM-DD)")
	maxFiles := fs.Int("max-files", gitimport.DefaultOptions().MaxFiles, "ignore commits that change more than `n` existing files (mass reformatting); 0, the default, for no limit")
	mergeNames := fs.Bool("merge-names", true, "count authors with the same name as one person (false: only the same email or .mailmap)")
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
	opts := gitimport.DefaultOptions()
	opts.ExcludeAuthors = append(opts.ExcludeAuthors, exAuthors...)
	opts.ExcludeSubjects, opts.ExcludePaths, opts.MaxFiles, opts.SeparateNames = exSubjects, exPaths, *maxFiles, !*mergeNames
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
		var bad []string
		mapping, bad, err = gitimport.ReadAuthorMap(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *authors, err)
		}
		for _, b := range bad {
			fmt.Fprintf(env.stderr, "%s: %s (line skipped)\n", *authors, b)
		}
		opts.Aliases = mapping
	}
	var lookup gitimport.Lookup
	if cfg.BotToken != "" { // ask Slack for the authors the map does not name
		lookup = func(ctx context.Context, emails []string) (map[string]string, error) {
			return bot.LookupEmails(ctx, cfg.BotToken.Reveal(), cfg.APIURL, emails)
		}
	}
	imp, err := gitimport.ReadImport(ctx, *repo, name, opts, mapping, lookup, time.Now())
	if err != nil {
		return err
	}
	res, now, unmapped := imp.Result, imp.Now, imp.Unmapped
	fmt.Fprintf(env.stdout, "Repository %s as project %s: %s.\n", *repo, name, gitimport.Count(imp.History, res))
	if err := gitimport.Report(env.stdout, res, imp.Mapping, pairing.DefaultModel(), now); err != nil {
		return err
	}
	out, err := saveGitImport(ctx, cfg.DB, imp, *dryRun)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "\nTruck factor of the repository: %d; Pollen's bus factor for it, with every author on the team: %d.\n",
		gitimport.TruckFactor(res.Files), gitimport.BusFactor(res, pairing.DefaultModel(), now))
	fmt.Fprintf(env.stdout, "Authors of files: %d mapped to Slack users, %d unmapped.\n", len(res.AuthorsOfFiles())-len(unmapped), len(unmapped))
	fmt.Fprintf(env.stdout, "Pollen's bus factor for %s: %d before, %d after (it counts people on the roster)", name, out.Before, out.After)
	if out.OffRoster > 0 {
		fmt.Fprintf(env.stdout, "; %d mapped %s not on the roster yet and count once they join", out.OffRoster, pluralWord(out.OffRoster, "author is", "authors are"))
	}
	fmt.Fprintln(env.stdout, ".")
	if *dryRun {
		fmt.Fprintf(env.stdout, "Dry run: nothing written (%d familiarity events would be new).\n", out.Written)
	} else {
		fmt.Fprintf(env.stdout, "Wrote %d familiarity events (%d already in the log were skipped).\n", out.Written, len(imp.Events)-out.Written)
	}
	if out.Evidence > 0 {
		verb := "recorded"
		if *dryRun {
			verb = "that would be recorded"
		}
		fmt.Fprintf(env.stdout, "First commits after sessions %s: %d (evidence that the sessions taught something).\n", verb, out.Evidence)
	}
	printUnmapped(env, unmapped, name, *repo, *authors)
	return nil
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// printUnmapped lists the authors of files with no Slack user, each with
// the command that maps them, then the command that imports again.
func printUnmapped(env environment, unmapped []gitimport.Author, project, repo, authors string) {
	if len(unmapped) == 0 {
		return
	}
	file := authors
	if file == "" {
		file = "authors.csv"
	}
	who := fmt.Sprintf("%d authors of files have no Slack user and were", len(unmapped))
	if len(unmapped) == 1 {
		who = "1 author of files has no Slack user and was"
	}
	fmt.Fprintf(env.stdout, "%s not imported; map them (put each one's Slack user ID in place of SLACK_USER_ID) and import again:\n", who)
	lines := make([]string, 0, len(unmapped))
	for _, a := range unmapped {
		lines = append(lines, fmt.Sprintf("  echo %s >> %s   # %s, %d %s", shellQuote(a.Key+",SLACK_USER_ID"), shellQuote(file), oneLineName(a.Name), a.Files, pluralWord(a.Files, "file", "files")))
	}
	sort.Strings(lines)
	fmt.Fprintln(env.stdout, strings.Join(lines, "\n"))
	fmt.Fprintf(env.stdout, "  pollen import-git -project %s -repo %s -authors %s\n", project, shellQuote(repo), shellQuote(file))
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func oneLineName(s string) string { return strings.Join(strings.Fields(s), " ") }

// saveGitImport saves the import in the database at path, creating it
// when there is none (import-git can be the first thing run on a new
// install). A dry run writes nothing, and opens the database read-only
// and only if there is one. When a running bot holds the database, the
// bot saves it (adminOps).
func saveGitImport(ctx context.Context, path string, imp gitimport.Import, dryRun bool) (out gitimport.Saved, err error) {
	if _, err := os.Stat(path); dryRun && errors.Is(err, os.ErrNotExist) {
		return imp.Unsaved(), nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return out, err
	}
	db, err := openUnlessBotHolds(path, engine.Options{ReadOnly: dryRun})
	if errors.Is(err, engine.ErrLocked) {
		// A running bot holds the file: it saves the import for us, with
		// the same Save (a dry run previews there too).
		err = onRunningBot(ctx, path, "import-git", gitImportRequest{Import: imp.ForSave(), DryRun: dryRun}, &out)
		return out, err
	}
	if err != nil {
		return out, err
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	return imp.Save(ctx, db, dryRun)
}
