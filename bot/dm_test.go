package bot

import (
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
)

// dmReply has user write text to Pollen and returns Pollen's answer in
// their DM, or fails when none comes.
func (h *harness) dmReply(user, text string) slackfake.Message {
	h.t.Helper()
	ch, _ := h.fake.DMChannel(user)
	before := len(h.fake.Messages(ch))
	if _, err := h.fake.SendDM(h.ctx(), user, text); err != nil {
		h.t.Fatal(err)
	}
	ch, _ = h.fake.DMChannel(user)
	var got slackfake.Message
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		msgs := h.fake.Messages(ch)
		if len(msgs) > before {
			got = msgs[before]
			return true
		}
		return false
	}); err != nil {
		h.t.Fatalf("no answer to the DM %q from %s", text, user)
	}
	return got
}

// TestPollenAnswersDMs: a message to Pollen in its Messages tab (message.im
// over Socket Mode) gets a short, useful answer: help the commands; skip,
// pause and stop the matching button to confirm, which works; anything
// else a pointer to /pair help.
func TestPollenAnswersDMs(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)

	if got := h.dmReply("UBO", "help").AllText(); !strings.Contains(got, "/pair join") || !strings.Contains(got, "/pair skip") {
		t.Errorf("help in a DM did not list the commands:\n%s", got)
	}
	if got := h.dmReply("UBO", "what's the weather like?").AllText(); !strings.Contains(got, "`/pair help`") {
		t.Errorf("an unknown DM got no pointer to /pair help:\n%s", got)
	}
	if got := h.dmReply("UBO", "Sorry, I can't make it tomorrow").AllText(); !strings.Contains(got, "Can't make it after all") || !strings.Contains(got, "*skip*") {
		t.Errorf("\"can't make it\" is not pointed at the session's buttons:\n%s", got)
	}
	if got := h.dmReply("UDI", "skip").AllText(); !strings.Contains(got, "not in the rotation") {
		t.Errorf("skip from someone not in the rotation:\n%s", got)
	}

	tests := []struct {
		said, action, label string
		check               func(p pairing.Person) bool
	}{
		{"Skip", actionHomeSkip, "Skip the next round", func(p pairing.Person) bool { return p.SkipNext }},
		{"can I pause?", actionGhostPause, "Pause 4 weeks", func(p pairing.Person) bool { return p.Status == pairing.Paused }},
		{"stop", actionHomeLeave, "Leave the rotation", func(p pairing.Person) bool { return p.Status == pairing.Left }},
	}
	for _, tt := range tests {
		t.Run(tt.said, func(t *testing.T) {
			h.run("UCY", "join")
			h.run("UCY", "resume")
			before, _ := h.person("UCY")
			answer := h.dmReply("UCY", tt.said)
			if !strings.Contains(answer.AllText(), tt.label) {
				t.Fatalf("%q got no %q button:\n%s", tt.said, tt.label, answer.AllText())
			}
			if p, _ := h.person("UCY"); tt.check(p) || p.Status != before.Status {
				t.Fatalf("%q changed the roster before the button was pressed: %+v", tt.said, p)
			}
			if _, err := h.fake.ClickButton(h.ctx(), "UCY", answer, tt.action, ""); err != nil {
				t.Fatal(err)
			}
			if err := h.fake.WaitFor(h.ctx(), func() bool { p, _ := h.person("UCY"); return tt.check(p) }); err != nil {
				p, _ := h.person("UCY")
				t.Fatalf("pressing %q did not take effect: %+v", tt.label, p)
			}
		})
	}
}

// TestPollenIgnoresItsOwnAndBotsAndEditedDMs: only a person's new message
// is answered; Pollen's own messages, other bots', edits and deletions are
// not, so Pollen never talks to itself.
func TestPollenIgnoresItsOwnAndBotsAndEditedDMs(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	ch, _ := h.fake.DMChannel("UBO")
	h.dmReply("UBO", "help") // opens the DM and learns the bot's own user
	before := len(h.fake.Messages(ch))
	for name, ev := range map[string]map[string]any{
		"own":     {"type": "message", "channel": ch, "user": h.fake.BotUserID, "text": "help", "ts": "1.1", "channel_type": "im"},
		"bot":     {"type": "message", "channel": ch, "user": "UBO", "bot_id": "B0OTHER", "text": "help", "ts": "1.2", "channel_type": "im"},
		"edit":    {"type": "message", "subtype": "message_changed", "channel": ch, "ts": "1.3", "channel_type": "im", "message": map[string]any{"type": "message", "user": "UBO", "text": "help", "ts": "1.0"}},
		"channel": {"type": "message", "channel": "C0DATA", "user": "UBO", "text": "help", "ts": "1.4", "channel_type": "channel"},
	} {
		if _, err := h.fake.SendEvent(h.ctx(), ev); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	h.bot.inflight.Wait() // every event above was acked, so its handler is counted: wait for them all
	if after := len(h.fake.Messages(ch)); after != before {
		t.Errorf("Pollen answered %d messages it should have ignored: %v", after-before, h.fake.Messages(ch)[before:])
	}
}

func TestDMWord(t *testing.T) {
	for said, want := range map[string]string{
		"help": "help", "Help!": "help", "?": "help", "skip": "skip", "skip please": "skip", "can I pause?": "pause",
		"STOP": "leave", "leave": "leave", "skip or stop?": "", "can't make it": "", "": "",
		"please could you tell me what the plan is for the next round and why I keep getting skipped": "",
	} {
		if got := dmWord(said); got != want {
			t.Errorf("dmWord(%q) = %q, want %q", said, got, want)
		}
	}
}
