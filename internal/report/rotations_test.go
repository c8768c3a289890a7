package report

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// Each rotation's figures count its own people, projects and sessions; a
// cross-team rotation counts its member rotations' people and only the
// projects they share; the workspace's count everyone and everything once.
func TestSummariseAllCountsEachRotationOnItsOwn(t *testing.T) {
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p := func(id string) pairing.Person { return pairing.NewPerson(id, id, "UTC", t0) }
	owner := func(id, who, project string) pairing.Event {
		return pairing.Event{ID: id, At: t0, Kind: pairing.EventOwner, Person: who, Project: project}
	}
	done := func(id, rotation string) pairing.Session {
		return pairing.Session{ID: id, Kind: pairing.Pair, Project: "core", Host: "UA1", Learners: []string{"UB1"}, Round: "2026-W46",
			Slot: t0.AddDate(0, 0, 7), Length: time.Hour, State: pairing.Done, Rotation: rotation, CreatedAt: t0, DoneAt: t0.AddDate(0, 0, 7)}
	}
	apply := func(rot string, c store.Change) {
		t.Helper()
		if _, err := db.Apply(store.WithRotation(context.Background(), rot), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	apply("CA", store.Change{Rotations: []pairing.Rotation{{ID: "CA", Channel: "CA", StartedAt: t0, Projects: []string{"pipeline", "core"}}},
		People:   []pairing.Person{p("UA1"), p("UA2")},
		Projects: []pairing.Project{{Name: "pipeline"}, {Name: "models"}, {Name: "core"}},
		Events:   []pairing.Event{owner("019b8f00-0000-7000-8000-00000000000a", "UA1", "pipeline"), owner("019b8f00-0000-7000-8000-00000000000b", "UA1", "core"), owner("019b8f00-0000-7000-8000-00000000000c", "UB1", "models")}})
	apply("CB", store.Change{Rotations: []pairing.Rotation{{ID: "CB", Channel: "CB", StartedAt: t0, Projects: []string{"models", "core"}}},
		People: []pairing.Person{p("UB1")}})
	apply("CX", store.Change{Rotations: []pairing.Rotation{{ID: "CX", Channel: "CX", StartedAt: t0, Across: []string{"CA", "CB"}}},
		Sessions: []pairing.Session{done("019b8f00-0000-7000-8000-000000000001", "CX"), done("019b8f00-0000-7000-8000-000000000002", "CX")}})

	d, err := LoadAll(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	all, each := d.SummariseAll(t0.AddDate(0, 0, 14))
	type figures struct{ people, projects, sessions, atRisk int }
	got := map[string]figures{"workspace": {all.PeopleInRotation, all.Projects, all.SessionsDone, all.AtRisk}}
	for _, r := range each {
		got[r.Rotation.ID] = figures{r.PeopleInRotation, r.Projects, r.SessionsDone, r.AtRisk}
	}
	want := map[string]figures{
		"workspace":             {3, 3, 2, 3},
		pairing.DefaultRotation: {0, 3, 0, 3}, // nobody: every project has bus factor 0 there
		"CA":                    {2, 2, 0, 2}, // pipeline and core, known by UA1 only
		"CB":                    {1, 2, 0, 2}, // models known by UB1, core by nobody of #b
		"CX":                    {3, 1, 2, 1}, // core, the one project #a and #b share
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: people, projects, sessions done, at risk = %v, want %v", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("summaries for %v, want the workspace and the four rotations", got)
	}
}
