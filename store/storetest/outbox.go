package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
)

// Cases of the operations in store/engine/ops_outbox.go.
var outboxCases = []testCase{
	{"QueueOnce queues each job once, with its key", testQueueOnce},
	{"ClaimDue counts an attempt on what is due, oldest first", testClaimDue},
	{"ClaimDue with nothing due writes nothing", testClaimNothingDue},
	{"Settle removes what went out and puts back the rest", testSettle},
}

func outboxOf(t *testing.T, s Store) []outbox.Item {
	t.Helper()
	var items []outbox.Item
	read(t, s, func(r store.Reader) (err error) { items, err = r.Outbox(); return err })
	return items
}

func testQueueOnce(t *testing.T, s Store) {
	ctx := context.Background()
	retro := outbox.Item{ID: store.NewID(), Kind: outbox.Retro, SessionID: store.NewID(), Users: []string{"U1"}, CreatedAt: t0}
	jobs := []store.Job{
		{Run: store.Run{Key: "retro/a", At: t0}, Item: &retro},
		{Run: store.Run{Key: "headsup/2026-W49/U2", At: t0, Result: "no heads-up: biweekly off week"}},
	}
	if n, err := s.QueueOnce(ctx, jobs); err != nil || n != 1 {
		t.Fatalf("QueueOnce = %d, %v; want 1 queued", n, err)
	}
	before := stateOf(t, s)
	again := outbox.Item{ID: store.NewID(), Kind: outbox.Retro, SessionID: retro.SessionID, CreatedAt: t0}
	if n, err := s.QueueOnce(ctx, []store.Job{{Run: store.Run{Key: "retro/a", At: t0}, Item: &again}, jobs[1]}); err != nil || n != 0 {
		t.Fatalf("QueueOnce of done keys = %d, %v; want nothing queued", n, err)
	}
	unchanged(t, s, before, "QueueOnce of done keys")
	items := outboxOf(t, s)
	if len(items) != 1 || items[0].ID != retro.ID {
		t.Errorf("outbox %+v, want only the first retro", items)
	}
	read(t, s, func(r store.Reader) error {
		for _, j := range jobs {
			if !r.Done(j.Run.Key) {
				t.Errorf("key %s not done", j.Run.Key)
			}
		}
		return nil
	})
}

func testClaimDue(t *testing.T, s Store) {
	ctx := context.Background()
	var due []outbox.Item
	for i := range 3 {
		due = append(due, outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U1"}, CreatedAt: t0, Attempts: i})
	}
	later := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U2"}, CreatedAt: t0, NotBefore: t0.Add(time.Minute)}
	soon := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U3"}, CreatedAt: t0, NotBefore: t0.Add(30 * time.Second)}
	write(t, s, store.Change{Outbox: append(slices.Clone(due), later, soon)})
	cl, err := s.ClaimDue(ctx, t0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Items) != 2 || cl.Items[0].ID != due[0].ID || cl.Items[1].ID != due[1].ID || cl.Items[0].Attempts != 1 || cl.Items[1].Attempts != 2 {
		t.Fatalf("claimed %+v, want the two oldest due items, an attempt more each", cl.Items)
	}
	if !cl.Next.Equal(soon.NotBefore) || len(cl.SetAside) != 0 {
		t.Errorf("next %v, set aside %v; want %v and none", cl.Next, cl.SetAside, soon.NotBefore)
	}
	want := map[string]int{due[0].ID: 1, due[1].ID: 2, due[2].ID: 2, later.ID: 0, soon.ID: 0}
	for _, item := range outboxOf(t, s) {
		if item.Attempts != want[item.ID] {
			t.Errorf("item %s: %d attempts stored, want %d (committed before sending)", item.ID, item.Attempts, want[item.ID])
		}
	}
	// Unsettled, a claimed item is due again: at once on a store one
	// process owns, after a hold of a few minutes where replicas share the
	// store (so no other replica sends it meanwhile). A day later, surely.
	cl, err = s.ClaimDue(ctx, t0.Add(24*time.Hour), 10)
	if err != nil || len(cl.Items) != 5 || !cl.Next.IsZero() {
		t.Errorf("claim once every wait ended = %d items, next %v, %v; want all 5, none waiting", len(cl.Items), cl.Next, err)
	}
}

func testClaimNothingDue(t *testing.T, s Store) {
	later := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U2"}, CreatedAt: t0, NotBefore: t0.Add(time.Hour)}
	write(t, s, store.Change{Outbox: []outbox.Item{later}})
	before := stateOf(t, s)
	cl, err := s.ClaimDue(context.Background(), t0, 10)
	if err != nil || len(cl.Items) != 0 || !cl.Next.Equal(later.NotBefore) {
		t.Errorf("ClaimDue = %+v, %v; want nothing, next at %v", cl, err, later.NotBefore)
	}
	unchanged(t, s, before, "a claim with nothing due")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.ClaimDue(ctx, t0.Add(2*time.Hour), 10); !errors.Is(err, context.Canceled) {
		t.Errorf("ClaimDue with a done context: %v, want context.Canceled", err)
	}
	unchanged(t, s, before, "a claim with a done context")
}

func testSettle(t *testing.T, s Store) {
	sent := outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: store.NewID(), Users: []string{"U1", "U2"}, CreatedAt: t0, Attempts: 1}
	dropped := outbox.Item{ID: store.NewID(), Kind: outbox.Retro, SessionID: store.NewID(), Users: []string{"U1"}, CreatedAt: t0, Attempts: 1}
	failed := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U3"}, CreatedAt: t0, Attempts: 1}
	write(t, s, store.Change{Outbox: []outbox.Item{sent, dropped, failed}})
	failed.NotBefore, failed.LastError = t0.Add(time.Second), "boom"
	ref := outbox.MessageRef{Channel: "D1", TS: "1.0", SentAt: t0}
	if err := s.Settle(context.Background(), store.Settlement{
		Sent:  []store.Delivered{{Item: sent, Ref: ref}, {Item: dropped}},
		Retry: []outbox.Item{failed},
	}); err != nil {
		t.Fatal(err)
	}
	items := outboxOf(t, s)
	if len(items) != 1 || items[0].ID != failed.ID || items[0].LastError != "boom" || !items[0].NotBefore.Equal(failed.NotBefore) {
		t.Errorf("outbox %+v, want only the failed item with its retry", items)
	}
	read(t, s, func(r store.Reader) error {
		if got, ok, err := r.Message(sent.SessionID, outbox.Proposal); err != nil || !ok || got.TS != "1.0" || got.Channel != "D1" {
			t.Errorf("message of the sent item = %+v, %v, %v", got, ok, err)
		}
		if _, ok, err := r.Message(dropped.SessionID, outbox.Retro); err != nil || ok {
			t.Errorf("a dropped item has a message reference (%v, %v)", ok, err)
		}
		return nil
	})
}
