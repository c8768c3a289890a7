package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/scheduler"
	"github.com/pollen-team/pollen/store/engine"
)

// A leader that cannot reach the database to renew its lease stops its
// scheduler before the lease can run out, never after: another replica
// may lead as soon as it has. PostgreSQL is killed (every call fails at
// once), or frozen (every call waits: each is given a third of the lease),
// under a leader with a 3 s lease checked every second; the check that
// stops it must come less than 3 s after the last renewal (it came at 4 s
// when it waited for the whole lease to pass unrenewed).
func TestLeaderStopsBeforeItsLeaseCanLapse(t *testing.T) {
	old := leaderTTL
	leaderTTL = 3 * time.Second
	defer func() { leaderTTL = old }()
	for _, tc := range []struct {
		name string
		fail func(*pgtest.Server, testing.TB)
	}{
		{"killed", (*pgtest.Server).Kill},
		{"frozen", (*pgtest.Server).Freeze},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := pgtest.Start(t) // its own server: the test stops it answering
			url := srv.URL("postgres")
			db, err := engine.Open(url, engine.Options{Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			// Closed after a frozen server is thawed (cleanups run last
			// first): the pool waits up to 15 s for each connection it
			// closes on a server that does not answer (pgxpool).
			t.Cleanup(func() { db.Close() })
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			a := newApp(config.Config{DB: url}, db, log, time.Now)
			var ended bool
			l := &leadership{db: db, holder: "test-leader", log: log,
				start: func(ctx context.Context) (*scheduler.Cron, error) {
					c := scheduler.NewCron(db, a.loop, log)
					return c, c.Start(ctx)
				},
				stopped: func() { ended = true }}
			ctx := context.Background()
			cur, err := l.begin(ctx, nil)
			if err != nil || cur == nil || !l.Leading() {
				t.Fatalf("the only replica does not lead: %v", err)
			}
			renewed := cur.renewed
			tc.fail(srv, t)
			for cur != nil {
				time.Sleep(leaderTTL / 3)
				checked := make(chan struct{})
				go func(prev *term) { defer close(checked); cur, err = l.begin(ctx, prev) }(cur)
				select {
				case <-checked:
				case <-time.After(2 * leaderTTL):
					t.Fatalf("a check of the lease still waits for the database after %s", 2*leaderTTL)
				}
				if err != nil {
					t.Fatal(err)
				}
				if cur != nil && cur.renewed != renewed {
					t.Fatal("the lease was renewed on a server that does not answer")
				}
			}
			if since := time.Since(renewed); since >= leaderTTL {
				t.Errorf("the scheduler stopped %s after the last renewal: the lease (%s) may have passed to another replica by then", since.Round(time.Millisecond), leaderTTL)
			}
			if l.Leading() || !ended {
				t.Errorf("after stopping: leading %v, term ended %v", l.Leading(), ended)
			}
		})
	}
}
