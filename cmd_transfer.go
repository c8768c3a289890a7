package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/transfer"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// cmdImport loads people, projects and declared familiarity from a CSV or
// YAML file: everything is validated first and every bad row reported with
// its line number; then all of it is written in one transaction, or none.
func cmdImport(ctx context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.DBFlag(fs)
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if fs.NArg() != 1 {
		return usageErr("give one file to import: pollen import team.csv (or .yaml)")
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, statErr := os.Stat(cfg.DB)
	created := errors.Is(statErr, os.ErrNotExist) && !engine.IsPostgresURL(cfg.DB)
	db, err := engine.Open(cfg.DB, engine.Options{})
	if err != nil {
		return err
	}
	// The file is read before the transaction and parsed inside it, with
	// what the database holds; a read error meets the parser where the
	// file's bytes end, as if it were reading the file itself.
	data, readErr := io.ReadAll(f)
	now := time.Now()
	var counts transfer.Counts
	_, err = db.Apply(ctx, func(r store.Reader) (c store.Change, err error) {
		file := io.Reader(bytes.NewReader(data))
		if readErr != nil {
			file = io.MultiReader(file, failedRead{readErr})
		}
		c, counts, err = transfer.Change(r, name, file, now)
		return c, err
	})
	if cerr := db.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil && created {
		// The database was made for this import: a failed one leaves no
		// empty pollen.db behind to be mistaken for a team.
		if rerr := os.Remove(cfg.DB); rerr != nil {
			fmt.Fprintf(env.stderr, "%s was made for this import and could not be removed: %v\n", cfg.DB, rerr)
		}
	}
	var ve *transfer.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(env.stderr, "%s: nothing was imported; fix these rows:\n%v\n", name, ve)
		return &exitError{code: 1, err: fmt.Errorf("%s: %s", name, badRows(ve.Problems))}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "imported %s: %d people, %d projects, %d familiarity events\n", name, counts.People, counts.Projects, counts.Events)
	return nil
}

// failedRead is a reader that fails as the file did.
type failedRead struct{ err error }

func (f failedRead) Read([]byte) (int, error) { return 0, f.err }

// badRows counts the rows with problems, not the problems: a row with two
// bad fields is one bad row.
func badRows(problems []transfer.Problem) string {
	lines := map[int]bool{}
	for _, p := range problems {
		if p.Line > 0 {
			lines[p.Line] = true
		}
	}
	n := len(lines)
	switch {
	case n == 0:
		return "the file as a whole is wrong"
	case n == 1:
		return "1 bad row"
	}
	return fmt.Sprintf("%d bad rows", n)
}
