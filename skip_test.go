package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// homeText opens the App Home for user and returns its text once published.
func (w *world) homeText(user string) string {
	w.t.Helper()
	before, _ := w.fake.HomeView(user)
	if _, err := w.fake.OpenAppHome(w.ctx(), user); err != nil {
		w.t.Fatal(err)
	}
	var got string
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		v, ok := w.fake.HomeView(user)
		got = v.AllText()
		return ok && (v.ID != before.ID || got != before.AllText())
	}); err != nil {
		w.t.Fatalf("no App Home published for %s", user)
	}
	return got
}

// TestSkipNextIsVisibleAndSurvivesAScheduleChange: "/pair skip next" shows
// in /pair me, the App Home and /pair roster with the round skipped and the
// round the person is back for; and it skips the round that actually runs
// next, also when an admin moves the schedule after the skip.
func TestSkipNextIsVisibleAndSurvivesAScheduleChange(t *testing.T) {
	wednesday := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) // round 2026-W49; the default schedule is Mondays 09:00 UTC
	w := newWorld(t, wednesday, "")
	w.setup()
	w.at(wednesday) // the scheduler's epoch: nothing is due

	w.pair("UDI", "skip next")
	for where, got := range map[string]string{
		"/pair me": w.pair("UDI", "me"),
		"App Home": w.homeText("UDI"),
	} {
		for _, want := range []string{"skipping the next round", "round 2026-W50", "back for round 2026-W51"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s after skip next lacks %q:\n%s", where, want, got)
			}
		}
	}
	if got := w.pair("UANA", "roster"); !strings.Contains(got, "<@UDI>: active, skips 2026-W50 (Mon 7 Dec), back for 2026-W51") {
		t.Errorf("/pair roster does not show the skip:\n%s", got)
	}

	// The admin moves the round to this afternoon: that is now the next
	// round that runs, and the one Di skips.
	w.pair("UANA", `config schedule "0 14 * * WED"`)
	if got := w.pair("UDI", "me"); !strings.Contains(got, "round 2026-W49 on Wednesday 2 December, 14:00") {
		t.Errorf("/pair me after the schedule moved does not name the round that now comes next:\n%s", got)
	}
	w.at(time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC))
	sessions := w.roundSessions("2026-W49")
	if len(sessions) == 0 {
		t.Fatal("no round planned at the new schedule")
	}
	if inAny(sessions, "UDI") {
		t.Errorf("Di said skip next and was proposed in the round that came next: %+v", sessions)
	}
	p := w.person("UDI")
	if p.SkipNext || !slices.Contains(p.SkipRounds, "2026-W49") {
		t.Errorf("the skip was not spent on round 2026-W49: %+v", p)
	}
	if got := w.pair("UDI", "me"); strings.Contains(got, "skipping") {
		t.Errorf("/pair me still shows a skip after the skipped round ran:\n%s", got)
	}
	// The round after is Di's again: the heads-up and planning see them.
	w.at(time.Date(2026, 12, 9, 14, 0, 0, 0, time.UTC))
	if len(w.roundSessions("2026-W50")) == 0 {
		t.Fatal("no round 2026-W50 was planned: the check below would test nothing")
	}
	if !inAny(w.roundSessions("2026-W50"), "UDI") {
		t.Errorf("Di was left out of the round after the skipped one: %+v", w.roundSessions("2026-W50"))
	}
}

// TestPauseShowsWhenThePersonIsBack: a pause of some weeks shows in /pair me
// and /pair roster with the date and the round the person is back for.
func TestPauseShowsWhenThePersonIsBack(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	reply := w.pair("UBO", "skip until 2027-01-04")
	for _, want := range []string{"paused until Monday 4 January 2027", "back for round 2027-W01 on Monday 4 January, 09:00"} {
		if !strings.Contains(reply, want) {
			t.Errorf("skip until lacks %q:\n%s", want, reply)
		}
	}
	if got := w.pair("UBO", "me"); !strings.Contains(got, "paused until Monday 4 January 2027; back for round 2027-W01") {
		t.Errorf("/pair me does not show the pause:\n%s", got)
	}
	if got := w.pair("UANA", "roster"); !strings.Contains(got, "<@UBO>: paused until 2027-01-04, back for 2027-W01 (Mon 4 Jan)") {
		t.Errorf("/pair roster does not show the pause:\n%s", got)
	}
}
