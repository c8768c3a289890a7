package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// reminders counts the reminder DMs about a session.
func (w *world) reminders(s pairing.Session) int {
	w.t.Helper()
	channel, ok := w.fake.DMChannel(s.Participants()...)
	if !ok {
		return 0
	}
	n := 0
	for _, m := range w.fake.Messages(channel) {
		if m.Metadata != nil && m.Metadata.EventPayload["session_id"] == s.ID && m.Metadata.EventPayload["kind"] == "reminder" {
			n++
		}
	}
	return n
}

// A round planned late on Monday puts its sessions on Tuesday: each gets
// exactly one reminder, at 08:00 on Tuesday in the team's time zone
// (Europe/Berlin, 07:00 UTC), and none before, however often the scheduler
// ticks.
func TestMorningReminderOnTheDayOfALaterSlot(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.pair("UANA", "config timezone Europe/Berlin")
	if got := w.pair("UANA", `config schedule "0 16 * * MON"`); !strings.Contains(got, "0 16 * * MON` in Europe/Berlin") {
		t.Fatalf("config schedule: %s", got)
	}
	w.at(sunday) // the scheduler's epoch
	// Monday 16:00 in Berlin: too late for a session that day.
	w.at(time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC))
	sessions := w.sessions()
	if len(sessions) != 2 {
		t.Fatalf("round planned %d sessions, want 2", len(sessions))
	}
	tuesday := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	morning := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC) // 08:00 in Berlin
	for _, s := range sessions {
		if !s.Slot.After(morning) || !s.Slot.Before(tuesday.AddDate(0, 0, 1)) {
			t.Fatalf("session %s slot %v is not on Tuesday after the reminder", s.ID, s.Slot)
		}
		if _, ok := w.messageOf(s, "proposal"); !ok {
			t.Fatalf("no proposal for session %s", s.ID)
		}
	}

	for _, at := range []time.Time{morning.Add(-10 * time.Hour), morning.Add(-time.Minute)} {
		w.at(at)
		for _, s := range sessions {
			if n := w.reminders(s); n != 0 {
				t.Fatalf("%d reminders for session %s at %v, before the morning of its slot", n, s.ID, at)
			}
		}
	}
	for _, at := range []time.Time{morning, morning.Add(time.Minute), morning.Add(30 * time.Minute)} {
		w.at(at)
		for _, s := range sessions {
			if n := w.reminders(s); n != 1 {
				t.Fatalf("%d reminders for session %s at %v, want exactly 1", n, s.ID, at)
			}
		}
	}
	for _, s := range sessions {
		channel, _ := w.fake.DMChannel(s.Participants()...)
		for _, m := range w.fake.Messages(channel) {
			if m.Metadata != nil && m.Metadata.EventPayload["kind"] == "reminder" &&
				!strings.Contains(m.AllText(), "Reminder: your pair session on *"+s.Project+"* is today") {
				t.Errorf("reminder for %s reads:\n%s", s.Project, m.AllText())
			}
		}
	}
}
