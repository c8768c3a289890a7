package engine

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// A database migrated to 005 (the open-sessions index as a partial index,
// no rows) gets its open_sessions rows back from 006, from the sessions'
// states, and loses the index.
func TestPostgresUpgradeRestoresTheOpenSessionRows(t *testing.T) {
	db, url := openPostgresTemp(t)
	ctx := context.Background()
	var open []string
	for _, st := range []pairing.State{pairing.Proposed, pairing.Done, pairing.Accepted, pairing.Cancelled} {
		s := testSession(t)
		s.State = st
		if st == pairing.Done {
			s.DoneAt = t0
		}
		if !st.Final() {
			open = append(open, s.ID)
		}
		if err := db.Update(func(tx *Tx) error { return tx.PutSession(s) }); err != nil {
			t.Fatal(err)
		}
	}
	v5, err := pgSchema.ReadFile("pgschema/005_open_sessions.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.pg.pool.Exec(ctx, "DROP INDEX IF EXISTS pollen_open_sessions; "+string(v5)+"; DELETE FROM pollen_sql_migrations WHERE version > 5"); err != nil {
		t.Fatal(err)
	}
	if got := openIDs(t, db); len(got) != 0 {
		t.Fatalf("at version 5 the rows are gone, yet open %q", got)
	}
	db.Close()
	again, err := Open(url, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := openIDs(t, again); !slices.Equal(got, open) {
		t.Errorf("after 006 open %q, want %q", got, open)
	}
	var n int
	if err := again.pg.pool.QueryRow(ctx, "SELECT count(*) FROM pg_indexes WHERE indexname = 'pollen_open_sessions'").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d partial indexes left (%v), want none", n, err)
	}
}
