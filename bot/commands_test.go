package bot

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// transcript is a scripted conversation that exercises every /pair command,
// its happy path and at least one bad input, in an order that builds a
// small team. The exact replies are the golden file.
var transcript = []struct{ user, text string }{
	{"UANA", ""},
	{"UANA", "hlep"},
	{"UANA", "help me"},
	// Roster.
	{"UANA", "join"},
	{"UANA", "join"},
	{"UBO", "join biweekly"},
	{"UCY", "join"},
	{"UDI", "join"},
	{"UEVE", "join daily"},
	{"UBOT", "join"},
	{"UBO", "join weekly"},
	{"UCY", "hours 08:00-16:00"},
	{"UCY", "hours 5pm-9am"},
	{"UEVE", "hours 09:00-17:00"},
	{"UDI", "skip next"},
	{"UDI", "resume"},
	{"UDI", "resume"},
	{"UDI", "skip 2 weeks"},
	{"UDI", "skip until 2026-01-01"},
	{"UDI", "skip until 2027-01-04"},
	{"UDI", "skip a while"},
	{"UDI", "resume"},
	{"UEVE", "leave"},
	// Projects, admin only.
	{"UBO", "project add churn-model"},
	{"UANA", "project add churn-model <https://git.example/ds/churn-model> <@UANA|ana>"},
	{"UANA", "project add churn-model"},
	{"UANA", "project add etl git@git.example:ds/etl.git <@UBO|bo>"},
	{"UANA", "project add forecasting <@UCY|cy>"},
	{"UANA", "project add old-report"},
	{"UANA", "project add Bad*Name"},
	{"UANA", "project remove old-report"},
	{"UANA", "project remove old-report"},
	{"UANA", "project remove nothing-here"},
	{"UBO", "project remove etl"},
	{"UANA", "project"},
	// Knowledge.
	{"UCY", "know churn-model some"},
	{"UCY", "know etl expert"},
	{"UCY", "know nothing-here"},
	{"UCY", "know etl lots"},
	{"UEVE", "know etl"},
	{"UANA", "projects"},
	{"UANA", "who etl"},
	{"UANA", "who churn-model"},
	{"UANA", "who nothing-here"},
	{"UANA", "who"},
	{"UCY", "me"},
	{"UEVE", "me"},
	{"UANA", "me please"},
	// Sessions.
	{"UDI", "now churn-model"},
	{"UDI", "now nothing-here"},
	{"UCY", "now"},
	{"UEVE", "now"},
	{"UANA", "review churn-model <https://git.example/ds/churn-model/pull/7>"},
	{"UANA", "review churn-model not-a-link"},
	{"UCY", "log <@UBO|bo> etl"},
	{"UCY", "log <@UCY|cy> etl"},
	{"UCY", "log <@UEVE|eve> etl"},
	{"UCY", "log bo etl"},
	{"UCY", "history"},
	{"UCY", "history <@UBO|bo>"},
	{"UCY", "history bo"},
	{"UANA", "stats"},
	{"UANA", "stats now"},
	{"UANA", "export"},
	{"UBO", "export"},
	// People first.
	{"UCY", "why"},
	{"UCY", "why <@UBO|bo>"},
	{"UCY", "why bo"},
	{"UCY", "avoid"},
	{"UCY", "avoid <@UDI|di>"},
	{"UCY", "avoid <@UDI|di>"},
	{"UCY", "avoid <@UCY|cy>"},
	{"UCY", "avoid"},
	{"UCY", "unavoid <@UDI|di>"},
	{"UCY", "unavoid <@UDI|di>"},
	{"UCY", "unavoid"},
	{"UEVE", "avoid <@UDI|di>"},
	{"UBO", "roster"},
	{"UANA", "roster"},
	{"UANA", "config holiday 2026-12-24..2027-01-02"},
	{"UANA", "config holiday list"},
	{"UANA", "config holiday 2027-01-02..2026-12-24"},
	{"UANA", "config holiday remove 2026-12-24..2027-01-02"},
	{"UANA", "config holiday remove 2026-12-24..2027-01-02"},
	{"UDI", "leave"},
	{"UDI", "leave"},
	{"UDI", "join"},
	// Settings.
	{"UANA", `config schedule "30 8 * * TUE"`},
	{"UANA", `config schedule "0 25 * * MON"`},
	{"UANA", "config timezone Europe/Berlin"},
	{"UANA", "config timezone Mars/Olympus"},
	{"UANA", "config length 45"},
	{"UANA", "config length 500"},
	{"UANA", "config channel <#C0DATA|data-team>"},
	{"UANA", "config admins <@UCY|cy>"},
	{"UANA", "config colour red"},
	{"UCY", "project add from-cy"},
	{"UBO", "config length 30"},
}

func TestEveryCommandTranscript(t *testing.T) {
	h := newHarness(t)
	var out strings.Builder
	for _, step := range transcript {
		reply := h.run(step.user, step.text)
		fmt.Fprintf(&out, "## %s: /pair %s\n%s\n\n", step.user, step.text, reply)
	}
	golden := filepath.Join("testdata", "transcript.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run Transcript -update to create it)", err)
	}
	if got := out.String(); got != string(want) {
		t.Errorf("replies differ from %s (rerun with -update if the change is intended):\n%s", golden, diff(string(want), got))
	}
}

// diff shows the first lines where two texts part.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\nwant: %s\ngot:  %s", i+1, wl, gl)
		}
	}
	return ""
}
