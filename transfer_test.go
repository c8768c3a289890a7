package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

func snapshotDB(t *testing.T, path string) (people []pairing.Person, projects []pairing.Project, events []pairing.Event) {
	t.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *store.Tx) (err error) {
		people, _ = tx.People()
		projects, _ = tx.Projects()
		events, err = tx.Events()
		return err
	})
	return people, projects, events
}

func TestImportWithThreeBadRowsNamesThemAllAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pollen.db")
	seedDB(t, db)
	beforePeople, beforeProjects, beforeEvents := snapshotDB(t, db)
	bad := filepath.Join(dir, "team.csv")
	os.WriteFile(bad, []byte(`kind,person,name,tz,hours,cadence,project,repo,owners,level
person,U0ADA,Ada,Europe/Berlin,09:00-17:00,weekly,,,,
person,U0BAD1,Bo,Mars/Olympus,09:00-17:00,weekly,,,,
project,,,,,,churn-model,https://git.example/churn,U0ADA,
person,U0BAD2,Cy,UTC,9-5,weekly,,,,
familiarity,U0ADA,,,,,no-such-project,,,expert
`), 0o644)
	code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": db}, "import", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"nothing was imported", "line 3:", "line 5:", "line 6:"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	people, projects, events := snapshotDB(t, db)
	if len(people) != len(beforePeople) || len(projects) != len(beforeProjects) || len(events) != len(beforeEvents) {
		t.Errorf("a refused import wrote records: people %d→%d, projects %d→%d, events %d→%d",
			len(beforePeople), len(people), len(beforeProjects), len(projects), len(beforeEvents), len(events))
	}
}

func TestExportThenImportRoundTrips(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	yaml := filepath.Join(dir, "team.yaml")
	os.WriteFile(yaml, []byte(`people:
  - {id: U0ADA, name: Ada, tz: Europe/Berlin, hours: "08:00-16:00", cadence: biweekly}
  - {id: U0BO, name: Bo, tz: America/New_York}
projects:
  - {name: churn-model, repo: "https://git.example/churn", owners: [U0ADA]}
  - {name: etl}
familiarity:
  - {person: U0BO, project: churn-model, level: some}
  - {person: U0BO, project: etl, level: expert}
`), 0o644)
	seedDB(t, src) // an existing database with one person
	if code, out, stderr := runCLI(t, map[string]string{"POLLEN_DB": src}, "import", yaml); code != 0 {
		t.Fatalf("import: exit %d %s %s", code, out, stderr)
	}
	out := filepath.Join(dir, "export")
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": src}, "export", "-out", out); code != 0 {
		t.Fatalf("export: exit %d %s", code, stderr)
	}
	for _, name := range []string{"sessions.csv", "familiarity.csv", "bus_factor.csv", "roster.csv"} {
		if data, err := os.ReadFile(filepath.Join(out, name)); err != nil || !strings.Contains(string(data), "\n") {
			t.Errorf("%s: %v", name, err)
		}
	}
	dst := filepath.Join(dir, "dst.db")
	seedDB(t, dst)
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": dst}, "import", filepath.Join(out, "roster.csv")); code != 0 {
		t.Fatalf("re-import: exit %d %s", code, stderr)
	}
	p1, pr1, e1 := snapshotDB(t, src)
	p2, pr2, e2 := snapshotDB(t, dst)
	if len(p1) != len(p2) || len(pr1) != len(pr2) {
		t.Fatalf("round trip: people %d vs %d, projects %d vs %d", len(p1), len(p2), len(pr1), len(pr2))
	}
	for i := range p1 {
		a, b := p1[i], p2[i]
		if a.ID != b.ID || a.Name != b.Name || a.TZ != b.TZ || a.Hours != b.Hours || a.Cadence != b.Cadence {
			t.Errorf("person %s: %+v vs %+v", a.ID, a, b)
		}
	}
	now := time.Now()
	k1, k2 := pairing.Replay(pairing.DefaultModel(), e1), pairing.Replay(pairing.DefaultModel(), e2)
	for _, p := range p1 {
		for _, pr := range pr1 {
			if f1, f2 := k1.F(p.ID, pr.Name, now), k2.F(p.ID, pr.Name, now); f1-f2 > 1e-4 || f2-f1 > 1e-4 {
				t.Errorf("f(%s, %s): %.4f exported, %.4f imported", p.ID, pr.Name, f1, f2)
			}
		}
	}
}
