package main

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

func snapshotDB(t *testing.T, path string) (people []pairing.Person, projects []pairing.Project, events []pairing.Event) {
	t.Helper()
	db, err := engine.Open(path, engine.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *engine.Tx) (err error) {
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
  - {id: U0CY, name: Cy, tz: Europe/Paris, status: paused, paused_until: "2027-01-04T00:00:00+01:00"}
  - {id: U0DI, name: Di, status: left}
projects:
  - {name: churn-model, repo: "https://git.example/churn", owners: [U0ADA]}
  - {name: etl}
  - {name: legacy-etl, owners: [U0DI], retired: true}
familiarity:
  - {person: U0BO, project: churn-model, level: some}
  - {person: U0BO, project: etl, level: expert}
  - {person: U0CY, project: etl, level: 0.6}
  - {person: U0BO, project: legacy-etl, level: some}
`), 0o644)
	seedDB(t, src) // an existing database with one person
	if code, out, stderr := runCLI(t, map[string]string{"POLLEN_DB": src}, "import", yaml); code != 0 {
		t.Fatalf("import: exit %d %s %s", code, out, stderr)
	}
	out := filepath.Join(dir, "export")
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": src}, "export", "-out", out); code != 0 {
		t.Fatalf("export: exit %d %s", code, stderr)
	}
	for _, name := range []string{"sessions.csv", "familiarity.csv", "bus_factor.csv", "roster.csv", "outcomes.csv", "members.csv"} {
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
	if got := statuses(p1); got != "U0ADA active, U0BO active, U0CY paused until 2027-01-03T23:00:00Z, U0DI left, U1 active" {
		t.Fatalf("the YAML import gave %s", got)
	}
	if want := exported(p1); !reflect.DeepEqual(exported(p2), want) {
		t.Errorf("people:\n got %+v\nwant %+v", exported(p2), want)
	}
	if !reflect.DeepEqual(pr2, pr1) || !pr1[slices.IndexFunc(pr1, func(p pairing.Project) bool { return p.Name == "legacy-etl" })].Retired {
		t.Errorf("projects:\n got %+v\nwant %+v, legacy-etl retired", pr2, pr1)
	}
	now := time.Now()
	if len(p1) != 5 || len(pr1) != 3 {
		t.Fatalf("%d people and %d projects to compare, want 5 and 3", len(p1), len(pr1))
	}
	k1, k2 := pairing.Replay(pairing.DefaultModel(), e1), pairing.Replay(pairing.DefaultModel(), e2)
	for _, p := range p1 {
		for _, pr := range pr1 {
			if f1, f2 := k1.F(p.ID, pr.Name, now), k2.F(p.ID, pr.Name, now); f1-f2 > 1e-4 || f2-f1 > 1e-4 {
				t.Errorf("f(%s, %s): %.4f exported, %.4f imported", p.ID, pr.Name, f1, f2)
			}
		}
	}
}

// exported is what an export carries of people: all but when they joined,
// which an import sets to its own time, with times in UTC.
func exported(people []pairing.Person) []pairing.Person {
	out := slices.Clone(people)
	for i := range out {
		out[i].JoinedAt, out[i].PausedUntil = time.Time{}, out[i].PausedUntil.UTC()
	}
	return out
}

func statuses(people []pairing.Person) string {
	var s []string
	for _, p := range people {
		st := p.ID + " " + string(p.Status)
		if !p.PausedUntil.IsZero() {
			st += " until " + p.PausedUntil.UTC().Format(time.RFC3339)
		}
		s = append(s, st)
	}
	return strings.Join(s, ", ")
}

// Exports hold names, rating notes and who paired with whom: the files
// are the owner's only, also when an older export with wider rights is
// overwritten.
func TestExportFilesAreOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	seedDB(t, src)
	out := filepath.Join(dir, "export")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "roster.csv"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": src}, "export", "-out", out); code != 0 {
		t.Fatalf("export: exit %d %s", code, stderr)
	}
	for _, name := range []string{"sessions.csv", "familiarity.csv", "bus_factor.csv", "roster.csv"} {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", name, fi.Mode())
		}
	}
}
