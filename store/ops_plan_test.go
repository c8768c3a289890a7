package store

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
)

func TestSavePlanCommitsTheRoundWithItsKeyOnce(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	if _, err := db.Apply(ctx, func(Reader) (Change, error) {
		return Change{People: []pairing.Person{pairing.NewPerson("U1", "Ana", "UTC", t0), pairing.NewPerson("U2", "Bo", "UTC", t0)}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	roster := digest(t, db)
	plan := func(r Reader) (Change, error) {
		s := testSession(t)
		return Change{
			Sessions: []pairing.Session{s},
			Rounds:   []pairing.Round{{ID: "2026-W48", PlannedAt: t0, SessionIDs: []string{s.ID}}},
			Outbox:   []outbox.Item{{ID: NewID(), Kind: outbox.Proposal, SessionID: s.ID, Users: s.Participants(), CreatedAt: t0}},
		}, nil
	}
	key := Run{Key: "round/2026-W48", At: t0}
	saved, err := db.SavePlan(ctx, key, roster, plan)
	if err != nil || !saved {
		t.Fatalf("SavePlan = %v, %v; want saved", saved, err)
	}
	saved, err = db.SavePlan(ctx, key, roster, plan)
	if err != nil || saved {
		t.Fatalf("second SavePlan = %v, %v; want not saved (the key is done)", saved, err)
	}
	if err := db.Snapshot(ctx, func(r Reader) error {
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
	}); err != nil {
		t.Fatal(err)
	}
}

// A roster change between the read the plan was made from and the save
// refuses the save, and so does a decision that fails: nothing is written.
func TestSavePlanWritesNothingWhenItCannot(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	ana := pairing.NewPerson("U1", "Ana", "UTC", t0)
	if _, err := db.Apply(ctx, func(Reader) (Change, error) { return Change{People: []pairing.Person{ana}}, nil }); err != nil {
		t.Fatal(err)
	}
	roster := digest(t, db)
	if _, err := db.UpdateMember(ctx, "U1", func(p *pairing.Person, _ Reader) (Change, error) {
		p.Avoid = append(p.Avoid, "U2")
		return Change{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	key := Run{Key: "round/2026-W48", At: t0}
	round := func(Reader) (Change, error) {
		return Change{Rounds: []pairing.Round{{ID: "2026-W48", PlannedAt: t0}}}, nil
	}
	if saved, err := db.SavePlan(ctx, key, roster, round); !errors.Is(err, ErrRosterChanged) || saved {
		t.Errorf("SavePlan over a changed roster = %v, %v; want ErrRosterChanged", saved, err)
	}
	boom := errors.New("boom")
	if saved, err := db.SavePlan(ctx, key, digest(t, db), func(Reader) (Change, error) { return Change{}, boom }); !errors.Is(err, boom) || saved {
		t.Errorf("SavePlan with a failing decision = %v, %v; want its error", saved, err)
	}
	if err := db.Snapshot(ctx, func(r Reader) error {
		if _, err := r.Round("2026-W48"); !errors.Is(err, pairing.ErrNotFound) {
			t.Errorf("round after refused saves: %v, want not found", err)
		}
		if r.Done(key.Key) {
			t.Error("the round's key was marked done by a refused save")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if saved, err := db.SavePlan(ctx, key, digest(t, db), round); err != nil || !saved {
		t.Errorf("SavePlan from the new roster = %v, %v; want saved", saved, err)
	}
}

func digest(t *testing.T, db *DB) (d [32]byte) {
	t.Helper()
	if err := db.Snapshot(context.Background(), func(r Reader) error { d = r.RosterDigest(); return nil }); err != nil {
		t.Fatal(err)
	}
	return d
}
