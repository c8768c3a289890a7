package transfer

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Status, paused_until and retired read the same from CSV and YAML, and
// each is optional.
func TestParseStatusAndRetired(t *testing.T) {
	back := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	backAt := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	want := Batch{
		People: []PersonRow{
			{ID: "U1", Status: pairing.Active},
			{ID: "U2", Status: pairing.Paused, PausedUntil: back},
			{ID: "U3", Status: pairing.Paused, PausedUntil: backAt}, // paused_until alone means paused
			{ID: "U4", Status: pairing.Left},
			{ID: "U5"}, // no status: keeps what the database has
		},
		Projects: []ProjectRow{
			{Name: "old", Retired: true},
			{Name: "live"},
			{Name: "also-live"},
		},
	}
	tests := []struct{ file, text string }{
		{"a.csv", "kind,person,status,paused_until,project,retired\n" +
			"person,U1,active,,,\n" +
			"person,U2,Paused,2027-01-04,,\n" +
			"person,U3,,2027-01-04T09:00:00+01:00,,\n" +
			"person,U4,left,,,\n" +
			"person,U5,,,,\n" +
			"project,,,,old,true\n" +
			"project,,,,live,false\n" +
			"project,,,,also-live,\n"},
		{"a.yaml", "people:\n" +
			"  - {id: U1, status: active}\n" +
			"  - {id: U2, status: Paused, paused_until: 2027-01-04}\n" +
			"  - {id: U3, paused_until: \"2027-01-04T09:00:00+01:00\"}\n" +
			"  - {id: U4, status: left}\n" +
			"  - {id: U5}\n" +
			"projects:\n" +
			"  - {name: old, retired: true}\n" +
			"  - {name: live, retired: false}\n" +
			"  - {name: also-live}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(tt.file, strings.NewReader(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			for i := range got.People {
				got.People[i].Line = 0
				if u := got.People[i].PausedUntil; !u.IsZero() && u.Equal(want.People[i].PausedUntil) {
					got.People[i].PausedUntil = want.People[i].PausedUntil // same instant, any zone
				}
			}
			for i := range got.Projects {
				got.Projects[i].Line = 0
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseStatusProblems(t *testing.T) {
	_, err := Parse("a.csv", strings.NewReader("kind,person,status,paused_until,project,retired\n"+
		"person,U1,asleep,,,\n"+
		"person,U2,paused,,,\n"+
		"person,U3,left,2027-01-04,,\n"+
		"person,U4,,next week,,\n"+
		"project,,,,p,maybe\n"+
		"project,,paused,,q,\n"))
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Parse error = %v, want a *ValidationError", err)
	}
	want := []string{
		`line 2: status "asleep" is not a status: use active, paused or left`,
		"line 3: a paused person needs paused_until: the date they come back, like 2027-01-04",
		"line 4: paused_until is only for a paused person, not one who is left: leave it empty",
		`line 5: paused_until "next week" is not a date: use YYYY-MM-DD or an RFC 3339 time`,
		`line 6: retired "maybe" is not true or false`,
		"line 7: status is not used on a project row: leave it empty",
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A row's status replaces the person's; a row without one keeps it, and a
// project row is retired exactly when it says so.
func TestRecordsStatusAndRetired(t *testing.T) {
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	back := now.AddDate(0, 0, 10)
	paused := pairing.NewPerson("U2", "Bo", "UTC", now.AddDate(-1, 0, 0))
	paused.Status, paused.PausedUntil = pairing.Paused, back
	known := NewKnown([]pairing.Person{paused}, []pairing.Project{{Name: "old", Retired: true}})
	b := Batch{
		People: []PersonRow{
			{ID: "U1", Status: pairing.Paused, PausedUntil: back},
			{ID: "U2"},
			{ID: "U3"},
		},
		Projects: []ProjectRow{{Name: "old"}, {Name: "gone", Retired: true}},
	}
	people, projects, _ := b.Records(pairing.DefaultModel(), now, ids(), known)
	u1 := pairing.NewPerson("U1", "", "UTC", now)
	u1.Status, u1.PausedUntil = pairing.Paused, back
	wantPeople := []pairing.Person{u1, paused, pairing.NewPerson("U3", "", "UTC", now)}
	if !reflect.DeepEqual(people, wantPeople) {
		t.Errorf("people:\n got %+v\nwant %+v", people, wantPeople)
	}
	for i := range projects {
		if len(projects[i].Owners) == 0 {
			projects[i].Owners = nil
		}
	}
	wantProjects := []pairing.Project{{Name: "old"}, {Name: "gone", Retired: true}}
	if !reflect.DeepEqual(projects, wantProjects) {
		t.Errorf("projects:\n got %+v\nwant %+v", projects, wantProjects)
	}
}
