package pairing

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestSharedProjects(t *testing.T) {
	projects := []Project{{Name: "dataops"}, {Name: "etl"}, {Name: "forecast"}, {Name: "old-lib", Retired: true}, {Name: "ranker"}}
	tests := []struct {
		name      string
		rotations []Rotation
		want      []string
	}{
		{"each team its own plus one library", []Rotation{
			{ID: "C1", Projects: []string{"forecast", "dataops"}},
			{ID: "C2", Projects: []string{"ranker", "dataops"}},
		}, []string{"dataops"}},
		{"a rotation without a list works on everything", []Rotation{
			{ID: "C1", Projects: []string{"forecast", "etl"}},
			{ID: "C2"},
		}, []string{"etl", "forecast"}},
		{"nothing shared", []Rotation{{ID: "C1", Projects: []string{"forecast"}}, {ID: "C2", Projects: []string{"ranker"}}}, nil},
		{"retired projects are not shared", []Rotation{{ID: "C1", Projects: []string{"old-lib"}}, {ID: "C2", Projects: []string{"old-lib"}}}, nil},
		{"one rotation shares with nobody", []Rotation{{ID: "C1"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SharedProjects(tt.rotations, projects); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SharedProjects = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBookedElsewhere(t *testing.T) {
	mon := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	s := func(rotation string, state State, slot time.Time, host, learner string) Session {
		return Session{Round: "2026-W50", Rotation: rotation, State: state, Slot: slot, Host: host, Learners: []string{learner}}
	}
	sessions := []Session{
		s("", Accepted, mon.Add(30*time.Hour), "ana", "bo"),              // the default rotation, this week
		s("C2", Proposed, mon.Add(50*time.Hour), "cy", "di"),             // another channel's rotation, this week
		s("C2", Skipped, mon.Add(50*time.Hour), "ed", "fa"),              // called off: not booked
		s("C2", Done, mon.Add(-50*time.Hour), "gi", "ho"),                // last week
		{Host: "ix", Learners: []string{"jo"}, Slot: mon.Add(time.Hour)}, // ad hoc
	}
	week := mon.AddDate(0, 0, 7)
	if got, want := BookedElsewhere(sessions, DefaultRotation, mon, week), []string{"cy", "di"}; !reflect.DeepEqual(got, want) {
		t.Errorf("for the default rotation: %v, want %v", got, want)
	}
	if got, want := BookedElsewhere(sessions, "C2", mon, week), []string{"ana", "bo"}; !reflect.DeepEqual(got, want) {
		t.Errorf("for C2: %v, want %v", got, want)
	}
}

// A cross-team rotation's teams are the running rotations it names, in
// its order, each once.
func TestRotationTeams(t *testing.T) {
	all := []Rotation{{ID: "C1"}, {ID: "C2", StoppedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, {ID: "C3"}, {ID: "X", Across: []string{"C3", "C2", "C1", "C9", "C3"}}}
	var got []string
	for _, r := range all[3].Teams(all) {
		got = append(got, r.ID)
	}
	if want := []string{"C3", "C1"}; !slices.Equal(got, want) {
		t.Errorf("teams = %v, want %v (running, in its order, each once)", got, want)
	}
	if teams := all[0].Teams(all); len(teams) != 0 {
		t.Errorf("a team's own rotation has teams %v", teams)
	}
}

func TestRotationScope(t *testing.T) {
	ana, bo, cy := Person{Profile: Profile{ID: "UANA"}}, Person{Profile: Profile{ID: "UBO"}}, Person{Profile: Profile{ID: "UCY"}}
	projects := []Project{{Name: "churn"}, {Name: "etl"}, {Name: "maps"}}
	rosters := map[string][]Person{"CA": {ana, bo}, "CB": {bo, cy}}
	all := []Rotation{
		{ID: "CA", Projects: []string{"churn", "etl"}},
		{ID: "CB", Projects: []string{"etl", "maps"}},
		{ID: "CX", Across: []string{"CA", "CB"}},
		{ID: "CALL"},
	}
	names := func(ps []Person) (out []string) {
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	tests := []struct {
		rot                     int
		people                  []Person
		wantPeople, wantProject []string
		wantTeams               map[string]string
	}{
		{0, rosters["CA"], []string{"UANA", "UBO"}, []string{"churn", "etl"}, nil}, // the projects it lists
		{3, []Person{cy}, []string{"UCY"}, []string{"churn", "etl", "maps"}, nil},  // lists none: every project
		{2, nil, []string{"UANA", "UBO", "UCY"}, []string{"etl"}, map[string]string{"UANA": "CA", "UBO": "CA", "UCY": "CB"}},
	}
	for _, tt := range tests {
		s, err := all[tt.rot].Scope(all, tt.people, projects, func(id string) ([]Person, error) { return rosters[id], nil })
		var got []string
		for _, p := range s.Projects {
			got = append(got, p.Name)
		}
		if err != nil || !slices.Equal(names(s.People), tt.wantPeople) || !slices.Equal(got, tt.wantProject) || !maps.Equal(s.Teams, tt.wantTeams) {
			t.Errorf("%s: Scope = %v %v %v, %v; want %v %v %v", all[tt.rot].ID, names(s.People), got, s.Teams, err, tt.wantPeople, tt.wantProject, tt.wantTeams)
		}
	}
	if s, _ := all[0].Scope(all, nil, projects, nil); len(projects) != 3 || len(s.Projects) != 2 {
		t.Errorf("Scope changed the projects it was given: %v", projects)
	}
	failed := errors.New("unreadable")
	if _, err := all[2].Scope(all, nil, projects, func(string) ([]Person, error) { return nil, failed }); err != failed {
		t.Errorf("a roster that cannot be read: Scope = %v, want its error", err)
	}
}
