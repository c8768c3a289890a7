package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// pollen export covers every rotation: sessions.csv names each session's
// rotation (a cross-team one's too), and members.csv has a row per
// membership of every rotation, stopped ones included.
func TestExportCommandCoversEveryRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pollen.db")
	seedDB(t, path) // U1 in the default rotation
	db, err := engine.Open(path, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	session := func(rotation string) pairing.Session {
		return pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "core", Host: "UA", Learners: []string{"UB"}, Round: "2026-W46",
			Rotation: rotation, Slot: t0, Length: time.Hour, State: pairing.Done, CreatedAt: t0, DoneAt: t0.Add(time.Hour)}
	}
	for _, c := range []store.Change{
		{Rotations: []pairing.Rotation{{ID: "CA", Channel: "CA", StartedAt: t0}}, People: []pairing.Person{pairing.NewPerson("UA", "Ana", "UTC", t0)},
			Projects: []pairing.Project{{Name: "core"}}},
		{Rotations: []pairing.Rotation{{ID: "CB", Channel: "CB", StartedAt: t0, StoppedAt: t0.AddDate(0, 0, 14)}}, People: []pairing.Person{pairing.NewPerson("UB", "Bo", "UTC", t0)}},
		{Rotations: []pairing.Rotation{{ID: "CX", Channel: "CX", StartedAt: t0, Across: []string{"CA", "CB"}}}, Sessions: []pairing.Session{session("CX")}},
	} {
		rot := c.Rotations[0].ID
		if _, err := db.Apply(store.WithRotation(context.Background(), rot), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	out := filepath.Join(dir, "export")
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": path}, "export", "-out", out); code != 0 {
		t.Fatalf("export: exit %d %s", code, stderr)
	}
	column := func(file, name string) []string {
		t.Helper()
		f, err := os.Open(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s: %v", file, err)
		}
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("%s has no column %q: %v", file, name, rows[0])
		}
		var values []string
		for _, r := range rows[1:] {
			values = append(values, r[i])
		}
		return values
	}
	if got := column("sessions.csv", "rotation"); !slices.Equal(got, []string{"CX"}) {
		t.Errorf("sessions.csv rotations %v, want [CX]", got)
	}
	rotations, people, stopped := column("members.csv", "rotation"), column("members.csv", "person"), column("members.csv", "stopped")
	if !slices.Equal(rotations, []string{pairing.DefaultRotation, "CA", "CB"}) || !slices.Equal(people, []string{"U1", "UA", "UB"}) {
		t.Errorf("members.csv rotations %v people %v, want a row per membership of every rotation", rotations, people)
	}
	if stopped[2] == "" || stopped[1] != "" {
		t.Errorf("members.csv stopped %q, want #b's rotation marked stopped and #a's not", stopped)
	}
}
