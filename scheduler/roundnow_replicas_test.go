package scheduler

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// On PostgreSQL /pair round now runs on whichever replica Slack hands the
// command to, without the leader's fence (cmd_run.go schedulerLink.roundNow).
// That is safe because the round's key is read and written in the one
// serializable transaction that saves the plan (engine.DB.SavePlan): two
// replicas that both found the week's round not done, and both planned it,
// cannot both save it. Here two replicas' loops (each its own connection
// pool) are held, after the check that the round is not done and after
// planning, until both are there, and then save at the same moment: the
// leader's fenced scheduled tick against a follower's /pair round now, and
// two followers' /pair round now. The week has one round, its sessions
// once and one proposal each, nobody in two.
func TestRoundNowOnAFollowerRacesTheLeadersRoundAndPlansItOnce(t *testing.T) {
	srv := pgtest.Start(t)
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // the default schedule's round 2026-W49
	fenced := func(t *testing.T, db *engine.DB) context.Context {
		f, ok, err := db.Lead(context.Background(), "leader", time.Minute)
		if err != nil || !ok {
			t.Fatalf("lead: %v, %v", ok, err)
		}
		return store.WithFence(context.Background(), f)
	}
	tick := func(t *testing.T, l *Loop, db *engine.DB) error { return l.Tick(fenced(t, db)) }
	roundNow := func(_ *testing.T, l *Loop, _ *engine.DB) error {
		_, err := l.RoundNow(context.Background())
		return err
	}
	type run func(*testing.T, *Loop, *engine.DB) error
	for _, tc := range []struct {
		name string
		a, b run
	}{
		{"the leader's tick and /pair round now on a follower", tick, roundNow},
		{"/pair round now on two followers", roundNow, roundNow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := srv.NewDatabase(t)
			arrived := make(chan struct{}, 2)
			release := make(chan struct{})
			// Both loops' planning waits here, between the check that the
			// round is not done and the save, until both have come.
			meet := func(context.Context, []string, []string) map[string]string {
				arrived <- struct{}{}
				select {
				case <-release:
				case <-time.After(10 * time.Second):
					t.Error("the other replica never came to plan the round")
				}
				return nil
			}
			var dbs [2]*engine.DB
			var loops [2]*Loop
			for i := range dbs {
				db, err := engine.Open(url, engine.Options{Timeout: 10 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
				loops[i] = NewLoop(db, nil, func() time.Time { return monday }, slog.New(slog.NewTextHandler(io.Discard, nil)), WithAway(meet))
			}
			seedPairs(t, dbs[0], monday, 8)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, r := range []run{tc.a, tc.b} {
				wg.Add(1)
				go func() { defer wg.Done(); errs[i] = r(t, loops[i], dbs[i]) }()
			}
			<-arrived
			<-arrived
			close(release)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("replica %d: %v", i, err)
				}
			}
			var round pairing.Round
			var sessions []pairing.Session
			var items []outbox.Item
			if err := dbs[0].Snapshot(context.Background(), func(r store.Reader) (err error) {
				if round, err = r.Round("2026-W49"); err != nil {
					return err
				}
				if sessions, err = r.Sessions(); err != nil {
					return err
				}
				items, err = r.Outbox()
				return err
			}); err != nil {
				t.Fatal(err)
			}
			proposals := 0
			for _, it := range items {
				if it.Kind == outbox.Proposal {
					proposals++
				}
			}
			if len(sessions) == 0 || len(sessions) != len(round.SessionIDs) || proposals != len(sessions) {
				t.Errorf("%d sessions, %d in the round, %d proposals queued; want one round's: as many of each",
					len(sessions), len(round.SessionIDs), proposals)
			}
			seen := map[string]bool{}
			for _, s := range sessions {
				for _, p := range s.Participants() {
					if seen[p] {
						t.Errorf("%s is in two sessions of the week", p)
					}
					seen[p] = true
				}
			}
		})
	}
}

// seedPairs saves n people, half of whom own a project of their own, for
// the planner to pair.
func seedPairs(t *testing.T, db *engine.DB, now time.Time, n int) {
	t.Helper()
	var c store.Change
	for i := range n {
		id := "U" + string(rune('A'+i))
		c.People = append(c.People, pairing.NewPerson(id, id, "UTC", now.AddDate(0, -1, 0)))
		if i%2 == 0 {
			name := "project-" + strings.ToLower(id)
			c.Projects = append(c.Projects, pairing.Project{Name: name, Owners: []string{id}})
			c.Events = append(c.Events, pairing.Event{ID: store.NewID(), At: now.AddDate(0, 0, -30), Kind: pairing.EventOwner, Project: name, Person: id})
		}
	}
	save(t, db, c)
}
