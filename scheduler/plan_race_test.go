package scheduler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// A change a person commits while the round is being planned (between the
// read of the team and the write of the plan; here, while the loop asks
// Slack about statuses) is honoured by the round: nobody who left, paused
// or skipped it is proposed a session, and nobody is paired with someone
// they avoid. Without any change, the same team gets the pair, so each case
// shows the change made the difference.
func TestAChangeMadeWhileTheRoundIsPlannedIsHonoured(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // the default schedule's round 2026-W49
	tests := []struct {
		name   string
		change func(ana, bo *pairing.Person) // what the bot commits for the click or command
		paired bool                          // whether Ana and Bo are proposed a session
	}{
		{"no change", func(_, _ *pairing.Person) {}, true},
		{"/pair leave", func(_, bo *pairing.Person) { bo.Status, bo.PausedUntil = pairing.Left, time.Time{} }, false},
		{"/pair avoid", func(ana, _ *pairing.Person) { ana.Avoid = append(ana.Avoid, "UBO") }, false},
		{"Pause 4 weeks", func(_, bo *pairing.Person) {
			bo.Status, bo.PausedUntil, bo.StayedInAt = pairing.Paused, monday.AddDate(0, 0, 28), monday
		}, false},
		{"heads-up Skip this round", func(_, bo *pairing.Person) { bo.SkipRounds = append(bo.SkipRounds, "2026-W49") }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := monday
			changed := false
			loop, db, _ := testLoop(t, &now, func(db *engine.DB) Option {
				return WithAway(func(context.Context, []string, []string) map[string]string {
					if !changed { // once: the window between the read and the write
						changed = true
						if _, err := db.Apply(context.Background(), func(r store.Reader) (store.Change, error) {
							ana, err := r.Person("UANA")
							if err != nil {
								return store.Change{}, err
							}
							bo, err := r.Person("UBO")
							if err != nil {
								return store.Change{}, err
							}
							tc.change(&ana, &bo)
							return store.Change{People: []pairing.Person{ana, bo}}, nil
						}); err != nil {
							t.Error(err)
						}
					}
					return nil
				})
			})
			seedPair(t, db, monday)
			if err := loop.Tick(context.Background()); err != nil {
				t.Fatal(err)
			}
			if !changed {
				t.Fatal("the loop never asked about statuses: the change was not made in the window")
			}
			var round pairing.Round
			var sessions []pairing.Session
			if err := db.Snapshot(context.Background(), func(r store.Reader) (err error) {
				if round, err = r.Round("2026-W49"); err != nil {
					return err
				}
				sessions, err = r.Sessions()
				return err
			}); err != nil {
				t.Fatalf("the round was not planned: %v", err)
			}
			paired := false
			for _, s := range sessions {
				if slices.Contains(s.Participants(), "UANA") && slices.Contains(s.Participants(), "UBO") {
					paired = true
				}
			}
			if paired != tc.paired {
				t.Errorf("Ana and Bo paired = %v, want %v (round %+v)", paired, tc.paired, round)
			}
		})
	}
}

// seedPair saves two people and a project only Ana knows, so the planner
// proposes that Ana teaches Bo.
func seedPair(t *testing.T, db *engine.DB, now time.Time) {
	t.Helper()
	save(t, db, store.Change{
		People: []pairing.Person{
			pairing.NewPerson("UANA", "Ana", "UTC", now.AddDate(0, -1, 0)),
			pairing.NewPerson("UBO", "Bo", "UTC", now.AddDate(0, -1, 0)),
		},
		Projects: []pairing.Project{{Name: "etl", Owners: []string{"UANA"}}},
		Events:   []pairing.Event{{ID: store.NewID(), At: now.AddDate(0, 0, -30), Kind: pairing.EventOwner, Project: "etl", Person: "UANA"}},
	})
}

// A roster that changes during every attempt fails the tick without
// writing a round planned from a stale roster; the next tick plans it.
func TestARosterThatKeepsChangingIsPlannedAtTheNextTick(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	calls, churn := 0, true
	loop, db, _ := testLoop(t, &now, func(db *engine.DB) Option {
		return WithAway(func(context.Context, []string, []string) map[string]string {
			calls++
			if churn {
				if _, err := db.UpdateMember(context.Background(), "UBO", func(bo *pairing.Person, _ store.Reader) (store.Change, error) {
					bo.Name = fmt.Sprintf("Bo %d", calls)
					return store.Change{}, nil
				}); err != nil {
					t.Error(err)
				}
			}
			return nil
		})
	})
	seedPair(t, db, now)
	planned := func() bool { return done(t, db, "round/2026-W49") }
	if err := loop.Tick(context.Background()); err == nil || !errors.Is(err, errRosterChanged) {
		t.Fatalf("tick while the roster churns: err = %v, want errRosterChanged", err)
	}
	if calls != maxPlanAttempts || planned() {
		t.Fatalf("%d attempts, planned = %v; want %d attempts and no round", calls, planned(), maxPlanAttempts)
	}
	churn = false
	now = now.Add(time.Minute)
	if err := loop.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !planned() {
		t.Error("the next quiet tick did not plan the round")
	}
}
