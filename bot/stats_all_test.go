package bot

import (
	"strings"
	"testing"

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
