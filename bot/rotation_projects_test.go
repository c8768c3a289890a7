package bot

import (
	"slices"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// An admin of a channel's rotation lists and sets the projects it works
// on; /pair rotation list shows them. Bad input is one line, and nothing
// is written.
func TestRotationProjects(t *testing.T) {
	h := newHarness(t)
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{h.fake.BotUserID, "UANA", "UBO"}})
	h.runIn("UANA", "CFORE", "rotation start")
	for _, p := range []string{"churn-model", "etl", "feature-store", "old-thing"} {
		h.runIn("UANA", "CGENERAL", "project add "+p)
	}
	h.runIn("UANA", "CGENERAL", "project remove old-thing")

	steps := []struct {
		name, text, want string
		projects         []string
	}{
		{"none listed", "rotation projects", "<#CFORE> works on every project (none listed)", nil},
		{"add", "rotation projects add churn-model ETL", "<#CFORE> works on: churn-model, etl.", []string{"churn-model", "etl"}},
		{"add one listed already", "rotation projects add etl", "<#CFORE> works on: churn-model, etl.", []string{"churn-model", "etl"}},
		{"remove", "rotation projects remove etl", "<#CFORE> works on: churn-model.", []string{"churn-model"}},
		{"set", "rotation projects set feature-store etl", "<#CFORE> works on: etl, feature-store.", []string{"etl", "feature-store"}},
		{"list", "rotation projects", "<#CFORE> works on: etl, feature-store.", []string{"etl", "feature-store"}},
		{"set all", "rotation projects set all", "<#CFORE> works on every project", nil},
		{"remove the last", "rotation projects add etl", "<#CFORE> works on: etl.", []string{"etl"}},
		{"remove the last", "rotation projects remove etl", "<#CFORE> works on every project", nil},
	}
	for _, s := range steps {
		if got := h.runIn("UANA", "CFORE", s.text).Text; !strings.Contains(got, s.want) {
			t.Fatalf("%s: /pair %s: %q, want %q", s.name, s.text, got, s.want)
		}
		if rot, _ := h.rotationOf("CFORE"); !slices.Equal(rot.Projects, s.projects) {
			t.Fatalf("%s: the rotation's projects are %v, want %v", s.name, rot.Projects, s.projects)
		}
	}
	h.runIn("UANA", "CFORE", "rotation projects set etl churn-model")
	if list := h.runIn("UBO", "", "rotation list").Text; !strings.Contains(list, ", projects churn-model, etl") {
		t.Fatalf("rotation list: %q", list)
	}

	// A cross-team rotation's projects are the ones its teams share.
	h.fake.AddChannel(slackfake.Channel{ID: "CDATA", Name: "data", Members: []string{h.fake.BotUserID, "UANA"}})
	h.fake.AddChannel(slackfake.Channel{ID: "CX", Name: "x", Members: []string{h.fake.BotUserID, "UANA"}})
	h.runIn("UANA", "CDATA", "rotation start")
	h.runIn("UANA", "CDATA", "rotation projects set etl feature-store")
	h.runIn("UANA", "CX", "rotation start across <#CFORE|fore> <#CDATA|data>")
	if got := h.runIn("UANA", "CX", "rotation projects").Text; got != "<#CX> works on the projects its teams share: etl." {
		t.Fatalf("rotation projects across: %q", got)
	}

	h.fake.AddChannel(slackfake.Channel{ID: "CML", Name: "ml", Members: []string{h.fake.BotUserID, "UANA"}})
	bad := []struct {
		name, user, channel, text, want string
	}{
		{"a cross-team rotation's", "UANA", "CX", "rotation projects set etl", "A cross-team rotation works on the projects its teams share"},
		{"unknown projects", "UANA", "CFORE", "rotation projects add etl nosuch other", "No project named nosuch, other: the projects are churn-model, etl, feature-store (an admin adds one with `/pair project add`)."},
		{"a retired project", "UANA", "CFORE", "rotation projects set old-thing", "No project named old-thing"},
		{"not an admin", "UBO", "CFORE", "rotation projects set etl", "Only admins"},
		{"in a DM", "UANA", "", "rotation projects set etl", "in the team's channel"},
		{"a channel without a rotation", "UANA", "CML", "rotation projects set etl", "has no rotation running"},
		{"no verb", "UANA", "CFORE", "rotation projects etl", "Say add, remove or set"},
		{"no names", "UANA", "CFORE", "rotation projects add", "Name the projects to add"},
		{"a bad name", "UANA", "CFORE", "rotation projects add <b>x</b>", "not a project name"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			before := h.snapshot()
			got := h.runIn(tt.user, tt.channel, tt.text).Text
			if !strings.Contains(got, tt.want) {
				t.Fatalf("/pair %s: %q, want %q", tt.text, got, tt.want)
			}
			if strings.Count(strings.TrimSpace(got), "\n") > 1 {
				t.Errorf("not a short answer: %q", got)
			}
			if h.snapshot() != before {
				t.Fatal("a refused command wrote something")
			}
		})
	}
}
