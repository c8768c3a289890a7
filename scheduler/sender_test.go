package scheduler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// scripted is a Deliverer whose answers the test sets, recording calls.
type scripted struct {
	answers []error
	calls   []outbox.Item
}

func (s *scripted) Deliver(_ context.Context, item outbox.Item) (outbox.MessageRef, error) {
	s.calls = append(s.calls, item)
	if len(s.answers) == 0 {
		return outbox.MessageRef{Channel: "D1", TS: "1.0"}, nil
	}
	err := s.answers[0]
	s.answers = s.answers[1:]
	return outbox.MessageRef{Channel: "D1", TS: "1.0"}, err
}

type rateLimited time.Duration

func (r rateLimited) Error() string             { return "ratelimited" }
func (r rateLimited) RetryAfter() time.Duration { return time.Duration(r) }

func TestSenderRetriesUntilDeliveredAndNeverDrops(t *testing.T) {
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	d := &scripted{answers: []error{errors.New("boom"), rateLimited(30 * time.Second), errors.New("boom again")}}
	s := NewSender(db, d, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	item := outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: store.NewID(), Users: []string{"UA", "UB"}, CreatedAt: now}
	save(t, db, store.Change{Outbox: []outbox.Item{item}})
	steps := []struct {
		advance   time.Duration
		wantCalls int
		wantNext  time.Duration // from now; 0 = outbox empty
	}{
		{0, 1, time.Second}, // failure 1: back off 1 s
		{500 * time.Millisecond, 1, 500 * time.Millisecond}, // not due yet
		{500 * time.Millisecond, 2, 30 * time.Second},       // 429: Retry-After 30 s
		{30 * time.Second, 3, 4 * time.Second},              // failure 3: back off 4 s
		{4 * time.Second, 4, 0},                             // delivered
	}
	for i, st := range steps {
		now = now.Add(st.advance)
		next, err := s.Drain(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(d.calls) != st.wantCalls {
			t.Fatalf("step %d: %d deliveries, want %d", i, len(d.calls), st.wantCalls)
		}
		if wantNext := now.Add(st.wantNext); (st.wantNext == 0) != next.IsZero() || (st.wantNext != 0 && !next.Equal(wantNext)) {
			t.Fatalf("step %d: next = %v, want %v", i, next, wantNext)
		}
	}
	for i, c := range d.calls {
		if c.Attempts != i+1 {
			t.Errorf("delivery %d saw Attempts = %d, want %d (so it knows to look before resending)", i, c.Attempts, i+1)
		}
	}
	snapshot(t, db, func(r store.Reader) {
		if r.OutboxDepth() != 0 {
			t.Error("delivered item still in the outbox")
		}
		if ref, ok, _ := r.Message(item.SessionID, outbox.Proposal); !ok || ref.TS != "1.0" {
			t.Errorf("message reference not recorded: %+v %v", ref, ok)
		}
	})
}

// snapshot runs check in one read of db.
func snapshot(t *testing.T, db *engine.DB, check func(store.Reader)) {
	t.Helper()
	if err := db.Snapshot(context.Background(), func(r store.Reader) error { check(r); return nil }); err != nil {
		t.Fatal(err)
	}
}

type forever struct{}

func (forever) Error() string   { return "channel_not_found" }
func (forever) Permanent() bool { return true }

func TestSenderDropsWhatSlackRefusesForGood(t *testing.T) {
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	d := &scripted{answers: []error{forever{}}}
	s := NewSender(db, d, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var dropped []string
	s.OnDropped = func(kind string) { dropped = append(dropped, kind) }
	item := outbox.Item{ID: store.NewID(), Kind: outbox.Digest, Channel: "C0GONE", CreatedAt: now}
	save(t, db, store.Change{Outbox: []outbox.Item{item}})
	if _, err := s.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(d.calls) != 1 || len(dropped) != 1 || dropped[0] != "digest" {
		t.Fatalf("calls %d, dropped %v; want one try and one drop", len(d.calls), dropped)
	}
	snapshot(t, db, func(r store.Reader) {
		if r.OutboxDepth() != 0 {
			t.Error("the refused item is still in the outbox")
		}
	})
}

func TestCronStartsWithACatchUpTickAndStops(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	loop, db, _ := testLoop(t, &now)
	c := NewCron(db, loop, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Reload(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Stop().Done():
	case <-time.After(5 * time.Second):
		t.Fatal("cron did not stop")
	}
	var epoch store.Run
	snapshot(t, db, func(r store.Reader) {
		if _, err := r.Setting(epochKey, &epoch); err != nil {
			t.Error(err)
		}
	})
	if !epoch.At.Equal(now) {
		t.Errorf("the start did not tick: epoch %v", epoch.At)
	}
}

// settlement, the decision after a batch: delivered and dropped items
// leave, a failed one waits with its retry, those never tried after a 429
// get their attempt back and wait for Slack's Retry-After.
func TestSettlementOfABatch(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	retryAt := now.Add(30 * time.Second)
	item := func(kind outbox.Kind) outbox.Item {
		return outbox.Item{ID: store.NewID(), Kind: kind, Users: []string{"UA"}, CreatedAt: now, Attempts: 1}
	}
	sent, dropped, failed, limited, untried := item(outbox.Proposal), item(outbox.Digest), item(outbox.Retro), item(outbox.Notice), item(outbox.Notice)
	failed.NotBefore, limited.NotBefore = now.Add(time.Second), retryAt
	ref := outbox.MessageRef{Channel: "D1", TS: "1.0"}
	st := settlement([]outbox.Item{sent, dropped, failed, limited, untried},
		[]*outbox.MessageRef{&ref, {}, nil, nil, nil}, 4, retryAt)
	if len(st.Sent) != 2 || st.Sent[0].Item.ID != sent.ID || st.Sent[0].Ref != ref || st.Sent[1].Item.ID != dropped.ID || st.Sent[1].Ref.TS != "" {
		t.Errorf("sent %+v, want the delivered item with its reference and the dropped one without", st.Sent)
	}
	if len(st.Retry) != 3 || st.Retry[0].ID != failed.ID || !st.Retry[0].NotBefore.Equal(failed.NotBefore) ||
		st.Retry[1].ID != limited.ID || st.Retry[1].Attempts != 1 ||
		st.Retry[2].ID != untried.ID || st.Retry[2].Attempts != 0 || !st.Retry[2].NotBefore.Equal(retryAt) {
		t.Errorf("retry %+v, want the failed and the limited items as they are, the untried one with its attempt back", st.Retry)
	}
}
