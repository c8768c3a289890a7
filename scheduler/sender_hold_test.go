package scheduler

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// slowSlack is a Deliverer whose every delivery takes 40 s of the test's
// clock, and which checks, as each delivery starts, that the item's claim
// still holds for a whole delivery: otherwise another replica could claim
// and send it while this one still does.
type slowSlack struct {
	t     *testing.T
	db    *engine.DB
	now   *time.Time
	calls map[string]int
}

func (s *slowSlack) Deliver(ctx context.Context, item outbox.Item) (outbox.MessageRef, error) {
	s.calls[item.ID]++
	err := s.db.Snapshot(ctx, func(r store.Reader) error {
		cur, ok, err := r.OutboxItem(item.ID)
		if err == nil && ok && cur.NotBefore.Before(s.now.Add(deliverTimeout)) {
			s.t.Errorf("item %s sent at %s, held only until %s: another replica could claim it meanwhile",
				item.ID, s.now.Format("15:04:05"), cur.NotBefore.Format("15:04:05"))
		}
		return err
	})
	*s.now = s.now.Add(40 * time.Second)
	return outbox.MessageRef{Channel: "D1", TS: "1.0"}, err
}

// With Slack slow, a batch's later deliveries would start after the hold
// on its items ran out (PostgreSQL, several replicas): the sender gives
// them back before that and claims them again, so every item goes once and
// each under a hold that outlasts its delivery.
func TestSenderStopsBeforeItsClaimRunsOut(t *testing.T) {
	db, err := engine.Open(pgtest.Start(t).URL("postgres"), engine.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var items []outbox.Item
	for range 7 {
		items = append(items, outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"UA"}, CreatedAt: now})
	}
	save(t, db, store.Change{Outbox: items})
	d := &slowSlack{t: t, db: db, now: &now, calls: map[string]int{}}
	s := NewSender(db, d, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	next, err := s.Drain(context.Background())
	if err != nil || !next.IsZero() {
		t.Fatalf("drain: next %v, %v; want the outbox empty", next, err)
	}
	for _, it := range items {
		if d.calls[it.ID] != 1 {
			t.Errorf("item %s delivered %d times, want once", it.ID, d.calls[it.ID])
		}
	}
}
