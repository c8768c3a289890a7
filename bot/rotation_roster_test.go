package bot

import (
	"strings"
	"sync"
	"testing"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
)

// dmsOf are the DMs Pollen sent user, oldest first.
func (h *harness) dmsOf(user string) []slackfake.Message {
	h.t.Helper()
	ch, ok := h.fake.DMChannel(user)
	if !ok {
		return nil
	}
	return h.fake.Messages(ch)
}

// settled waits until the bot has handled every event Slack has had
// acked (each handler runs after its ack).
func (h *harness) settled() { h.bot.inflight.Wait() }

// With /pair config roster channel, the channel's members are the
// rotation: who joins the channel (Slack's member_joined_channel, through
// Socket Mode) joins it and is told by DM, with a way out; who leaves the
// channel (member_left_channel) is asked and stays until they answer.
// Bots are not added; with the default, opt-in, nothing happens.
func TestChannelMembershipIsTheRoster(t *testing.T) {
	h := newHarness(t)
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{h.fake.BotUserID, "UANA"}})
	h.runIn("UANA", "CFORE", "rotation start wednesday 10:00")
	if got := h.runIn("UANA", "CFORE", "config roster channel").Text; !strings.Contains(got, "• Roster: the channel's members") || !strings.Contains(got, "I'm adding the channel's members") {
		t.Fatalf("config roster channel: %q", got)
	}
	h.settled()
	// Ana, in the channel already, is in the rotation now, and told so
	// once with a way out; saying it again adds nobody and tells nobody.
	if p, in := h.memberIn("CFORE", "UANA"); !in || p.Status != pairing.Active {
		t.Fatalf("Ana, a member of the channel, after config roster channel: member %v, %+v", in, p)
	}
	if got := h.runIn("UANA", "CFORE", "config roster channel").Text; strings.Contains(got, "I'm adding") {
		t.Fatalf("config roster channel again: %q", got)
	}
	h.settled()
	if dms := h.dmsOf("UANA"); len(dms) != 1 || !strings.Contains(dms[0].AllText(), "<#CFORE>'s members are now its Pollen rotation") || !strings.Contains(dms[0].AllText(), "Leave this rotation") {
		t.Fatalf("Ana's DMs: %+v", dms)
	}
	if list := h.runIn("UANA", "CFORE", "rotation list").Text; !strings.Contains(list, "<#CFORE>: 1 member, schedule `0 10 * * WED` (Europe/Berlin), roster: the channel's members, next round") {
		t.Fatalf("rotation list: %q", list)
	}
	join := func(user string) {
		t.Helper()
		if _, err := h.fake.JoinChannel(h.ctx(), user, "CFORE", "UANA"); err != nil {
			t.Fatal(err)
		}
		h.settled()
	}
	leave := func(user string) {
		t.Helper()
		if _, err := h.fake.LeaveChannel(h.ctx(), user, "CFORE"); err != nil {
			t.Fatal(err)
		}
		h.settled()
	}

	join("UBO")
	if p, in := h.memberIn("CFORE", "UBO"); !in || p.Status != pairing.Active || p.Cadence != pairing.Weekly {
		t.Fatalf("Bo joined the channel: member %v, %+v", in, p)
	}
	if _, in := h.memberIn(pairing.DefaultRotation, "UBO"); in {
		t.Fatal("Bo joined the default rotation too")
	}
	dms := h.dmsOf("UBO")
	if len(dms) != 1 || !strings.Contains(dms[0].AllText(), "You joined <#CFORE>, whose members are its Pollen rotation") {
		t.Fatalf("Bo's DMs: %+v", dms)
	}
	if !strings.Contains(dms[0].AllText(), "Leave this rotation") {
		t.Fatalf("the joiner's DM has no way out: %q", dms[0].AllText())
	}
	join("UBOT")
	if _, in := h.memberIn("CFORE", "UBOT"); in {
		t.Fatal("a bot joined the rotation")
	}

	// Bo leaves the channel: asked, not removed; Stay keeps him.
	leave("UBO")
	if p, _ := h.memberIn("CFORE", "UBO"); p.Status != pairing.Active {
		t.Fatalf("leaving the channel removed Bo from the rotation: %+v", p)
	}
	dms = h.dmsOf("UBO")
	ask := dms[len(dms)-1]
	if len(dms) != 2 || !strings.Contains(ask.AllText(), "You left <#CFORE>. Leave its Pollen rotation too?") {
		t.Fatalf("Bo's DMs after leaving the channel: %+v", dms)
	}
	if got := h.nextEphemeral("UBO", func() { h.fake.ClickButton(h.ctx(), "UBO", ask, actionRotationStay, "") }); !strings.Contains(got, "You stay in <#CFORE>'s rotation") {
		t.Fatalf("Stay: %q", got)
	}
	if p, _ := h.memberIn("CFORE", "UBO"); p.Status != pairing.Active {
		t.Fatalf("Stay changed Bo: %+v", p)
	}

	// Cy joins, then leaves the channel and the rotation with the button.
	join("UCY")
	leave("UCY")
	dms = h.dmsOf("UCY")
	if got := h.nextEphemeral("UCY", func() { h.fake.ClickButton(h.ctx(), "UCY", dms[len(dms)-1], actionRotationLeave, "") }); !strings.Contains(got, "You've left the rotation") {
		t.Fatalf("Leave: %q", got)
	}
	if p, _ := h.memberIn("CFORE", "UCY"); p.Status != pairing.Left {
		t.Fatalf("Leave kept Cy: %+v", p)
	}

	// Opt-in again: joining the channel does not join the rotation.
	h.runIn("UANA", "CFORE", "config roster opt-in")
	join("UDI")
	if _, in := h.memberIn("CFORE", "UDI"); in || len(h.dmsOf("UDI")) > 0 {
		t.Fatal("with roster opt-in, joining the channel joined the rotation")
	}
	// Leaving the channel asks nobody either.
	leave("UBO")
	if n := len(h.dmsOf("UBO")); n != 2 {
		t.Fatalf("with roster opt-in, leaving the channel sent %d DMs, want none more", n-2)
	}
}

// /pair config roster is refused, and writes nothing, where there is no
// team channel's rotation, and for a word it does not know.
func TestConfigRosterRefusesBadInput(t *testing.T) {
	h := newHarness(t)
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{h.fake.BotUserID, "UANA"}})
	h.fake.AddChannel(slackfake.Channel{ID: "CML", Name: "ml", Members: []string{h.fake.BotUserID, "UANA"}})
	h.fake.AddChannel(slackfake.Channel{ID: "CX", Name: "x", Members: []string{h.fake.BotUserID, "UANA"}})
	h.runIn("UANA", "CFORE", "rotation start")
	h.runIn("UANA", "CML", "rotation start")
	h.runIn("UANA", "CX", "rotation start across <#CFORE|fore> <#CML|ml>")
	for _, tt := range []struct{ name, channel, text, want string }{
		{"a channel without a rotation", "CGENERAL", "config roster channel", "Only a team channel's own rotation"},
		{"a cross-team rotation", "CX", "config roster channel", "Only a team channel's own rotation"},
		{"an unknown word", "CFORE", "config roster sometimes", "Say roster channel"},
		{"no word", "CFORE", "config roster", "Say roster channel"},
		{"not an admin", "CFORE", "config roster channel", "Only admins"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			user := "UANA"
			if tt.name == "not an admin" {
				user = "UBO"
			}
			before := h.snapshot()
			if got := h.runIn(user, tt.channel, tt.text).Text; !strings.Contains(got, tt.want) {
				t.Fatalf("/pair %s in %s: %q, want %q", tt.text, tt.channel, got, tt.want)
			}
			if h.snapshot() != before {
				t.Fatal("a refused config wrote something")
			}
		})
	}
}

// Someone added to a channel-roster rotation by two paths at the same
// moment (their member_joined_channel event while the channel's members
// are being adopted) is added once and told once.
func TestChannelMemberAddedTwiceAtOnceIsToldOnce(t *testing.T) {
	h := newHarness(t)
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{h.fake.BotUserID, "UANA"}})
	h.runIn("UANA", "CFORE", "rotation start")
	h.runIn("UANA", "CFORE", "config roster channel")
	h.settled()
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() { defer wg.Done(); h.bot.addChannelMember(h.ctx(), "CFORE", "UBO", "%s has you") }()
	}
	wg.Wait()
	if p, in := h.memberIn("CFORE", "UBO"); !in || p.Status != pairing.Active {
		t.Fatalf("Bo after six adds at once: member %v, %+v", in, p)
	}
	if dms := h.dmsOf("UBO"); len(dms) != 1 {
		t.Fatalf("Bo got %d DMs, want one: %+v", len(dms), dms)
	}
}
