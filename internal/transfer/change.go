package transfer

import (
	"errors"
	"io"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Counts is how many records an import writes.
type Counts struct{ People, Projects, Events int }

// Change is what importing the file name (its content read from file)
// writes over the database that r reads: Read against the people and
// projects r holds, then Batch.Records, every event at now. A person new
// to the roster, unless the file says they left, gets the welcome DM (the
// store queues it once, ahead of any heads-up or proposal). It writes
// nothing itself: the caller commits the Change in the transaction r
// reads from (engine.DB.Apply), so the checks and the writes see the same
// database. A bad file is a *ValidationError.
func Change(r store.Reader, name string, file io.Reader, now time.Time) (store.Change, Counts, error) {
	people, err := r.People()
	if err != nil {
		return store.Change{}, Counts{}, err
	}
	projects, err := r.Projects()
	if err != nil {
		return store.Change{}, Counts{}, err
	}
	known := NewKnown(people, projects)
	batch, err := Read(name, file, known)
	if err != nil {
		return store.Change{}, Counts{}, err
	}
	ps, prs, evs := batch.Records(pairing.DefaultModel(), now, store.NewID, known)
	c := store.Change{People: ps, Projects: prs, Events: evs, At: now}
	for _, p := range ps {
		_, err := r.Person(p.ID)
		switch {
		case errors.Is(err, pairing.ErrNotFound):
			if p.Status != pairing.Left {
				c.Welcome = append(c.Welcome, p.ID)
			}
		case err != nil:
			return store.Change{}, Counts{}, err
		}
	}
	return c, Counts{People: len(ps), Projects: len(prs), Events: len(evs)}, nil
}
