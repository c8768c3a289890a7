package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

func TestExportGolden(t *testing.T) {
	tm := newTeam()
	m := pairing.DefaultModel()
	k := pairing.Replay(m, tm.events)
	at := tm.start.AddDate(0, 0, 30)
	weeks := []time.Time{tm.start, tm.start.AddDate(0, 0, 7), tm.start.AddDate(0, 0, 16), tm.start.AddDate(0, 0, 14)}
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"sessions.golden.csv", func(w *bytes.Buffer) error { return WriteSessions(w, tm.sessions) }},
		{"familiarity.golden.csv", func(w *bytes.Buffer) error { return WriteFamiliarity(w, k, tm.people, tm.projects, at) }},
		{"bus_factor.golden.csv", func(w *bytes.Buffer) error { return WriteBusFactor(w, m, tm.events, tm.people, tm.projects, weeks) }},
		{"roster.golden.csv", func(w *bytes.Buffer) error { return WriteRoster(w, tm.people, tm.projects, k, at) }},
		{"people.golden.csv", func(w *bytes.Buffer) error { return WritePeople(w, tm.people) }},
		{"projects.golden.csv", func(w *bytes.Buffer) error { return WriteProjects(w, tm.projects, k, tm.people, at) }},
		{"members.golden.csv", func(w *bytes.Buffer) error {
			rotations := []pairing.Rotation{{ID: pairing.DefaultRotation, Channel: "C0TEAM"},
				{ID: "C0ML", Channel: "C0ML", StartedAt: tm.start, StoppedAt: tm.start.AddDate(0, 0, 20)}}
			return WriteMembers(w, rotations, map[string][]pairing.Person{pairing.DefaultRotation: tm.people, "C0ML": tm.people[:2]})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, buf.Bytes())
			rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
			if err != nil {
				t.Fatalf("not CSV a reader takes: %v", err)
			}
			if len(rows) < 2 {
				t.Errorf("only %d rows: the fixture should fill every file", len(rows))
			}
		})
	}
}

// TestWriteBusFactorIsAReplayPerWeek checks the incremental replay against
// the obvious, slow way: for each week, a full Replay of the events before
// its end (and of every rating, which Replay folds into its session).
func TestWriteBusFactorIsAReplayPerWeek(t *testing.T) {
	tm := newTeam()
	m := pairing.DefaultModel()
	var weeks []time.Time
	for w := -1; w < 60; w++ {
		weeks = append(weeks, tm.start.AddDate(0, 0, 7*w+3)) // a Thursday: WriteBusFactor finds the Monday
	}
	var buf bytes.Buffer
	if err := WriteBusFactor(&buf, m, tm.events, tm.people, tm.projects, weeks); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[1:]
	// The week before the team's start has no rows: no project existed.
	if len(rows) != (len(weeks)-1)*2 {
		t.Fatalf("%d rows, want %d weeks × 2 active projects", len(rows), len(weeks)-1)
	}
	for _, r := range rows {
		monday, err := time.Parse(dateFormat, r[1])
		if err != nil || monday.Weekday() != time.Monday {
			t.Fatalf("week %q is not a Monday's date", r[1])
		}
		end := monday.AddDate(0, 0, 7)
		var before []pairing.Event
		for _, e := range tm.events {
			if e.At.Before(end) || e.Kind == pairing.EventRated {
				before = append(before, e)
			}
		}
		want := pairing.Replay(m, before).BusFactor(r[0], tm.people, end)
		if got, _ := strconv.Atoi(r[2]); got != want {
			t.Errorf("%s in the week of %s: bus factor %d, want %d", r[0], r[1], got, want)
		}
	}
}

func TestWeekStartsOnMonday(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tt := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "2026-03-02"},
		{time.Date(2026, 3, 8, 23, 59, 0, 0, time.UTC), "2026-03-02"},
		{time.Date(2026, 3, 30, 1, 0, 0, 0, berlin), "2026-03-30"}, // the week after the clocks change
		{time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), "2026-12-28"},
	} {
		if got := mondayOf(tt.in).Format(dateFormat); got != tt.want {
			t.Errorf("mondayOf(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestFormatLevel(t *testing.T) {
	for _, tt := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {0.4, "0.4"}, {0.72249, "0.7225"}, {0.5, "0.5"},
		{0.49996, "0.49996"}, // four decimals would make them know it
		{0.50004, "0.5"},
	} {
		if got := formatLevel(tt.f, 0.5); got != tt.want {
			t.Errorf("formatLevel(%v) = %s, want %s", tt.f, got, tt.want)
		}
	}
}

func TestExportReportsWriteErrors(t *testing.T) {
	tm := newTeam()
	k := pairing.Replay(pairing.DefaultModel(), tm.events)
	writers := map[string]func(*failWriter) error{
		"sessions":    func(w *failWriter) error { return WriteSessions(w, tm.sessions) },
		"familiarity": func(w *failWriter) error { return WriteFamiliarity(w, k, tm.people, tm.projects, tm.start) },
		"roster":      func(w *failWriter) error { return WriteRoster(w, tm.people, tm.projects, k, tm.start) },
		"members": func(w *failWriter) error {
			return WriteMembers(w, []pairing.Rotation{{ID: pairing.DefaultRotation}}, map[string][]pairing.Person{pairing.DefaultRotation: tm.people})
		},
	}
	for name, write := range writers {
		if err := write(&failWriter{}); err == nil {
			t.Errorf("%s: a failing writer gave no error", name)
		}
	}
}

type failWriter struct{}

func (*failWriter) Write([]byte) (int, error) { return 0, errFull }

var errFull = errors.New("disk full")
