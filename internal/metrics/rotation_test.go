package metrics

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// /metrics reports the people active in each active rotation, labelled by
// rotation; a stopped rotation has no series, and the unlabelled gauge
// stays the default rotation's.
func TestMetricsCountPeoplePerActiveRotation(t *testing.T) {
	db := seed(t, 0) // 50 people in the default rotation
	start := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	paused := pairing.NewPerson("UPAUSED", "paused", "UTC", start)
	paused.Status, paused.PausedUntil = pairing.Paused, now.AddDate(0, 1, 0)
	rotation := func(rot pairing.Rotation, people ...pairing.Person) {
		t.Helper()
		c := store.Change{Rotations: []pairing.Rotation{rot}, People: people}
		if _, err := db.Apply(store.WithRotation(context.Background(), rot.ID), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	rotation(pairing.Rotation{ID: "C0ML", Channel: "C0ML", StartedAt: start},
		pairing.NewPerson("U000", "p0", "UTC", start), pairing.NewPerson("UML1", "ml1", "UTC", start), paused)
	rotation(pairing.Rotation{ID: "C0OLD", Channel: "C0OLD", StartedAt: start, StoppedAt: start.AddDate(0, 0, 7)},
		pairing.NewPerson("UOLD", "old", "UTC", start))

	m := New(StoreSnapshot(db, func() time.Time { return now }))
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	text := string(body)
	for _, want := range []string{
		`pollen_rotation_people{rotation="C0ML"} 2`,
		`pollen_rotation_people{rotation="team"} 50`,
		"pollen_people_in_rotation 50",
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, "C0OLD") {
		t.Error("/metrics has a series for the stopped rotation C0OLD")
	}
}
