package transfer

import (
	"reflect"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

func TestRecords(t *testing.T) {
	m := pairing.DefaultModel()
	then := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	left := pairing.NewPerson("U0LEFT001", "Left", "Asia/Tokyo", then)
	left.Status = pairing.Left
	known := NewKnown(
		[]pairing.Person{left},
		[]pairing.Project{{Name: "old", RepoURL: "https://x/old", Owners: []string{"U0LEFT001"}, Retired: true}},
	)
	b := Batch{
		People: []PersonRow{
			{Line: 2, ID: "U1"},
			{Line: 3, ID: "U0LEFT001", Name: "Back", Hours: pairing.WorkingHours{Start: 600, End: 900}},
			{Line: 4, ID: "U2", Name: "Two", TZ: "Europe/Paris", Cadence: pairing.Biweekly},
		},
		Projects: []ProjectRow{
			{Line: 5, Name: "new", Owners: []string{"U1", "U2"}},
			{Line: 6, Name: "old", Owners: []string{"U0LEFT001", "U1"}},
		},
		Familiarity: []FamiliarityRow{
			{Line: 7, Person: "U1", Project: "new", Value: 0.25},
			{Line: 8, Person: "U2", Project: "old", Declared: pairing.Some},
		},
	}
	people, projects, events := b.Records(m, now, ids(), known)

	u1 := pairing.NewPerson("U1", "", "UTC", now)
	back := left
	back.Name, back.Hours = "Back", pairing.WorkingHours{Start: 600, End: 900}
	u2 := pairing.NewPerson("U2", "Two", "Europe/Paris", now)
	u2.Cadence = pairing.Biweekly
	if want := []pairing.Person{u1, back, u2}; !reflect.DeepEqual(people, want) {
		t.Errorf("people:\n got %+v\nwant %+v", people, want)
	}
	wantProjects := []pairing.Project{
		{Name: "new", Owners: []string{"U1", "U2"}},
		{Name: "old", RepoURL: "https://x/old", Owners: []string{"U0LEFT001", "U1"}},
	}
	if !reflect.DeepEqual(projects, wantProjects) {
		t.Errorf("projects:\n got %+v\nwant %+v", projects, wantProjects)
	}
	next := ids()
	wantEvents := []pairing.Event{
		{ID: next(), At: now, Kind: pairing.EventOwner, Project: "new", Person: "U1"},
		{ID: next(), At: now, Kind: pairing.EventOwner, Project: "new", Person: "U2"},
		{ID: next(), At: now, Kind: pairing.EventOwner, Project: "old", Person: "U1"}, // U0LEFT001 already owned it
		{ID: next(), At: now, Kind: pairing.EventDeclared, Project: "new", Person: "U1", Level: 0.25, Source: "import"},
		{ID: next(), At: now, Kind: pairing.EventDeclared, Project: "old", Person: "U2", Level: m.Some, Source: "import"},
	}
	if !reflect.DeepEqual(events, wantEvents) {
		t.Errorf("events:\n got %+v\nwant %+v", events, wantEvents)
	}
	for _, p := range people {
		if err := p.Validate(); err != nil {
			t.Errorf("person %s: %v", p.ID, err)
		}
	}
	// A familiarity row for an owner wins over the owner event: both happen
	// at now, and declarations apply after owners.
	if f := pairing.Replay(m, events).F("U1", "new", now); f != 0.25 {
		t.Errorf("U1's familiarity with new = %v, want the declared 0.25", f)
	}
	if known.Projects["old"].Owners[0] != "U0LEFT001" || len(known.Projects["old"].Owners) != 1 {
		t.Error("Records changed the known project's owners in place")
	}
}

func TestRecordsOfAParsedFile(t *testing.T) {
	b, err := Read("import.csv", open(t, "import.csv"), Known{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	people, projects, events := b.Records(pairing.DefaultModel(), now, ids(), Known{})
	if len(people) != 3 || len(projects) != 2 || len(events) != 2+3 {
		t.Fatalf("got %d people, %d projects, %d events; want 3, 2, 5", len(people), len(projects), len(events))
	}
	k := pairing.Replay(pairing.DefaultModel(), events)
	for _, tt := range []struct {
		person, project string
		f               float64
	}{
		{"U024BE7LH", "churn-model", 1},   // owner
		{"U0G9QF9C6", "churn-model", 0.4}, // owner, then declared some
		{"W012A3CDE", "feature-store", 0.35},
		{"U024BE7LH", "feature-store", 1}, // expert
		{"W012A3CDE", "churn-model", 0},
	} {
		if got := k.F(tt.person, tt.project, now); got != tt.f {
			t.Errorf("F(%s, %s) = %v, want %v", tt.person, tt.project, got, tt.f)
		}
	}
}
