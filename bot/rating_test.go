package bot

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// trioRetro stores an accepted trio session whose slot is over (Ana hosts
// churn-model for Bo and Cy) and delivers its retro through the outbox
// path; it returns the session and the retro as Slack shows it.
func trioRetro(t *testing.T, h *harness) (pairing.Session, slackfake.Message) {
	t.Helper()
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UBO", "UCY"},
		Slot: start.Add(-3 * time.Hour), Length: time.Hour, State: pairing.Accepted, Accepted: []string{"UANA", "UBO", "UCY"},
		CreatedAt: start.Add(-48 * time.Hour), UpdatedAt: start.Add(-24 * time.Hour)}
	if err := h.apply(store.Change{Sessions: []pairing.Session{s}}); err != nil {
		t.Fatal(err)
	}
	ref, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.Retro, SessionID: s.ID,
		Users: s.Participants(), CreatedAt: start, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	msg, ok := h.fake.Message(ref.Channel, ref.TS)
	if !ok {
		t.Fatal("the retro is not in Slack")
	}
	return s, msg
}

// openedRating clicks action on the retro as user and returns the rating
// modal that opens for them.
func (h *harness) openedRating(user string, msg slackfake.Message, action string) slackfake.View {
	h.t.Helper()
	n := len(h.ratingViews(user))
	if _, err := h.fake.ClickButton(h.ctx(), user, msg, action, ""); err != nil {
		h.t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.ratingViews(user)) > n }); err != nil {
		h.t.Fatalf("%s clicked %s and got no rating modal", user, action)
	}
	return h.ratingViews(user)[n]
}

func (h *harness) ratingViews(user string) []slackfake.View {
	var out []slackfake.View
	for _, v := range h.fake.Views() {
		if v.CallbackID == callbackRating && v.User == user {
			out = append(out, v)
		}
	}
	return out
}

// submitRating rates in the modal and waits until the retro shows it.
func (h *harness) submitRating(user string, v slackfake.View, rating string, msg slackfake.Message) slackfake.Message {
	h.t.Helper()
	before, _ := h.fake.Message(msg.Channel, msg.TS)
	ack, err := h.fake.SubmitView(h.ctx(), user, v.ID, map[string]map[string]string{blockRating: {actionRatingValue: rating}})
	if err != nil || len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		h.t.Fatalf("%s rating %s: %v %s", user, rating, err, ack.Payload)
	}
	var now slackfake.Message
	if err := h.fake.WaitFor(h.ctx(), func() bool { now, _ = h.fake.Message(msg.Channel, msg.TS); return now.Updates > before.Updates }); err != nil {
		h.t.Fatalf("the retro was not redrawn after %s rated", user)
	}
	return now
}

// Every participant of a trio rates once, whoever clicked We paired; each
// learner's rating scales their own gain and the host's none; the retro
// stays open for those who have not rated and names who has.
func TestEveryParticipantRatesOnce(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	s, retro := trioRetro(t, h)

	hostModal := h.openedRating("UANA", retro, actionRetroDone) // the host answers first
	if !strings.Contains(hostModal.AllText(), "How did it go?") {
		t.Errorf("the host's modal asks a learner's question: %s", hostModal.AllText())
	}
	retro, _ = h.fake.Message(retro.Channel, retro.TS)
	if got := retro.ActionIDs(); !slices.Contains(got, actionRetroRate) || slices.Contains(got, actionRetroDone) {
		t.Errorf("after We paired the retro offers %v, want Rate it and no more We paired", got)
	}

	boModal := h.openedRating("UBO", retro, actionRetroRate)
	if !strings.Contains(boModal.AllText(), "How much did you learn?") {
		t.Errorf("a learner's modal: %s", boModal.AllText())
	}
	retro = h.submitRating("UBO", boModal, "5", retro)
	if got := retro.AllText(); !strings.Contains(got, "Rated by <@UBO>. Still to rate: <@UANA>, <@UCY>.") {
		t.Errorf("the retro after Bo rated does not say who has: %s", got)
	}
	if got := h.nextEphemeral("UBO", func() { h.fake.ClickButton(h.ctx(), "UBO", retro, actionRetroRate, "") }); got != "Already rated: you gave this session 5. Thanks!" {
		t.Errorf("a second rating by Bo: %q", got)
	}
	if got := h.nextEphemeral("UDI", func() { h.fake.ClickButton(h.ctx(), "UDI", retro, actionRetroRate, "") }); got != refusedNotYours {
		t.Errorf("a stranger's Rate it: %q", got)
	}
	retro = h.submitRating("UCY", h.openedRating("UCY", retro, actionRetroRate), "1", retro)
	retro = h.submitRating("UANA", hostModal, "2", retro)
	if got := retro.AllText(); !strings.Contains(got, "Everyone rated it") || slices.Contains(retro.ActionIDs(), actionRetroRate) {
		t.Errorf("the retro once all rated: %s %v", got, retro.ActionIDs())
	}

	stored := h.storedSession(s.ID)
	if len(stored.Ratings) != 3 || stored.State != pairing.Done {
		t.Fatalf("stored session: %s with ratings %+v", stored.State, stored.Ratings)
	}
	// Behaviour of the model, not its figures: leaving out one person's
	// rated event moves that learner only, and the host's moves nobody.
	events := h.events()
	without := func(person string) []pairing.Event {
		return slices.DeleteFunc(slices.Clone(events), func(e pairing.Event) bool { return e.Kind == pairing.EventRated && e.Person == person })
	}
	f := func(es []pairing.Event, who string) float64 {
		return pairing.Replay(pairing.DefaultModel(), es).F(who, "churn-model", start)
	}
	if f(events, "UBO") <= f(without("UBO"), "UBO") || f(events, "UCY") != f(without("UBO"), "UCY") {
		t.Error("Bo's rating of 5 did not raise Bo's gain alone")
	}
	if f(events, "UCY") >= f(without("UCY"), "UCY") || f(events, "UBO") != f(without("UCY"), "UBO") {
		t.Error("Cy's rating of 1 did not lower Cy's gain alone")
	}
	if f(events, "UBO") != f(without("UANA"), "UBO") || f(events, "UCY") != f(without("UANA"), "UCY") {
		t.Error("the host's rating moved a learner")
	}
}
