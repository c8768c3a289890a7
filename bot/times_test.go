package bot

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// deliverProposal stores s and sends its proposal through the outbox path.
func (h *harness) deliverProposal(s pairing.Session) slackfake.Message {
	h.t.Helper()
	if err := h.apply(store.Change{Sessions: []pairing.Session{s}}); err != nil {
		h.t.Fatal(err)
	}
	ref, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: s.ID,
		Users: s.Participants(), CreatedAt: h.clock.Now(), Attempts: 1})
	if err != nil {
		h.t.Fatal(err)
	}
	msg, ok := h.fake.Message(ref.Channel, ref.TS)
	if !ok {
		h.t.Fatal("the proposal is not in Slack")
	}
	return msg
}

// The proposal shows its slot with Slack's date formatting (each reader's
// own time, a plain UTC fallback), once; after everyone accepts, either
// can still call it off until the slot begins, and not after.
func TestAnAcceptedSessionCanBeCalledOffBeforeItsSlot(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	slot := time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC) // Thursday
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UCY"},
		Slot: slot, Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start}
	msg := h.deliverProposal(s)
	token := "<!date^1795701600^{date_short_pretty} {time}|Thu 26 Nov 14:00 UTC>"
	if got := msg.AllText(); !strings.Contains(got, "*When:* "+token+" (60 min)") {
		t.Errorf("the proposal's When line: %s", got)
	}
	for _, u := range s.Participants() {
		h.fake.ClickButton(h.ctx(), u, msg, actionAccept, "")
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		m, _ := h.fake.Message(msg.Channel, msg.TS)
		return slices.Contains(m.ActionIDs(), actionCallOff)
	}); err != nil {
		t.Fatal("the accepted proposal offers no way to call it off")
	}
	msg, _ = h.fake.Message(msg.Channel, msg.TS)

	h.clock.Set(slot.Add(time.Minute))
	if got := h.nextEphemeral("UCY", func() { h.fake.ClickButton(h.ctx(), "UCY", msg, actionCallOff, "") }); !strings.HasPrefix(got, "Too late to call it off") {
		t.Errorf("calling off after the slot began: %q", got)
	}
	h.clock.Set(slot.Add(-time.Hour))
	if got := h.nextEphemeral("UCY", func() { h.fake.ClickButton(h.ctx(), "UCY", msg, actionCallOff, "") }); got != "Understood: this session is off for this week." {
		t.Errorf("calling off before the slot: %q", got)
	}
	stored := h.storedSession(s.ID)
	if stored.State != pairing.Skipped || !slices.Contains(stored.Responded, "UCY") {
		t.Errorf("after calling off: %s, responded %v", stored.State, stored.Responded)
	}
	if m, _ := h.fake.Message(msg.Channel, msg.TS); !strings.Contains(m.AllText(), "<@UCY> can't make it, so this session is off.") ||
		strings.Contains(m.AllText(), "_Why:_") || slices.Contains(m.ActionIDs(), actionCallOff) {
		t.Errorf("the proposal after calling off: %s %v", m.AllText(), m.ActionIDs())
	}
}

// The heads-up names the day the session can first be on in the person's
// own hours, not the planning instant: for Di in Tokyo a round planned on
// Monday 09:00 UTC (18:00 in Tokyo) starts on Tuesday.
func TestHeadsUpNamesTheSessionDay(t *testing.T) {
	h := newHarness(t)
	h.run("UDI", "join")
	planned := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ref, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.HeadsUp, Round: "2026-W49",
		Users: []string{"UDI"}, At: planned, CreatedAt: start, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := h.fake.Message(ref.Channel, ref.TS)
	tuesday := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) // 09:00 in Tokyo
	want := "will be on *<!date^" + strconv.FormatInt(tuesday.Unix(), 10) + "^{date_long_pretty}|Tuesday 1 December>* or later that week"
	if got := msg.AllText(); !strings.Contains(got, want) || strings.Contains(got, "18:00") {
		t.Errorf("heads-up: %s\nwant it to contain %s", got, want)
	}
}

// icsFiles are the .ics files uploaded so far, oldest first.
func (h *harness) icsFiles() []string {
	var out []string
	for _, u := range h.fake.Uploads() {
		if strings.HasSuffix(u.Filename, ".ics") && u.Completed {
			out = append(out, string(u.Data))
		}
	}
	return out
}

func icsField(ics, name string) string {
	for _, line := range strings.Split(ics, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	return ""
}

// A proposal offers other times on later days of the round's week that fit
// everyone's hours; a participant moves an accepted session to one: the
// proposal shows the new time, and the calendar file comes again with the
// same UID, the new start and a higher SEQUENCE. A made-up time is refused.
func TestAParticipantMovesTheSessionToAnotherTime(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	slot := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) // Wednesday of 2026-W48
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: slot, Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start}
	msg := h.deliverProposal(s)
	thu, fri := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	text := msg.AllText()
	for _, at := range []time.Time{thu, fri} {
		if !strings.Contains(text, "<!date^"+strconv.FormatInt(at.Unix(), 10)+"^") {
			t.Errorf("the proposal does not offer %v: %s", at, text)
		}
	}
	for _, u := range s.Participants() {
		h.fake.ClickButton(h.ctx(), u, msg, actionAccept, "")
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.icsFiles()) == 1 }); err != nil {
		t.Fatal("no calendar file after both accepted")
	}
	msg, _ = h.fake.Message(msg.Channel, msg.TS)
	if got := h.nextEphemeral("UCY", func() { h.fake.ClickButton(h.ctx(), "UCY", msg, actionMove, s.ID+"|1795600000") }); !strings.HasPrefix(got, "That time is no longer one of this session's options") {
		t.Errorf("a made-up time: %q", got)
	}
	moveTo := s.ID + "|" + strconv.FormatInt(thu.Unix(), 10)
	if got := h.nextEphemeral("UCY", func() { h.fake.ClickButton(h.ctx(), "UCY", msg, actionMove, moveTo) }); !strings.HasPrefix(got, "Moved: the session is now") {
		t.Errorf("moving: %q", got)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.icsFiles()) == 2 }); err != nil {
		t.Fatal("no updated calendar file after the move")
	}
	stored := h.storedSession(s.ID)
	if !stored.Slot.Equal(thu) || stored.State != pairing.Accepted {
		t.Errorf("stored after the move: %v %s", stored.Slot, stored.State)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		m, _ := h.fake.Message(msg.Channel, msg.TS)
		return strings.Contains(m.AllText(), "*When:* <!date^"+strconv.FormatInt(thu.Unix(), 10)+"^") &&
			strings.Contains(m.AllText(), "<@UCY> moved this session to")
	}); err != nil {
		m, _ := h.fake.Message(msg.Channel, msg.TS)
		t.Errorf("the proposal does not show the new time and who moved it: %s", m.AllText())
	}
	files := h.icsFiles()
	before, after := files[0], files[1]
	seq := func(ics string) int { n, _ := strconv.Atoi(icsField(ics, "SEQUENCE")); return n }
	if icsField(before, "UID") != icsField(after, "UID") || seq(after) <= seq(before) || icsField(after, "DTSTART") != "20261126T090000Z" {
		t.Errorf("the moved event: UID %s→%s, SEQUENCE %d→%d, DTSTART %s", icsField(before, "UID"), icsField(after, "UID"), seq(before), seq(after), icsField(after, "DTSTART"))
	}
}

// A participant proposes a time of their own with the proposal's
// datetimepicker: one inside everyone's hours moves the session, one
// outside them is refused in one line and changes nothing.
func TestAParticipantProposesAnotherTimeWithThePicker(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	slot := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: slot, Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start}
	msg := h.deliverProposal(s)
	pick := func(at time.Time) string {
		return h.nextEphemeral("UCY", func() {
			if _, err := h.fake.PickDateTime(h.ctx(), "UCY", msg, actionProposeTime, at); err != nil {
				t.Fatal(err)
			}
		})
	}
	saturday := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	if got := pick(saturday); !strings.Contains(got, "outside someone's working hours") {
		t.Errorf("a Saturday: %q", got)
	}
	tuesday := time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC) // 15:30 in Berlin, 14:30 in London: an hour fits both
	if got := pick(tuesday); !strings.HasPrefix(got, "Moved: the session is now") {
		t.Errorf("a time inside everyone's hours: %q", got)
	}
	stored := h.storedSession(s.ID)
	if !stored.Slot.Equal(tuesday) || stored.Moves != 1 {
		t.Errorf("stored: slot %v, moves %d", stored.Slot, stored.Moves)
	}
	// The retro follows the moved slot: due 15 minutes after the new end,
	// a day before the old slot.
	h.tick(tuesday.Add(time.Hour + 16*time.Minute).Format(time.RFC3339))
	var retros int
	for _, it := range h.outbox() {
		if it.Kind == outbox.Retro && it.SessionID == s.ID {
			retros++
		}
	}
	if retros != 1 {
		t.Errorf("%d retros queued after the moved slot, want 1", retros)
	}
}
