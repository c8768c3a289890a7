package bot

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/pollen-team/pollen/internal/golden"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/scheduler"
	"github.com/pollen-team/pollen/store"
)

// transcript is a scripted conversation that exercises every /pair command,
// its happy path and at least one bad input, in an order that builds a
// small team. The exact replies are the golden file. A step by
// schedulerStep is not a command: "tick <RFC 3339 time>" moves the clock
// there and runs the scheduler loop once, as cron would.
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
	{"UDI", "resume now"},
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
	{"UANA", "projects extra"},
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
	{"UCY", "log <@UANA|ana> churn-model review"},
	{"UCY", "log <@UBO|bo> etl chat"},
	{"UCY", "history"},
	{"UCY", "history <@UBO|bo>"},
	{"UCY", "history bo"},
	{"UANA", "stats"},
	{"UANA", "stats now"},
	{"UANA", "export"},
	{"UANA", "export all"},
	{"UBO", "export"},
	// People first: why, after the scheduler has planned a round.
	{"UCY", "why"},
	{"UCY", "why <@UBO|bo>"},
	{schedulerStep, "tick 2026-11-30T09:00:00Z"},
	{"UCY", "why"},
	{"UCY", "why <@UBO|bo>"},
	{"UCY", "why <@UDI|di>"},
	{"UDI", "why"},
	{"UCY", "why bo"},
	{"UCY", "avoid"},
	{"UCY", "avoid <@UDI|di>"},
	{"UCY", "avoid <@UDI|di>"},
	{"UCY", "avoid <@UCY|cy>"},
	{"UCY", "avoid <@UANA|ana>"},
	{"UCY", "avoid <@UBO|bo>"},
	{"UCY", "avoid <@UEVE|eve>"},
	{"UCY", "avoid"},
	{"UCY", "unavoid <@UANA|ana>"},
	{"UCY", "unavoid <@UBO|bo>"},
	{"UCY", "unavoid <@UDI|di>"},
	{"UCY", "unavoid <@UDI|di>"},
	{"UCY", "unavoid"},
	{"UEVE", "avoid <@UDI|di>"},
	{"UBO", "roster"},
	{"UANA", "roster"},
	{"UANA", "roster all"},
	{"UANA", "config holiday 2026-12-24..2027-01-02"},
	{"UANA", "config holiday 2026-12-24..2027-01-02"},
	{"UANA", "config holiday list"},
	{"UANA", "config holiday 2027-01-02..2026-12-24"},
	{"UANA", "config holiday remove 2026-12-24..2027-01-02"},
	{"UANA", "config holiday remove 2026-12-24..2027-01-02"},
	{"UDI", "leave now"},
	{"UDI", "leave"},
	{"UDI", "leave"},
	{"UDI", "join"},
	// Settings.
	{"UANA", `config schedule "30 8 * * TUE"`},
	{"UANA", `config schedule "0 25 * * MON"`},
	{"UANA", `config schedule "0 9 * * MON,THU"`},
	{"UANA", "config timezone Europe/Berlin"},
	{"UANA", "config timezone Mars/Olympus"},
	{"UANA", "config length 45"},
	{"UANA", "config length 500"},
	{"UANA", "config channel <#C0DATA|data-team>"},
	{"UANA", "config channel data-team"},
	{"UANA", "config admins <@UCY|cy>"},
	{"UANA", "config admins cy"},
	{"UANA", "config colour red"},
	{"UANA", "config"},
	{"UCY", "project add from-cy"},
	{"UBO", "config length 30"},
}

// schedulerStep marks a transcript step that the scheduler takes.
const schedulerStep = "scheduler"

func TestEveryCommandTranscript(t *testing.T) {
	h := newHarness(t)
	var out strings.Builder
	for _, step := range transcript {
		if step.user == schedulerStep {
			fmt.Fprintf(&out, "## %s: %s\n%s\n\n", step.user, step.text, h.tick(step.text))
			continue
		}
		reply := h.run(step.user, step.text)
		fmt.Fprintf(&out, "## %s: /pair %s\n%s\n\n", step.user, step.text, reply)
	}
	golden := filepath.Join("testdata", "transcript.golden")
	want := goldenfile.Read(t, golden, []byte(out.String()))
	if got := out.String(); got != string(want) {
		t.Errorf("replies differ from %s (rerun with -update if the change is intended):\n%s", golden, diff(string(want), got))
	}
}

// tick runs a scheduler step, "tick <RFC 3339 time>": the clock moves
// there and the scheduler loop runs once, as cron would at that instant.
// It describes the round that was planned.
func (h *harness) tick(step string) string {
	h.t.Helper()
	at, err := time.Parse(time.RFC3339, strings.TrimPrefix(step, "tick "))
	if err != nil {
		h.t.Fatalf("scheduler step %q: %v", step, err)
	}
	h.clock.Set(at)
	loop := scheduler.NewLoop(h.db, nil, h.clock.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := loop.Tick(h.ctx()); err != nil {
		h.t.Fatalf("scheduler step %q: %v", step, err)
	}
	var rounds []pairing.Round
	if err := h.db.Snapshot(h.ctx(), func(r store.Reader) (err error) { rounds, err = r.Rounds(); return err }); err != nil {
		h.t.Fatal(err)
	}
	if len(rounds) == 0 {
		return "No round planned."
	}
	r := rounds[len(rounds)-1]
	var sb strings.Builder
	fmt.Fprintf(&sb, "Planned round %s:", r.ID)
	for _, s := range h.sessions() {
		if s.Round == r.ID {
			fmt.Fprintf(&sb, "\n• %s on %s, %s hosting %s", s.Kind, s.Project, s.Host, strings.Join(s.Learners, ", "))
		}
	}
	for _, so := range r.SatOut {
		fmt.Fprintf(&sb, "\n• %s sits out: %s", so.Person, so.Reason)
	}
	return sb.String()
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
