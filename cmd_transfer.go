package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/transfer"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// cmdImport loads people, projects and declared familiarity from a CSV or
// YAML file: everything is validated first and every bad row reported with
// its line number; then all of it is written in one transaction, or none.
func cmdImport(_ context.Context, env environment, args []string) error {
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
	created := errors.Is(statErr, os.ErrNotExist)
	db, err := store.Open(cfg.DB, store.Options{})
	if err != nil {
		return err
	}
	closed := false
	defer func() {
		if !closed {
			db.Close()
		}
	}()
	var people, projects, events int
	err = db.Update(func(tx *store.Tx) error {
		known, err := knownRecords(tx)
		if err != nil {
			return err
		}
		batch, err := transfer.Read(name, f, known)
		if err != nil {
			return err
		}
		now := time.Now()
		ps, prs, evs := batch.Records(pairing.DefaultModel(), now, store.NewID, known)
		for _, p := range ps {
			_, err := tx.Person(p.ID)
			isNew := err != nil
			if err := tx.PutPerson(p); err != nil {
				return err
			}
			if isNew && p.Status != pairing.Left {
				// Their first message from Pollen is a welcome, ahead
				// of any heads-up or proposal in the outbox.
				if _, err := tx.WelcomeOnce(p.ID, now); err != nil {
					return err
				}
			}
		}
		for _, p := range prs {
			if err := tx.PutProject(p); err != nil {
				return err
			}
		}
		for _, e := range evs {
			if _, err := tx.AppendEvent(e); err != nil {
				return err
			}
		}
		people, projects, events = len(ps), len(prs), len(evs)
		return nil
	})
	if err != nil && created {
		// The database was made for this import: a failed one leaves no
		// empty pollen.db behind to be mistaken for a team.
		closed = true
		db.Close()
		os.Remove(cfg.DB)
	}
	var ve *transfer.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(env.stderr, "%s: nothing was imported; fix these rows:\n%v\n", name, ve)
		return &exitError{code: 1, err: fmt.Errorf("%s: %s", name, badRows(ve.Problems))}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "imported %s: %d people, %d projects, %d familiarity events\n", name, people, projects, events)
	return nil
}

func knownRecords(tx *store.Tx) (transfer.Known, error) {
	people, err := tx.People()
	if err != nil {
		return transfer.Known{}, err
	}
	projects, err := tx.Projects()
	if err != nil {
		return transfer.Known{}, err
	}
	return transfer.NewKnown(people, projects), nil
}

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
