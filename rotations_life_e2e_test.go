package main

import (
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/scheduler"
)

// withCron gives the world the cron of a leading replica, as runBot does,
// loaded but not started: the test reads its wake-ups and moves the clock
// itself, as cron would wake the loop then.
func (w *world) withCron() *scheduler.Cron {
	w.t.Helper()
	c := scheduler.NewCron(w.db, w.app.loop, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := c.Reload(); err != nil {
		w.t.Fatal(err)
	}
	w.app.link.setCron(c)
	w.t.Cleanup(func() { w.app.link.setCron(nil) })
	return c
}

// A rotation started on a running bot has the scheduler wake at its own
// time at once (the bot reloads cron on start and stop: no restart), and
// gets its round then; a schedule typed in its channel moves the wake-up;
// a stopped one's wake-up goes.
func TestRotationStartedOnARunningBotGetsItsRoundAtItsTime(t *testing.T) {
	w := newWorld(t, sunday, "")
	cron := w.withCron()
	w.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{w.fake.BotUserID, "UANA", "UBO", "UCY"}})
	w.pair("UANA", "project add churn-model <@UANA|ana>")
	wednesday := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) // 10:00 in Berlin, Ana's zone
	if slices.Contains(cron.Wakeups(sunday), wednesday) {
		t.Fatalf("a wake-up at %v before any rotation asked for it: %v", wednesday, cron.Wakeups(sunday))
	}

	if got := w.pairIn("UANA", "CFORE", "rotation start wednesday 10:00").Text; !strings.Contains(got, "Started") {
		t.Fatalf("rotation start: %q", got)
	}
	if !slices.Contains(cron.Wakeups(sunday), wednesday) {
		t.Fatalf("after the start the scheduler wakes at %v, not at the rotation's %v", cron.Wakeups(sunday), wednesday)
	}
	intro := w.fake.Messages("CFORE")[0]
	for _, u := range []string{"UANA", "UBO", "UCY"} {
		if _, err := w.fake.ClickButton(w.ctx(), u, intro, "rotation_join", ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		return strings.Contains(w.pairIn("UANA", "CFORE", "rotation list").Text, "<#CFORE>: 3 members")
	}); err != nil {
		t.Fatal("the Join clicks did not all land")
	}
	planned := func() bool {
		return slices.ContainsFunc(w.sessions(), func(s pairing.Session) bool { return s.Rotation == "CFORE" })
	}
	w.at(wednesday.Add(-time.Minute))
	if planned() {
		t.Fatal("the rotation planned before its time")
	}
	w.at(wednesday)
	if !planned() {
		t.Fatalf("no round for the rotation at its time: sessions %+v", w.sessions())
	}

	// A new schedule typed in the rotation's channel moves its wake-up.
	thursday := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC) // 11:00 in Berlin
	if got := w.pairIn("UANA", "CFORE", `config schedule "0 11 * * THU"`).Text; !strings.Contains(got, "saved") {
		t.Fatalf("config schedule in the rotation's channel: %q", got)
	}
	if !slices.Contains(cron.Wakeups(wednesday), thursday) {
		t.Fatalf("after the schedule change the scheduler wakes at %v, not at %v", cron.Wakeups(wednesday), thursday)
	}

	w.pairIn("UANA", "CFORE", "rotation stop")
	if slices.Contains(cron.Wakeups(wednesday), thursday) {
		t.Fatalf("a stopped rotation still wakes the scheduler: %v", cron.Wakeups(wednesday))
	}
	if slices.Contains(cron.Wakeups(sunday), wednesday) {
		t.Fatalf("a stopped rotation still wakes the scheduler: %v", cron.Wakeups(sunday))
	}
}
