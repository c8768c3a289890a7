package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// backends opens a fresh store of each kind for a benchmark.
func backends(b *testing.B) map[string]func(b *testing.B) *DB {
	return map[string]func(b *testing.B) *DB{
		"bbolt": func(b *testing.B) *DB {
			db, err := Open(filepath.Join(b.TempDir(), "pollen.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
		"postgres": func(b *testing.B) *DB {
			db, err := Open(pgtest.Shared(b).NewDatabase(b), Options{Timeout: 10 * time.Second})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
	}
}

// roundOf is a planned round of n sessions as the scheduler saves it: the
// round, its sessions, a proposal per session and the round's key.
func roundOf(n int, week string, people []pairing.Person) store.Change {
	c := store.Change{Rounds: []pairing.Round{{ID: week, PlannedAt: t0}}, Done: []store.Run{{Key: "round/" + week, At: t0}}}
	for i := range n {
		s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: people[2*i].ID, Learners: []string{people[2*i+1].ID},
			Round: week, Slot: t0.Add(time.Hour), Length: time.Hour, State: pairing.Proposed, CreatedAt: t0, UpdatedAt: t0}
		c.Sessions = append(c.Sessions, s)
		c.Rounds[0].SessionIDs = append(c.Rounds[0].SessionIDs, s.ID)
		c.Outbox = append(c.Outbox, outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: s.ID, Round: week, Users: s.Participants(), CreatedAt: t0})
	}
	return c
}

// BenchmarkBackends times the common operations and a round of 500
// sessions planned and queued on bbolt and on PostgreSQL (a throwaway
// server on loopback). Run: go test -run XXX -bench Backends ./store/
func BenchmarkBackends(b *testing.B) {
	for _, name := range []string{"bbolt", "postgres"} {
		open := backends(b)[name]
		b.Run(name+"/round=500", func(b *testing.B) {
			db := open(b)
			var people []pairing.Person
			for i := range 1000 {
				people = append(people, pairing.NewPerson(fmt.Sprintf("U%04d", i), "P", "UTC", t0))
			}
			if _, err := db.Apply(context.Background(), func(store.Reader) (store.Change, error) { return store.Change{People: people}, nil }); err != nil {
				b.Fatal(err)
			}
			week := 0
			for b.Loop() {
				week++
				c := roundOf(500, fmt.Sprintf("2026-W%02d", week%52+1), people)
				c.Rounds[0].ID = pairing.RoundID(t0.AddDate(0, 0, 7*week))
				if _, err := db.Apply(context.Background(), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/ops", func(b *testing.B) {
			db := open(b)
			ctx := context.Background()
			var people []pairing.Person
			for i := range 40 {
				people = append(people, pairing.NewPerson(fmt.Sprintf("U%04d", i), "P", "UTC", t0))
			}
			c := roundOf(20, "2026-W48", people)
			c.People = people
			if _, err := db.Apply(ctx, func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
				b.Fatal(err)
			}
			sid := c.Sessions[0].ID
			b.Run("OpenSessions", func(b *testing.B) {
				for b.Loop() {
					if err := db.View(func(tx *Tx) error {
						open, err := tx.OpenSessions()
						if err == nil && len(open) != 20 {
							err = fmt.Errorf("%d open sessions, want 20", len(open))
						}
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("LoadTeam", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.LoadTeam(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("UpdateMember", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.UpdateMember(ctx, "U0001", func(p *pairing.Person, _ store.Reader) (store.Change, error) {
						p.Hours.Start = 8 * 60
						return store.Change{}, nil
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("UpdateSession", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.UpdateSession(ctx, sid, func(s *pairing.Session, _ store.Reader) (store.Change, error) {
						s.Note = "n"
						return store.Change{}, nil
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
