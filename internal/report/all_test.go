package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// The export of a workspace with two rotations covers both: each session
// names its rotation, members.csv has a row per membership (Cy, in both,
// has two), and the familiarity table has everyone once.
func TestExportCoversEveryRotation(t *testing.T) {
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p := func(id, name string) pairing.Person { return pairing.NewPerson(id, name, "UTC", t0) }
	session := func(id, rotation, host, learner string) pairing.Session {
		return pairing.Session{ID: id, Kind: pairing.Pair, Project: "etl", Host: host, Learners: []string{learner}, Round: "2026-W46",
			Slot: t0.AddDate(0, 0, 7), Length: time.Hour, State: pairing.Done, Rotation: rotation, CreatedAt: t0, DoneAt: t0.AddDate(0, 0, 7)}
	}
	apply := func(rot string, c store.Change) {
		t.Helper()
		if _, err := db.Apply(store.WithRotation(context.Background(), rot), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	apply(pairing.DefaultRotation, store.Change{People: []pairing.Person{p("UANA", "Ana"), p("UCY", "=Cy")}, Projects: []pairing.Project{{Name: "etl"}},
		Sessions: []pairing.Session{session("019b8f00-0000-7000-8000-000000000001", "", "UANA", "UCY")}})
	apply("C0ML", store.Change{Rotations: []pairing.Rotation{{ID: "C0ML", Channel: "C0ML", StartedAt: t0}},
		People:   []pairing.Person{p("UDI", "Di"), p("UCY", "=Cy")},
		Sessions: []pairing.Session{session("019b8f00-0000-7000-8000-000000000002", "C0ML", "UDI", "UCY")}})

	d, err := LoadAll(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	files, err := CSVs(d, t0.AddDate(0, 0, 14))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][][]string{}
	for _, f := range files {
		rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		got[f.Name] = rows
	}
	column := func(file, name string) []string {
		t.Helper()
		rows := got[file]
		if len(rows) == 0 {
			t.Fatalf("%s is missing or empty", file)
		}
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("%s has no column %q: %v", file, name, rows[0])
		}
		var out []string
		for _, r := range rows[1:] {
			out = append(out, r[i])
		}
		return out
	}
	if rot := column("sessions.csv", "rotation"); !slices.Equal(rot, []string{pairing.DefaultRotation, "C0ML"}) {
		t.Errorf("sessions.csv rotations %v, want [team C0ML]", rot)
	}
	rotations, people, names := column("members.csv", "rotation"), column("members.csv", "person"), column("members.csv", "name")
	if !slices.Equal(rotations, []string{"team", "team", "C0ML", "C0ML"}) || !slices.Equal(people, []string{"UANA", "UCY", "UCY", "UDI"}) {
		t.Errorf("members.csv rotations %v people %v, want each membership once, the default rotation first", rotations, people)
	}
	if names[1] != "'=Cy" {
		t.Errorf("members.csv name %q, want the formula neutralised as in every export cell", names[1])
	}
	familiar := column("familiarity.csv", "person")
	if !slices.Equal(familiar, []string{"UANA", "UCY", "UDI"}) {
		t.Errorf("familiarity.csv people %v, want everyone of every rotation once", familiar)
	}
}
