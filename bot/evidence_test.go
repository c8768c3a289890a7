package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// seedTaught puts Ana, Bo and Cy on the team with project pricing, owned by
// Ana, where Cy paired with Ana and made his first commit nine days later,
// and Bo reviewed with Ana and has not committed.
func seedTaught(t *testing.T, h *harness) {
	t.Helper()
	session := start.AddDate(0, 0, -9).Add(-time.Hour)
	c := store.Change{
		People: []pairing.Person{pairing.NewPerson("UANA", "Ana", "UTC", start.AddDate(0, 0, -60)),
			pairing.NewPerson("UBO", "Bo", "UTC", start.AddDate(0, 0, -60)), pairing.NewPerson("UCY", "Cy", "UTC", start.AddDate(0, 0, -60))},
		Projects: []pairing.Project{{Name: "pricing"}},
		Events: []pairing.Event{
			{ID: store.NewID(), At: start.AddDate(0, 0, -60), Kind: pairing.EventOwner, Project: "pricing", Person: "UANA"},
			{ID: store.NewID(), At: start.AddDate(0, 0, -50), Kind: pairing.EventSession, Project: "pricing", SessionID: "s-bo", SessionKind: pairing.Review, Host: "UANA", Learners: []string{"UBO"}},
			{ID: store.NewID(), At: session, Kind: pairing.EventSession, Project: "pricing", SessionID: "s-cy", SessionKind: pairing.Pair, Host: "UANA", Learners: []string{"UCY"}},
			{ID: store.NewID(), At: start.Add(-time.Hour), Kind: pairing.EventCommitted, Project: "pricing", Person: "UCY", SessionID: "s-cy", Host: "UANA"},
		},
	}
	_, err := h.db.Apply(h.ctx(), func(store.Reader) (store.Change, error) { return c, nil })
	if err != nil {
		t.Fatal(err)
	}
}

func TestWhoAndDigestShowFirstCommitsAfterSessions(t *testing.T) {
	h := newHarness(t)
	seedTaught(t, h)
	got := h.run("UBO", "who pricing")
	if want := "<@UCY>: first commit 9 days after pairing with <@UANA>"; !strings.Contains(got, want) {
		t.Errorf("/pair who pricing lacks %q:\n%s", want, got)
	}
	if !strings.Contains(got, "<@UCY> (0.50, from a commit after a session)") {
		t.Errorf("/pair who pricing does not count Cy as a knower from his commit:\n%s", got)
	}
	digest, err := h.bot.digestMessage(h.ctx(), "2026-W48")
	if err != nil {
		t.Fatal(err)
	}
	if want := "First commits after sessions this week: pricing: <@UCY>: first commit 9 days after pairing with <@UANA>"; !strings.Contains(digest.Text, want) {
		t.Errorf("the digest lacks %q:\n%s", want, digest.Text)
	}
	later, err := h.bot.digestMessage(h.ctx(), "2026-W50")
	if err != nil {
		t.Fatal(err)
	}
	if digest := later; strings.Contains(digest.Text, "First commits") {
		t.Errorf("a later week's digest lists this week's first commit:\n%s", digest.Text)
	}
}

// TestStatsGiveTheOutcomeMeasure: Bo's review, long past, was not followed
// by a commit of his; Cy's pairing was, nine days later.
func TestStatsGiveTheOutcomeMeasure(t *testing.T) {
	h := newHarness(t)
	seedTaught(t, h)
	got := h.run("UBO", "stats")
	if want := "Sessions followed by the learner's first commit within 30 days: 1 of 2 (50%): pricing 1 of 2"; !strings.Contains(got, want) {
		t.Errorf("/pair stats lacks %q:\n%s", want, got)
	}
}
