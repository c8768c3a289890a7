package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
)

// A cross-team rotation, end to end through Slack: #a and #b have their
// own rotations and members; each works on an own project and on the two
// shared ones (core, known by one person, is the riskiest; utils is known
// by one person of each team). `/pair rotation start across #a #b` in
// #x plans, on its day, sessions that pair people of different teams on
// shared code only, the riskiest first, proposed by DM; whoever #a's
// round booked that week is not booked again (Gil joins #a after its
// round, so #a has one person left for the cross-team round: one session,
// on core rather than utils, and #b's other three sit out rather than
// pair with one another), and #b's round, later that week, does not book
// anyone the cross-team round did.
func TestCrossTeamRotationPairsAcrossTeamsOnSharedCode(t *testing.T) {
	w := newWorld(t, sunday, "")
	bot := w.fake.BotUserID
	for _, u := range []slackfake.User{{ID: "UGIL", Name: "gil", TZ: "Europe/Berlin"}, {ID: "UIVY", Name: "ivy", TZ: "Europe/Vienna"}} {
		w.fake.AddUser(u)
	}
	teamOf := map[string]string{"UANA": "CA", "UBO": "CA", "UCY": "CA", "UGIL": "CA", "UDI": "CB", "UEVE": "CB", "UFOX": "CB", "UIVY": "CB"}
	w.fake.AddChannel(slackfake.Channel{ID: "CA", Name: "team-a", Members: []string{bot, "UANA", "UBO", "UCY", "UGIL"}})
	w.fake.AddChannel(slackfake.Channel{ID: "CB", Name: "team-b", Members: []string{bot, "UANA", "UDI", "UEVE", "UFOX", "UIVY"}})
	w.fake.AddChannel(slackfake.Channel{ID: "CX", Name: "shared-code", Members: []string{bot, "UANA"}})
	w.pair("UANA", "project add pipeline <@UANA|ana>")
	w.pair("UANA", "project add models <@UDI|di>")
	w.pair("UANA", "project add core <@UEVE|eve>")
	w.pair("UANA", "project add utils <@UCY|cy> <@UFOX|fox>")

	// Ana's zone is Europe/Berlin: #a on Wednesdays, #x on Thursdays, #b
	// on Fridays, each at 10:00 there (09:00 UTC).
	for _, step := range []struct{ channel, text string }{
		{"CA", "rotation start wednesday 10:00"},
		{"CB", "rotation start friday 10:00"},
		{"CX", "rotation start across <#CA|team-a> <#CB|team-b>"},
		{"CX", `config schedule "0 10 * * THU"`},
		{"CA", "rotation projects set pipeline core utils"},
		{"CB", "rotation projects set models core utils"},
	} {
		got := w.pairIn("UANA", step.channel, step.text).Text
		if strings.Contains(got, "Sorry") || strings.Contains(got, "Try:") {
			t.Fatalf("/pair %s in %s: %q", step.text, step.channel, got)
		}
	}
	join := func(ids ...string) {
		t.Helper()
		for _, id := range ids {
			if got := w.pairIn(id, teamOf[id], "join").Text; !strings.Contains(got, "Welcome") {
				t.Fatalf("%s joining %s: %q", id, teamOf[id], got)
			}
		}
	}
	join("UANA", "UBO", "UCY", "UDI", "UEVE", "UFOX", "UIVY")
	// The welcome DM announces the next round of the rotation joined.
	w.drain()
	if dms := w.dmsTo("UDI"); len(dms) == 0 || !strings.Contains(dms[0].AllText(), "The next round is on Friday 4 December") {
		t.Errorf("Di's welcome, joining #b (Fridays): %v", dms)
	}
	shared := map[string]bool{"core": true, "utils": true}

	w.at(time.Date(2026, 12, 2, 8, 59, 0, 0, time.UTC)) // the scheduler's epoch
	byRotation := func() map[string][]pairing.Session {
		out := map[string][]pairing.Session{}
		for _, s := range w.sessions() {
			out[s.Rotation] = append(out[s.Rotation], s)
		}
		return out
	}
	booked := map[string]string{} // person -> the rotation that booked them this week
	book := func(s pairing.Session) {
		t.Helper()
		for _, id := range s.Participants() {
			if other, ok := booked[id]; ok {
				t.Errorf("%s is booked by %s and again by %s in one week", id, other, s.Rotation)
			}
			booked[id] = s.Rotation
		}
	}

	// Wednesday: #a's round, its members only.
	w.at(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	if got := byRotation(); len(got["CA"]) == 0 || len(got) != 1 {
		t.Fatalf("after #a's time: sessions by rotation %v, want #a's only", got)
	}
	for _, s := range byRotation()["CA"] {
		book(s)
	}
	join("UGIL")

	// Thursday: the cross-team round.
	w.at(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	across := byRotation()["CX"]
	if len(across) == 0 {
		t.Fatalf("the cross-team rotation planned nothing; sessions %+v", w.sessions())
	}
	projects := map[string]int{}
	for _, s := range across {
		projects[s.Project]++
		if !shared[s.Project] {
			t.Errorf("cross-team session %s is on %s, a project only one team works on", s.ID, s.Project)
		}
		teams := map[string]bool{}
		for _, id := range s.Participants() {
			if teams[teamOf[id]] {
				t.Errorf("cross-team session %s pairs two people of %s: %v", s.ID, teamOf[id], s.Participants())
			}
			teams[teamOf[id]] = true
		}
		if _, ok := w.messageOf(s, "proposal"); !ok {
			t.Errorf("no proposal DM for cross-team session %s (%v)", s.ID, s.Participants())
		}
		book(s)
	}
	if len(across) != 1 || projects["core"] != 1 {
		t.Errorf("the cross-team round planned %d sessions on %v; want one, on core, the riskiest shared project", len(across), projects)
	}
	// Those it left out are not told they have no session this week:
	// their team's round, on Friday, is theirs.
	for _, u := range []string{"UDI", "UFOX", "UIVY"} {
		for _, m := range w.dmsTo(u) {
			if strings.Contains(m.AllText(), "No session for you") {
				t.Errorf("%s, left out of the cross-team round, was told: %s", u, m.AllText())
			}
		}
	}

	// Friday: #b's round leaves out whom the cross-team round booked.
	w.at(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	for _, s := range byRotation()["CB"] {
		for _, id := range s.Participants() {
			if teamOf[id] != "CB" {
				t.Errorf("#b's session %s has %s, not its member", s.ID, id)
			}
		}
		book(s)
	}
	if !slices.ContainsFunc(w.sessions(), func(s pairing.Session) bool { return s.Rotation == "CB" }) {
		t.Errorf("#b planned nothing, though not all its members were booked this week (%v)", booked)
	}

	// Friday 16:00 Berlin: #x's digest says which teams know each shared
	// project (core only #b, through Eve; utils both), with the teams ×
	// shared-projects chart in its thread beside the bus factor chart.
	w.at(time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC))
	var digest slackfake.Message
	for _, m := range w.fake.Messages("CX") {
		if m.ThreadTS == "" && m.Metadata != nil && m.Metadata.EventPayload["kind"] == "digest" {
			digest = m
		}
	}
	const spread = "Shared projects, and the teams that know them: core 1 of 2 (<#CB>); utils 2 of 2 (<#CA>, <#CB>)"
	if !strings.Contains(digest.AllText(), spread) {
		t.Fatalf("#x's digest lacks %q:\n%s", spread, digest.AllText())
	}
	charts := map[string]bool{}
	for _, u := range w.fake.Uploads() {
		if u.Channel == "CX" && u.ThreadTS == digest.TS && u.Completed && bytes.HasPrefix(u.Data, []byte("\x89PNG")) {
			charts[u.Filename] = true
		}
	}
	if !charts["shared-projects.png"] || !charts["bus-factor.png"] {
		t.Errorf("charts in #x's digest thread: %v, want bus-factor.png and shared-projects.png", charts)
	}
}
