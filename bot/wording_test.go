package bot

import (
	"strings"
	"testing"
)

// TestWordingOfAdminAnswers pins the wording fixes of issue 15 through
// Slack: help grouped for everyone and admins, a real question for a typo,
// /pair config alone showing the settings, and every holiday change
// confirmed in words.
func TestWordingOfAdminAnswers(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	help := h.run("UBO", "help")
	everyone, admins := strings.Index(help, "*Everyone*"), strings.Index(help, "*Admins*")
	if everyone < 0 || admins < everyone || strings.Index(help, "/pair roster") < admins || strings.Index(help, "/pair join") > admins {
		t.Errorf("/pair help is not grouped into Everyone, then Admins:\n%s", help)
	}
	if got := h.run("UBO", "hlep"); !strings.Contains(got, `did you mean "help"?`) || strings.Contains(got, `?.`) {
		t.Errorf("a typo is not asked about as a question: %s", got)
	}
	if got := h.run("UANA", "config"); !strings.HasPrefix(got, "*Team settings*") || !strings.Contains(got, "Schedule:") || !strings.Contains(got, "holidays") {
		t.Errorf("/pair config alone does not list the settings: %s", got)
	}
	for _, step := range []struct{ text, want string }{ // in order: add, then remove
		{"config holiday 2026-12-24..2027-01-02", "Added the holiday 2026-12-24..2027-01-02"},
		{"config holiday remove 2026-12-24..2027-01-02", "Removed the holiday 2026-12-24..2027-01-02"},
	} {
		if got := h.run("UANA", step.text); !strings.HasPrefix(got, step.want) {
			t.Errorf("/pair %s: %q, want it to start %q", step.text, got, step.want)
		}
	}
}
