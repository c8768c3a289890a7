package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// wayOutOption is the value of the way-out menu's option labelled label
// in msg.
func wayOutOption(t *testing.T, msg slackfake.Message, label string) string {
	t.Helper()
	blocks, err := msg.SlackBlocks()
	if err != nil {
		t.Fatal(err)
	}
	for _, blk := range blocks.BlockSet {
		sec, ok := blk.(*slack.SectionBlock)
		if !ok || sec.Accessory == nil || sec.Accessory.OverflowElement == nil || sec.Accessory.OverflowElement.ActionID != actionWayOut {
			continue
		}
		for _, o := range sec.Accessory.OverflowElement.Options {
			if o.Text != nil && o.Text.Text == label {
				return o.Value
			}
		}
	}
	t.Fatalf("no way-out option %q in %q", label, msg.AllText())
	return ""
}

// Someone in the default rotation and #fore who presses Leave on the menu
// of a #fore session's proposal leaves #fore only; Pause on the menu of a
// default-rotation proposal pauses them there only.
func TestWayOutActsOnTheRotationOfItsMessage(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.addRotation("CFORE")
	h.runIn("UANA", "CFORE", "join")
	h.runIn("UCY", "CFORE", "join")
	fore := store.WithRotation(h.ctx(), "CFORE")
	s := pairing.Session{ID: store.NewID(), Rotation: "CFORE", Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: start.Add(26 * time.Hour), Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start}
	if _, err := h.db.Apply(fore, func(store.Reader) (store.Change, error) { return store.Change{Sessions: []pairing.Session{s}}, nil }); err != nil {
		t.Fatal(err)
	}
	ref, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, Rotation: "CFORE", SessionID: s.ID,
		Round: s.Round, Users: s.Participants(), CreatedAt: start, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := h.fake.Message(ref.Channel, ref.TS)
	if _, err := h.fake.SelectOption(h.ctx(), "UANA", msg, actionWayOut, wayOutOption(t, msg, "Leave the rotation")); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { p, _ := h.memberIn("CFORE", "UANA"); return p.Status == pairing.Left }); err != nil {
		t.Fatal("Leave on a #fore proposal did not leave #fore")
	}
	if p, _ := h.memberIn(pairing.DefaultRotation, "UANA"); p.Status != pairing.Active {
		t.Fatalf("Leave on a #fore proposal changed the default rotation: %+v", p.Membership)
	}

	// The default rotation's proposal: its menu acts there, #fore stays.
	def := h.deliverProposal(pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "UBO", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: start.Add(26 * time.Hour), Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start})
	if _, err := h.fake.SelectOption(h.ctx(), "UCY", def, actionWayOut, wayOutOption(t, def, "Pause 4 weeks")); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { p, _ := h.memberIn(pairing.DefaultRotation, "UCY"); return p.Status == pairing.Paused }); err != nil {
		t.Fatal("Pause on a default-rotation proposal did not pause there")
	}
	if p, _ := h.memberIn("CFORE", "UCY"); p.Status != pairing.Active {
		t.Fatalf("Pause on a default-rotation proposal changed #fore: %+v", p.Membership)
	}
}

// A way-out value naming a rotation the clicker is not in (values come
// from Slack, so it may be forged) gets one line and writes nothing.
func TestWayOutOfAnUnknownRotationWritesNothing(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	msg := h.deliverProposal(pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "UBO", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: start.Add(26 * time.Hour), Length: time.Hour, State: pairing.Proposed, CreatedAt: start, UpdatedAt: start})
	// Di, on no roster, picks Leave: refused, nothing written; her click
	// is the template of Cy's forged one.
	var ack slackfake.Ack
	if got := h.nextEphemeral("UDI", func() {
		var err error
		if ack, err = h.fake.SelectOption(h.ctx(), "UDI", msg, actionWayOut, optionLeave); err != nil {
			t.Fatal(err)
		}
	}); !strings.Contains(got, "not in the rotation") {
		t.Fatalf("Leave by someone on no roster answered %q", got)
	}
	before := h.snapshot()
	got := h.resend(ack.EnvelopeID, "UDI", func(p map[string]any) {
		p["user"] = map[string]any{"id": "UCY", "username": "cy", "team_id": h.fake.TeamID}
		a := p["actions"].([]any)[0].(map[string]any)
		a["selected_option"].(map[string]any)["value"] = optionLeave + "|CNOPE"
	})
	if !strings.Contains(got, "not in the rotation") || strings.Contains(got, "\n") {
		t.Fatalf("Leave of an unknown rotation answered %q", got)
	}
	if h.snapshot() != before {
		t.Fatal("Leave of an unknown rotation wrote something")
	}
	if p, _ := h.memberIn(pairing.DefaultRotation, "UCY"); p.Status != pairing.Active {
		t.Fatalf("Cy's membership changed: %+v", p.Membership)
	}
}

// The ghost question of #fore, to someone in the default rotation too:
// its Pause pauses them in #fore only.
func TestGhostButtonsActOnTheRotationOfTheQuestion(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.addRotation("CFORE")
	h.runIn("UANA", "CFORE", "join")
	ref, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.Ghost, Rotation: "CFORE", Round: "2026-W49",
		Users: []string{"UANA"}, CreatedAt: start, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := h.fake.Message(ref.Channel, ref.TS)
	if _, err := h.fake.ClickButton(h.ctx(), "UANA", msg, actionGhostPause, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { p, _ := h.memberIn("CFORE", "UANA"); return p.Status == pairing.Paused }); err != nil {
		t.Fatal("Pause on #fore's ghost question did not pause in #fore")
	}
	if p, _ := h.memberIn(pairing.DefaultRotation, "UANA"); p.Status != pairing.Active {
		t.Fatalf("Pause on #fore's ghost question changed the default rotation: %+v", p.Membership)
	}
}
