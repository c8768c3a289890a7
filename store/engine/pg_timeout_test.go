package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// A server that stops answering on open pooled connections (frozen:
// SIGSTOP) fails each store call after the call timeout, or when the
// caller's context ends if that is sooner, instead of holding the caller
// until the kernel gives the connection up.
func TestAFrozenServerFailsCallsWithinTheirBound(t *testing.T) {
	srv := pgtest.Start(t)
	url := srv.NewDatabase(t)
	open := func(callTimeout time.Duration) *DB {
		db, err := Open(url, Options{Timeout: 5 * time.Second, CallTimeout: callTimeout})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() }) // after the thaw (cleanups run last first)
		return db
	}
	short, long := open(time.Second), open(time.Minute)
	ctx := context.Background()
	join := func(r store.Reader) (store.Change, error) {
		return store.Change{People: []pairing.Person{pairing.NewPerson("U1", "Ada", "UTC", t0)}}, nil
	}
	for _, db := range []*DB{short, long} { // connections in the pools
		if _, err := db.Apply(ctx, join); err != nil {
			t.Fatal(err)
		}
	}
	srv.Freeze(t)

	// within is how long a call may take past its bound: pgx gives up on
	// a connection one second after its context ends.
	const within = 4 * time.Second
	calls := []struct {
		name  string
		db    *DB
		ctx   func() (context.Context, context.CancelFunc)
		call  func(ctx context.Context, db *DB) error
		bound time.Duration
	}{
		{"snapshot, call timeout", short, background, func(ctx context.Context, db *DB) error { _, err := db.LoadTeam(ctx); return err }, time.Second},
		{"apply, call timeout", short, background, func(ctx context.Context, db *DB) error { _, err := db.Apply(ctx, join); return err }, time.Second},
		{"ping, call timeout", short, background, func(_ context.Context, db *DB) error { return db.Ping() }, time.Second},
		{"routing, call timeout", short, background, func(ctx context.Context, db *DB) error { _, _, err := db.Routing(ctx, "U1"); return err }, time.Second},
		{"claim, call timeout", short, background, func(ctx context.Context, db *DB) error { _, err := db.ClaimDue(ctx, t0, 10); return err }, time.Second},
		{"snapshot, caller's deadline", long, halfSecond, func(ctx context.Context, db *DB) error { _, err := db.LoadTeam(ctx); return err }, time.Second / 2},
		{"session update, caller's deadline", long, halfSecond, func(ctx context.Context, db *DB) error {
			_, err := db.UpdateSession(ctx, "00000000-0000-0000-0000-000000000001", func(*pairing.Session, store.Reader) (store.Change, error) { return store.Change{}, nil })
			return err
		}, time.Second / 2},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := c.ctx()
			defer cancel()
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- c.call(ctx, c.db) }()
			select {
			case err := <-done:
				took := time.Since(start)
				if err == nil {
					t.Fatal("a call to a frozen server succeeded")
				}
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("error %q does not wrap context.DeadlineExceeded", err)
				}
				if c.db == short && !strings.Contains(err.Error(), "did not answer within 1s") {
					t.Errorf("error %q does not say the database did not answer in time", err)
				}
				if took < c.bound || took > c.bound+within {
					t.Errorf("the call returned after %s, bound %s", took.Round(time.Millisecond), c.bound)
				}
			case <-time.After(c.bound + 2*within):
				t.Fatalf("the call still waits %s after it began", c.bound+2*within)
			}
		})
	}
	srv.Thaw(t)
	if _, err := short.LoadTeam(ctx); err != nil {
		t.Fatalf("after the thaw: %v", err)
	}
}

func background() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

func halfSecond() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Second/2)
}

// A replica that starts while another holds the migration lock (migrating
// the database) waits for it, past the connect timeout, and starts once
// the lock is free; one whose wait runs out says what it waited for.
func TestOpenWaitsForAnotherProcesssMigration(t *testing.T) {
	url := pgtest.Shared(t).NewDatabase(t)
	first, err := Open(url, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	ctx := context.Background()
	holder, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	lock := func() {
		t.Helper()
		if _, err := holder.Exec(ctx, "SELECT pg_advisory_lock($1)", pgLockMigrate); err != nil {
			t.Fatal(err)
		}
	}
	unlock := func() {
		t.Helper()
		if _, err := holder.Exec(ctx, "SELECT pg_advisory_unlock($1)", pgLockMigrate); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("the lock is released", func(t *testing.T) {
		lock()
		released := make(chan error, 1)
		go func() {
			time.Sleep(1500 * time.Millisecond)
			_, err := holder.Exec(ctx, "SELECT pg_advisory_unlock($1)", pgLockMigrate)
			released <- err
		}()
		db, err := Open(url, Options{Timeout: 500 * time.Millisecond, MigrateWait: 20 * time.Second})
		if uerr := <-released; uerr != nil {
			t.Fatal(uerr)
		}
		if err != nil {
			t.Fatalf("a replica starting while another migrates failed to start: %v", err)
		}
		db.Close()
	})
	t.Run("the wait runs out", func(t *testing.T) {
		lock()
		defer unlock()
		start := time.Now()
		db, err := Open(url, Options{Timeout: 500 * time.Millisecond, MigrateWait: time.Second})
		if err == nil {
			db.Close()
			t.Fatal("opened while another process held the migration lock")
		}
		if !strings.Contains(err.Error(), "waited 1s for the migration lock") {
			t.Errorf("the error does not say what it waited for: %v", err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("the wait took %s, bound 1s", took.Round(time.Millisecond))
		}
	})
}
