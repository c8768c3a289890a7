package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
)

// pairIn types "/pair text" as user in channel and returns the reply.
func (w *world) pairIn(user, channel, text string) slackfake.Message {
	w.t.Helper()
	ack, err := w.fake.SlashCommand(w.ctx(), user, channel, "/pair", text)
	if err != nil || ack.Message == nil {
		w.t.Fatalf("/pair %s in %s: %v", text, channel, err)
	}
	return *ack.Message
}

// Two channels with their own rotations, on different days and in
// different zones: each plans only its members, at its own time; Ana, in
// both, has one session a week; her DM commands ask which rotation; stop
// keeps the history. Everything through Slack (slackfake, the real
// slack-go client), the real scheduler and a real database.
func TestTwoChannelRotationsEachPlanTheirOwn(t *testing.T) {
	w := newWorld(t, sunday, "")
	bot := w.fake.BotUserID
	w.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{bot, "UANA", "UBO", "UCY"}})
	w.fake.AddChannel(slackfake.Channel{ID: "CML", Name: "ml", Members: []string{bot, "UANA", "UDI", "UEVE"}})
	w.pair("UANA", "project add churn-model <@UANA|ana>")
	w.pair("UANA", "project add etl <@UBO|bo>")
	w.pair("UANA", "project add feature-store <@UDI|di>")

	// #forecasting: Wednesdays 10:00 in Ana's zone (Europe/Berlin).
	if got := w.pairIn("UANA", "CFORE", "rotation start wednesday 10:00").Text; !strings.Contains(got, "Started") {
		t.Fatalf("rotation start in #forecasting: %q", got)
	}
	intro := w.fake.Messages("CFORE")[0]
	for _, u := range []string{"UANA", "UBO", "UCY"} {
		if _, err := w.fake.ClickButton(w.ctx(), u, intro, "rotation_join", ""); err != nil {
			t.Fatal(err)
		}
	}
	// #ml: Thursdays 09:00 in New York, set with config typed in #ml.
	w.pairIn("UANA", "CML", "rotation start thursday 09:00")
	if got := w.pairIn("UANA", "CML", "config timezone America/New_York").Text; strings.Contains(got, "Sorry") {
		t.Fatalf("config in #ml: %q", got)
	}
	for _, u := range []string{"UANA", "UDI", "UEVE"} {
		if got := w.pairIn(u, "CML", "join").Text; !strings.Contains(got, "Welcome") {
			t.Fatalf("%s joining #ml: %q", u, got)
		}
	}
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		return strings.Contains(w.pairIn("UEVE", "CML", "rotation list").Text, "<#CFORE>: 3 members")
	}); err != nil {
		t.Fatalf("the Join clicks did not all land: %s", w.pairIn("UEVE", "CML", "rotation list").Text)
	}

	// Ana is in both: a DM command asks which.
	if got := w.pairIn("UANA", "", "skip").AllText(); !strings.Contains(got, "Which rotation?") {
		t.Fatalf("Ana's DM command: %q", got)
	}

	members := map[string][]string{"CFORE": {"UANA", "UBO", "UCY"}, "CML": {"UANA", "UDI", "UEVE"}}
	check := func(when string, want map[string]bool) {
		t.Helper()
		got := map[string]bool{}
		for _, s := range w.sessions() {
			got[s.Rotation] = true
			for _, p := range s.Participants() {
				if !strings.Contains(strings.Join(members[s.Rotation], ","), p) {
					t.Errorf("%s: %s's session %s has %s, who is not its member", when, s.Rotation, s.ID, p)
				}
			}
		}
		for rot, planned := range want {
			if got[rot] != planned {
				t.Errorf("%s: rotation %s planned=%v, want %v (sessions %+v)", when, rot, got[rot], planned, w.sessions())
			}
		}
	}
	// Wednesday 09:59 Berlin: nothing yet. 10:00 Berlin: #forecasting only.
	w.at(time.Date(2026, 12, 2, 8, 59, 0, 0, time.UTC))
	check("Wed 09:59 Berlin", map[string]bool{"CFORE": false, "CML": false})
	w.at(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	check("Wed 10:00 Berlin", map[string]bool{"CFORE": true, "CML": false})
	// Thursday 09:00 New York is 14:00 UTC: #ml now.
	w.at(time.Date(2026, 12, 3, 13, 59, 0, 0, time.UTC))
	check("Thu 08:59 New York", map[string]bool{"CML": false})
	w.at(time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC))
	check("Thu 09:00 New York", map[string]bool{"CFORE": true, "CML": true})

	// Nobody has sessions in two rotations in one week.
	booked := map[string]string{}
	for _, s := range w.sessions() {
		for _, p := range s.Participants() {
			key := p + " " + pairing.RoundID(s.CreatedAt)
			if other, ok := booked[key]; ok && other != s.Rotation {
				t.Errorf("%s has sessions in %s and %s in one week", p, other, s.Rotation)
			}
			booked[key] = s.Rotation
		}
	}

	// Stop #forecasting: next Wednesday plans nothing there; its sessions stay.
	n := len(w.sessions())
	if got := w.pairIn("UANA", "CFORE", "rotation stop").Text; !strings.Contains(got, "Stopped") {
		t.Fatalf("rotation stop: %q", got)
	}
	w.at(time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC))
	after := w.sessions()
	if len(after) < n {
		t.Fatalf("stop lost sessions: %d, were %d", len(after), n)
	}
	for _, s := range after[n:] {
		if s.Rotation == "CFORE" {
			t.Errorf("a stopped rotation planned session %+v", s)
		}
	}
}
