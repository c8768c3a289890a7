package scheduler

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Reload wakes the loop at every active rotation's round and digest
// schedules, each in its own zone; a stopped rotation's schedules are
// dropped, and two rotations on the same schedule share one wake-up.
func TestCronReloadWakesAtEveryActiveRotationsSchedule(t *testing.T) {
	sunday := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	now := sunday
	loop, db, _ := testLoop(t, &now)
	setup := func(rot pairing.Rotation, schedule, digest, zone string) {
		t.Helper()
		st := pairing.DefaultTeamSettings()
		st.Schedule, st.Digest, st.TimeZone = schedule, digest, zone
		c := store.Change{Settings: &st}
		if rot.ID != pairing.DefaultRotation {
			c.Rotations = []pairing.Rotation{rot}
		}
		if _, err := db.Apply(store.WithRotation(context.Background(), rot.ID), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	setup(pairing.Rotation{ID: pairing.DefaultRotation}, "0 9 * * MON", "0 16 * * FRI", "Europe/Berlin")
	setup(pairing.Rotation{ID: "C0ML", Channel: "C0ML"}, "0 10 * * WED", "30 17 * * THU", "Asia/Tokyo")
	setup(pairing.Rotation{ID: "C0BI", Channel: "C0BI"}, "0 10 * * WED", "30 17 * * THU", "Asia/Tokyo") // the same as C0ML
	setup(pairing.Rotation{ID: "C0OLD", Channel: "C0OLD", StoppedAt: sunday.AddDate(0, 0, -3)}, "0 7 * * TUE", "0 7 * * SAT", "UTC")

	c := NewCron(db, loop, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := c.Reload(); err != nil {
		t.Fatal(err)
	}
	var got []time.Time
	for _, e := range c.c.Entries() {
		got = append(got, e.Schedule.Next(sunday).UTC())
	}
	slices.SortFunc(got, time.Time.Compare)
	want := []time.Time{
		time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), // Monday 09:00 in Berlin: the default rotation's round
		time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC),  // Wednesday 10:00 in Tokyo: C0ML's and C0BI's rounds
		time.Date(2026, 12, 3, 8, 30, 0, 0, time.UTC), // Thursday 17:30 in Tokyo: their digests
		time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC), // Friday 16:00 in Berlin: the default rotation's digest
	}
	if !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("wake-ups after %v:\n got %v\nwant %v", sunday, got, want)
	}
}
