package metrics

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// snapshotMaxAge is how long a snapshot of an unchanged database is
// reused. Familiarity fades with time, so the knowledge gauges are redone
// at least this often even when nothing was written.
const snapshotMaxAge = time.Minute

// storeSnapshot reads the gauges' state from the database. Sessions are
// counted from the store's per-state counts; replaying the knowledge log
// grows with the team's history,
// and Prometheus scrapes every few seconds: the result is kept until the
// database changes (its Version moves) or snapshotMaxAge passes.
type storeSnapshot struct {
	db  Store
	now func() time.Time

	mu       sync.Mutex // one scrape computes; a concurrent one waits for it
	version  uint64
	at       time.Time
	last     Snapshot
	valid    bool
	computed int // snapshots computed, for tests
}

// Store is what the gauges read the database through: one consistent
// read that says first whether anything changed (store.Stat).
type Store interface {
	SnapshotStat(ctx context.Context, read func(store.Stat, store.Reader) error) error
}

// StoreSnapshot reads the gauges' state from the database in one read
// transaction, with the knowledge model replayed as of now.
func StoreSnapshot(db Store, now func() time.Time) func() (Snapshot, error) {
	return (&storeSnapshot{db: db, now: now}).read
}

func (c *storeSnapshot) read() (Snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	at := c.now()
	s := Snapshot{SessionsByState: map[string]int{}}
	var people []pairing.Person
	var members map[string][]pairing.Person // active rotation → its people
	var projects []pairing.Project
	var events []pairing.Event
	fresh := false
	// A scrape has no context of its own: Prometheus's handler gives the
	// collector none, and a read transaction is short.
	err := c.db.SnapshotStat(context.Background(), func(stat store.Stat, r store.Reader) error {
		version := stat.Version
		if c.valid && version == c.version && at.Sub(c.at) < snapshotMaxAge && !at.Before(c.at) {
			fresh = true
			return nil
		}
		c.version = version
		for _, st := range pairing.States {
			s.SessionsByState[string(st)] = 0
		}
		for st, n := range stat.Sessions {
			s.SessionsByState[string(st)] = n
		}
		s.OutboxDepth = r.OutboxDepth()
		var err error
		if people, err = r.People(); err != nil {
			return err
		}
		if members, err = activeRosters(r); err != nil {
			return err
		}
		if projects, err = r.Projects(); err != nil {
			return err
		}
		events, err = r.Events()
		return err
	})
	if err != nil {
		c.valid = false
		return s, err
	}
	if fresh {
		return c.last.clone(), nil
	}
	k := pairing.Replay(pairing.DefaultModel(), events)
	sum := 0
	for _, p := range projects {
		if p.Retired {
			continue
		}
		bf := k.BusFactor(p.Name, people, at)
		sum += bf
		s.Projects++
		if bf <= 1 {
			s.ProjectsAtBFOne++
		}
	}
	if s.Projects > 0 {
		s.MeanBusFactor = float64(sum) / float64(s.Projects)
	}
	s.TeamTruckFactor = k.TruckFactor(projects, people, at)
	for _, p := range people {
		if p.ActiveAt(at) {
			s.PeopleInRotation++
		}
	}
	s.PeopleByRotation = map[string]int{}
	for rot, people := range members {
		s.PeopleByRotation[rot] = 0
		for _, p := range people {
			if p.ActiveAt(at) {
				s.PeopleByRotation[rot]++
			}
		}
	}
	c.last, c.at, c.valid = s, at, true
	c.computed++
	return s.clone(), nil
}

// clone is s with maps of its own, so a caller's change does not reach the
// cache.
func (s Snapshot) clone() Snapshot {
	s.SessionsByState = maps.Clone(s.SessionsByState)
	s.PeopleByRotation = maps.Clone(s.PeopleByRotation)
	return s
}

// activeRosters is the roster of each active rotation.
func activeRosters(r store.Reader) (map[string][]pairing.Person, error) {
	rotations, err := r.Rotations()
	if err != nil {
		return nil, err
	}
	out := map[string][]pairing.Person{}
	for _, rot := range rotations {
		if !rot.Active() {
			continue
		}
		people, err := r.PeopleIn(rot.ID)
		if err != nil {
			return nil, fmt.Errorf("rotation %s: %w", rot.ID, err)
		}
		out[rot.ID] = people
	}
	return out, nil
}
