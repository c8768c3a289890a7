package pairing

import (
	"reflect"
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
