package pairing

import (
	"fmt"
	"testing"
)

func owners(pairs ...string) []Event {
	var events []Event
	for i := 0; i < len(pairs); i += 2 {
		events = append(events, Event{ID: fmt.Sprint(i), At: t0, Kind: EventOwner, Person: pairs[i], Project: pairs[i+1]})
	}
	return events
}

func team(ids ...string) []Person {
	var ps []Person
	for _, id := range ids {
		ps = append(ps, Person{Profile: Profile{ID: id}, Membership: Membership{Status: Active}})
	}
	return ps
}

func projects(names ...string) []Project {
	var ps []Project
	for _, n := range names {
		ps = append(ps, Project{Name: n})
	}
	return ps
}

func TestBusFactor(t *testing.T) {
	k := Replay(DefaultModel(), append(owners("ana", "p", "bo", "p", "cy", "p"),
		Event{ID: "d", At: t0, Kind: EventDeclared, Person: "di", Project: "p", Level: 0.4}))
	people := team("ana", "bo", "cy", "di")
	if got := k.BusFactor("p", people, t0); got != 3 {
		t.Errorf("bus factor = %d, want 3 (di only knows some)", got)
	}
	people[1].Status = Left
	people[2].Status = Paused
	if got := k.BusFactor("p", people, t0); got != 2 {
		t.Errorf("bus factor = %d, want 2 (bo left; a pause does not count as leaving)", got)
	}
	if got, want := fmt.Sprint(k.Knowers("p", people, t0)), "[ana cy]"; got != want {
		t.Errorf("knowers = %s, want %s", got, want)
	}
}

func TestTruckFactor(t *testing.T) {
	tests := []struct {
		name     string
		events   []Event
		people   []Person
		projects []Project
		want     int
	}{
		{"no projects", nil, team("ana"), nil, 0},
		{"nobody knows anything", nil, team("ana"), projects("a", "b"), 0},
		{"one person knows all", owners("ana", "a", "ana", "b", "ana", "c"), team("ana", "bo"), projects("a", "b", "c"), 1},
		// Removing ana orphans a and b (2 of 4 = half, not more); then bo or cy must go.
		{"needs two", owners("ana", "a", "ana", "b", "bo", "c", "cy", "d", "ana", "c"), team("ana", "bo", "cy"), projects("a", "b", "c", "d"), 2},
		{"everyone knows everything", owners("ana", "a", "bo", "a", "ana", "b", "bo", "b"), team("ana", "bo"), projects("a", "b"), 2},
		{"retired projects do not count", owners("ana", "a", "bo", "b", "cy", "c"), team("ana", "bo", "cy"),
			[]Project{{Name: "a"}, {Name: "b", Retired: true}, {Name: "c", Retired: true}}, 1},
		{"people who left do not count", owners("ana", "a", "bo", "a", "bo", "b"),
			[]Person{{Profile: Profile{ID: "ana"}, Membership: Membership{Status: Active}}, {Profile: Profile{ID: "bo"}, Membership: Membership{Status: Left}}}, projects("a", "b"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := Replay(DefaultModel(), tt.events)
			if got := k.TruckFactor(tt.projects, tt.people, t0); got != tt.want {
				t.Errorf("truck factor = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestCoverageBusFactor(t *testing.T) {
	tests := []struct {
		name string
		fs   []float64
		want int
	}{
		{"nobody", nil, 0},
		{"below half", []float64{0.49}, 0},
		{"one knower", []float64{0.5}, 1},
		{"owners count one each", []float64{1, 1, 1}, 3},
		{"two halves", []float64{0.5, 0.5}, 2},
		{"three thirds", []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, 2},
		{"an owner and a 40% author", []float64{1, 0.4}, 1},
		{"an owner, a 40% author and a learner", []float64{0.35, 1, 0.4}, 2},
		{"two learners one session in", []float64{0.35, 0.35}, 1},
		{"shallow sessions spread thin", []float64{0.2, 0.2, 0.2, 0.2, 0.2, 0.2}, 3},
		{"out of range is clamped", []float64{1.5, -1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CoverageBusFactor(tt.fs); got != tt.want {
				t.Errorf("CoverageBusFactor(%v) = %d, want %d", tt.fs, got, tt.want)
			}
		})
	}
}

// TestBusFactorCountsCoAuthors: two authors of half a project each (git
// import) make a bus factor of 2, as the truck factor says, and still do
// two years after their last commits.
func TestBusFactorCountsCoAuthors(t *testing.T) {
	k := Replay(DefaultModel(), []Event{
		{ID: "1", At: t0, Kind: EventImported, Source: "git", Person: "ana", Project: "p", Level: 0.5},
		{ID: "2", At: t0, Kind: EventImported, Source: "git", Person: "bo", Project: "p", Level: 0.5},
	})
	later := t0.AddDate(2, 0, 0)
	if got := k.BusFactor("p", team("ana", "bo"), later); got != 2 {
		t.Errorf("bus factor two years on = %d, want 2 (f: ana %.3f, bo %.3f)", got, k.F("ana", "p", later), k.F("bo", "p", later))
	}
	if got := k.TruckFactor(projects("p"), team("ana", "bo"), later); got != 2 {
		t.Errorf("team truck factor = %d, want 2", got)
	}
}
