package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

// dmsTo lists the messages in a person's DM with Pollen.
func (w *world) dmsTo(user string) []slackfake.Message {
	ch, ok := w.fake.DMChannel(user)
	if !ok {
		return nil
	}
	return w.fake.Messages(ch)
}

func (w *world) lastDM(user, kind string) (slackfake.Message, bool) {
	msgs := w.dmsTo(user)
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := msgs[i]; m.Metadata != nil && m.Metadata.EventPayload["kind"] == kind {
			return m, true
		}
	}
	return slackfake.Message{}, false
}

func (w *world) roundSessions(round string) []pairing.Session {
	var out []pairing.Session
	for _, s := range w.sessions() {
		if s.Round == round {
			out = append(out, s)
		}
	}
	return out
}

func inAny(sessions []pairing.Session, user string) bool {
	return slices.ContainsFunc(sessions, func(s pairing.Session) bool { return s.Has(user) })
}

// Friday 27 November 2026, 10:00 UTC: working hours for the team.
var friday = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestHeadsUpAndSkipThisRound(t *testing.T) {
	w := newWorld(t, friday.Add(-time.Hour), "")
	w.setup()
	w.at(friday.Add(-time.Hour)) // epoch
	w.at(friday)
	m, ok := w.lastDM("UCY", "heads_up")
	if !ok || !strings.Contains(m.AllText(), "Skip this round") || !strings.Contains(m.AllText(), "round 2026-W49") {
		t.Fatalf("no heads-up for Cy: %v", w.dmsTo("UCY"))
	}
	got := w.nextReply("UCY", func() { w.fake.ClickButton(w.ctx(), "UCY", m, "round_skip", "") })
	if !strings.Contains(got, "you skip round 2026-W49") || !strings.Contains(got, "Your next round is 2026-W50") {
		t.Errorf("skip confirmation: %q", got)
	}
	if got := w.nextReply("UCY", func() { w.fake.ClickButton(w.ctx(), "UCY", m, "round_skip", "") }); !strings.Contains(got, "already skipping") {
		t.Errorf("second click: %q", got)
	}
	w.at(friday.Add(time.Hour)) // no second heads-up
	if n := countKind(w.dmsTo("UCY"), "heads_up"); n != 1 {
		t.Errorf("%d heads-ups to Cy, want 1", n)
	}
	w.at(monday)
	if inAny(w.roundSessions("2026-W49"), "UCY") {
		t.Error("Cy skipped the round but got a session")
	}
	if p := w.person("UCY"); p.Status != pairing.Active {
		t.Errorf("skipping one round changed Cy's status to %s", p.Status)
	}
	// Once the round is planned, Skip is too late, and says so instead of
	// "Done" (checked in the transaction that would record the skip).
	late, ok := w.lastDM("UANA", "heads_up")
	if !ok {
		t.Fatalf("no heads-up for Ana: %v", w.dmsTo("UANA"))
	}
	if got := w.nextReply("UANA", func() { w.fake.ClickButton(w.ctx(), "UANA", late, "round_skip", "") }); !strings.Contains(got, "already planned") {
		t.Errorf("Skip after the round was planned: %q", got)
	}
	if w.person("UANA").SkipsRound("2026-W49") {
		t.Error("a Skip after the round was planned was recorded")
	}
}

// A biweekly person who had a session last round sits this one out by
// cadence, so the heads-up does not promise them a session; the week after
// it does.
func TestNoHeadsUpInABiweeklyPersonsOffWeek(t *testing.T) {
	w := newWorld(t, friday.Add(-time.Hour), "")
	w.setup()
	w.pair("UCY", "join biweekly")
	if c := w.person("UCY").Cadence; c != pairing.Biweekly {
		t.Fatalf("Cy's cadence is %s", c)
	}
	w.at(friday.Add(-time.Hour)) // epoch
	w.at(friday)
	if countKind(w.dmsTo("UCY"), "heads_up") != 1 {
		t.Fatal("no heads-up for Cy before her first round")
	}
	w.at(monday)
	if !inAny(w.roundSessions("2026-W49"), "UCY") {
		t.Fatal("Cy got no session in 2026-W49")
	}
	w.at(friday.AddDate(0, 0, 7)) // the working day before 2026-W50
	if n := countKind(w.dmsTo("UCY"), "heads_up"); n != 1 {
		t.Errorf("Cy got %d heads-ups by her off week, want still 1", n)
	}
	if n := countKind(w.dmsTo("UBO"), "heads_up"); n != 2 {
		t.Errorf("weekly Bo got %d heads-ups, want 2", n)
	}
	w.at(monday.AddDate(0, 0, 7))
	if inAny(w.roundSessions("2026-W50"), "UCY") {
		t.Error("Cy has a session in her off week")
	}
	w.at(friday.AddDate(0, 0, 14)) // before 2026-W51: Cy is back
	if n := countKind(w.dmsTo("UCY"), "heads_up"); n != 2 {
		t.Errorf("Cy got %d heads-ups before her next round, want 2", n)
	}
}

func countKind(msgs []slackfake.Message, kind string) int {
	n := 0
	for _, m := range msgs {
		if m.Metadata != nil && m.Metadata.EventPayload["kind"] == kind {
			n++
		}
	}
	return n
}

// nextReply runs a click and returns the private answer it got.
func (w *world) nextReply(user string, act func()) string {
	w.t.Helper()
	n := len(w.fake.Ephemerals(user))
	act()
	msgs, err := w.fake.WaitForEphemerals(w.ctx(), user, n+1)
	if err != nil {
		w.t.Fatalf("no answer to %s: %v", user, err)
	}
	return msgs[n].Text
}

func (w *world) person(id string) pairing.Person {
	w.t.Helper()
	var p pairing.Person
	if err := w.db.View(func(tx *engine.Tx) (err error) { p, err = tx.Person(id); return err }); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// weekly runs rounds from monday on, one a week, returning each round's ID.
func (w *world) round(n int) string {
	w.t.Helper()
	at := monday.AddDate(0, 0, 7*n)
	w.at(at)
	return pairing.RoundID(at)
}

func TestNobodyLeftOutInSilence(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	// Fox works hours nobody else shares: no session possible.
	w.fake.AddUser(slackfake.User{ID: "UFOX", Name: "fox", DisplayName: "Fox", TZ: "Pacific/Auckland"})
	w.pair("UFOX", "join")
	w.pair("UFOX", "hours 09:00-10:00")
	w.at(sunday)
	id := w.round(0)
	if inAny(w.roundSessions(id), "UFOX") {
		t.Fatal("Fox got a session without shared hours")
	}
	m, ok := w.lastDM("UFOX", "notice")
	if !ok || !strings.Contains(m.AllText(), "No session for you in round "+id) || !strings.Contains(m.AllText(), "first in line next round, on Monday 7 December") {
		t.Fatalf("Fox was not told why: %v", w.dmsTo("UFOX"))
	}
	if got := w.pair("UFOX", "why"); !strings.Contains(got, "You had no session in round "+id) {
		t.Errorf("/pair why for the left-out person: %q", got)
	}
	s := w.roundSessions(id)[0]
	got := w.pair(s.Learners[0], "why")
	if !strings.Contains(got, "_Why:_") || !strings.Contains(got, "The planner valued it at") {
		t.Errorf("/pair why for a paired person: %q", got)
	}
	if got := w.pair("UFOX", "why <@"+s.Learners[0]+"|x>"); strings.Contains(got, "Why") || !strings.Contains(got, s.Project) {
		t.Errorf("/pair why about someone else must show only the pairing: %q", got)
	}
}

func TestGhostIsLeftOutAndRestoredByStayIn(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday)
	ghost := "UCY" // a newcomer, who never clicks anything
	week := 0
	for ; week < 10; week++ {
		now := monday.AddDate(0, 0, 7*week)
		if pairing.IgnoredInARow(w.person(ghost), w.sessions(), now) >= 3 {
			break
		}
		ss := w.roundSessions(w.round(week))
		// Everyone but the ghost answers their retro: the ghost's partner
		// says it did not happen (a session that happened is no ghosting).
		w.at(now.AddDate(0, 0, 4))
		for _, s := range ss {
			action := "retro_done"
			if s.Has(ghost) {
				action = "retro_missed"
			}
			for _, p := range s.Participants() {
				if p == ghost {
					continue
				}
				if m, ok := w.messageOf(s, "retro"); ok {
					w.fake.ClickButton(w.ctx(), p, m, action, s.ID)
				}
				break
			}
		}
	}
	if week == 10 {
		t.Fatal("the ghost never had three proposals")
	}
	id := w.round(week)
	if inAny(w.roundSessions(id), ghost) {
		t.Fatalf("%s ignored three proposals and was still planned", ghost)
	}
	for _, m := range w.dmsTo(ghost) {
		if m.Metadata != nil && m.Metadata.EventPayload["kind"] == "heads_up" && strings.Contains(m.Text, "(round "+id+")") {
			t.Errorf("the ghost was promised a session in %s, which the planner then left them out of: %q", id, m.Text)
		}
	}
	m, ok := w.lastDM(ghost, "ghost")
	if !ok || !strings.Contains(m.AllText(), "Stay in") {
		t.Fatalf("the ghost got no Stay in / Pause / Leave DM: %v", w.dmsTo(ghost))
	}
	if got := w.pair("UANA", "roster"); !strings.Contains(got, "ignored the last 3 proposals") {
		t.Errorf("roster does not say why the ghost is left out:\n%s", got)
	}
	// Not asked again while they stay silent.
	w.round(week + 1)
	if n := countKind(w.dmsTo(ghost), "ghost"); n != 1 {
		t.Errorf("the ghost was asked %d times, want once", n)
	}
	if got := w.nextReply(ghost, func() { w.fake.ClickButton(w.ctx(), ghost, m, "ghost_stay", "") }); !strings.Contains(got, "you're in") {
		t.Errorf("stay in: %q", got)
	}
	if id := w.round(week + 2); !inAny(w.roundSessions(id), ghost) {
		t.Errorf("%s said Stay in but was left out of %s", ghost, id)
	}
}

// Someone who pairs every week but leaves the clicking to their partner is
// no ghost: the first *We paired* closes the retro for both.
func TestAQuietPersonWhoPairsIsNoGhost(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday)
	quiet := "UCY"
	paired := 0
	for week := range 5 {
		now := monday.AddDate(0, 0, 7*week)
		ss := w.roundSessions(w.round(week))
		if !inAny(ss, quiet) {
			t.Fatalf("week %d: %s was left out (%d ghost DMs)", week, quiet, countKind(w.dmsTo(quiet), "ghost"))
		}
		w.at(now.AddDate(0, 0, 4))
		for _, s := range ss {
			for _, p := range s.Participants() {
				if p == quiet {
					continue
				}
				m, ok := w.messageOf(s, "retro")
				if !ok {
					t.Fatalf("week %d: no retro for %+v", week, s)
				}
				if _, err := w.fake.ClickButton(w.ctx(), p, m, "retro_done", s.ID); err != nil {
					t.Fatal(err)
				}
				if err := w.fake.WaitFor(w.ctx(), func() bool { return w.session(s.ID).State == pairing.Done }); err != nil {
					t.Fatalf("week %d: *We paired* did not mark the session done: %v", week, err)
				}
				break
			}
		}
		for _, s := range w.roundSessions(pairing.RoundID(now)) {
			if s.Has(quiet) && s.State == pairing.Done {
				paired++
			}
		}
	}
	if paired != 5 {
		t.Fatalf("%s paired %d times in 5 rounds, want 5", quiet, paired)
	}
	if n := countKind(w.dmsTo(quiet), "ghost"); n != 0 {
		t.Errorf("%s paired every week and was asked %d times whether to stay", quiet, n)
	}
}

func TestHolidaySkipsARound(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.pair("UANA", "config holiday 2026-11-30..2026-12-01")
	w.at(sunday)
	id := w.round(0)
	if n := len(w.roundSessions(id)); n != 0 {
		t.Fatalf("%d sessions planned on a holiday", n)
	}
	var line bool
	for _, m := range w.fake.Messages("C0TEAM") {
		line = line || strings.Contains(m.AllText(), "No pairing round this week ("+id+"): holiday 2026-11-30..2026-12-01")
	}
	if !line {
		t.Error("no holiday line in the team channel")
	}
	if id := w.round(1); len(w.roundSessions(id)) == 0 {
		t.Error("the round after the holiday was not planned")
	}
}

func TestOutOfOfficeStatusExcludesThatPerson(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.fake.AddUser(slackfake.User{ID: "UCY", Name: "cy", DisplayName: "Cy", TZ: "Europe/Paris", StatusEmoji: ":palm_tree:", StatusText: "Hiking"})
	w.at(sunday)
	id := w.round(0)
	if inAny(w.roundSessions(id), "UCY") {
		t.Fatal("Cy is out of office but was planned")
	}
	if m, ok := w.lastDM("UCY", "notice"); !ok || !strings.Contains(m.AllText(), "status says you're away") {
		t.Fatalf("Cy was not told: %v", w.dmsTo("UCY"))
	}
}

func TestLeaveFromTheOverflowMenuOfADM(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday)
	id := w.round(0)
	s := w.roundSessions(id)[0]
	m, _ := w.messageOf(s, "proposal")
	who := s.Learners[0]
	if !slices.Contains(m.ActionIDs(), "way_out") {
		t.Fatalf("the proposal has no way out: %v", m.ActionIDs())
	}
	if got := w.nextReply(who, func() { w.fake.SelectOption(w.ctx(), who, m, "way_out", "leave") }); !strings.Contains(got, "left the rotation") {
		t.Errorf("leave: %q", got)
	}
	if p := w.person(who); p.Status != pairing.Left {
		t.Errorf("status after Leave: %s", p.Status)
	}
}

func TestAcceptedSessionComesWithACalendarFile(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday)
	id := w.round(0)
	s := w.roundSessions(id)[0]
	m, _ := w.messageOf(s, "proposal")
	for _, p := range s.Participants() {
		w.fake.ClickButton(w.ctx(), p, m, "session_accept", s.ID)
		w.fake.WaitFor(w.ctx(), func() bool { return slices.Contains(w.session(s.ID).Accepted, p) })
	}
	var ics string
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		for _, u := range w.fake.Uploads() {
			if strings.HasSuffix(u.Filename, ".ics") && u.Completed {
				ics = string(u.Data)
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal("no .ics after everyone accepted")
	}
	start := s.Slot.UTC().Format("20060102T150405Z")
	for _, want := range []string{"UID:" + s.ID + "@pollen", "DTSTART:" + start, "BEGIN:VEVENT"} {
		if !strings.Contains(ics, want) {
			t.Errorf(".ics lacks %q:\n%s", want, ics)
		}
	}
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		x, _ := w.fake.Message(m.Channel, m.TS)
		return strings.Contains(string(x.Blocks), "calendar.google.com")
	}); err != nil {
		t.Error("the accepted proposal has no Add to Google Calendar link")
	}
}

// TestAProposalShowsTheNewestStateWhenClicksCrossInFlight holds the first
// accept's chat.update for a second, so it reaches Slack after the second
// accept's: the proposal must still end with everyone accepted and its
// calendar link, not with the older picture.
func TestAProposalShowsTheNewestStateWhenClicksCrossInFlight(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday)
	id := w.round(0)
	s := w.roundSessions(id)[0]
	m, _ := w.messageOf(s, "proposal")
	w.fake.FailNext("chat.update", 1, slackfake.Delay{D: time.Second})
	for _, p := range s.Participants() {
		w.fake.ClickButton(w.ctx(), p, m, "session_accept", s.ID)
		w.fake.WaitFor(w.ctx(), func() bool { return slices.Contains(w.session(s.ID).Accepted, p) })
	}
	calendarShown := func() bool {
		x, _ := w.fake.Message(m.Channel, m.TS)
		return strings.Contains(string(x.Blocks), "calendar.google.com")
	}
	if err := w.fake.WaitFor(w.ctx(), calendarShown); err != nil {
		t.Fatal("the accepted proposal never showed its calendar link")
	}
	// Wait out the held update: it must not bring the older picture back.
	time.Sleep(1500 * time.Millisecond)
	if !calendarShown() {
		t.Error("an older redraw, held in flight, replaced the accepted proposal")
	}
}

func TestAnExclusionIsHonouredAndStaysPrivate(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday)
	// Without the exclusion the first round pairs someone with Ana; avoid
	// that person and check they are never paired with her again.
	first := w.roundSessions(w.round(0))
	other := ""
	for _, s := range first {
		if s.Has("UANA") {
			for _, p := range s.Participants() {
				if p != "UANA" {
					other = p
				}
			}
		}
	}
	if other == "" {
		t.Fatal("Ana had no partner in the first round; the test needs one")
	}
	if got := w.pair(other, "avoid <@UANA|ana>"); !strings.Contains(got, "never be paired") {
		t.Fatalf("avoid: %q", got)
	}
	for week := 1; week <= 4; week++ {
		for _, s := range w.roundSessions(w.round(week)) {
			if s.Has(other) && s.Has("UANA") {
				t.Fatalf("week %d paired %s with the person they avoid", week, other)
			}
			if strings.Contains(s.Reason, "avoid") {
				t.Errorf("a reason mentions the exclusion: %q", s.Reason)
			}
		}
	}
	if got := w.pair("UANA", "roster"); strings.Contains(got, "avoid") {
		t.Errorf("the roster reveals the exclusion:\n%s", got)
	}
}
