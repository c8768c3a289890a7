package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/scheduler"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// A schedule changed with /pair config on a replica that led once and
// leads no more reloads nothing there: its term's cron is stopped and
// stays as it was (a reload would schedule wake-ups on it again), and the
// replica that leads now takes the new schedule. Two replicas' leadership
// and apps, wired as `pollen run` wires them, on one PostgreSQL database;
// the first one's lease (1 s) runs out unrenewed and the second takes it.
func TestAScheduleChangedOnAFollowerReloadsNoCron(t *testing.T) {
	old := leaderTTL
	leaderTTL = time.Second
	defer func() { leaderTTL = old }()
	url := pgtest.Shared(t).NewDatabase(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	type replica struct {
		db   *engine.DB
		app  *app
		lead *leadership
	}
	var rs [2]replica
	for i := range rs {
		db, err := engine.Open(url, engine.Options{Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		a := newApp(config.Config{DB: url}, db, log, time.Now)
		rs[i] = replica{db: db, app: a, lead: a.leadership(db, log)}
	}
	schedule := func(spec string) {
		t.Helper()
		if _, err := rs[0].db.UpdateSettings(context.Background(), func(s *pairing.TeamSettings, _ store.Reader) (store.Change, error) {
			s.Schedule = spec
			return store.Change{}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	schedule("0 0 1 1 *")
	ctx := context.Background()
	first, err := rs[0].lead.begin(ctx, nil)
	if err != nil || first == nil {
		t.Fatalf("the first replica does not lead: %v", err)
	}
	now := time.Now()
	stopped := first.cron
	before := stopped.Wakeups(now)
	time.Sleep(leaderTTL + 200*time.Millisecond) // its lease runs out unrenewed
	second, err := rs[1].lead.begin(ctx, nil)
	if err != nil || second == nil {
		t.Fatalf("the second replica does not lead once the first one's lease ran out: %v", err)
	}
	defer rs[1].lead.end(ctx, second, true)
	if cur, err := rs[0].lead.begin(ctx, first); err != nil || cur != nil || rs[0].lead.Leading() {
		t.Fatalf("the first replica leads on: %v, %v", cur, err)
	}

	schedule("30 9 * * 1")
	for _, r := range rs {
		r.app.link.settingsChanged()
	}
	if got := stopped.Wakeups(now); !slices.Equal(got, before) {
		t.Errorf("the replica that no longer leads reloaded its stopped cron: wake-ups %v, were %v", got, before)
	}
	want, err := pairing.ParseSchedule("30 9 * * 1", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	if got := second.cron.Wakeups(now); !slices.Contains(got, want.Next(now).UTC()) {
		t.Errorf("the leader's wake-ups %v, want the new schedule's %v among them", got, want.Next(now).UTC())
	}
}

// A replica that wins the lease but cannot start its scheduler gives the
// lease back at once, so another replica can lead without waiting for it
// to expire (15 s), or for ever, as this one would take it again at each
// look.
func TestAReplicaWhoseSchedulerCannotStartGivesTheLeaseBack(t *testing.T) {
	url := pgtest.Shared(t).NewDatabase(t)
	db, err := engine.Open(url, engine.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l := &leadership{db: db, holder: "broken", log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		start: func(context.Context) (*scheduler.Cron, error) { return nil, errors.New("the schedule cannot be read") }}
	ctx := context.Background()
	if cur, err := l.begin(ctx, nil); err == nil || cur != nil || l.Leading() {
		t.Fatalf("a replica whose scheduler cannot start: term %v, err %v, leading %v", cur, err, l.Leading())
	}
	if _, ok, err := db.Lead(ctx, "other", leaderTTL); err != nil || !ok {
		t.Errorf("another replica cannot lead (%v): the lease is still the broken one's", err)
	}
}
