package metrics

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// The rotation label stays where its cardinality is small: a rotation
// (with its members, its projects and sessions in every state) adds
// exactly one series to Pollen's metrics, pollen_rotation_people's, and no
// other series carries the label. Commands counted in each rotation add
// nothing per rotation either.
func TestARotationAddsOneSeries(t *testing.T) {
	db := seed(t, 20)
	start := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	m := New(StoreSnapshot(db, func() time.Time { return now }))
	scrape := func() []string {
		t.Helper()
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		body, err := io.ReadAll(rec.Result().Body)
		if err != nil {
			t.Fatal(err)
		}
		var series []string
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, "pollen_") {
				series = append(series, line)
			}
		}
		return series
	}
	for _, verb := range []string{"join", "stats", "stats all"} {
		m.CommandDone(verb, "ok")
	}
	before := len(scrape())

	const rotations = 49
	for i := range rotations {
		id := fmt.Sprintf("C%03d", i)
		person := pairing.NewPerson("U"+id, id, "UTC", start)
		c := store.Change{Rotations: []pairing.Rotation{{ID: id, Channel: id, StartedAt: start, Projects: []string{"etl", "proj-" + strings.ToLower(id)}}},
			People: []pairing.Person{person}, Projects: []pairing.Project{{Name: "proj-" + strings.ToLower(id)}}}
		for j, st := range pairing.States {
			c.Sessions = append(c.Sessions, pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "proj-" + strings.ToLower(id), Host: "U000",
				Learners: []string{person.ID}, Round: "2025-W50", Rotation: id, Slot: start.AddDate(0, 0, j), Length: time.Hour,
				State: st, CreatedAt: start, UpdatedAt: start})
		}
		if _, err := db.Apply(store.WithRotation(context.Background(), id), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
		for _, verb := range []string{"join", "stats", "stats all"} {
			m.CommandDone(verb, "ok") // a command's rotation is not a label
		}
	}
	after := scrape()
	if len(after)-before != rotations {
		t.Errorf("%d rotations added %d series, want one each:\n%s", rotations, len(after)-before, strings.Join(after, "\n"))
	}
	labelled := 0
	for _, s := range after {
		if !strings.Contains(s, `rotation="`) {
			continue
		}
		labelled++
		if !strings.HasPrefix(s, "pollen_rotation_people{") {
			t.Errorf("series %q carries the rotation label; only pollen_rotation_people may", s)
		}
	}
	if labelled != rotations+1 { // and the default rotation's
		t.Errorf("%d series labelled by rotation, want %d", labelled, rotations+1)
	}
}
