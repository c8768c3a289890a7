package engine

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
)

// ClaimDue sets aside a record that does not decode (kept, in its own
// bucket), reports it once, and claims the rest; the conformance suite
// (storetest) holds the other promises of the outbox's operations.
func TestClaimDueSetsAsideWhatDoesNotDecode(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	good := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U1"}, CreatedAt: t0}
	if _, err := db.Apply(ctx, func(store.Reader) (store.Change, error) { return store.Change{Outbox: []outbox.Item{good}}, nil }); err != nil {
		t.Fatal(err)
	}
	bad := uuid.MustParse(store.NewID())
	if err := db.PutRaw(ctx, "outbox", bad[:], []byte(`{"kind": 42`)); err != nil {
		t.Fatal(err)
	}
	cl, err := db.ClaimDue(ctx, t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.SetAside) != 1 || len(cl.Items) != 1 || cl.Items[0].ID != good.ID {
		t.Fatalf("claim = %+v, want the good item and one record set aside", cl)
	}
	if cl, err = db.ClaimDue(ctx, t0, 10); err != nil || len(cl.SetAside) != 0 {
		t.Errorf("second claim set aside %v (%v), want nothing: it was moved", cl.SetAside, err)
	}
	if err := db.Snapshot(ctx, func(r store.Reader) error {
		if r.SetAsideCount() != 1 {
			t.Errorf("%d records set aside, want 1 (kept)", r.SetAsideCount())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A sender whose claim ran out while it worked (Slack slow) and was taken
// by another replica does not undo that replica's work when it settles:
// an item the other sent stays gone (put back, it would be sent twice),
// and an item the other holds keeps the other's claim. On bbolt one
// process sends, but Settle keeps the same rule.
func TestSettleDoesNotUndoALaterClaim(t *testing.T) {
	for _, backend := range []string{"bbolt", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			var a, b *DB
			if backend == "bbolt" {
				a = openTemp(t)
				b = a
			} else {
				var url string
				a, url = openPostgresTemp(t)
				var err error
				if b, err = Open(url, Options{Timeout: 10 * time.Second}); err != nil {
					t.Fatal(err)
				}
				defer b.Close()
			}
			ctx := context.Background()
			sent := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U1"}, CreatedAt: t0}
			held := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U2"}, CreatedAt: t0}
			if _, err := a.Apply(ctx, func(store.Reader) (store.Change, error) {
				return store.Change{Outbox: []outbox.Item{sent, held}}, nil
			}); err != nil {
				t.Fatal(err)
			}
			mine, err := a.ClaimDue(ctx, t0, 10)
			if err != nil || len(mine.Items) != 2 {
				t.Fatalf("a's claim: %+v %v", mine, err)
			}
			later := t0.Add(claimLease + time.Second) // a's hold ran out
			theirs, err := b.ClaimDue(ctx, later, 10)
			if err != nil || len(theirs.Items) != 2 {
				t.Fatalf("b's claim after a's hold: %+v %v", theirs, err)
			}
			var bSent store.Settlement
			for _, it := range theirs.Items {
				if it.ID == sent.ID {
					bSent.Sent = append(bSent.Sent, store.Delivered{Item: it, Ref: outbox.MessageRef{Channel: "D1", TS: "1.1"}})
				}
			}
			if err := b.Settle(ctx, bSent); err != nil {
				t.Fatal(err)
			}
			// a hits a 429 before its first send: both go back with their
			// attempt given back (as the sender's settlement does).
			var aBack store.Settlement
			for _, it := range mine.Items {
				it.Attempts--
				it.NotBefore = t0.Add(time.Second)
				aBack.Retry = append(aBack.Retry, it)
			}
			if err := a.Settle(ctx, aBack); err != nil {
				t.Fatal(err)
			}
			err = a.Snapshot(ctx, func(r store.Reader) error {
				if _, ok, err := r.OutboxItem(sent.ID); err != nil || ok {
					t.Errorf("the item b sent is in the outbox again (%v): it would be sent twice", err)
				}
				cur, ok, err := r.OutboxItem(held.ID)
				if err != nil || !ok || cur.Attempts != 2 {
					t.Errorf("the item b holds: %+v %v %v, want b's claim (attempt 2) kept", cur, ok, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
