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
// may lead as soon as it has. PostgreSQL is killed under a leader with a
// 3 s lease checked every second; the check that stops it must come less
// than 3 s after the last renewal (it came at 4 s when it waited for the
// whole lease to pass unrenewed).
func TestLeaderStopsBeforeItsLeaseCanLapse(t *testing.T) {
	old := leaderTTL
	leaderTTL = 3 * time.Second
	defer func() { leaderTTL = old }()
	srv := pgtest.Start(t) // its own server: the test kills it
	url := srv.URL("postgres")
	db, err := engine.Open(url, engine.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
	srv.Kill(t)
	for cur != nil {
		time.Sleep(leaderTTL / 3)
		if cur, err = l.begin(ctx, cur); err != nil {
			t.Fatal(err)
		}
		if cur != nil && cur.renewed != renewed {
			t.Fatal("the lease was renewed on a killed server")
		}
	}
	if since := time.Since(renewed); since >= leaderTTL {
		t.Errorf("the scheduler stopped %s after the last renewal: the lease (%s) may have passed to another replica by then", since.Round(time.Millisecond), leaderTTL)
	}
	if l.Leading() || !ended {
		t.Errorf("after stopping: leading %v, term ended %v", l.Leading(), ended)
	}
}
