package bot

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/pollen-team/pollen/internal/golden"
	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// A cross-team rotation's digest counts its teams' people on the projects
// they share (its own roster is empty), says which teams know each shared
// project, and carries the teams × shared-projects chart beside the bus
// factor chart, each team named after its channel. The digest is
// testdata/digest_across.golden, as Slack gets it.
func TestCrossTeamDigestShowsHowSharedCodeSpreads(t *testing.T) {
	h := newHarness(t)
	bot := h.fake.BotUserID
	for _, c := range []slackfake.Channel{{ID: "CA", Name: "team-a"}, {ID: "CB", Name: "team-b"}, {ID: "CX", Name: "shared-code"}} {
		c.Members = []string{bot, "UANA", "UBO", "UCY", "UDI"}
		h.fake.AddChannel(c)
	}
	for _, step := range []string{"project add pipeline <@UANA|ana>", "project add models <@UCY|cy>", "project add core <@UCY|cy>", "project add utils <@UBO|bo> <@UDI|di>"} {
		if got := h.run("UANA", step); !strings.Contains(got, "Added") {
			t.Fatalf("/pair %s: %q", step, got)
		}
	}
	for _, rot := range []pairing.Rotation{
		{ID: "CA", Channel: "CA", StartedAt: start, Projects: []string{"pipeline", "core", "utils"}},
		{ID: "CB", Channel: "CB", StartedAt: start, Projects: []string{"models", "core", "utils"}},
		{ID: "CX", Channel: "CX", StartedAt: start, Across: []string{"CA", "CB"}},
	} {
		if _, err := h.db.Apply(store.WithRotation(h.ctx(), rot.ID), func(store.Reader) (store.Change, error) {
			return store.Change{Rotations: []pairing.Rotation{rot}}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for user, channel := range map[string]string{"UANA": "CA", "UBO": "CA", "UCY": "CB", "UDI": "CB"} {
		if got := h.runIn(user, channel, "join").Text; !strings.Contains(got, "Welcome") {
			t.Fatalf("%s joining %s: %q", user, channel, got)
		}
	}

	ctx := store.WithRotation(h.ctx(), "CX")
	m, err := h.bot.digestMessage(ctx, "2026-W48")
	if err != nil {
		t.Fatal(err)
	}
	checkMessage(t, "digest", m)
	blocks, err := json.MarshalIndent(m.Blocks, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	goldenfile.Check(t, filepath.Join("testdata", "digest_across.golden"), fmt.Appendf(nil, "text: %s\n%s\n", m.Text, blocks))

	// /pair stats typed in #x is the same view: the teams' four people on
	// the two projects they share.
	if got := h.runIn("UANA", "CX", "stats").Text; !strings.Contains(got, "over 2 projects") || !strings.Contains(got, "people in the rotation: 4") {
		t.Errorf("/pair stats in #x: %q, want its teams' people on the shared projects", got)
	}

	files, err := h.bot.digestCharts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "bus-factor.png,shared-projects.png" {
		t.Errorf("the cross-team digest's charts: %v, want the bus factor chart and the shared projects chart", names)
	}
	if got := h.bot.channelLabel(h.ctx(), "CA"); got != "#team-a" {
		t.Errorf("a team's label on the chart: %q, want its channel's name", got)
	}
	if files, err := h.bot.digestCharts(store.WithRotation(h.ctx(), "CA")); err != nil || len(files) != 1 {
		t.Errorf("#a's digest charts: %d files, %v; want its bus factor chart only", len(files), err)
	}

	// /pair projects and /pair who typed in #x see the same people and
	// projects: the shared ones, known by the teams' people.
	if got := h.runIn("UBO", "CX", "projects").Text; !strings.Contains(got, "*core*") || !strings.Contains(got, "*utils*") || strings.Contains(got, "pipeline") || strings.Contains(got, "models") {
		t.Errorf("/pair projects in #x: %q, want the shared projects core and utils only", got)
	}
	if got := h.runIn("UBO", "CX", "who utils").Text; !strings.Contains(got, "<@UBO>") || !strings.Contains(got, "<@UDI>") {
		t.Errorf("/pair who utils in #x: %q, want bo (team a) and di (team b)", got)
	}
	if got := h.runIn("UBO", "CA", "projects").Text; !strings.Contains(got, "*pipeline*") || strings.Contains(got, "models") {
		t.Errorf("/pair projects in #a: %q, want its own projects", got)
	}
	if got := h.runIn("UBO", "CX", "who pipeline").Text; !strings.Contains(got, "*pipeline* is not among the projects this rotation works on") {
		t.Errorf("/pair who pipeline in #x (a project only team a works on): %q", got)
	}

	// Teams that share nothing: the digest says so, and both charts
	// still render.
	for channel, text := range map[string]string{"CA": "rotation projects set pipeline", "CB": "rotation projects set models"} {
		if got := h.runIn("UANA", channel, text).Text; !strings.Contains(got, "works on") {
			t.Fatalf("/pair %s in %s: %q", text, channel, got)
		}
	}
	if m, err := h.bot.digestMessage(ctx, "2026-W48"); err != nil || !strings.Contains(m.Text, "Shared projects, and the teams that know them: none: the teams list no project in common") {
		t.Errorf("the digest of teams that share nothing: %q, %v", m.Text, err)
	}
	if files, err := h.bot.digestCharts(ctx); err != nil || len(files) != 2 {
		t.Errorf("the charts of teams that share nothing: %d files, %v", len(files), err)
	}
}

// Each rotation's digest counts its own sessions: those it planned, and
// the ad-hoc ones its people took part in; the default rotation's, as
// before rotations, every session no other rotation planned.
func TestDigestCountsEachRotationsOwnSessions(t *testing.T) {
	h := newHarness(t)
	for _, id := range []string{"CA", "CB"} {
		h.addRotation(id)
	}
	for user, channel := range map[string]string{"UCY": "CA", "UDI": "CB"} {
		h.fake.AddChannel(slackfake.Channel{ID: channel, Name: strings.ToLower(channel), Members: []string{h.fake.BotUserID, user}})
		if got := h.runIn(user, channel, "join").Text; !strings.Contains(got, "Welcome") {
			t.Fatalf("%s joining %s: %q", user, channel, got)
		}
	}
	slot := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) // within the digest of 2026-W48
	session := func(id, rotation, round string, state pairing.State, host, learner string) pairing.Session {
		return pairing.Session{ID: id, Kind: pairing.Pair, Project: "etl", Host: host, Learners: []string{learner}, Round: round, Rotation: rotation,
			Slot: slot, Length: time.Hour, State: state, CreatedAt: start, UpdatedAt: slot, DoneAt: slot.Add(time.Hour), EndedAt: slot.Add(time.Hour)}
	}
	sessions := []pairing.Session{
		session("0192d6a8-0000-7000-8000-0000000000d1", "", "2026-W48", pairing.Done, "UANA", "UBO"), // the default rotation's round
		session("0192d6a8-0000-7000-8000-0000000000d2", "CA", "2026-W48", pairing.Done, "UCY", "UEVE"),
		session("0192d6a8-0000-7000-8000-0000000000d3", "CB", "2026-W48", pairing.Skipped, "UDI", "UEVE"),
		session("0192d6a8-0000-7000-8000-0000000000d4", "", "", pairing.Done, "UCY", "UDI"), // ad hoc, #a's Cy with #b's Di
	}
	if _, err := h.db.Apply(h.ctx(), func(store.Reader) (store.Change, error) { return store.Change{Sessions: sessions}, nil }); err != nil {
		t.Fatal(err)
	}
	for rot, want := range map[string]string{
		pairing.DefaultRotation: "Sessions done: 2; skipped or cancelled: 0",
		"CA":                    "Sessions done: 2; skipped or cancelled: 0",
		"CB":                    "Sessions done: 1; skipped or cancelled: 1",
	} {
		m, err := h.bot.digestMessage(store.WithRotation(h.ctx(), rot), "2026-W48")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, want) {
			t.Errorf("rotation %s's digest: %q, want %q", rot, m.Text, want)
		}
	}
}

// A cross-team rotation's people are its teams': its intro has no Join
// button and says so, and /pair join typed in its channel is refused in
// one line naming the teams' channels, writing nothing.
func TestCrossTeamRotationHasNothingToJoin(t *testing.T) {
	h := newHarness(t)
	for _, c := range []slackfake.Channel{{ID: "CA", Name: "team-a"}, {ID: "CB", Name: "team-b"}, {ID: "CX", Name: "shared-code"}} {
		c.Members = []string{h.fake.BotUserID, "UANA", "UBO"}
		h.fake.AddChannel(c)
	}
	for _, step := range []struct{ channel, text string }{{"CA", "rotation start"}, {"CB", "rotation start"}, {"CX", "rotation start across <#CA|team-a> <#CB|team-b>"}} {
		if got := h.runIn("UANA", step.channel, step.text).Text; !strings.Contains(got, "Started") {
			t.Fatalf("/pair %s in %s: %q", step.text, step.channel, got)
		}
	}
	var intro slackfake.Message
	for _, m := range h.fake.Messages("CX") {
		if strings.Contains(m.Text, "across teams") {
			intro = m
		}
	}
	if got := intro.AllText(); !strings.Contains(got, "You take part through your team's rotation.") || strings.Contains(got, "Join") || strings.Contains(string(intro.Blocks), "rotation_join") {
		t.Errorf("the cross-team rotation's intro: %q, want no Join button", got)
	}
	before := h.snapshot()
	got := h.runIn("UBO", "CX", "join").Text
	if want := "This is a cross-team rotation: its people are those of <#CA>, <#CB>. Type `/pair join` in your team's channel instead."; got != want {
		t.Errorf("/pair join in #x: %q, want %q", got, want)
	}
	if h.snapshot() != before {
		t.Error("a refused join wrote something")
	}
	if got := h.runIn("UBO", "CA", "join").Text; !strings.Contains(got, "Welcome") {
		t.Errorf("/pair join in #a: %q", got)
	}
}
