package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// /pair stats all covers every rotation, a section each counting its own
// people and projects (#ml works on etl only, which none of its people
// knows); in a DM it does not ask which rotation, though Ana is in two.
// Only the workspace's admins may run it: a rotation's own admin and a
// member get one line, and nothing is written.
func TestStatsAllCoversEveryRotation(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.fake.AddChannel(slackfake.Channel{ID: "CML", Name: "ml", Members: []string{h.fake.BotUserID, "UANA", "UDI"}})
	h.addRotation("CML")
	for _, u := range []string{"UANA", "UDI"} {
		if got := h.runIn(u, "CML", "join").Text; !strings.Contains(got, "Welcome") {
			t.Fatalf("%s joining #ml: %q", u, got)
		}
	}
	_, err := h.db.Apply(store.WithRotation(h.ctx(), "CML"), func(store.Reader) (store.Change, error) {
		return store.Change{Rotations: []pairing.Rotation{{ID: "CML", Channel: "CML", StartedAt: start, Projects: []string{"etl"}}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.runIn("UANA", "CML", `config admins <@UCY|cy>`).Text; !strings.Contains(got, "<@UCY>") {
		t.Fatalf("config admins in #ml: %q", got)
	}

	got := h.runIn("UANA", "", "stats all").AllText()
	for _, want := range []string{
		"*Knowledge report, every rotation*",
		"*Workspace*: 4 active people, mean bus factor 1.00 over 2 projects",
		"*the team rotation*: 3 active people, mean bus factor 1.00 over 2 projects",
		"*<#CML>*: 2 active people, mean bus factor 0.00 over 1 project, 1 at bus factor 1 or less, 0 sessions done; riskiest etl (0)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/pair stats all lacks %q:\n%s", want, got)
		}
	}

	for _, tc := range []struct{ name, user, channel string }{{"#ml's own admin, in #ml", "UCY", "CML"}, {"a member, in a DM", "UBO", ""}} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot()
			got := h.runIn(tc.user, tc.channel, "stats all").Text
			if !strings.HasPrefix(got, "Only the workspace's admins and owners can use `/pair stats all`") || strings.Count(got, "\n") > 0 {
				t.Errorf("/pair stats all by %s: %q, want the one-line refusal", tc.user, got)
			}
			if after := h.snapshot(); after != before {
				t.Errorf("a refused /pair stats all wrote something")
			}
		})
	}
}

// A workspace with more rotations than one reply holds gets the first
// ones and a line saying how many more there are, within Slack's limits.
func TestStatsAllOfManyRotationsFitsInOneReply(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	const n = 200
	var rotations []pairing.Rotation
	var people []pairing.Person
	for i := range n {
		id := fmt.Sprintf("C%04d", i)
		rotations = append(rotations, pairing.Rotation{ID: id, Channel: id, StartedAt: start})
		people = append(people, pairing.NewPerson("U"+id, id, "UTC", start))
	}
	for i, rot := range rotations {
		if _, err := h.db.Apply(store.WithRotation(h.ctx(), rot.ID), func(store.Reader) (store.Change, error) {
			return store.Change{Rotations: []pairing.Rotation{rot}, People: people[i : i+1]}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	sc := slack.SlashCommand{Command: "/pair", Text: "stats all", UserID: "UANA", ChannelID: "D0ANA", TeamID: slackfake.DefaultTeamID,
		TriggerID: "1.2.3", ResponseURL: "https://hooks.slack.invalid/commands/1"}
	p := ephemeral(h.bot.handleSlashCommand(h.ctx(), sc))
	checkAck(t, "/pair stats all", p)
	blocks, err := json.Marshal(p.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(blocks); !strings.Contains(got, "*\\u003c#C0000\\u003e*: 1 active person") || !strings.Contains(got, "more rotations not shown") {
		t.Errorf("/pair stats all of %d rotations:\n%s", n, got)
	}
}

// BenchmarkStatsAll is /pair stats all's answer, which rides in the
// command's ack, for 50 rotations of 40 people and 20 projects each known
// by a few of them.
func BenchmarkStatsAll(b *testing.B) {
	h := newHarness(b)
	var projects []pairing.Project
	var events []pairing.Event
	for j := range 20 {
		name := fmt.Sprintf("project-%02d", j)
		projects = append(projects, pairing.Project{Name: name})
		for k := range 3 {
			events = append(events, pairing.Event{ID: store.NewID(), At: start, Kind: pairing.EventOwner, Person: fmt.Sprintf("U%02d%02d", (j+k)%50, k), Project: name})
		}
	}
	if _, err := h.db.Apply(h.ctx(), func(store.Reader) (store.Change, error) {
		return store.Change{Projects: projects, Events: events}, nil
	}); err != nil {
		b.Fatal(err)
	}
	for i := range 50 {
		rot := pairing.Rotation{ID: fmt.Sprintf("C%04d", i), StartedAt: start}
		rot.Channel = rot.ID
		var people []pairing.Person
		for k := range 40 {
			people = append(people, pairing.NewPerson(fmt.Sprintf("U%02d%02d", i, k), "p", "UTC", start))
		}
		if _, err := h.db.Apply(store.WithRotation(h.ctx(), rot.ID), func(store.Reader) (store.Change, error) {
			return store.Change{Rotations: []pairing.Rotation{rot}, People: people}, nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	sc := slack.SlashCommand{Command: "/pair", Text: "stats all", UserID: "UANA", ChannelID: "D0ANA", TeamID: slackfake.DefaultTeamID,
		TriggerID: "1.2.3", ResponseURL: "https://hooks.slack.invalid/commands/1"}
	b.ResetTimer()
	for range b.N {
		p := ephemeral(h.bot.handleSlashCommand(h.ctx(), sc))
		if blocks, _ := json.Marshal(p.Blocks); !strings.Contains(string(blocks), "C0049") {
			b.Fatalf("the report lacks the last rotation: %s", blocks)
		}
	}
}
