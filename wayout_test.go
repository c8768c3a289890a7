package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// Every message Pollen sends to a person carries the way-out menu (Pause 4
// weeks, Leave the rotation), including a message after a click has
// rewritten it; files come in the thread of a message that carries it. The
// week below sends each kind: heads-up, proposal, sit-out notice, the .ics
// of an accepted session, reminder, retro and its rewrite, a logged
// session's confirmation and its rewrite, /pair stats charts and the ghost
// question. Private replies to a command or a click are answers, not
// messages sent to a person, and are not walked; nor do the posts that
// answer what the person asked or did (the /pair stats announcement, the
// "Everyone accepted" calendar note) carry the menu: on those it reads as
// noise (issue 15), and the files in their threads hang off them.
func TestEveryMessageToAPersonHasAWayOut(t *testing.T) {
	w := newWorld(t, friday.Add(-time.Hour), "")
	w.setup()
	// Fox works hours nobody else shares: a sit-out notice.
	w.fake.AddUser(slackfake.User{ID: "UFOX", Name: "fox", DisplayName: "Fox", TZ: "Pacific/Auckland"})
	w.pair("UFOX", "join")
	w.pair("UFOX", "hours 09:00-10:00")
	// Rounds at 16:00 in Berlin put the slots on later days: reminders.
	w.pair("UANA", "config timezone Europe/Berlin")
	w.pair("UANA", `config schedule "0 16 * * MON"`)
	w.at(friday.Add(-time.Hour)) // epoch
	planned := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	for at := friday; !at.After(planned); at = at.Add(time.Hour) {
		w.at(at) // heads-ups, then proposals and the sit-out notice
	}
	round := pairing.RoundID(planned)
	ss := w.roundSessions(round)
	if len(ss) != 2 {
		t.Fatalf("%d sessions, want 2", len(ss))
	}

	// Everyone in the first session accepts: the .ics comes in its thread.
	proposal, _ := w.messageOf(ss[0], "proposal")
	for _, p := range ss[0].Participants() {
		w.fake.ClickButton(w.ctx(), p, proposal, "session_accept", ss[0].ID)
		w.fake.WaitFor(w.ctx(), func() bool { return slices.Contains(w.session(ss[0].ID).Accepted, p) })
	}
	waitUploads(t, w, ".ics", 1)

	// Hour by hour through the week: reminders and retros.
	for at := planned.Add(time.Hour); at.Before(planned.AddDate(0, 0, 5)); at = at.Add(time.Hour) {
		w.at(at)
	}
	for i, action := range []string{"retro_done", "retro_missed"} {
		retro, ok := w.messageOf(ss[i], "retro")
		if !ok {
			t.Fatalf("no retro for session %d", i)
		}
		w.fake.ClickButton(w.ctx(), ss[i].Host, retro, action, ss[i].ID)
		waitRewritten(t, w, retro)
	}

	// A session logged by hand: Di confirms Cy's log.
	if got := w.pair("UCY", "log <@UDI|di> etl"); !strings.Contains(got, "asked <@UDI> to confirm") {
		t.Fatalf("/pair log: %q", got)
	}
	dm, _ := w.fake.DMChannel("UDI")
	msgs := w.fake.Messages(dm)
	logDM := msgs[len(msgs)-1]
	w.fake.ClickButton(w.ctx(), "UDI", logDM, "log_confirm", logDM.Metadata.EventPayload["session_id"].(string))
	waitRewritten(t, w, logDM)

	// /pair stats: the charts, in Ana's DM.
	w.pair("UANA", "stats")
	waitUploads(t, w, ".png", 4)

	// The ghost question, as the scheduler queues it for someone who let
	// three proposals pass.
	if err := w.db.Update(func(tx *engine.Tx) error {
		return tx.PutOutbox(outbox.Item{ID: store.NewID(), Kind: outbox.Ghost, Round: round, Users: []string{"UBO"}, CreatedAt: w.clock.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	w.drain()

	channels := map[string]bool{}
	for _, u := range append(team, slackfake.User{ID: "UFOX"}) {
		if ch, ok := w.fake.DMChannel(u.ID); ok {
			channels[ch] = true
		}
	}
	for _, s := range w.sessions() {
		if ch, ok := w.fake.DMChannel(s.Participants()...); ok {
			channels[ch] = true
		}
	}
	seen := map[string]int{}
	for ch := range channels {
		for _, m := range w.fake.Messages(ch) {
			if m.Ephemeral || m.FromAck || m.FromResponseURL {
				continue
			}
			kind := "unmarked"
			if m.Metadata != nil {
				kind, _ = m.Metadata.EventPayload["kind"].(string)
				if kind == "" {
					kind = "log"
				}
			}
			if m.Updates > 0 {
				kind += " (rewritten)"
			}
			if isAnswer(m.Text) {
				seen["answer"]++
				if slices.Contains(m.ActionIDs(), "way_out") {
					t.Errorf("the answer %q in %s carries the Pause / Leave menu", m.Text, ch)
				}
				continue
			}
			if len(m.Files) > 0 && m.Text == "" && len(m.BlockList) == 0 {
				// A file with no words of its own: the message it belongs to
				// is the one that opens its thread.
				parent, ok := w.fake.Message(ch, m.ThreadTS)
				if ok && isAnswer(parent.Text) {
					seen["file"]++
					continue
				}
				if !ok || !slices.Contains(parent.ActionIDs(), "way_out") {
					t.Errorf("a file in %s is not in the thread of a message with the way out (parent %q)", ch, parent.Text)
				}
				seen["file"]++
				continue
			}
			seen[kind]++
			if !slices.Contains(m.ActionIDs(), "way_out") {
				t.Errorf("%s message in %s has no way out: %q, actions %v", kind, ch, m.Text, m.ActionIDs())
			}
		}
	}
	for _, kind := range []string{"heads_up", "proposal (rewritten)", "proposal", "notice", "reminder", "retro (rewritten)",
		"log (rewritten)", "ghost", "answer", "file"} {
		if seen[kind] == 0 {
			t.Errorf("the week sent no %s message to a person; seen %v", kind, seen)
		}
	}
}

// isAnswer tells the posts that answer what a person asked or did.
func isAnswer(text string) bool {
	return strings.HasPrefix(text, "Your team knowledge report") || strings.HasPrefix(text, "Everyone accepted: here it is for your calendar")
}

// The sit-out notice says once, with the date, that the person is first
// in line next round: the planner's reason says why, the bot says when.
func TestSitOutNoticeSaysFirstInLineOnce(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.fake.AddUser(slackfake.User{ID: "UFOX", Name: "fox", DisplayName: "Fox", TZ: "Pacific/Auckland"})
	w.pair("UFOX", "join")
	w.pair("UFOX", "hours 09:00-10:00")
	w.at(sunday)
	w.round(0)
	m, ok := w.lastDM("UFOX", "notice")
	if !ok {
		t.Fatalf("Fox was not told: %v", w.dmsTo("UFOX"))
	}
	const want = "You're first in line next round, on Monday 7 December."
	if n := strings.Count(m.Text, want); n != 1 {
		t.Errorf("notice has %q %d times, want once:\n%s", want, n, m.Text)
	}
	if n := strings.Count(m.Text, "first in line"); n != 1 {
		t.Errorf("notice says \"first in line\" %d times, want once:\n%s", n, m.Text)
	}
}

// waitUploads waits for n completed uploads whose names end with suffix.
func waitUploads(t *testing.T, w *world, suffix string, n int) {
	t.Helper()
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		done := 0
		for _, u := range w.fake.Uploads() {
			if strings.HasSuffix(u.Filename, suffix) && u.Completed {
				done++
			}
		}
		return done >= n
	}); err != nil {
		t.Fatalf("%d %s files never came: %v", n, suffix, err)
	}
}

// waitRewritten waits until a click has rewritten the message.
func waitRewritten(t *testing.T, w *world, m slackfake.Message) {
	t.Helper()
	if err := w.fake.WaitFor(w.ctx(), func() bool { x, _ := w.fake.Message(m.Channel, m.TS); return x.Updates > 0 }); err != nil {
		t.Fatalf("the click never rewrote %q: %v", m.Text, err)
	}
}
