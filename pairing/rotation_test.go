package pairing

import (
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
