package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Cases of the operations in store/engine/ops_import.go.
var importCases = []testCase{
	{"SnapshotStat's version moves with every write and only then", testStatVersion},
	{"SnapshotStat counts the sessions in each state", testStatSessions},
	{"Preview returns the decided change and writes nothing", testPreview},
}

func version(t *testing.T, s Store) uint64 {
	t.Helper()
	var v uint64
	if err := s.SnapshotStat(context.Background(), func(st store.Stat, _ store.Reader) error { v = st.Version; return nil }); err != nil {
		t.Fatal(err)
	}
	return v
}

func testStatVersion(t *testing.T, s Store) {
	v0 := version(t, s)
	read(t, s, func(store.Reader) error { return nil })
	if _, err := s.LoadTeam(context.Background()); err != nil {
		t.Fatal(err)
	}
	if v := version(t, s); v != v0 {
		t.Errorf("reads moved the version from %d to %d", v0, v)
	}
	write(t, s, store.Change{Values: map[string]any{"touch": 1}})
	v1 := version(t, s)
	if v1 == v0 {
		t.Fatalf("a write left the version at %d", v0)
	}
	_, err := s.Apply(context.Background(), func(store.Reader) (store.Change, error) {
		return store.Change{Values: map[string]any{"touch": 2}}, store.ErrUnchanged
	})
	if !errors.Is(err, store.ErrUnchanged) {
		t.Fatal(err)
	}
	if _, err := s.Preview(context.Background(), func(store.Reader) (store.Change, error) {
		return store.Change{Values: map[string]any{"touch": 3}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if v := version(t, s); v != v1 {
		t.Errorf("an unchanged decision or a preview moved the version from %d to %d", v1, v)
	}
	write(t, s, store.Change{Values: map[string]any{"touch": 4}})
	if v := version(t, s); v == v1 || v == v0 {
		t.Errorf("a second write gave version %d, seen before (%d, %d)", v, v0, v1)
	}
}

func testStatSessions(t *testing.T, s Store) {
	a, b, c := session(pairing.Proposed), session(pairing.Proposed), session(pairing.Done)
	write(t, s, store.Change{Sessions: []pairing.Session{a, b, c}})
	b.State = pairing.Accepted
	write(t, s, store.Change{Sessions: []pairing.Session{b}})
	var got map[pairing.State]int
	if err := s.SnapshotStat(context.Background(), func(st store.Stat, _ store.Reader) error { got = st.Sessions; return nil }); err != nil {
		t.Fatal(err)
	}
	want := map[pairing.State]int{pairing.Proposed: 1, pairing.Accepted: 1, pairing.Done: 1}
	for _, st := range pairing.States {
		if got[st] != want[st] {
			t.Errorf("sessions %s = %d, want %d (all: %v)", st, got[st], want[st], got)
		}
	}
}

func testPreview(t *testing.T, s Store) {
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}})
	before := stateOf(t, s)
	ev := event(pairing.EventDeclared, "U1", t0)
	c, err := s.Preview(context.Background(), func(r store.Reader) (store.Change, error) {
		p, err := r.Person("U1")
		if err != nil {
			return store.Change{}, err
		}
		p.Name = "Ada L."
		return store.Change{People: []pairing.Person{p}, Events: []pairing.Event{ev}}, nil
	})
	if err != nil || len(c.People) != 1 || c.People[0].Name != "Ada L." || len(c.Events) != 1 || c.Events[0].ID != ev.ID {
		t.Errorf("Preview = %+v, %v; want the decided change", c, err)
	}
	unchanged(t, s, before, "Preview")
	refused := pairing.Errorf(pairing.CodeInvalid, "bad")
	if _, err := s.Preview(context.Background(), func(store.Reader) (store.Change, error) { return store.Change{}, refused }); err != refused { // the error itself, not wrapped
		t.Errorf("Preview returned %v, want the decision's error itself", err)
	}
}
