package bot

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// damage overwrites a stored record with bytes that do not decode, as a
// fault on disk would while Pollen runs. The keys are the store's layout
// (store/engine/schema.go): a session under its UUID's 16 bytes, a profile under
// the Slack ID, a round under "<rotation>/<week>".
func (h *harness) damage(bucket string, key []byte) {
	h.t.Helper()
	if err := h.db.PutRaw(h.ctx(), bucket, key, []byte(`{"id": 42`)); err != nil {
		h.t.Fatal(err)
	}
}

func sessionKey(id string) []byte {
	u := uuid.MustParse(id)
	return u[:]
}

// A session whose record does not decode still exists: a click on it gets
// the apology (and the error is logged), never "does not exist".
func TestClickOnAnUnreadableSessionGetsTheApology(t *testing.T) {
	w := newAuthzWorld(t)
	w.damage("sessions", sessionKey(w.proposal.ID))
	w.damage("sessions", sessionKey(w.logged.ID))
	for _, tc := range []struct {
		name, user, action string
	}{
		{"accept", "UCY", actionAccept},
		{"decline", "UCY", actionDecline},
		{"retro", "UCY", actionRetroDone},
		{"log confirm", "UBO", actionLogConfirm},
	} {
		msg := w.proposalMsg
		switch tc.action {
		case actionRetroDone:
			msg = w.retroMsg
		case actionLogConfirm:
			msg = w.logMsg
		}
		if got := w.clickReply(tc.user, msg, tc.action, ""); got != apology {
			t.Errorf("%s of a session that does not decode: %q, want the apology", tc.name, got)
		}
	}
}

// Rating a session whose record no longer decodes: Rate it gets the
// apology, and the modal's Save says something went wrong, not that the
// session does not exist.
func TestRatingAnUnreadableSession(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	s, retro := trioRetro(t, h)
	modal := h.openedRating("UANA", retro, actionRetroDone)
	retro, _ = h.fake.Message(retro.Channel, retro.TS)
	h.damage("sessions", sessionKey(s.ID))
	if got := h.nextEphemeral("UBO", func() { h.fake.ClickButton(h.ctx(), "UBO", retro, actionRetroRate, "") }); got != apology {
		t.Errorf("Rate it on a session that does not decode: %q, want the apology", got)
	}
	ack, err := h.fake.SubmitView(h.ctx(), "UANA", modal.ID, map[string]map[string]string{blockRating: {actionRatingValue: "4"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(ack.Payload); !strings.Contains(got, pairing.ErrorMessage(errors.New("any"))) {
		t.Errorf("saving a rating of a session that does not decode: %s", got)
	}
}

// A decline whose round record does not decode cannot re-pair anyone: it
// is refused with the apology and changes nothing, rather than skipping
// the session as if the round had never been recorded.
func TestDeclineWithAnUnreadableRound(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: start.Add(26 * time.Hour), Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start}
	round := pairing.Round{ID: s.Round, PlannedAt: start, SessionIDs: []string{s.ID}}
	if err := h.apply(store.Change{Rounds: []pairing.Round{round}}); err != nil {
		t.Fatal(err)
	}
	msg := h.deliverProposal(s)
	h.damage("rounds", []byte(pairing.DefaultRotation+"/"+s.Round))
	if got := h.nextEphemeral("UCY", func() { h.fake.ClickButton(h.ctx(), "UCY", msg, actionDecline, "") }); got != apology {
		t.Errorf("a decline over a round that does not decode: %q, want the apology", got)
	}
	if got := h.storedSession(s.ID); got.State != pairing.Proposed || len(got.Responded) != 0 {
		t.Errorf("the refused decline changed the session: %s, responded %v", got.State, got.Responded)
	}
}

// A person whose record does not decode is not "not in the rotation": the
// DM answer is the apology.
func TestDMFromAnUnreadablePerson(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.damage("people", []byte("UBO"))
	if got := h.bot.dmAnswer(h.ctx(), "UBO", "skip").Text; got != apology {
		t.Errorf("a DM from a person whose record does not decode: %q, want the apology", got)
	}
}

// A proposal whose participant's record does not decode is not sent
// without them: the render fails for good, so the sender drops it loudly.
func TestRenderWithAnUnreadableParticipant(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	item, _ := h.queueProposal()
	h.damage("people", []byte("UCY"))
	item.Attempts = 1
	_, err := h.bot.Deliver(h.ctx(), item)
	if !errors.Is(err, store.ErrBadRecord) || !errors.As(err, new(*permanent)) {
		t.Errorf("delivering a proposal for a person whose record does not decode: %v, want a permanent ErrBadRecord", err)
	}
	if got := h.postsOf(item.ID); got != 0 {
		t.Errorf("the proposal was posted %d times", got)
	}
}
