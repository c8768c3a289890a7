package metrics

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// seed fills a database with people, two projects and n done sessions, each
// with its knowledge event.
func seed(tb testing.TB, n int) *engine.DB {
	tb.Helper()
	db, err := engine.Open(filepath.Join(tb.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	start := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	var team store.Change
	for i := range 50 {
		team.People = append(team.People, pairing.NewPerson(fmt.Sprintf("U%03d", i), fmt.Sprintf("p%d", i), "UTC", start))
	}
	for _, name := range []string{"etl", "churn"} {
		team.Projects = append(team.Projects, pairing.Project{Name: name, Owners: []string{"U000"}})
		team.Events = append(team.Events, pairing.Event{ID: store.NewID(), At: start, Kind: pairing.EventOwner, Project: name, Person: "U000", Level: 1})
	}
	write(tb, db, team)
	for done := 0; done < n; {
		var batch store.Change
		for i := 0; i < 1000 && done < n; i, done = i+1, done+1 {
			at := start.Add(time.Duration(done) * 10 * time.Minute)
			s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "U000",
				Learners: []string{fmt.Sprintf("U%03d", 1+done%49)}, Round: pairing.RoundID(at), Slot: at,
				Length: time.Hour, State: pairing.Done, CreatedAt: at, UpdatedAt: at, DoneAt: at}
			batch.Sessions = append(batch.Sessions, s)
			batch.Events = append(batch.Events, pairing.SessionEvent(s))
		}
		write(tb, db, batch)
	}
	return db
}

// write commits c in one operation.
func write(tb testing.TB, db *engine.DB, c store.Change) {
	tb.Helper()
	if _, err := db.Apply(context.Background(), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
		tb.Fatal(err)
	}
}

func TestSnapshotIsReusedOnlyWhileNothingChanges(t *testing.T) {
	db := seed(t, 20)
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	c := &storeSnapshot{db: db, now: func() time.Time { return now }}
	first, err := c.read()
	if err != nil {
		t.Fatal(err)
	}
	if first.SessionsByState["done"] != 20 || first.Projects != 2 || first.PeopleInRotation != 50 {
		t.Fatalf("first snapshot %+v", first)
	}
	first.SessionsByState["done"] = -1 // a caller's change must not reach the cache
	now = now.Add(10 * time.Second)
	again, err := c.read()
	if err != nil {
		t.Fatal(err)
	}
	if c.computed != 1 || again.SessionsByState["done"] != 20 {
		t.Errorf("unchanged database: computed %d times, done = %d; want 1 and 20", c.computed, again.SessionsByState["done"])
	}

	// A write is seen at the next scrape.
	write(t, db, store.Change{Sessions: []pairing.Session{{ID: store.NewID(), Kind: pairing.Pair, Project: "churn", Host: "U000",
		Learners: []string{"U001"}, Round: "2026-W02", Slot: now.Add(time.Hour), Length: time.Hour,
		State: pairing.Proposed, CreatedAt: now, UpdatedAt: now}}})
	after, err := c.read()
	if err != nil {
		t.Fatal(err)
	}
	if c.computed != 2 || after.SessionsByState["proposed"] != 1 {
		t.Errorf("after a write: computed %d times, proposed = %d; want 2 and 1", c.computed, after.SessionsByState["proposed"])
	}

	// Time alone redoes it once the snapshot is a minute old (knowledge fades).
	now = now.Add(snapshotMaxAge)
	if _, err := c.read(); err != nil {
		t.Fatal(err)
	}
	if c.computed != 3 {
		t.Errorf("a minute later: computed %d times, want 3", c.computed)
	}
}

// BenchmarkScrapeState measures one scrape's state read on a database with
// a long history, unchanged between scrapes (the common case between
// commands) and written before every scrape (the worst case).
func BenchmarkScrapeState(b *testing.B) {
	for _, n := range []int{5_000, 50_000} {
		for _, writes := range []bool{false, true} {
			b.Run(fmt.Sprintf("sessions=%d/write-between=%v", n, writes), func(b *testing.B) {
				db := seed(b, n)
				now := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
				read := StoreSnapshot(db, func() time.Time { return now })
				if _, err := read(); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					now = now.Add(15 * time.Second)
					if writes {
						write(b, db, store.Change{Values: map[string]any{"touch": now}})
					}
					if _, err := read(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
