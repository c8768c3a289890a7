package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Cases of the operation in store/engine/ops_plan.go.
var planCases = []testCase{
	{"SavePlan commits a round with its key once", testSavePlanOnce},
	{"SavePlan writes nothing over a changed roster or a failing decision", testSavePlanRefuses},
}

func rosterDigest(t *testing.T, s Store) (d [sha256.Size]byte) {
	t.Helper()
	read(t, s, func(r store.Reader) error { d = r.RosterDigest(); return nil })
	return d
}

func testSavePlanOnce(t *testing.T, s Store) {
	ctx := context.Background()
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada"), person("U2", "Bo")}})
	roster := rosterDigest(t, s)
	plan := func(r store.Reader) (store.Change, error) {
		x := session(pairing.Proposed)
		return store.Change{
			Sessions: []pairing.Session{x},
			Rounds:   []pairing.Round{{ID: "2026-W48", PlannedAt: t0, SessionIDs: []string{x.ID}}},
			Outbox:   []outbox.Item{{ID: store.NewID(), Kind: outbox.Proposal, SessionID: x.ID, Users: x.Participants(), CreatedAt: t0}},
		}, nil
	}
	key := store.Run{Key: "round/2026-W48", At: t0}
	if saved, err := s.SavePlan(ctx, key, roster, plan); err != nil || !saved {
		t.Fatalf("SavePlan = %v, %v; want saved", saved, err)
	}
	before := stateOf(t, s)
	if saved, err := s.SavePlan(ctx, key, roster, plan); err != nil || saved {
		t.Fatalf("second SavePlan = %v, %v; want not saved (the key is done)", saved, err)
	}
	unchanged(t, s, before, "a second SavePlan of one round")
	read(t, s, func(r store.Reader) error {
		sessions, err := r.Sessions()
		if err != nil {
			return err
		}
		round, err := r.Round("2026-W48")
		if err != nil {
			return err
		}
		if !r.Done(key.Key) || len(sessions) != 1 || len(round.SessionIDs) != 1 || r.OutboxDepth() != 1 {
			t.Errorf("done %v, %d sessions, round %+v, outbox %d; want one plan saved with its key", r.Done(key.Key), len(sessions), round, r.OutboxDepth())
		}
		return nil
	})
}

func testSavePlanRefuses(t *testing.T, s Store) {
	ctx := context.Background()
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}})
	roster := rosterDigest(t, s)
	if _, err := s.UpdateMember(ctx, "U1", func(p *pairing.Person, _ store.Reader) (store.Change, error) {
		p.Avoid = append(p.Avoid, "U2")
		return store.Change{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if rosterDigest(t, s) == roster {
		t.Fatal("the roster digest did not change with the roster")
	}
	before := stateOf(t, s)
	key := store.Run{Key: "round/2026-W48", At: t0}
	round := func(store.Reader) (store.Change, error) {
		return store.Change{Rounds: []pairing.Round{{ID: "2026-W48", PlannedAt: t0}}}, nil
	}
	if saved, err := s.SavePlan(ctx, key, roster, round); !errors.Is(err, store.ErrRosterChanged) || saved {
		t.Errorf("SavePlan over a changed roster = %v, %v; want ErrRosterChanged", saved, err)
	}
	boom := errors.New("boom")
	if saved, err := s.SavePlan(ctx, key, rosterDigest(t, s), func(store.Reader) (store.Change, error) { return store.Change{}, boom }); !errors.Is(err, boom) || saved {
		t.Errorf("SavePlan with a failing decision = %v, %v; want its error", saved, err)
	}
	unchanged(t, s, before, "refused SavePlans")
	if saved, err := s.SavePlan(ctx, key, rosterDigest(t, s), round); err != nil || !saved {
		t.Errorf("SavePlan from the new roster = %v, %v; want saved", saved, err)
	}
}
