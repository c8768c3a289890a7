package transfer

import (
	"bytes"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// imported is what an import wrote into an empty database.
type imported struct {
	people   []pairing.Person
	projects []pairing.Project
	events   []pairing.Event
}

// importCSV reads an export as `pollen import` would and returns its records.
func importCSV(t *testing.T, data []byte, known Known, now time.Time) imported {
	t.Helper()
	b, err := Read("export.csv", bytes.NewReader(data), known)
	if err != nil {
		t.Fatalf("the export does not import:\n%v\n%s", err, data)
	}
	var im imported
	im.people, im.projects, im.events = b.Records(pairing.DefaultModel(), now, ids(), known)
	return im
}

func TestRoundTrip(t *testing.T) {
	tm := newTeam()
	m := pairing.DefaultModel()
	k := pairing.Replay(m, tm.events)
	at := tm.start.AddDate(0, 0, 30)
	now := at.AddDate(0, 2, 0) // imported two months later, into an empty database

	var roster, people, projects bytes.Buffer
	if err := WriteRoster(&roster, tm.people, tm.projects, k, at); err != nil {
		t.Fatal(err)
	}
	if err := WritePeople(&people, tm.people); err != nil {
		t.Fatal(err)
	}
	if err := WriteProjects(&projects, tm.projects, k, tm.people, at); err != nil {
		t.Fatal(err)
	}
	one := importCSV(t, roster.Bytes(), Known{}, now)
	two := importCSV(t, people.Bytes(), Known{}, now)
	rest := importCSV(t, projects.Bytes(), NewKnown(two.people, nil), now)
	two.projects, two.events = rest.projects, rest.events

	for name, im := range map[string]imported{"WriteRoster": one, "WritePeople then WriteProjects": two} {
		t.Run(name, func(t *testing.T) {
			// Everyone comes back as they were, paused or left too, but
			// joining at the import.
			var wantPeople []pairing.Person
			for _, p := range tm.people {
				p.JoinedAt = now
				wantPeople = append(wantPeople, p)
			}
			if !reflect.DeepEqual(im.people, wantPeople) {
				t.Errorf("people:\n got %+v\nwant %+v", im.people, wantPeople)
			}
			wantProjects := tm.projects // legacy-etl comes back retired
			if !reflect.DeepEqual(im.projects, wantProjects) {
				t.Errorf("projects:\n got %+v\nwant %+v", im.projects, wantProjects)
			}
			// Familiarity at the import is familiarity at the export, to
			// four decimals, and who knows what is exactly the same.
			k2 := pairing.Replay(m, im.events)
			for _, p := range wantPeople {
				for _, proj := range wantProjects {
					was, is := k.F(p.ID, proj.Name, at), k2.F(p.ID, proj.Name, now)
					if math.Abs(was-is) > 0.5e-4 || k.Knows(p.ID, proj.Name, at) != k2.Knows(p.ID, proj.Name, now) {
						t.Errorf("%s on %s: f %.6f at the export, %.6f after the import", p.ID, proj.Name, was, is)
					}
				}
				for _, proj := range wantProjects {
					if got, want := k2.BusFactor(proj.Name, im.people, now), k.BusFactor(proj.Name, tm.people, at); got != want {
						t.Errorf("bus factor of %s: %d after the import, %d at the export", proj.Name, got, want)
					}
				}
			}
		})
	}
}

// TestReimportIntoTheSameDatabase imports an export back where it came
// from: nobody's status changes, owners get no new owner events, and the
// levels are declared again as they were at the export.
func TestReimportIntoTheSameDatabase(t *testing.T) {
	tm := newTeam()
	m := pairing.DefaultModel()
	k := pairing.Replay(m, tm.events)
	at := tm.start.AddDate(0, 0, 30)
	var roster bytes.Buffer
	if err := WriteRoster(&roster, tm.people, tm.projects, k, at); err != nil {
		t.Fatal(err)
	}
	im := importCSV(t, roster.Bytes(), NewKnown(tm.people, tm.projects), at)
	if !reflect.DeepEqual(im.people, tm.people) {
		t.Errorf("people changed:\n got %+v\nwant %+v", im.people, tm.people)
	}
	if !reflect.DeepEqual(im.projects, tm.projects) {
		t.Errorf("projects changed:\n got %+v\nwant %+v", im.projects, tm.projects)
	}
	for _, e := range im.events {
		if e.Kind != pairing.EventDeclared {
			t.Errorf("event %+v: want only declarations", e)
		}
	}
	k2 := pairing.Replay(m, append(tm.events, im.events...))
	for _, p := range tm.people {
		for _, proj := range tm.projects {
			if was, is := k.F(p.ID, proj.Name, at), k2.F(p.ID, proj.Name, at); math.Abs(was-is) > 0.5e-4 {
				t.Errorf("%s on %s: f %.6f before, %.6f after", p.ID, proj.Name, was, is)
			}
		}
	}
}
