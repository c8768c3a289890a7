package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// toldAbout lists, per round, the people who got a DM about it: a proposal,
// a notice or a ghost message (the round is in the message metadata).
func toldAbout(fake *slackfake.Server, people []string) map[string]map[string]bool {
	byChannel := map[string]string{}
	for _, id := range people {
		if ch, ok := fake.DMChannel(id); ok {
			byChannel[ch] = id
		}
	}
	told := map[string]map[string]bool{}
	for ch, id := range byChannel {
		for _, m := range fake.Messages(ch) {
			if m.Metadata == nil {
				continue
			}
			if round, _ := m.Metadata.EventPayload["round"].(string); round != "" {
				if told[round] == nil {
					told[round] = map[string]bool{}
				}
				told[round][id] = true
			}
		}
	}
	return told
}

// TestNoSilentDropOverASeason runs 52 weekly rounds for 50 people with
// random attendance (retros answered or not), skips, pauses, leavers and
// returners, and checks after every round that every active, available
// person either has a session in it or was told why not.
func TestNoSilentDropOverASeason(t *testing.T) {
	if testing.Short() {
		t.Skip("a season of rounds")
	}
	const people, rounds = 50, 52
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	t.Cleanup(fake.Close)
	dbPath := filepath.Join(t.TempDir(), "pollen.db")
	seedTeamTB(t, fake, dbPath, people, sunday)
	w := startWorld(t, fake, sunday, dbPath)
	if err := w.db.Update(func(tx *store.Tx) error { return tx.PutSettings(pairing.DefaultTeamSettings()) }); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, people)
	for i := range ids {
		ids[i] = fmt.Sprintf("U%04d", i)
	}
	r := rand.New(rand.NewPCG(11, 12))
	w.at(sunday)
	checked := 0
	for week := range rounds {
		at := monday.AddDate(0, 0, 7*week)
		// Between rounds: people skip, pause, leave and come back.
		for _, id := range ids {
			switch x := r.IntN(100); {
			case x < 4:
				w.pair(id, "skip next")
			case x < 6:
				w.pair(id, "leave")
			case x < 10:
				w.pair(id, "join")
			case x < 12:
				w.pair(id, "resume")
			}
		}
		w.clock.Set(at.Add(-time.Minute))
		var roster []pairing.Person
		w.db.View(func(tx *store.Tx) (err error) { roster, err = tx.People(); return err })
		id := pairing.RoundID(at)
		w.at(at)
		sessions := w.roundSessions(id)
		told := toldAbout(fake, ids)[id]
		all := w.sessions()
		for _, p := range roster {
			if !p.ActiveAt(at.Add(2*time.Hour)) || p.SkipsRound(id) {
				continue // not available this round
			}
			// Someone who stopped answering is asked once, then stays out
			// quietly until they answer: that counts as told.
			ghost := pairing.IgnoredInARow(p, all, at) >= 3 && countKind(w.dmsTo(p.ID), "ghost") > 0
			if !inAny(sessions, p.ID) && !told[p.ID] && !ghost {
				t.Fatalf("round %s: %s is active and available but has no session and was not told why", id, p.ID)
			}
			checked++
		}
		// After the slots: about 80% of sessions are confirmed by a learner.
		w.at(at.AddDate(0, 0, 5))
		for _, s := range sessions {
			if r.Float64() < 0.8 {
				if m, ok := w.messageOf(s, "retro"); ok {
					fake.ClickButton(w.ctx(), s.Learners[0], m, "retro_done", s.ID)
				}
			}
		}
	}
	t.Logf("%d rounds, %d person-rounds checked: everyone available had a session or a reason", rounds, checked)
}
