package scheduler

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

type wakes struct{ n int }

func (w *wakes) Wake() { w.n++ }

// testLoop builds a loop on a new database; each opt makes an option of
// the loop from the database (an Away that changes the roster, say).
func testLoop(t *testing.T, now *time.Time, opts ...func(db *engine.DB) Option) (*Loop, *engine.DB, *wakes) {
	t.Helper()
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &wakes{}
	var options []Option
	for _, o := range opts {
		options = append(options, o(db))
	}
	return NewLoop(db, w, func() time.Time { return *now }, slog.New(slog.NewTextHandler(io.Discard, nil)), options...), db, w
}

func queued(t *testing.T, db *engine.DB) []outbox.Item {
	t.Helper()
	var items []outbox.Item
	if err := db.Snapshot(context.Background(), func(r store.Reader) (err error) { items, err = r.Outbox(); return err }); err != nil {
		t.Fatal(err)
	}
	return items
}

// save commits c as it is.
func save(t testing.TB, db *engine.DB, c store.Change) {
	t.Helper()
	if _, err := db.Apply(context.Background(), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
		t.Fatal(err)
	}
}

// done reports whether the job with this key has run.
func done(t *testing.T, db *engine.DB, key string) (ok bool) {
	t.Helper()
	if err := db.Snapshot(context.Background(), func(r store.Reader) error { ok = r.Done(key); return nil }); err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestReminderOnTheMorningAndRetroAfterTheSlot(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	now := monday
	loop, db, w := testLoop(t, &now)
	wednesday := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "UANA", Learners: []string{"UBO"},
		Round: "2026-W49", Slot: wednesday, Length: time.Hour, State: pairing.Accepted, CreatedAt: monday, UpdatedAt: monday}
	save(t, db, store.Change{Sessions: []pairing.Session{s}})
	steps := []struct {
		at   time.Time
		want []outbox.Kind // outbox after the tick
	}{
		{monday, nil},
		{wednesday.Add(-7 * time.Hour), nil}, // 07:00: too early
		{wednesday.Add(-6 * time.Hour), []outbox.Kind{outbox.Reminder}}, // 08:00
		{wednesday.Add(-time.Hour), []outbox.Kind{outbox.Reminder}},     // not twice
		{wednesday.Add(time.Hour + 10*time.Minute), []outbox.Kind{outbox.Reminder}},
		{wednesday.Add(time.Hour + 15*time.Minute), []outbox.Kind{outbox.Reminder, outbox.Retro}},
		{wednesday.Add(3 * time.Hour), []outbox.Kind{outbox.Reminder, outbox.Retro}},
	}
	for i, step := range steps {
		now = step.at
		if err := loop.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		var got []outbox.Kind
		for _, item := range queued(t, db) {
			got = append(got, item.Kind)
		}
		if len(got) != len(step.want) || (len(got) > 0 && got[len(got)-1] != step.want[len(step.want)-1]) {
			t.Fatalf("step %d (%v): outbox %v, want %v", i, step.at, got, step.want)
		}
	}
	if w.n != 2 {
		t.Errorf("sender woken %d times, want 2 (once per queued item)", w.n)
	}
}

func TestLastDueAcrossDaylightSavingChanges(t *testing.T) {
	s, err := pairing.ParseSchedule("0 9 * * MON", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		now      time.Time
		wantUTC  time.Time
		wantWeek string
	}{
		{"winter time", time.Date(2026, 3, 23, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 23, 8, 0, 0, 0, time.UTC), "2026-W13"},
		{"first Monday of summer time", time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC), "2026-W14"},
		{"just before 09:00 CEST", time.Date(2026, 3, 30, 6, 59, 0, 0, time.UTC), time.Date(2026, 3, 23, 8, 0, 0, 0, time.UTC), "2026-W13"},
		{"back to winter time", time.Date(2026, 11, 2, 8, 30, 0, 0, time.UTC), time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC), "2026-W45"},
		{"last summer Monday", time.Date(2026, 10, 26, 7, 30, 0, 0, time.UTC), time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC).Add(-7 * 24 * time.Hour).Add(-time.Hour), "2026-W43"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LastDue(s, tt.now.Add(-lookback), tt.now)
			if !ok || !got.Equal(tt.wantUTC) {
				t.Fatalf("LastDue = %v (%v), want %v", got.UTC(), ok, tt.wantUTC)
			}
			if id := pairing.RoundID(got.In(s.Location())); id != tt.wantWeek {
				t.Errorf("round %s, want %s", id, tt.wantWeek)
			}
		})
	}
}

func TestAScheduleChangeTakesEffectWithoutARestart(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	now := monday.Add(-24 * time.Hour)
	loop, db, _ := testLoop(t, &now)
	loop.Tick(context.Background()) // epoch
	if _, err := db.UpdateSettings(context.Background(), func(s *pairing.TeamSettings, _ store.Reader) (store.Change, error) {
		s.Schedule = "0 10 * * TUE"
		return store.Change{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	now = monday.Add(time.Hour) // the old schedule's Monday round would be due now
	loop.Tick(context.Background())
	if done(t, db, "round/2026-W49") {
		t.Error("the old schedule still planned a round")
	}
	now = monday.Add(25 * time.Hour) // Tuesday 10:00
	loop.Tick(context.Background())
	if !done(t, db, "round/2026-W49") {
		t.Error("the new schedule did not plan its round")
	}
}

// A session that starts at or before the reminder hour is reminded an hour
// before it starts instead of never.
func TestEarlySessionIsRemindedAnHourBefore(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	now := monday
	loop, db, _ := testLoop(t, &now)
	early := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC) // Wednesday 08:00, the reminder hour
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "UANA", Learners: []string{"UBO"},
		Round: "2026-W49", Slot: early, Length: time.Hour, State: pairing.Accepted, CreatedAt: monday, UpdatedAt: monday}
	save(t, db, store.Change{Sessions: []pairing.Session{s}})
	for _, step := range []struct {
		at   time.Time
		want int // reminders in the outbox after the tick
	}{
		{monday, 0},
		{early.Add(-61 * time.Minute), 0},
		{early.Add(-time.Hour), 1},
		{early.Add(-time.Minute), 1}, // not twice
	} {
		now = step.at
		if err := loop.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, item := range queued(t, db) {
			if item.Kind == outbox.Reminder {
				n++
			}
		}
		if n != step.want {
			t.Errorf("at %s: %d reminders queued, want %d", step.at.Format(time.RFC3339), n, step.want)
		}
	}
}
