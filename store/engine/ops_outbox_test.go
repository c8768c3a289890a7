package engine

import (
	"context"
	"testing"

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
