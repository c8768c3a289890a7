package gitimport

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

func openStore(t *testing.T) *engine.DB {
	t.Helper()
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

// version is the store's committed state: it moves with every write.
func version(t *testing.T, db *engine.DB) uint64 {
	t.Helper()
	var v uint64
	if err := db.SnapshotStat(context.Background(), func(st store.Stat, _ store.Reader) error { v = st.Version; return nil }); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestImportSavesOnceAndCreatesTheProject: the team repository imported
// into an empty database, Cy found by the lookup: one event per author of
// files, the project created starting at the first commit; a dry run
// before says the same and writes nothing; a second import writes nothing.
func TestImportSavesOnceAndCreatesTheProject(t *testing.T) {
	r := buildTeamRepo(t)
	ctx := context.Background()
	mapping := map[string]string{"ana@example.com": "UANA", "bo@example.com": "UBO"}
	var asked []string
	lookup := func(_ context.Context, emails []string) (map[string]string, error) {
		asked = append(asked, emails...)
		return map[string]string{"cy@example.com": "UCY"}, nil
	}
	imp, err := ReadImport(ctx, r.dir, "churn", DefaultOptions(), mapping, lookup, day(20))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(asked, []string{cy.email}) {
		t.Errorf("the lookup was asked %v, want only Cy's email (the map names Ana and Bo)", asked)
	}
	if len(mapping) != 2 || imp.Mapping["cy@example.com"] != "UCY" {
		t.Errorf("mapping %v, import's mapping %v: want the caller's untouched and Cy in the import's", mapping, imp.Mapping)
	}
	var people []string
	for _, e := range imp.Events {
		people = append(people, e.Person)
	}
	slices.Sort(people)
	if len(imp.Unmapped) != 0 || !slices.Equal(people, []string{"UANA", "UBO", "UCY"}) {
		t.Fatalf("events for %v, unmapped %v; want Ana, Bo and Cy, none unmapped", people, imp.Unmapped)
	}

	db := openStore(t)
	v0 := version(t, db)
	dry, err := imp.Save(ctx, db, true)
	if err != nil {
		t.Fatal(err)
	}
	if v := version(t, db); v != v0 {
		t.Errorf("a dry run wrote (version %d → %d)", v0, v)
	}
	saved, err := imp.Save(ctx, db, false)
	if err != nil {
		t.Fatal(err)
	}
	want := Saved{Written: 3, OffRoster: 3}
	if saved != want || dry != want {
		t.Errorf("saved %+v, dry run %+v; want %+v (nobody is on the roster yet)", saved, dry, want)
	}
	team, err := db.LoadTeam(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(team.Events) != 3 || len(team.Projects) != 1 || team.Projects[0].Name != "churn" || !team.Projects[0].Since.Equal(day(1)) {
		t.Errorf("after the import: %d events, projects %+v; want 3 and churn since %v", len(team.Events), team.Projects, day(1))
	}

	again, err := imp.Save(ctx, db, false)
	if err != nil || again.Written != 0 || again.Evidence != 0 {
		t.Errorf("a second import: %+v, %v; want nothing new", again, err)
	}
	if team, err := db.LoadTeam(ctx); err != nil || len(team.Events) != 3 {
		t.Errorf("after a second import: %d events (%v), want 3", len(team.Events), err)
	}
}

// TestImportCountsTheRosterAndRecordsEvidenceOnce: with Ana and Bo on the
// roster and a session where Bo learnt churn from Ana before his first
// commit, the import raises the bus factor and records that first commit
// once.
func TestImportCountsTheRosterAndRecordsEvidenceOnce(t *testing.T) {
	r := buildTeamRepo(t)
	ctx := context.Background()
	db := openStore(t)
	session := pairing.Event{ID: store.NewID(), At: day(2), Kind: pairing.EventSession, Project: "churn",
		SessionID: "s1", SessionKind: pairing.Pair, Host: "UANA", Learners: []string{"UBO"}}
	if _, err := db.Apply(ctx, func(store.Reader) (store.Change, error) {
		return store.Change{People: []pairing.Person{pairing.NewPerson("UANA", "Ana", "UTC", day(1)), pairing.NewPerson("UBO", "Bo", "UTC", day(1))},
			Projects: []pairing.Project{{Name: "churn", Since: day(15)}}, Events: []pairing.Event{session}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	mapping := map[string]string{"ana@example.com": "UANA", "bo@example.com": "UBO"}
	imp, err := ReadImport(ctx, r.dir, "churn", DefaultOptions(), mapping, nil, day(20))
	if err != nil {
		t.Fatal(err)
	}
	saved, err := imp.Save(ctx, db, false)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Written != 2 || saved.OffRoster != 0 || saved.Evidence != 1 || saved.After <= saved.Before {
		t.Errorf("saved %+v: want Ana's and Bo's events, both on the roster, Bo's first commit as evidence, the bus factor up", saved)
	}
	p, err := projectOf(ctx, db, "churn")
	if err != nil || !p.Since.Equal(day(1)) {
		t.Errorf("churn = %+v, %v; want its start moved back to the first commit %v", p, err, day(1))
	}
	if again, err := imp.Save(ctx, db, false); err != nil || again.Evidence != 0 || again.Written != 0 {
		t.Errorf("a second import: %+v, %v; want no new event and no evidence again", again, err)
	}
}

func projectOf(ctx context.Context, db *engine.DB, name string) (p pairing.Project, err error) {
	err = db.Snapshot(ctx, func(r store.Reader) error { p, err = r.Project(name); return err })
	return p, err
}

// TestImportLookupFailure: a failing lookup is the import's error.
func TestImportLookupFailure(t *testing.T) {
	r := buildTeamRepo(t)
	down := errors.New("slack is down")
	_, err := ReadImport(context.Background(), r.dir, "churn", DefaultOptions(), nil,
		func(context.Context, []string) (map[string]string, error) { return nil, down }, day(20))
	if !errors.Is(err, down) {
		t.Errorf("ReadImport = %v, want the lookup's error", err)
	}
}
