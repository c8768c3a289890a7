package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// A decline in a round is one decision: it reads the round and the team
// through the Reader and returns everything the store then commits at
// once: the skipped session (UpdateSession adds it), the new session, its
// proposal in the outbox and the round that now holds it. Run over a
// read-only snapshot it writes nothing and says what it would write.
func TestDeclineDecisionRepairsInOneChange(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: start.Add(26 * time.Hour), Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start}
	round := pairing.Round{ID: s.Round, PlannedAt: start, SessionIDs: []string{s.ID}, Free: []string{"UBO"}}
	if err := h.apply(store.Change{Sessions: []pairing.Session{s}, Rounds: []pairing.Round{round}}); err != nil {
		t.Fatal(err)
	}
	n := 0
	newID := func() string { n++; return fmt.Sprintf("0192d6a8-0000-7000-8000-%012d", n) }
	var made *pairing.Session
	decide := h.bot.declineDecision("UCY", start, newID, func(m *pairing.Session) { made = m })
	before := h.snapshot()
	var c store.Change
	declined := s
	h.read(func(r store.Reader) (err error) { c, err = decide(&declined, r); return err })
	if h.snapshot() != before {
		t.Fatal("the decision wrote to the store")
	}
	if declined.State != pairing.Skipped || declined.Note != notePrefixDeclined+"UCY" {
		t.Errorf("the declined session: %s %q", declined.State, declined.Note)
	}
	if made == nil || !slices.Equal(made.Participants(), []string{"UANA", "UBO"}) && !slices.Equal(made.Participants(), []string{"UBO", "UANA"}) {
		t.Fatalf("re-paired: %+v, want Ana with Bo", made)
	}
	if len(c.Sessions) != 1 || c.Sessions[0].ID != made.ID {
		t.Errorf("sessions in the change: %+v, want the new one", c.Sessions)
	}
	if len(c.Outbox) != 1 || c.Outbox[0].Kind != outbox.Proposal || c.Outbox[0].SessionID != made.ID ||
		!slices.Equal(c.Outbox[0].Users, made.Participants()) || c.Outbox[0].Round != s.Round {
		t.Errorf("outbox in the change: %+v, want the new session's proposal", c.Outbox)
	}
	if len(c.Rounds) != 1 || !slices.Contains(c.Rounds[0].SessionIDs, made.ID) || slices.Contains(c.Rounds[0].Free, "UBO") {
		t.Errorf("rounds in the change: %+v, want the round with the new session and Bo no longer free", c.Rounds)
	}

	// The same decision on a session that already ended changes nothing.
	declined = s
	declined.State = pairing.Done
	h.read(func(r store.Reader) error {
		if _, err := decide(&declined, r); !errors.Is(err, store.ErrUnchanged) {
			t.Errorf("declining a done session: %v, want store.ErrUnchanged", err)
		}
		return nil
	})
	if made != nil {
		t.Errorf("a decision that changed nothing still told of a new session: %+v", made)
	}
}

// A click Slack has had its ack for is recorded even when the bot's
// context ends before its handler runs (a shutdown, which waits for the
// handlers in flight): the store operation must not refuse it.
func TestAClickIsRecordedDuringShutdown(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: start.Add(26 * time.Hour), Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start}
	if err := h.apply(store.Change{Sessions: []pairing.Session{s}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(h.ctx())
	cancel()
	h.bot.accept(ctx, click{User: "UCY", ActionID: actionAccept, Value: s.ID}) // no message, no response URL: nothing to tell
	if got := h.storedSession(s.ID); !slices.Contains(got.Accepted, "UCY") {
		t.Errorf("the accept was lost: accepted %v", got.Accepted)
	}
}
