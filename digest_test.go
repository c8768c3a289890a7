package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
)

// digests lists the digest posts in the team channel, oldest first (not
// the chart replies in their threads).
func (w *world) digests() []string {
	w.t.Helper()
	var posts []string
	for _, m := range w.fake.Messages("C0TEAM") {
		if m.ThreadTS == "" && m.Metadata != nil && m.Metadata.EventPayload["kind"] == "digest" {
			posts = append(posts, m.AllText())
		}
	}
	return posts
}

// retroClick answers a session's retro for user and waits for the state.
func (w *world) retroClick(s pairing.Session, user, action string, want pairing.State) {
	w.t.Helper()
	retro, ok := w.messageOf(s, "retro")
	if !ok {
		w.t.Fatalf("no retro for session %s", s.ID)
	}
	if _, err := w.fake.ClickButton(w.ctx(), user, retro, action, s.ID); err != nil {
		w.t.Fatal(err)
	}
	if err := w.fake.WaitFor(w.ctx(), func() bool { return w.session(s.ID).State == want }); err != nil {
		w.t.Fatalf("session %s did not become %s after %s", s.ID, want, action)
	}
}

// Each digest counts the sessions that ended since the previous one: a
// session rated the week after it was done is not counted again, and one
// that ends after Friday's digest is counted in the next.
func TestDigestCountsEachSessionOnce(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday) // the scheduler's epoch
	w.at(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	var churn, etl pairing.Session
	for _, s := range w.sessions() {
		switch s.Project {
		case "churn-model":
			churn = s
		case "etl":
			etl = s
		}
	}
	if churn.ID == "" || etl.ID == "" {
		t.Fatalf("the first round did not plan one session per project: %+v", w.sessions())
	}
	friday1 := time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC)
	if !churn.Slot.Add(churn.Length + 16*time.Minute).Before(friday1) {
		t.Fatalf("churn-model slot %v is not before Friday's digest", churn.Slot)
	}

	// churn-model happens during the week; its learner rates it only the
	// next Monday.
	w.at(churn.Slot.Add(churn.Length + 16*time.Minute))
	learner := churn.Learners[0]
	w.retroClick(churn, learner, "retro_done", pairing.Done)
	var modal slackfake.View
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		for _, v := range w.fake.Views() {
			if v.CallbackID == "retro_rating" && v.User == learner {
				modal = v
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal("no rating modal for the learner")
	}

	w.at(friday1)
	if got := w.digests(); len(got) != 1 || !strings.Contains(got[0], "Sessions done: 1; skipped or cancelled: 0") {
		t.Fatalf("first digest: %q", got)
	}

	// etl's retro is answered on Saturday, after the digest: it did not happen.
	w.at(time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC))
	w.retroClick(etl, etl.Host, "retro_missed", pairing.Skipped)

	w.clock.Set(time.Date(2026, 12, 7, 8, 30, 0, 0, time.UTC))
	ack, err := w.fake.SubmitView(w.ctx(), learner, modal.ID, map[string]map[string]string{"rating": {"rating_value": "5"}})
	if err != nil || ack.ResponseAction == "errors" {
		t.Fatalf("rating: %+v, %v", ack, err)
	}
	if got := w.session(churn.ID); got.Rating != 5 || !got.UpdatedAt.After(friday1) {
		t.Fatalf("rating not saved the next week: %+v", got)
	}

	w.at(time.Date(2026, 12, 11, 16, 0, 0, 0, time.UTC))
	got := w.digests()
	if len(got) != 2 {
		t.Fatalf("%d digests after two Fridays: %q", len(got), got)
	}
	for _, want := range []string{
		"Sessions done: 0; skipped or cancelled: 1",
		"Riskiest now: etl (1), churn-model (2)",
	} {
		if !strings.Contains(got[1], want) {
			t.Errorf("second digest lacks %q:\n%s", want, got[1])
		}
	}
}
