package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

// toldAbout lists, per round, the people who got a DM about it: a proposal,
// a notice or a ghost message (the round is in the message metadata). A
// heads-up is a promise, not an answer, and does not count.
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
			switch m.Metadata.EventPayload["kind"] {
			case "proposal", "notice", "ghost":
			default:
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

// seasonRounds is how many weekly rounds TestNoSilentDropOverASeason runs:
// 16 by default (a quarter, enough for leavers to come back and ghosts to be
// asked and to answer, in about a third of a full season's time under
// -race), the whole year of 52 with -season.
var seasonFull = flag.Bool("season", false, "run TestNoSilentDropOverASeason over a whole year (52 rounds) instead of a quarter (16)")

// TestNoSilentDropOverASeason runs weekly rounds (16, or 52 with -season)
// for 50 people with
// random attendance (any participant answers the retro, or nobody does),
// declines, skips, pauses, leavers and returners, and out-of-office
// statuses, with the heads-up on the Friday before each round. After every
// round it checks that every active, available person either has a session
// in it or was told why not, and that everyone promised a session by a
// heads-up got one or was told why not.
func TestNoSilentDropOverASeason(t *testing.T) {
	if testing.Short() {
		t.Skip("a season of rounds")
	}
	const people = 50
	rounds := 16
	if *seasonFull {
		rounds = 52
	}
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	t.Cleanup(fake.Close)
	dbPath := filepath.Join(t.TempDir(), "pollen.db")
	seedTeamTB(t, fake, dbPath, people, sunday)
	w := startWorld(t, fake, sunday, dbPath)
	if err := w.db.Update(func(tx *engine.Tx) error { return tx.PutSettings(pairing.DefaultTeamSettings()) }); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, people)
	for i := range ids {
		ids[i] = fmt.Sprintf("U%04d", i)
	}
	r := rand.New(rand.NewPCG(11, 12))
	w.at(sunday)
	var checked, planned, toldWhy, ghostsQuiet, promised, away int
	for week := range rounds {
		at := monday.AddDate(0, 0, 7*week)
		// Between rounds: people skip, pause, leave and come back, and a
		// few set an out-of-office status for the coming week.
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
			u := slackfake.User{ID: id, Name: strings.ToLower(id), TZ: "UTC"}
			if r.IntN(100) < 5 {
				u.StatusEmoji, u.StatusText = ":palm_tree:", "Away"
				away++
			}
			fake.AddUser(u)
		}
		id := pairing.RoundID(at)
		w.at(at.AddDate(0, 0, -3).Add(3 * time.Hour)) // Friday 12:00 UTC: heads-ups
		headsUp := map[string]bool{}
		for _, pid := range ids {
			for _, m := range w.dmsTo(pid) {
				if m.Metadata != nil && m.Metadata.EventPayload["kind"] == "heads_up" && m.Metadata.EventPayload["round"] == id {
					headsUp[pid] = true
				}
			}
		}
		w.clock.Set(at.Add(-time.Minute))
		var roster []pairing.Person
		if err := w.db.View(func(tx *engine.Tx) (err error) { roster, err = tx.People(); return err }); err != nil {
			t.Fatalf("round %s: read the roster: %v", id, err)
		}
		w.at(at)
		sessions := w.roundSessions(id)
		told := toldAbout(fake, ids)[id]
		all := w.sessions()
		for _, p := range roster {
			in, why := inAny(sessions, p.ID), told[p.ID]
			if headsUp[p.ID] {
				promised++
				if !in && !why {
					t.Fatalf("round %s: %s was promised a session by the heads-up, got none and was not told why", id, p.ID)
				}
			}
			if !p.ActiveAt(at.Add(2*time.Hour)) || p.SkipsRound(id) {
				continue // not available this round
			}
			// Someone who stopped answering is asked once, then stays out
			// quietly until they answer: that counts as told.
			ghost := pairing.IgnoredInARow(p, all, at) >= 3 && countKind(w.dmsTo(p.ID), "ghost") > 0
			switch {
			case in:
				planned++
			case why:
				toldWhy++
			case ghost:
				ghostsQuiet++
			default:
				t.Fatalf("round %s: %s is active and available but has no session and was not told why", id, p.ID)
			}
			checked++
		}
		// Some proposals are declined at once; after the slots, about 70%
		// of sessions are confirmed and 10% reported as not having
		// happened, each by a random participant.
		for _, s := range sessions {
			if r.Float64() < 0.1 {
				if m, ok := w.messageOf(s, "proposal"); ok {
					ps := s.Participants()
					w.clickAndWait(ps[r.IntN(len(ps))], m, "session_decline", s.ID, func() bool {
						x := w.session(s.ID)
						return x.State.Final() || len(x.Learners) != len(s.Learners)
					})
				}
			}
		}
		// Each week, half of those left out for ignoring proposals answer
		// the question whether to stay with Stay in.
		for _, pid := range ids {
			if m, ok := w.lastDM(pid, "ghost"); ok && pairing.IgnoredInARow(w.person(pid), all, at) >= 3 && r.IntN(2) == 0 {
				before := w.person(pid).StayedInAt
				w.clickAndWait(pid, m, "ghost_stay", "", func() bool { return w.person(pid).StayedInAt.After(before) })
			}
		}
		w.at(at.AddDate(0, 0, 5))
		for _, s := range w.roundSessions(id) {
			action := ""
			switch x := r.Float64(); {
			case x < 0.7:
				action = "retro_done"
			case x < 0.8:
				action = "retro_missed"
			}
			if m, ok := w.messageOf(s, "retro"); ok && action != "" && !s.State.Final() {
				ps := s.Participants()
				w.clickAndWait(ps[r.IntN(len(ps))], m, action, s.ID, func() bool { return w.session(s.ID).State.Final() })
			}
		}
	}
	t.Logf("%d rounds, %d person-rounds checked: %d with a session, %d told why not, %d quiet ghosts; %d heads-ups kept, %d out-of-office weeks",
		rounds, checked, planned, toldWhy, ghostsQuiet, promised, away)
	if planned < checked*3/4 {
		t.Errorf("only %d of %d available person-rounds had a session", planned, checked)
	}
	if ghostsQuiet > checked/20 {
		t.Errorf("%d of %d person-rounds passed only as quiet ghosts: the check barely checks", ghostsQuiet, checked)
	}
	if promised == 0 || toldWhy == 0 {
		t.Errorf("the season sent %d heads-ups and told %d people why: a season should have both", promised, toldWhy)
	}
}

// clickAndWait clicks and waits until the bot has done what the click asks
// (done says so), so that the season does not depend on how fast the bot
// handles clicks (under -race, slower).
func (w *world) clickAndWait(user string, m slackfake.Message, action, value string, done func() bool) {
	w.t.Helper()
	if _, err := w.fake.ClickButton(w.ctx(), user, m, action, value); err != nil {
		w.t.Fatalf("%s clicks %s: %v", user, action, err)
	}
	if err := w.fake.WaitFor(w.ctx(), done); err != nil {
		w.t.Fatalf("%s clicked %s on %s and nothing happened: %v", user, action, value, err)
	}
}
