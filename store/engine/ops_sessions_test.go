package engine

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// EachRecord sees what an operation committed, and nothing of what a
// refused decision would have written.
func TestEachRecordSeesWhatWasCommitted(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	records := func() map[string]int {
		t.Helper()
		n := map[string]int{}
		if err := db.EachRecord(ctx, func(bucket string, _, _ []byte) error { n[bucket]++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := records()
	s := testSession(t)
	item := outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: s.ID, Users: s.Participants(), CreatedAt: t0}
	if _, err := db.Apply(ctx, func(store.Reader) (store.Change, error) {
		return store.Change{Sessions: []pairing.Session{s}, Outbox: []outbox.Item{item}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	after := records()
	if after[string(bucketSessions)] != before[string(bucketSessions)]+1 || after[string(bucketOutbox)] != before[string(bucketOutbox)]+1 {
		t.Errorf("records before %v, after %v: want one more session and one more outbox item", before, after)
	}
	_, err := db.Apply(ctx, func(store.Reader) (store.Change, error) {
		return store.Change{Sessions: []pairing.Session{testSession(t)}}, store.ErrUnchanged
	})
	if !errors.Is(err, store.ErrUnchanged) {
		t.Fatalf("a decision that changes nothing: %v", err)
	}
	if again := records(); again[string(bucketSessions)] != after[string(bucketSessions)] {
		t.Errorf("an unchanged decision wrote a session: %v, then %v", after, again)
	}
	stop := errors.New("stop")
	if err := db.EachRecord(ctx, func(string, []byte, []byte) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn's error: got %v", err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := db.EachRecord(done, func(string, []byte, []byte) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("a done context: got %v, want context.Canceled", err)
	}
}
