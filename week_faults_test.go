package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

var monday = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// proposalsPerSession counts the proposal DMs in the fake per session.
func (w *world) proposalsPerSession() map[string]int {
	counts := map[string]int{}
	for _, c := range w.fake.Calls("chat.postMessage") {
		if !c.OK {
			continue
		}
		if strings.Contains(c.Params["metadata"], `"kind":"proposal"`) {
			for _, s := range w.sessions() {
				if strings.Contains(c.Params["metadata"], s.ID) {
					counts[s.ID]++
				}
			}
		}
	}
	return counts
}

func TestDeclineRepairsThePartnerWithSomeoneFree(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday)
	w.at(monday)
	sessions := w.sessions()
	if len(sessions) != 2 {
		t.Fatalf("%d sessions", len(sessions))
	}
	decline := func(s pairing.Session, who string) {
		t.Helper()
		m, ok := w.messageOf(s, "proposal")
		if !ok {
			t.Fatalf("no proposal for %s", s.ID)
		}
		if _, err := w.fake.ClickButton(w.ctx(), who, m, "session_decline", s.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.fake.WaitFor(w.ctx(), func() bool { return w.session(s.ID).State == pairing.Skipped }); err != nil {
			t.Fatalf("session not skipped after a decline: %+v", w.session(s.ID))
		}
	}
	// The first decline leaves its partner free: nobody else is.
	a, b := sessions[0], sessions[1]
	decline(a, a.Host)
	freed := a.Learners[0]
	if n := len(w.sessions()); n != 2 {
		t.Fatalf("a decline with nobody free made a session: %d", n)
	}
	// The second decline's partner is re-paired with the first one's.
	decline(b, b.Learners[0])
	var repaired pairing.Session
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		for _, s := range w.sessions() {
			if s.Has(freed) && s.Has(b.Host) && s.State == pairing.Proposed {
				repaired = s
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no re-paired session for %s and %s: %v", freed, b.Host, w.sessions())
	}
	w.drain()
	if _, ok := w.messageOf(repaired, "proposal"); !ok {
		t.Fatal("the re-paired session was not proposed")
	}
	if repaired.Round != a.Round || repaired.Slot.IsZero() {
		t.Errorf("re-paired session = %+v", repaired)
	}
}

func TestMissedRoundIsCaughtUpWithinGraceAndSkippedAfter(t *testing.T) {
	t.Run("three hours late", func(t *testing.T) {
		w := newWorld(t, sunday, "")
		w.setup()
		w.at(sunday)
		w.at(monday.Add(3 * time.Hour)) // Pollen was down at 09:00
		if n := len(w.sessions()); n != 2 {
			t.Fatalf("caught-up round has %d sessions, want 2", n)
		}
	})
	t.Run("a day and a half late", func(t *testing.T) {
		w := newWorld(t, sunday, "")
		w.setup()
		w.at(sunday)
		w.at(monday.Add(36 * time.Hour))
		if n := len(w.sessions()); n != 0 {
			t.Fatalf("a round missed by 36 h was planned late: %d sessions", n)
		}
		w.db.View(func(tx *engine.Tx) error {
			if !tx.Done("round/2026-W49") {
				t.Error("the skipped round is not recorded")
			}
			return nil
		})
		// The next week's round runs as usual.
		w.at(monday.AddDate(0, 0, 7))
		if n := len(w.sessions()); n != 2 {
			t.Fatalf("next round has %d sessions", n)
		}
	})
}

func TestRateLimitedProposalsArriveExactlyOnce(t *testing.T) {
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	t.Cleanup(fake.Close)
	dbPath := filepath.Join(t.TempDir(), "pollen.db")
	seedTeamTB(t, fake, dbPath, 200, sunday) // a round of 100 sessions
	w := startWorld(t, fake, sunday, dbPath)
	if err := w.db.Update(func(tx *engine.Tx) error { return tx.PutSettings(pairing.DefaultTeamSettings()) }); err != nil {
		t.Fatal(err)
	}
	w.at(sunday)
	fake.FailRate("chat.postMessage", 0.3, slackfake.RateLimit{RetryAfter: 2 * time.Second}, 7)
	fake.FailRate("conversations.open", 0.3, slackfake.RateLimit{RetryAfter: 1 * time.Second}, 8)
	w.at(monday)
	for i := 0; w.outboxDepth() > 0; i++ {
		if i > 2000 {
			t.Fatalf("outbox never drained: %d left", w.outboxDepth())
		}
		w.clock.Set(w.clock.Now().Add(3 * time.Second)) // past every Retry-After
		w.drain()
	}
	limited := 0
	for _, c := range fake.Calls("") {
		if c.Status == 429 {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("no 429 was injected; the test proves nothing")
	}
	sessions := w.roundSessions(pairing.RoundID(monday))
	if len(sessions) < 50 {
		t.Fatalf("only %d sessions in the round", len(sessions))
	}
	sent := proposalsSent(fake)
	for _, s := range sessions {
		if sent[s.ID] != 1 {
			t.Errorf("session %s proposed %d times", s.ID, sent[s.ID])
		}
	}
	t.Logf("%d proposals, each exactly once, through %d answers of 429", len(sessions), limited)
}
