package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// rotationOf reads one rotation's record.
func (h *harness) rotationOf(id string) (pairing.Rotation, bool) {
	h.t.Helper()
	var rotations []pairing.Rotation
	if err := h.db.Snapshot(h.ctx(), func(r store.Reader) (err error) { rotations, err = r.Rotations(); return err }); err != nil {
		h.t.Fatal(err)
	}
	for _, r := range rotations {
		if r.ID == id {
			return r, true
		}
	}
	return pairing.Rotation{}, false
}

// An admin starts a channel's rotation: it gets the schedule given, the
// admin's zone and its digest in the channel; the intro's Join button
// joins the clicker to it; list shows it; stop keeps its members.
func TestRotationStartJoinListStop(t *testing.T) {
	h := newHarness(t)
	bot := h.fake.BotUserID
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{bot, "UANA", "UBO"}})
	h.fake.AddChannel(slackfake.Channel{ID: "CML", Name: "ml", Members: []string{bot, "UANA", "UBO"}})

	if got := h.runIn("UANA", "CFORE", "rotation start biweekly wednesday 10:30").Text; !strings.Contains(got, "Started this channel's rotation") {
		t.Fatalf("rotation start: %q", got)
	}
	rot, ok := h.rotationOf("CFORE")
	if !ok || rot.Channel != "CFORE" || !rot.Active() {
		t.Fatalf("rotation not recorded: %+v", rot)
	}
	s, err := h.db.Settings(store.WithRotation(h.ctx(), "CFORE"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Schedule != "30 10 * * WED" || s.TimeZone != "Europe/Berlin" || s.Channel != "CFORE" {
		t.Fatalf("the rotation's settings: %+v", s)
	}
	if d, _ := h.db.Settings(h.ctx()); d.Schedule != pairing.DefaultTeamSettings().Schedule {
		t.Fatalf("the default rotation's settings changed: %+v", d)
	}

	intro := h.fake.Messages("CFORE")
	if len(intro) != 1 || !strings.Contains(intro[0].AllText(), "Press *Join*") {
		t.Fatalf("intro: %+v", intro)
	}
	if _, err := h.fake.ClickButton(h.ctx(), "UBO", intro[0], actionRotationJoin, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { _, in := h.memberIn("CFORE", "UBO"); return in }); err != nil {
		t.Fatal("Join did not join the clicker to the rotation")
	}
	if p, _ := h.memberIn("CFORE", "UBO"); p.Cadence != pairing.Biweekly {
		t.Fatalf("Join gave the cadence %q, not the intro's", p.Cadence)
	}
	if _, in := h.memberIn(pairing.DefaultRotation, "UBO"); in {
		t.Fatal("Join joined the default rotation too")
	}

	list := h.runIn("UCY", "", "rotation list").Text
	if !strings.Contains(list, "<#CFORE>: 1 member, schedule `30 10 * * WED` (Europe/Berlin), next round Wednesday") {
		t.Fatalf("rotation list: %q", list)
	}

	if got := h.runIn("UANA", "CFORE", "rotation stop").Text; !strings.Contains(got, "Stopped") {
		t.Fatalf("rotation stop: %q", got)
	}
	if rot, _ := h.rotationOf("CFORE"); rot.Active() {
		t.Fatal("the rotation still runs")
	}
	if _, in := h.memberIn("CFORE", "UBO"); !in {
		t.Fatal("stop lost the rotation's members")
	}
	if list := h.runIn("UCY", "", "rotation list").Text; !strings.Contains(list, "<#CFORE>: 1 member") || !strings.Contains(list, "stopped") {
		t.Fatalf("rotation list after stop: %q", list)
	}
}

// A cross-team rotation is across the rotations of the channels it names.
func TestRotationStartAcross(t *testing.T) {
	h := newHarness(t)
	bot := h.fake.BotUserID
	for _, id := range []string{"CFORE", "CML", "CDATA"} {
		h.fake.AddChannel(slackfake.Channel{ID: id, Name: strings.ToLower(id), Members: []string{bot, "UANA"}})
	}
	h.runIn("UANA", "CFORE", "rotation start")
	h.runIn("UANA", "CML", "rotation start monday 09:00")
	if got := h.runIn("UANA", "CDATA", "rotation start across <#CFORE|fore> <#CML|ml>").Text; !strings.Contains(got, "Started") || strings.Contains(got, "Join") {
		t.Fatalf("rotation start across: %q", got)
	}
	if rot, _ := h.rotationOf("CDATA"); strings.Join(rot.Across, ",") != "CFORE,CML" {
		t.Fatalf("across: %+v", rot)
	}
}

// Bad input: each a one-line answer, and nothing written.
func TestRotationCommandsRefuseBadInput(t *testing.T) {
	h := newHarness(t)
	bot := h.fake.BotUserID
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{bot, "UANA"}})
	h.fake.AddChannel(slackfake.Channel{ID: "CML", Name: "ml", Members: []string{bot, "UANA"}})
	h.fake.AddChannel(slackfake.Channel{ID: "COUT", Name: "outside", Members: []string{"UANA"}})
	h.fake.AddChannel(slackfake.Channel{ID: "CSECRET", Name: "secret", IsPrivate: true, Members: []string{"UANA"}})
	h.runIn("UANA", "CFORE", "rotation start")

	tests := []struct {
		name, user, channel, text, want string
	}{
		{"public channel Pollen is not in", "UANA", "COUT", "rotation start", "I'm not in this channel"},
		{"private channel Pollen is not in", "UANA", "CSECRET", "rotation start", "I'm not in this channel"},
		{"a second start in one channel", "UANA", "CFORE", "rotation start", "already has a rotation"},
		{"across a channel without a rotation", "UANA", "CML", "rotation start across <#CFORE|fore> <#COUT|out>", "<#COUT> has no rotation"},
		{"not an admin", "UBO", "CML", "rotation start", "Only admins"},
		{"stop where none runs", "UANA", "CML", "rotation stop", "has no rotation running"},
		{"start in a DM", "UANA", "", "rotation start", "in the team's channel"},
		{"a DM command with no rotation", "UCY", "", "skip", "not in any rotation"},
		{"a bad schedule", "UANA", "CML", "rotation start weekly someday 25:00", "Give the cadence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, posts := h.snapshot(), len(h.fake.Calls("chat.postMessage"))
			got := h.runIn(tt.user, tt.channel, tt.text).Text
			if !strings.Contains(got, tt.want) {
				t.Fatalf("/pair %s: %q, want %q", tt.text, got, tt.want)
			}
			if strings.Count(strings.TrimSpace(got), "\n") > 1 {
				t.Errorf("not a short answer: %q", got)
			}
			if h.snapshot() != before {
				t.Fatal("a refused rotation command wrote something")
			}
			if n := len(h.fake.Calls("chat.postMessage")) - posts; n > 0 && tt.want != "I'm not in this channel" {
				t.Fatalf("a refused rotation command posted %d messages", n)
			}
		})
	}
}

// A heads-up of a channel's rotation is worded from that rotation (its
// roster: the person is in no other), and its Skip button skips the round
// of that rotation.
func TestHeadsUpOfARotationSkipsItsRound(t *testing.T) {
	h := newHarness(t)
	h.addRotation("CFORE")
	h.runIn("UDI", "CFORE", "join")
	planned := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ref, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.HeadsUp, Rotation: "CFORE", Round: "2026-W49",
		Users: []string{"UDI"}, At: planned, CreatedAt: start, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := h.fake.Message(ref.Channel, ref.TS)
	if _, err := h.fake.ClickButton(h.ctx(), "UDI", msg, actionRoundSkip, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { p, _ := h.memberIn("CFORE", "UDI"); return p.SkipsRound("2026-W49") }); err != nil {
		t.Fatal("the heads-up's Skip did not skip the rotation's round")
	}
}

// The App Home of someone in one channel's rotation shows that rotation,
// and its Skip button skips there.
func TestAppHomeShowsThePersonsOnlyRotation(t *testing.T) {
	h := newHarness(t)
	h.addRotation("CFORE")
	h.runIn("UDI", "CFORE", "join")
	if _, err := h.fake.OpenAppHome(h.ctx(), "UDI"); err != nil {
		t.Fatal(err)
	}
	var home slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool { var ok bool; home, ok = h.fake.HomeView("UDI"); return ok }); err != nil {
		t.Fatal(err)
	}
	if text := home.AllText(); strings.Contains(text, "not in the rotation yet") || !strings.Contains(text, "Skip the next round") {
		t.Fatalf("App Home of a member of #fore only:\n%s", text)
	}
	if _, err := h.fake.ClickHomeButton(h.ctx(), "UDI", actionHomeSkip, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { p, _ := h.memberIn("CFORE", "UDI"); return p.SkipNext }); err != nil {
		t.Fatal("the Home's Skip did not skip in the person's rotation")
	}
}

// The ghost question of a channel's rotation pauses its member there.
func TestGhostButtonsActOnThePersonsOnlyRotation(t *testing.T) {
	h := newHarness(t)
	h.addRotation("CFORE")
	h.runIn("UDI", "CFORE", "join")
	ref, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.Ghost, Rotation: "CFORE", Round: "2026-W49",
		Users: []string{"UDI"}, CreatedAt: start, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := h.fake.Message(ref.Channel, ref.TS)
	if _, err := h.fake.ClickButton(h.ctx(), "UDI", msg, actionGhostPause, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { p, _ := h.memberIn("CFORE", "UDI"); return p.Status == pairing.Paused }); err != nil {
		t.Fatal("Pause did not pause the person in their rotation")
	}
}
