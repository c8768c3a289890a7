package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// refusedCannotAsk is the one answer for every person a log may not reach.
const refusedCannotAsk = "I can't log a session with <@UBO>, so nothing is recorded and they have not been asked."

// dmsTo counts the messages in the bot's DMs with exactly these people.
func (h *harness) dmsTo(users ...string) int {
	ch, ok := h.fake.DMChannel(users...)
	if !ok {
		return 0
	}
	return len(h.fake.Messages(ch))
}

// A /pair log reaches nobody who avoids the caller (or whom the caller
// avoids), has left or is paused, and the answer is the same for all, so it
// does not reveal an avoid list. Nothing is recorded and no DM is sent.
func TestLogReachesOnlyPeopleWhoCanBeAsked(t *testing.T) {
	tests := []struct {
		name  string
		setup [][2]string // user, /pair text
	}{
		{"they avoid the caller", [][2]string{{"UBO", "avoid <@UCY|cy>"}}},
		{"the caller avoids them", [][2]string{{"UCY", "avoid <@UBO|bo>"}}},
		{"they left", [][2]string{{"UBO", "leave"}}},
		{"they are paused", [][2]string{{"UBO", "skip 2 weeks"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			setupTeam(t, h)
			for _, step := range tt.setup {
				if got := h.run(step[0], step[1]); strings.HasPrefix(got, "Sorry") {
					t.Fatalf("/pair %s: %q", step[1], got)
				}
			}
			before, dms := h.snapshot(), h.dmsTo("UBO")
			if got := h.run("UCY", "log <@UBO|bo> etl"); got != refusedCannotAsk {
				t.Errorf("reply %q, want %q", got, refusedCannotAsk)
			}
			if after := h.snapshot(); after != before {
				t.Errorf("a refused log changed the store:\nbefore %s\nafter  %s", before, after)
			}
			if n := h.dmsTo("UBO"); n != dms {
				t.Errorf("Bo got %d new DMs", n-dms)
			}
		})
	}
}

// One person gets at most pairing.MaxRequestsPerDay logs to confirm from
// others in any 24 hours, whoever sends them.
func TestLogRequestsArePerPersonPerDay(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	for i := range pairing.MaxRequestsPerDay {
		caller := []string{"UCY", "UANA"}[i%2]
		if got := h.run(caller, "log <@UBO|bo> etl"); !strings.HasPrefix(got, "Thanks!") {
			t.Fatalf("log %d: %q", i+1, got)
		}
		h.clock.Set(h.clock.Now().Add(time.Hour))
	}
	for _, caller := range []string{"UCY", "UANA"} {
		if got := h.run(caller, "log <@UBO|bo> etl"); got != refusedCannotAsk {
			t.Errorf("log past the limit by %s: %q, want %q", caller, got, refusedCannotAsk)
		}
	}
	// Bo's own logs are not requests to Bo.
	if got := h.run("UBO", "log <@UCY|cy> etl"); !strings.HasPrefix(got, "Thanks!") {
		t.Errorf("Bo's own log: %q", got)
	}
	h.clock.Set(start.Add(pairing.RequestWindow + time.Minute)) // the first request is a day old
	if got := h.run("UCY", "log <@UBO|bo> etl"); !strings.HasPrefix(got, "Thanks!") {
		t.Errorf("a day after the first request: %q", got)
	}
}

// /pair now does not propose someone who has had the day's requests.
func TestNowSkipsPeopleAskedEnoughToday(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	for range pairing.MaxRequestsPerDay {
		if got := h.run("UBO", "log <@UANA|ana> etl"); !strings.HasPrefix(got, "Thanks!") {
			t.Fatalf("log: %q", got)
		}
	}
	// Ana is the only one who knows churn-model: nobody else can host Cy.
	before := len(h.sessions())
	got := h.run("UCY", "now churn-model")
	if strings.HasPrefix(got, "Proposed") {
		t.Errorf("/pair now proposed Ana past her daily limit: %q", got)
	}
	if n := len(h.sessions()); n != before {
		t.Errorf("%d sessions saved", n-before)
	}
}
