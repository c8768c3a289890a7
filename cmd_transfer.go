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
	// The file is read before the transaction and parsed inside it, with
	// what the database holds; a read error meets the parser where the
	// file's bytes end, as if it were reading the file itself.
	data, readErr := io.ReadAll(f)
	f.Close()
	req := importRequest{Name: name, Data: data, Now: time.Now()}
	if readErr != nil {
		req.ReadError = readErr.Error()
	}
	_, statErr := os.Stat(cfg.DB)
	created := errors.Is(statErr, os.ErrNotExist) && !engine.IsPostgresURL(cfg.DB)
	var counts transfer.Counts
	db, err := openUnlessBotHolds(cfg.DB, engine.Options{})
	switch {
	case errors.Is(err, engine.ErrLocked):
		// A running bot holds the file: it parses and applies the file
		// for us, in one transaction as below.
		var answer importAnswer
		if err = onRunningBot(ctx, cfg.DB, "import", req, &answer); err == nil {
			counts = answer.Counts
			if len(answer.Problems) > 0 {
				err = &transfer.ValidationError{Problems: answer.Problems}
			}
		}
	case err != nil:
		return err
	default:
		counts, err = req.apply(ctx, db, readErr)
		if cerr := db.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil && created {
			// The database was made for this import: a failed one leaves
			// no empty pollen.db behind to be mistaken for a team.
			if rerr := os.Remove(cfg.DB); rerr != nil {
				fmt.Fprintf(env.stderr, "%s was made for this import and could not be removed: %v\n", cfg.DB, rerr)
			}
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

// importRequest is one `pollen import`: the file's name and bytes, read
// by the CLI, and the time of the import. The offline command applies it
// itself; with a running bot holding the database, the bot applies it for
// the CLI (adminOps), the same way.
type importRequest struct {
	Name      string    `json:"name"`
	Data      []byte    `json:"data"`
	ReadError string    `json:"read_error,omitempty"` // reading the file failed here, after Data
	Now       time.Time `json:"now"`
}

// importAnswer is the running bot's answer to an importRequest: what was
// imported, or the file's problems (nothing imported).
type importAnswer struct {
	Counts   transfer.Counts    `json:"counts"`
	Problems []transfer.Problem `json:"problems,omitempty"`
}

// apply parses the file inside one transaction of db, with what db holds,
// and writes all of it or, if the file has a problem, nothing (a
// *transfer.ValidationError). readErr is how reading the file failed.
func (req importRequest) apply(ctx context.Context, db importStore, readErr error) (transfer.Counts, error) {
	var counts transfer.Counts
	_, err := db.Apply(ctx, func(r store.Reader) (c store.Change, err error) {
		file := io.Reader(bytes.NewReader(req.Data))
		if readErr != nil {
			file = io.MultiReader(file, failedRead{readErr})
		}
		c, counts, err = transfer.Change(r, req.Name, file, req.Now)
		return c, err
	})
	return counts, err
}

// importStore is the store an import is applied to.
type importStore interface {
	Apply(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error)
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
