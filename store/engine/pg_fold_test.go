package engine

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/store"
)

// pgCommitRows is the number of pollen_commits rows and their sum.
func pgCommitRows(t *testing.T, db *DB) (rows, sum int64) {
	t.Helper()
	err := db.pg.pool.QueryRow(context.Background(), "SELECT count(*), coalesce(sum(n), 0)::bigint FROM pollen_commits").Scan(&rows, &sum)
	if err != nil {
		t.Fatal(err)
	}
	return rows, sum
}

// pgVersion is the store's version as a snapshot sees it.
func pgVersion(t *testing.T, db *DB) uint64 {
	t.Helper()
	var v uint64
	if err := db.SnapshotStat(context.Background(), func(s store.Stat, _ store.Reader) error { v = s.Version; return nil }); err != nil {
		t.Fatal(err)
	}
	return v
}

// Two replicas writing at once keep the commit rows few (they are folded
// as they go) while the version stays exact, one per write, and never
// goes back for a reader watching it.
func TestPostgresCommitRowsAreFolded(t *testing.T) {
	a, url := openPostgresTemp(t)
	b, err := Open(url, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx := context.Background()
	before := pgVersion(t, a)
	const perReplica = 2 * pgFoldEvery
	var wg sync.WaitGroup
	errs := make(chan error, 2*perReplica+1)
	for r, db := range []*DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perReplica {
				_, err := db.Apply(ctx, func(store.Reader) (store.Change, error) {
					return store.Change{Done: []store.Run{{Key: fmt.Sprint("job/", r, "/", i), At: t0}}}, nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	watched := make(chan int, 1)
	go func() { // a reader: the version never goes back
		last, n := uint64(0), 0
		defer func() { watched <- n }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			var v uint64
			if err := a.SnapshotStat(ctx, func(s store.Stat, _ store.Reader) error { v = s.Version; return nil }); err != nil {
				errs <- err
				return
			}
			if v < last {
				errs <- fmt.Errorf("version went back from %d to %d", last, v)
				return
			}
			last, n = v, n+1
		}
	}()
	wg.Wait()
	close(stop)
	t.Logf("the reader saw %d versions", <-watched)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, want := pgVersion(t, a), before+2*perReplica; got != want {
		t.Errorf("version = %d after %d writes from %d, want %d", got, 2*perReplica, before, want)
	}
	rows, sum := pgCommitRows(t, a)
	if rows > pgFoldEvery+2 {
		t.Errorf("%d pollen_commits rows after %d writes: not folded", rows, 2*perReplica)
	}
	if uint64(sum) != before+2*perReplica {
		t.Errorf("the rows sum to %d, want %d", sum, before+2*perReplica)
	}
}

// A database made before the fold (SQL schema version 3), with a long
// history of commit rows, upgrades at open: its rows fold into one with
// the same sum, and the records' bucket foreign key is gone.
func TestPostgresUpgradeFoldsTheCommitRows(t *testing.T) {
	url := pgtest.Shared(t).NewDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	names, err := fs.Glob(pgSchema, "pgschema/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	if _, err := conn.Exec(ctx, `CREATE TABLE pollen_sql_migrations (
		version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		t.Fatal(err)
	}
	for i, name := range names[:3] {
		sql, err := pgSchema.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, string(sql)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := conn.Exec(ctx, "INSERT INTO pollen_sql_migrations (version, name) VALUES ($1, $2)", i+1, name); err != nil {
			t.Fatal(err)
		}
	}
	const history = 500
	if _, err := conn.Exec(ctx, "INSERT INTO pollen_commits (n) SELECT 1 FROM generate_series(1, $1)", history); err != nil {
		t.Fatal(err)
	}
	db, err := openPostgres(url, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if rows, sum := pgCommitRows(t, db); rows != 1 || sum != history {
		t.Errorf("after the upgrade: %d rows summing to %d, want 1 summing to %d", rows, sum, history)
	}
	var fks int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'pollen_records'::regclass AND contype = 'f'").Scan(&fks); err != nil {
		t.Fatal(err)
	}
	if fks != 0 {
		t.Errorf("pollen_records has %d foreign keys after the upgrade, want none", fks)
	}
}
