package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/pollen-team/pollen/pairing"
)

// Migration 005 creates the partial index with pg_open.go's predicate,
// word for word: a final state added to pairing, or an edit on one side
// only, fails here rather than leaving the queries without their index or
// the index listing closed sessions.
func TestPgOpenPredicateIsTheMigrations(t *testing.T) {
	sql, err := pgSchema.ReadFile("pgschema/005_open_sessions.sql")
	if err != nil {
		t.Fatal(err)
	}
	if want := "WHERE " + pgOpenPredicate + ";"; !strings.Contains(string(sql), want) {
		t.Errorf("migration 005 does not create the index with\n%s", want)
	}
}

// On PostgreSQL the open-sessions index is the sessions whose record says
// no final state (pg_open.go): no row is stored for it, the read uses the
// partial index, a note that quotes a state does not close its session,
// and a record that does not decode is listed (and fails the read) as
// bbolt's index would list it.
func TestPostgresOpenSessionsAreNotStored(t *testing.T) {
	db, _ := openPostgresTemp(t)
	ctx := context.Background()
	var open []string
	for _, st := range []pairing.State{pairing.Proposed, pairing.Done, pairing.Accepted, pairing.Skipped, pairing.Cancelled, pairing.Proposed} {
		s := testSession(t)
		s.State = st
		if st == pairing.Done {
			s.DoneAt = t0
		}
		if len(open) == 2 {
			s.Note = `she wrote "state":"done" in the note`
		}
		if !st.Final() {
			open = append(open, s.ID)
		}
		if err := db.Update(func(tx *Tx) error { return tx.PutSession(s) }); err != nil {
			t.Fatal(err)
		}
	}
	if got := openIDs(t, db); !slices.Equal(got, open) {
		t.Fatalf("open %q, want %q", got, open)
	}
	var rows int
	if err := db.pg.pool.QueryRow(ctx, "SELECT count(*) FROM pollen_records WHERE bucket = $1", bucketOpen).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("%d rows stored in open_sessions (%v), want none", rows, err)
	}
	err := pgx.BeginFunc(ctx, db.pg.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return err
		}
		var plan []string
		rows, err := tx.Query(ctx, "EXPLAIN SELECT key, value FROM pollen_records WHERE "+pgOpenPredicate+" ORDER BY key")
		if err == nil {
			plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
		}
		if err == nil && !strings.Contains(strings.Join(plan, "\n"), "pollen_open_sessions") {
			t.Errorf("the open sessions' read does not use the partial index:\n%s", strings.Join(plan, "\n"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx *Tx) error {
		if n := tx.tx.Bucket(bucketOpen).KeyN(); n != len(open) {
			t.Errorf("KeyN %d, want %d", n, len(open))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	damaged := uuid.Must(uuid.NewV7())
	if _, err := db.pg.pool.Exec(ctx, "INSERT INTO pollen_records (bucket, key, value) VALUES ($1, $2, $3)", bucketSessions, damaged[:], []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *Tx) error {
		if tx.tx.Bucket(bucketOpen).Get(damaged[:]) == nil {
			t.Error("the damaged session is not in the index")
		}
		_, err := tx.OpenSessions()
		return err
	})
	if err == nil {
		t.Error("OpenSessions read a damaged open session without an error")
	}
}
