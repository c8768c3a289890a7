package engine

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Two rotations in one database keep their own rosters, memberships,
// rounds and settings, and share a person's profile: one person in both
// has one name, zone and avoid list, and a cadence and status in each.
func TestRotationsKeepTheirOwnRosterRoundsAndSettings(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	team, other := db, db.Rotation("C0OTHER")
	ada := pairing.NewPerson("U1", "Ada", "Europe/Berlin", t0)
	bo := pairing.NewPerson("U2", "Bo", "UTC", t0)
	mustApply(t, team, store.Change{People: []pairing.Person{ada, bo}, Rounds: []pairing.Round{{ID: "2026-W48", PlannedAt: t0}}})
	adaThere := ada
	adaThere.Cadence, adaThere.Name = pairing.Biweekly, "Ada L."
	settings := pairing.DefaultTeamSettings()
	settings.TimeZone = "Asia/Tokyo"
	mustApply(t, other, store.Change{Rotations: []pairing.Rotation{{ID: "C0OTHER", Channel: "C0OTHER", StartedAt: t0}},
		People: []pairing.Person{adaThere}, Settings: &settings})

	tm, err := team.LoadTeam(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ot, err := other.LoadTeam(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ids(tm.People) != "U1 U2" || ids(ot.People) != "U1" {
		t.Fatalf("rosters: team %q, other %q; want U1 U2 and U1", ids(tm.People), ids(ot.People))
	}
	if tm.People[0].Cadence != pairing.Weekly || ot.People[0].Cadence != pairing.Biweekly {
		t.Errorf("Ada's cadences: team %s, other %s; want weekly and biweekly", tm.People[0].Cadence, ot.People[0].Cadence)
	}
	if tm.People[0].Name != "Ada L." {
		t.Errorf("Ada's name in team = %q: a profile is one per person, the last write wins", tm.People[0].Name)
	}
	if tm.Settings.TimeZone == "Asia/Tokyo" || ot.Settings.TimeZone != "Asia/Tokyo" {
		t.Errorf("settings leaked between rotations: team %s, other %s", tm.Settings.TimeZone, ot.Settings.TimeZone)
	}
	err = other.Snapshot(ctx, func(r store.Reader) error {
		rounds, err := r.Rounds()
		if err != nil || len(rounds) != 0 {
			t.Errorf("other rotation sees rounds %v (%v), want none", rounds, err)
		}
		rots, err := r.Rotations()
		if err != nil || len(rots) != 2 || !slices.ContainsFunc(rots, func(x pairing.Rotation) bool { return x.ID == pairing.DefaultRotation }) {
			t.Errorf("rotations = %+v (%v), want the default one and C0OTHER", rots, err)
		}
		if _, err := r.Person("U2"); !errors.Is(err, pairing.ErrNotFound) {
			t.Errorf("Bo, who is not in the other rotation: %v, want not found", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustApply(t *testing.T, db *DB, c store.Change) {
	t.Helper()
	if _, err := db.Apply(context.Background(), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
		t.Fatal(err)
	}
}

func ids(people []pairing.Person) string {
	var out []string
	for _, p := range people {
		out = append(out, p.ID)
	}
	return strings.Join(out, " ")
}

// A context that names a rotation scopes every operation run with it, as
// DB.Rotation does; a rotation chosen with DB.Rotation wins over it.
func TestOperationsFollowTheContextsRotation(t *testing.T) {
	db := openTemp(t)
	ctx := store.WithRotation(context.Background(), "C0OTHER")
	if store.RotationOf(ctx) != "C0OTHER" || store.RotationOf(context.Background()) != pairing.DefaultRotation {
		t.Fatalf("RotationOf: %q, %q", store.RotationOf(ctx), store.RotationOf(context.Background()))
	}
	bo := pairing.NewPerson("U2", "Bo", "UTC", t0)
	if _, err := db.Apply(ctx, func(store.Reader) (store.Change, error) { return store.Change{People: []pairing.Person{bo}}, nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Person(context.Background(), "U2"); !errors.Is(err, pairing.ErrNotFound) {
		t.Errorf("Bo joined C0OTHER through the context, yet the default rotation has him: %v", err)
	}
	if _, err := db.Person(ctx, "U2"); err != nil {
		t.Errorf("Bo in C0OTHER: %v", err)
	}
	if _, err := db.Rotation(pairing.DefaultRotation).Person(ctx, "U2"); !errors.Is(err, pairing.ErrNotFound) {
		t.Errorf("DB.Rotation(team) with a C0OTHER context: %v, want the default rotation's answer", err)
	}
}

// A session's change reads and writes in the rotation that proposed it,
// whatever rotation the request came from.
func TestUpdateSessionWorksInTheSessionsRotation(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	ml := db.Rotation("C0ML")
	di := pairing.NewPerson("U3", "Di", "UTC", t0)
	s := testSession(t)
	s.Rotation = "C0ML"
	mustApply(t, ml, store.Change{People: []pairing.Person{di}, Rounds: []pairing.Round{{ID: s.Round, PlannedAt: t0}}})
	mustApply(t, db, store.Change{Sessions: []pairing.Session{s}})
	_, err := db.UpdateSession(ctx, s.ID, func(got *pairing.Session, r store.Reader) (store.Change, error) {
		if _, err := r.Round(got.Round); err != nil {
			t.Errorf("the session's round, from the session's rotation: %v", err)
		}
		if _, err := r.Person("U3"); err != nil {
			t.Errorf("a member of the session's rotation: %v", err)
		}
		got.Note = "seen"
		return store.Change{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.Session(ctx, s.ID); err != nil || got.Note != "seen" {
		t.Errorf("session after the update: %+v, %v", got, err)
	}
}
