package bot

import (
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// guestRefused is the refusal a guest gets for a command about others.
func guestRefused(v Verb) string {
	return "Guests of this workspace can use Pollen for themselves only, so `" + escape(Usage(v)) +
		"` is not open to you. `/pair me` shows your sessions and what you know."
}

// A guest (multi- or single-channel) takes part and looks at themselves;
// every command about the team or someone else is refused and changes
// nothing. Every command has a case.
func TestGuestsUseCommandsAboutThemselvesOnly(t *testing.T) {
	guests := []slackfake.User{
		{ID: "UGUS", Name: "gus", RealName: "Gus Guest", TZ: "UTC", IsRestricted: true},
		{ID: "UGIA", Name: "gia", RealName: "Gia Single", TZ: "UTC", IsUltraRestricted: true},
	}
	for _, g := range guests {
		t.Run(g.Name, func(t *testing.T) {
			h := newHarness(t)
			h.fake.AddUser(g)
			setupTeam(t, h)
			h.run("UANA", "config admins <@"+g.ID+"|"+g.Name+">") // even a named admin
			if got := h.run(g.ID, "join"); !strings.HasPrefix(got, "Welcome to the rotation!") {
				t.Fatalf("a guest could not join: %q", got)
			}
			self := "<@" + g.ID + "|" + g.Name + ">"
			tests := []struct {
				verb    Verb
				text    string
				refused bool
			}{
				{VerbHelp, "help", false},
				{VerbJoin, "join", false},
				{VerbSkip, "skip next", false},
				{VerbResume, "resume", false},
				{VerbHours, "hours 09:00-17:00", false},
				{VerbKnow, "know etl some", false},
				{VerbMe, "me", false},
				{VerbHistory, "history", false},
				{VerbHistory, "history " + self, false},
				{VerbHistory, "history <@UANA|ana>", true},
				{VerbWhy, "why", false},
				{VerbWhy, "why <@UANA|ana>", true},
				{VerbWho, "who etl", true},
				{VerbProjects, "projects", true},
				{VerbStats, "stats", true},
				{VerbStatsAll, "stats all", true},
				{VerbNow, "now", false},
				{VerbReview, "review etl", false},
				{VerbLog, "log <@UBO|bo> etl", false},
				{VerbAvoid, "avoid", false},
				{VerbUnavoid, "unavoid <@UBO|bo>", false},
				{VerbExport, "export", true},
				{VerbRoster, "roster", true},
				{VerbConfig, "config length 30", true},
				{VerbProjectAdd, "project add mine", true},
				{VerbProjectRemove, "project remove etl", true},
				{VerbProjectSync, "project sync etl", true},
				{VerbRoundNow, "round now", true},
				{VerbRotationStart, "rotation start", true},
				{VerbRotationStop, "rotation stop", true},
				{VerbRotationProjects, "rotation projects", true},
				{VerbRotationList, "rotation list", true},
				{VerbLeave, "leave", false},
			}
			// The App Home shows a guest themselves, not the team's figures.
			if _, err := h.fake.OpenAppHome(h.ctx(), g.ID); err != nil {
				t.Fatal(err)
			}
			var home slackfake.View
			if err := h.fake.WaitFor(h.ctx(), func() bool { var ok bool; home, ok = h.fake.HomeView(g.ID); return ok }); err != nil {
				t.Fatal(err)
			}
			if text := home.AllText(); strings.Contains(text, "Riskiest projects") || !strings.Contains(text, "Skip the next round") {
				t.Errorf("a guest's App Home:\n%s", text)
			}
			covered := map[Verb]bool{}
			for _, tt := range tests {
				covered[tt.verb] = true
			}
			for _, u := range commands {
				if !covered[u.verb] {
					t.Errorf("no case for /pair %s by a guest: add one", u.verb)
				}
			}
			for _, tt := range tests {
				before := h.snapshot()
				got := h.run(g.ID, tt.text)
				switch {
				case tt.refused && got != guestRefused(tt.verb):
					t.Errorf("/pair %s: %q, want the guest refusal", tt.text, got)
				case tt.refused && h.snapshot() != before:
					t.Errorf("/pair %s: a refused command changed the store", tt.text)
				case !tt.refused && (strings.HasPrefix(got, "Guests of this workspace") || strings.HasPrefix(got, "Sorry")):
					t.Errorf("/pair %s: %q, want it open to a guest", tt.text, got)
				}
			}
		})
	}
	// Members are not touched by the check.
	h := newHarness(t)
	setupTeam(t, h)
	if got := h.run("UBO", "history <@UANA|ana>"); strings.HasPrefix(got, "Guests") {
		t.Errorf("a member was refused: %q", got)
	}
}
