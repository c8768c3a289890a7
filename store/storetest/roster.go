package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Cases of the operations in store/engine/ops_roster.go.
var rosterCases = []testCase{
	{"Project reads one project, or not found", testProjectRead},
	{"UpdateProject writes the project and the rest of its change together", testUpdateProjectWrites},
	{"UpdateProject writes nothing on a refusal or ErrUnchanged", testUpdateProjectWritesNothing},
	{"UpdateProject of a missing project is not found and asks nothing", testUpdateProjectNotFound},
	{"Sessions reads every session, oldest first", testSessionsInOrder},
	{"the roster operations refuse a done context", testRosterDoneContext},
}

func churn() pairing.Project {
	return pairing.Project{Name: "churn", RepoURL: "https://git.example/churn", Owners: []string{"U1"}, Since: t0}
}

func testProjectRead(t *testing.T, s Store) {
	ctx := context.Background()
	want := churn()
	write(t, s, store.Change{Projects: []pairing.Project{want}})
	got, err := s.Project(ctx, "churn")
	if err != nil || got.Name != want.Name || got.RepoURL != want.RepoURL || !got.Since.Equal(want.Since) {
		t.Fatalf("Project(churn) = %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.Project(ctx, "billing"); !errors.Is(err, pairing.ErrNotFound) {
		t.Fatalf("Project(billing) error = %v, want one wrapping pairing.ErrNotFound", err)
	}
}

func testUpdateProjectWrites(t *testing.T, s Store) {
	ctx := context.Background()
	write(t, s, store.Change{Projects: []pairing.Project{churn()}})
	e := event(pairing.EventOwner, "U2", t0)
	p, err := s.UpdateProject(ctx, "churn", func(p *pairing.Project, _ store.Reader) (store.Change, error) {
		p.Retired = true
		return store.Change{Events: []pairing.Event{e}}, nil
	})
	if err != nil || !p.Retired {
		t.Fatalf("UpdateProject = %+v, %v; want it retired", p, err)
	}
	tm, err := s.LoadTeam(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tm.Projects) != 1 || !tm.Projects[0].Retired || len(tm.Events) != 1 || tm.Events[0].ID != e.ID {
		t.Errorf("after UpdateProject: projects %+v, events %+v; want churn retired and one event", tm.Projects, tm.Events)
	}
}

func testUpdateProjectWritesNothing(t *testing.T, s Store) {
	ctx := context.Background()
	write(t, s, store.Change{Projects: []pairing.Project{churn()}})
	refused := pairing.Errorf(pairing.CodeConflict, "no")
	for _, want := range []error{refused, store.ErrUnchanged} {
		before := stateOf(t, s)
		_, err := s.UpdateProject(ctx, "churn", func(p *pairing.Project, _ store.Reader) (store.Change, error) {
			p.Retired = true
			return store.Change{Events: []pairing.Event{event(pairing.EventOwner, "U2", t0)}}, want
		})
		if !errors.Is(err, want) {
			t.Fatalf("UpdateProject error = %v, want %v", err, want)
		}
		unchanged(t, s, before, "UpdateProject returning "+want.Error())
	}
}

func testUpdateProjectNotFound(t *testing.T, s Store) {
	_, err := s.UpdateProject(context.Background(), "billing", func(*pairing.Project, store.Reader) (store.Change, error) {
		t.Error("change called for a missing project")
		return store.Change{}, nil
	})
	if !errors.Is(err, pairing.ErrNotFound) {
		t.Fatalf("UpdateProject(billing) error = %v, want one wrapping pairing.ErrNotFound", err)
	}
}

func testSessionsInOrder(t *testing.T, s Store) {
	a, b := session(pairing.Proposed), session(pairing.Done)
	write(t, s, store.Change{Sessions: []pairing.Session{b, a}})
	ss, err := s.Sessions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].ID != a.ID || ss[1].ID != b.ID {
		t.Fatalf("Sessions = %v, want %s then %s", ss, a.ID, b.ID)
	}
}

func testRosterDoneContext(t *testing.T, s Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Project(ctx, "churn"); !errors.Is(err, context.Canceled) {
		t.Errorf("Project: %v, want context.Canceled", err)
	}
	if _, err := s.Sessions(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Sessions: %v, want context.Canceled", err)
	}
	_, err := s.UpdateProject(ctx, "churn", func(*pairing.Project, store.Reader) (store.Change, error) { return store.Change{}, nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("UpdateProject: %v, want context.Canceled", err)
	}
}
