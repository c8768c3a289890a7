package bot

import (
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/scheduler"
	"github.com/pollen-team/pollen/store"
)

// A retry that cannot read the conversation's history (the app lacks the
// scope, or the token is of the wrong type) sends only when no earlier
// attempt can have reached Slack, and is otherwise dropped as permanent:
// never twice, never retried forever.
func TestDeliverWhenTheHistoryCannotBeRead(t *testing.T) {
	unreadable := func(code string) func(h *harness) {
		return func(h *harness) { h.fake.FailRate("conversations.history", 1, slackfake.SlackError{Code: code}, 1) }
	}
	tests := []struct {
		name           string
		faults         func(h *harness)
		attempts       int    // the item's attempts before this drain
		lastError      string // and the error the last one left
		posts, dropped int
	}{
		{
			name: "after a 429 the post never reached Slack: sent once",
			faults: func(h *harness) {
				h.fake.FailNext("chat.postMessage", 1, slackfake.RateLimit{RetryAfter: time.Second})
				unreadable("missing_scope")(h)
			},
			posts: 1,
		},
		{
			name: "after a 429 and a failed lookup it still never reached Slack: sent once",
			faults: func(h *harness) {
				h.fake.FailNext("chat.postMessage", 1, slackfake.RateLimit{RetryAfter: time.Second})
				h.fake.FailNext("conversations.history", 1, slackfake.Status{Code: 503})
				unreadable("missing_scope")(h)
			},
			posts: 1,
		},
		{
			name: "after a failed conversations.open nothing was posted: sent once",
			faults: func(h *harness) {
				h.fake.FailNext("conversations.open", 1, slackfake.Status{Code: 500})
				unreadable("not_allowed_token_type")(h)
			},
			posts: 1,
		},
		{
			name: "after a 500 on the post it may be in Slack: dropped",
			faults: func(h *harness) {
				h.fake.FailNext("chat.postMessage", 1, slackfake.Status{Code: 500})
				unreadable("missing_scope")(h)
			},
			dropped: 1,
		},
		{
			name:     "after a crash mid-send it may be in Slack: dropped",
			faults:   unreadable("not_allowed_token_type"),
			attempts: 1,
			dropped:  1,
		},
		{
			name:      "a 429 two attempts back does not vouch for a crashed attempt since: dropped",
			faults:    unreadable("missing_scope"),
			attempts:  2,
			lastError: notSentPrefix(1) + "chat.postMessage: slack rate limit exceeded, retry after 1s",
			dropped:   1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var dropped int
			h, s := newFaultHarness(t, nil)
			s.OnDropped = func(string) { dropped++ }
			item, _ := h.queueProposal()
			if tc.attempts > 0 {
				item.Attempts, item.LastError = tc.attempts, tc.lastError
				if err := h.apply(store.Change{Outbox: []outbox.Item{item}}); err != nil {
					t.Fatal(err)
				}
			}
			tc.faults(h)
			drainAll(t, h, s)
			if got := h.postsOf(item.ID); got != tc.posts {
				t.Errorf("posted %d times, want %d", got, tc.posts)
			}
			if dropped != tc.dropped {
				t.Errorf("dropped %d times, want %d", dropped, tc.dropped)
			}
		})
	}
}

// drainAll runs the sender until the outbox is empty, moving the clock to
// each retry, and fails if it never empties.
func drainAll(t *testing.T, h *harness, s *scheduler.Sender) {
	t.Helper()
	for range 20 {
		next := h.drain(s)
		if next.IsZero() {
			return
		}
		h.clock.Set(next)
	}
	t.Fatalf("the outbox never emptied: %+v", h.outbox())
}
