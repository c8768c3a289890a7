package gitimport

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// What a running bot is sent (ForSave, through JSON) decides the same
// change as the whole import: the same events, the evidence of first
// commits, the project's start moved back to the first commit, the same
// figures.
func TestForSaveDecidesAsTheWholeImport(t *testing.T) {
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
	imp, err := ReadImport(ctx, r.dir, "churn", DefaultOptions(), map[string]string{"ana@example.com": "UANA", "bo@example.com": "UBO"}, nil, day(20))
	if err != nil {
		t.Fatal(err)
	}
	wire, err := json.Marshal(imp.ForSave())
	if err != nil {
		t.Fatal(err)
	}
	var sent Import
	if err := json.Unmarshal(wire, &sent); err != nil {
		t.Fatal(err)
	}
	decided := func(imp Import) (string, Saved) {
		var c store.Change
		var out Saved
		if err := db.Snapshot(ctx, func(r store.Reader) (err error) { c, out, err = imp.decide(r); return err }); err != nil {
			t.Fatal(err)
		}
		for i := range c.Events { // evidence gets a new ID each time it is decided
			c.Events[i].ID = ""
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), out
	}
	whole, wholeOut := decided(imp)
	got, gotOut := decided(sent)
	if got != whole || gotOut != wholeOut {
		t.Errorf("ForSave decides %s %+v\nthe whole import %s %+v", got, gotOut, whole, wholeOut)
	}
	if wholeOut.Evidence != 1 || wholeOut.Written != 2 {
		t.Errorf("the whole import: %+v, want 2 events and 1 first commit as evidence (the case is not exercised)", wholeOut)
	}
	if len(sent.History.Commits) != 0 || len(sent.Result.Files) != 0 {
		t.Errorf("ForSave sends the history (%d commits) or the files (%d)", len(sent.History.Commits), len(sent.Result.Files))
	}
}
