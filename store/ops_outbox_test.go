package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pollen-team/pollen/outbox"
)

// outboxOf reads every unsent item.
func outboxOf(t *testing.T, db *DB) []outbox.Item {
	t.Helper()
	var items []outbox.Item
	if err := db.Snapshot(context.Background(), func(r Reader) (err error) { items, err = r.Outbox(); return err }); err != nil {
		t.Fatal(err)
	}
	return items
}

func TestQueueOnceQueuesEachJobOnce(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	retro := outbox.Item{ID: NewID(), Kind: outbox.Retro, SessionID: NewID(), Users: []string{"U1"}, CreatedAt: t0}
	jobs := []Job{
		{Run: Run{Key: "retro/a", At: t0}, Item: &retro},
		{Run: Run{Key: "headsup/2026-W49/U2", At: t0, Result: "no heads-up: biweekly off week"}}, // nothing to send, decided
	}
	n, err := db.QueueOnce(ctx, jobs)
	if err != nil || n != 1 {
		t.Fatalf("first QueueOnce = %d, %v; want 1 queued", n, err)
	}
	again := outbox.Item{ID: NewID(), Kind: outbox.Retro, SessionID: retro.SessionID, CreatedAt: t0}
	n, err = db.QueueOnce(ctx, []Job{{Run: Run{Key: "retro/a", At: t0}, Item: &again}, jobs[1]})
	if err != nil || n != 0 {
		t.Fatalf("second QueueOnce = %d, %v; want nothing queued", n, err)
	}
	items := outboxOf(t, db)
	if len(items) != 1 || items[0].ID != retro.ID {
		t.Errorf("outbox %+v, want only the first retro", items)
	}
	if err := db.Snapshot(ctx, func(r Reader) error {
		for _, j := range jobs {
			if !r.Done(j.Run.Key) {
				t.Errorf("key %s not marked done", j.Run.Key)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestClaimDueCountsAnAttemptOnWhatIsDue(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := t0
	var due []outbox.Item
	for i := range 3 {
		due = append(due, outbox.Item{ID: NewID(), Kind: outbox.Notice, Users: []string{"U1"}, CreatedAt: now, Attempts: i})
	}
	later := outbox.Item{ID: NewID(), Kind: outbox.Notice, Users: []string{"U2"}, CreatedAt: now, NotBefore: now.Add(time.Minute)}
	soon := outbox.Item{ID: NewID(), Kind: outbox.Notice, Users: []string{"U3"}, CreatedAt: now, NotBefore: now.Add(30 * time.Second)}
	if _, err := db.Apply(ctx, func(Reader) (Change, error) {
		return Change{Outbox: append(slices.Clone(due), later, soon)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	cl, err := db.ClaimDue(ctx, now, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Items) != 2 || cl.Items[0].ID != due[0].ID || cl.Items[1].ID != due[1].ID {
		t.Fatalf("claimed %+v, want the two oldest due items", cl.Items)
	}
	if !cl.Next.Equal(soon.NotBefore) || len(cl.SetAside) != 0 {
		t.Errorf("next %v, set aside %v; want %v and none", cl.Next, cl.SetAside, soon.NotBefore)
	}
	// The attempts are committed before anything is sent.
	for _, item := range outboxOf(t, db) {
		want := 0
		switch item.ID {
		case due[0].ID:
			want = 1
		case due[1].ID:
			want = 2
		case due[2].ID:
			want = 2 // not claimed: beyond the limit
		}
		if item.Attempts != want {
			t.Errorf("item %s: %d attempts stored, want %d", item.ID, item.Attempts, want)
		}
	}
	// A claim is no lease: until settled, an item is due again.
	cl, err = db.ClaimDue(ctx, now.Add(time.Minute), 10)
	if err != nil || len(cl.Items) != 5 || !cl.Next.IsZero() {
		t.Errorf("claim once every wait ended = %d items, next %v, %v; want all 5, none waiting", len(cl.Items), cl.Next, err)
	}
	if _, err := db.ClaimDue(canceled(), now, 10); err == nil {
		t.Error("a claim with a done context went ahead")
	}
}

func TestClaimDueSetsAsideWhatDoesNotDecode(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	good := outbox.Item{ID: NewID(), Kind: outbox.Notice, Users: []string{"U1"}, CreatedAt: t0}
	if _, err := db.Apply(ctx, func(Reader) (Change, error) { return Change{Outbox: []outbox.Item{good}}, nil }); err != nil {
		t.Fatal(err)
	}
	bad := uuid.MustParse(NewID())
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
	if err := db.Snapshot(ctx, func(r Reader) error {
		if r.SetAsideCount() != 1 {
			t.Errorf("%d records set aside, want 1 (kept)", r.SetAsideCount())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestSettleRecordsWhatWentOutAndKeepsTheRest(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	sent := outbox.Item{ID: NewID(), Kind: outbox.Proposal, SessionID: NewID(), Users: []string{"U1", "U2"}, CreatedAt: t0, Attempts: 1}
	dropped := outbox.Item{ID: NewID(), Kind: outbox.Retro, SessionID: NewID(), Users: []string{"U1"}, CreatedAt: t0, Attempts: 1}
	failed := outbox.Item{ID: NewID(), Kind: outbox.Notice, Users: []string{"U3"}, CreatedAt: t0, Attempts: 1}
	if _, err := db.Apply(ctx, func(Reader) (Change, error) {
		return Change{Outbox: []outbox.Item{sent, dropped, failed}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	failed.NotBefore, failed.LastError = t0.Add(time.Second), "boom"
	ref := outbox.MessageRef{Channel: "D1", TS: "1.0", SentAt: t0}
	if err := db.Settle(ctx, Settlement{
		Sent:  []Delivered{{Item: sent, Ref: ref}, {Item: dropped}},
		Retry: []outbox.Item{failed},
	}); err != nil {
		t.Fatal(err)
	}
	items := outboxOf(t, db)
	if len(items) != 1 || items[0].ID != failed.ID || items[0].LastError != "boom" || !items[0].NotBefore.Equal(failed.NotBefore) {
		t.Errorf("outbox %+v, want only the failed item with its retry", items)
	}
	if err := db.Snapshot(ctx, func(r Reader) error {
		if got, ok, err := r.Message(sent.SessionID, outbox.Proposal); err != nil || !ok || got.TS != "1.0" {
			t.Errorf("message of the sent item = %+v, %v, %v", got, ok, err)
		}
		if _, ok, err := r.Message(dropped.SessionID, outbox.Retro); err != nil || ok {
			t.Errorf("a dropped item has a message reference (%v, %v)", ok, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
