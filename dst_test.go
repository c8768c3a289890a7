package main

import (
	"strings"
	"testing"
	"time"
)

// A team in Europe/Berlin with rounds on Mondays at 09:00 keeps 09:00 local
// across the change to summer time on Sunday 28 March 2027: the round of
// 22 March fires at 08:00 UTC (CET), the round of 29 March at 07:00 UTC
// (CEST), neither a minute early nor late, and each sends its proposals
// once.
func TestRoundKeepsLocalTimeAcrossDST(t *testing.T) {
	start := time.Date(2027, 3, 20, 12, 0, 0, 0, time.UTC) // Saturday
	w := newWorld(t, start, "")
	w.setup()
	w.pair("UANA", "config timezone Europe/Berlin")
	if got := w.pair("UANA", `config schedule "0 9 * * MON"`); !strings.Contains(got, "0 9 * * MON` in Europe/Berlin") {
		t.Fatalf("config schedule: %s", got)
	}
	w.at(start) // the scheduler's epoch

	for _, tc := range []struct {
		round string
		due   time.Time // in UTC
	}{
		{"2027-W12", time.Date(2027, 3, 22, 8, 0, 0, 0, time.UTC)},
		{"2027-W13", time.Date(2027, 3, 29, 7, 0, 0, 0, time.UTC)},
	} {
		// Every minute of the two hours before, as cron's minute wake-up would.
		for at := tc.due.Add(-2 * time.Hour); at.Before(tc.due); at = at.Add(time.Minute) {
			w.at(at)
			if got := w.roundSessions(tc.round); len(got) != 0 {
				t.Fatalf("round %s planned at %v, before 09:00 in Berlin (%v)", tc.round, at, tc.due)
			}
		}
		w.at(tc.due)
		planned := w.roundSessions(tc.round)
		if len(planned) == 0 {
			t.Fatalf("round %s not planned at %v, 09:00 in Berlin", tc.round, tc.due)
		}
		// The hour after, where the other offset would put 09:00.
		for at := tc.due.Add(time.Minute); !at.After(tc.due.Add(90 * time.Minute)); at = at.Add(time.Minute) {
			w.at(at)
		}
		if got := w.roundSessions(tc.round); len(got) != len(planned) {
			t.Fatalf("round %s: %d sessions after the hour, %d at 09:00", tc.round, len(got), len(planned))
		}
		counts := w.proposalsPerSession()
		for _, s := range planned {
			if counts[s.ID] != 1 {
				t.Errorf("round %s: session %s proposed %d times, want once", tc.round, s.ID, counts[s.ID])
			}
		}
	}
}
