package bot

import (
	"testing"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
)

// An outbox item that can never be rendered (its session is gone, its kind
// is unknown) is dropped once and counted, not retried forever, and the
// message queued after it is sent.
func TestDeliverDropsWhatCanNeverBeRendered(t *testing.T) {
	tests := []struct {
		name string
		item func(good outbox.Item) outbox.Item
	}{
		{"a proposal whose session is gone", func(good outbox.Item) outbox.Item {
			good.SessionID = store.NewID()
			return good
		}},
		{"an unknown kind", func(good outbox.Item) outbox.Item {
			good.Kind = "telegram"
			return good
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, s := newFaultHarness(t, nil)
			dropped := map[string]int{}
			s.OnDropped = func(kind string) { dropped[kind]++ }
			good, _ := h.queueProposal()
			bad := tc.item(good)
			bad.ID = store.NewID()
			queued := good.ID
			good.ID = store.NewID() // queued after the bad one
			if err := h.apply(store.Change{Sent: []string{queued}, Outbox: []outbox.Item{bad, good}}); err != nil {
				t.Fatal(err)
			}
			drainAll(t, h, s)
			if got := h.postsOf(good.ID); got != 1 {
				t.Errorf("the good message was posted %d times, want 1", got)
			}
			if got := h.postsOf(bad.ID); got != 0 {
				t.Errorf("the bad message was posted %d times", got)
			}
			if dropped[string(bad.Kind)] != 1 || len(dropped) != 1 {
				t.Errorf("dropped %v, want one %s", dropped, bad.Kind)
			}
		})
	}
}
