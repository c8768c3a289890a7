package report

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
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
	d := crossTeamFixture(t)
	all, each := d.SummariseAll(t0.AddDate(0, 0, 14))
	type figures struct{ people, projects, sessions, atRisk int }
	got := map[string]figures{"workspace": {all.PeopleInRotation, all.Projects, all.SessionsDone, all.AtRisk}}
	for _, r := range each {
		got[r.Rotation.ID] = figures{r.PeopleInRotation, r.Projects, r.SessionsDone, r.AtRisk}
	}
	want := map[string]figures{
		"workspace":             {3, 4, 2, 3}, // utils is known by UA2 and UB1
		pairing.DefaultRotation: {0, 4, 0, 4}, // nobody: every project has bus factor 0 there
		"CA":                    {2, 3, 0, 3}, // pipeline and core known by UA1 only, utils by UA2
		"CB":                    {1, 3, 0, 3}, // models and utils known by UB1, core by nobody of #b
		"CX":                    {3, 2, 2, 1}, // core and utils, the projects #a and #b share
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

// t0 is when crossTeamFixture's workspace was set up.
var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// crossTeamFixture is a workspace with rotations #a (UA1, UA2; pipeline,
// core, utils) and #b (UB1; models, core, utils), and #x across them with
// two done sessions, read with LoadAll. UA1 owns pipeline and core, UB1
// models and utils, UA2 utils.
func crossTeamFixture(t *testing.T) Data {
	t.Helper()
	d, err := LoadAll(context.Background(), crossTeamDB(t))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// crossTeamDB is crossTeamFixture's workspace, open.
func crossTeamDB(t *testing.T) *engine.DB {
	t.Helper()
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
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
	apply("CA", store.Change{Rotations: []pairing.Rotation{{ID: "CA", Channel: "CA", StartedAt: t0, Projects: []string{"pipeline", "core", "utils"}}},
		People:   []pairing.Person{p("UA1"), p("UA2")},
		Projects: []pairing.Project{{Name: "pipeline"}, {Name: "models"}, {Name: "core"}, {Name: "utils"}},
		Events: []pairing.Event{owner("019b8f00-0000-7000-8000-00000000000a", "UA1", "pipeline"), owner("019b8f00-0000-7000-8000-00000000000b", "UA1", "core"),
			owner("019b8f00-0000-7000-8000-00000000000c", "UB1", "models"), owner("019b8f00-0000-7000-8000-00000000000d", "UA2", "utils"),
			owner("019b8f00-0000-7000-8000-00000000000e", "UB1", "utils")}})
	apply("CB", store.Change{Rotations: []pairing.Rotation{{ID: "CB", Channel: "CB", StartedAt: t0, Projects: []string{"models", "core", "utils"}}},
		People: []pairing.Person{p("UB1")}})
	apply("CX", store.Change{Rotations: []pairing.Rotation{{ID: "CX", Channel: "CX", StartedAt: t0, Across: []string{"CA", "CB"}}},
		Sessions: []pairing.Session{done("019b8f00-0000-7000-8000-000000000001", "CX"), done("019b8f00-0000-7000-8000-000000000002", "CX")}})
	return db
}

// LoadRotation reads one rotation as /pair stats all counts it: #a's two
// people on its three projects, #x's three (its teams') on the two the
// teams share with its two sessions; an unknown ID is refused with the
// list of rotations.
func TestLoadRotation(t *testing.T) {
	db := crossTeamDB(t)
	names := func(d Data) (people, projects []string) {
		for _, p := range d.People {
			people = append(people, p.ID)
		}
		for _, p := range d.Projects {
			projects = append(projects, p.Name)
		}
		return people, projects
	}
	for _, tt := range []struct {
		id               string
		people, projects []string
		sessions         int
	}{
		{"CA", []string{"UA1", "UA2"}, []string{"core", "pipeline", "utils"}, 0},
		{"CX", []string{"UA1", "UA2", "UB1"}, []string{"core", "utils"}, 2},
		{pairing.DefaultRotation, nil, []string{"core", "models", "pipeline", "utils"}, 0},
	} {
		d, err := LoadRotation(context.Background(), db, tt.id)
		people, projects := names(d)
		if err != nil || !slices.Equal(people, tt.people) || !slices.Equal(projects, tt.projects) || len(d.Sessions) != tt.sessions {
			t.Errorf("LoadRotation(%s) = %v %v %d sessions, %v; want %v %v %d", tt.id, people, projects, len(d.Sessions), err, tt.people, tt.projects, tt.sessions)
		}
	}
	if _, err := LoadRotation(context.Background(), db, "CNOPE"); err == nil || !strings.Contains(err.Error(), `no rotation "CNOPE" in the database; its rotations are team, CA, CB, CX`) {
		t.Errorf("LoadRotation(CNOPE) = %v", err)
	}
}
