package engine

import (
	"context"
	"testing"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
)

// Replicas compare the holds on claimed outbox items on the database
// server's clock, not their own (review finding 10): a replica whose
// clock runs a minute ahead does not take a 30 s hold another replica
// just made for run out, and is told the item is due when the hold runs
// out, on its own clock; one whose clock runs a minute behind claims an
// item whose hold (1 s) ran out by the server's. The claimer is told its
// hold on its own clock.
func TestClaimHoldsAreOnTheDatabasesClock(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hold   time.Duration
		off    time.Duration // the second replica's clock, from the server's
		wait   time.Duration // how long after the first claim it claims
		claims bool
	}{
		{"a clock a minute ahead, within the hold", 30 * time.Second, time.Minute, 0, false},
		{"a clock that agrees, within the hold", 30 * time.Second, 0, 0, false},
		{"a clock a minute behind, after the hold", time.Second, -time.Minute, 1500 * time.Millisecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, url := openPostgresTemp(t)
			var dbs [2]*DB
			for i := range dbs {
				db, err := Open(url, Options{Timeout: 10 * time.Second, ClaimHold: tc.hold})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			ctx := context.Background()
			t0 := time.Now()
			item := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"UA"}, CreatedAt: t0}
			if _, err := dbs[0].Apply(ctx, func(store.Reader) (store.Change, error) {
				return store.Change{Outbox: []outbox.Item{item}}, nil
			}); err != nil {
				t.Fatal(err)
			}
			first, err := dbs[0].ClaimDue(ctx, t0, 10)
			if err != nil || len(first.Items) != 1 {
				t.Fatalf("first claim: %d items, %v", len(first.Items), err)
			}
			if want := t0.Add(tc.hold); !first.HeldUntil.Equal(want) {
				t.Errorf("held until %s on the claimer's clock, want %s", first.HeldUntil, want)
			}
			time.Sleep(tc.wait)
			localClock = func() time.Time { return time.Now().Add(tc.off) } // the second replica's
			t.Cleanup(func() { localClock = time.Now })
			second, err := dbs[1].ClaimDue(ctx, localClock(), 10)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(second.Items) == 1; got != tc.claims {
				t.Fatalf("the second replica claimed the item: %v, want %v", got, tc.claims)
			}
			if !tc.claims {
				// Due when the hold runs out, told on the second replica's clock.
				if want := t0.Add(tc.hold + tc.off); second.Next.Sub(want).Abs() > clockTolerance {
					t.Errorf("told the item is due at %s on its clock, want about %s", second.Next, want)
				}
			}
		})
	}
}

// A retry's time, which the replica that settles it gives on its own
// clock (Slack's Retry-After, a backoff), is kept on the server's: a
// replica whose clock runs a minute behind asks for 30 s, and a replica in
// step with the server does not find the item due at once.
func TestASettledRetryWaitsOnTheDatabasesClock(t *testing.T) {
	db, _ := openPostgresTemp(t)
	ctx := context.Background()
	item := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"UA"}, CreatedAt: time.Now()}
	if _, err := db.Apply(ctx, func(store.Reader) (store.Change, error) {
		return store.Change{Outbox: []outbox.Item{item}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	localClock = func() time.Time { return time.Now().Add(-time.Minute) } // the settling replica's
	t.Cleanup(func() { localClock = time.Now })
	behind := localClock()
	cl, err := db.ClaimDue(ctx, behind, 10)
	if err != nil || len(cl.Items) != 1 {
		t.Fatalf("claim: %d items, %v", len(cl.Items), err)
	}
	retry := cl.Items[0]
	retry.NotBefore, retry.LastError = behind.Add(30*time.Second), "ratelimited"
	if err := db.Settle(ctx, store.Settlement{Retry: []outbox.Item{retry}}); err != nil {
		t.Fatal(err)
	}
	localClock = time.Now
	now := time.Now()
	again, err := db.ClaimDue(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Items) != 0 {
		t.Fatal("the retry was due at once for a replica in step with the server: its 30 s were counted on a clock a minute behind")
	}
	if want := now.Add(30 * time.Second); again.Next.Sub(want).Abs() > clockTolerance {
		t.Errorf("the retry is due at %s, want about %s", again.Next, want)
	}
}
