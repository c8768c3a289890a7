package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Cases of rotations (store.WithRotation, Rotations in ops.go).
var rotationCases = []testCase{
	{"a rotation keeps its own roster, rounds and settings and shares the rest", testRotationsApart},
	{"RotationsOf lists the rotations a person is a member of and has not left", testRotationsOf},
	{"Routing reads the rotations and a person's, as a Snapshot would", testRouting},
}

func testRotationsApart(t *testing.T, s Store) {
	team, other := context.Background(), store.WithRotation(context.Background(), "C0OTHER")
	apply := func(ctx context.Context, c store.Change) {
		t.Helper()
		if _, err := s.Apply(ctx, func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	ada, bo := person("U1", "Ada"), person("U2", "Bo")
	x := session(pairing.Proposed)
	apply(team, store.Change{People: []pairing.Person{ada, bo}, Rounds: []pairing.Round{{ID: "2026-W48", PlannedAt: t0}},
		Projects: []pairing.Project{{Name: "churn"}}, Events: []pairing.Event{event(pairing.EventOwner, "U1", t0)}, Sessions: []pairing.Session{x}})
	adaThere := ada
	adaThere.Cadence = pairing.Biweekly
	settings := pairing.DefaultTeamSettings()
	settings.TimeZone = "Asia/Tokyo"
	apply(other, store.Change{Rotations: []pairing.Rotation{{ID: "C0OTHER", Channel: "C0OTHER", StartedAt: t0}},
		People: []pairing.Person{adaThere}, Settings: &settings})

	tm, err := s.LoadTeam(team)
	if err != nil {
		t.Fatal(err)
	}
	ot, err := s.LoadTeam(other)
	if err != nil {
		t.Fatal(err)
	}
	if len(tm.People) != 2 || len(ot.People) != 1 || ot.People[0].ID != "U1" {
		t.Fatalf("rosters: team %+v, other %+v; want Ada and Bo, and Ada", tm.People, ot.People)
	}
	if tm.People[0].Cadence != pairing.Weekly || ot.People[0].Cadence != pairing.Biweekly {
		t.Errorf("Ada's cadences: team %s, other %s; want weekly and biweekly", tm.People[0].Cadence, ot.People[0].Cadence)
	}
	if tm.Settings.TimeZone == "Asia/Tokyo" || ot.Settings.TimeZone != "Asia/Tokyo" {
		t.Errorf("settings: team %s, other %s; want the other's own", tm.Settings.TimeZone, ot.Settings.TimeZone)
	}
	if len(ot.Projects) != 1 || len(ot.Events) != 1 {
		t.Errorf("the other rotation sees %d projects and %d events, want the workspace's 1 and 1", len(ot.Projects), len(ot.Events))
	}
	if _, err := s.Person(other, "U2"); !errors.Is(err, pairing.ErrNotFound) {
		t.Errorf("Bo in the other rotation: %v, want not found", err)
	}
	if _, err := s.UpdateMember(other, "U2", func(*pairing.Person, store.Reader) (store.Change, error) {
		t.Error("change called for Bo in a rotation he is not in")
		return store.Change{}, nil
	}); !errors.Is(err, pairing.ErrNotFound) {
		t.Errorf("UpdateMember of Bo in the other rotation: %v, want not found", err)
	}
	if got, err := s.Session(other, x.ID); err != nil || got.ID != x.ID {
		t.Errorf("a session from the other rotation: %+v, %v; sessions are the workspace's", got, err)
	}
	read := func(ctx context.Context, fn func(store.Reader) error) {
		t.Helper()
		if err := s.Snapshot(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	read(other, func(r store.Reader) error {
		if rounds, err := r.Rounds(); err != nil || len(rounds) != 0 {
			t.Errorf("the other rotation sees rounds %v (%v), want none", rounds, err)
		}
		return nil
	})
	rots, err := s.Rotations(team)
	if err != nil || !slices.ContainsFunc(rots, func(r pairing.Rotation) bool { return r.ID == "C0OTHER" }) {
		t.Errorf("Rotations = %+v, %v; want C0OTHER among them", rots, err)
	}
}

func testRotationsOf(t *testing.T, s Store) {
	putRotationsOf(t, s)
	tests := []struct {
		person string
		want   []string
	}{
		{"U1", []string{"C0ML", "C0OLD", pairing.DefaultRotation}}, // not C0GONE, which she left
		{"U2", []string{"C0BO", pairing.DefaultRotation}},
		{"U9", nil}, // nobody
	}
	for _, tt := range tests {
		// Asked from any rotation's context, the answer is the same.
		for _, ctx := range []context.Context{context.Background(), store.WithRotation(context.Background(), "C0BO")} {
			var got []string
			err := s.Snapshot(ctx, func(r store.Reader) error {
				rots, err := r.RotationsOf(tt.person)
				got = ids(rots)
				return err
			})
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("RotationsOf(%s) = %v, %v; want %v", tt.person, got, err, tt.want)
			}
		}
	}
}

// testRouting: Routing gives what Rotations and RotationsOf give in a
// Snapshot, whoever asks (a member, someone who left, nobody, no one),
// from any rotation's context, and sees a write made just before.
func testRouting(t *testing.T, s Store) {
	putRotationsOf(t, s)
	check := func(who string) {
		t.Helper()
		for _, ctx := range []context.Context{context.Background(), store.WithRotation(context.Background(), "C0BO")} {
			var all, mine []pairing.Rotation
			err := s.Snapshot(ctx, func(r store.Reader) (err error) {
				if all, err = r.Rotations(); err != nil || who == "" {
					return err
				}
				mine, err = r.RotationsOf(who)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			gotAll, gotMine, err := s.Routing(ctx, who)
			if err != nil || !slices.EqualFunc(gotAll, all, sameRotation) || !slices.EqualFunc(gotMine, mine, sameRotation) {
				t.Errorf("Routing(%q) = %v, %v, %v; want %v, %v as a Snapshot reads them", who, ids(gotAll), ids(gotMine), err, ids(all), ids(mine))
			}
		}
	}
	for _, who := range []string{"U1", "U2", "U9", ""} {
		check(who)
	}
	// Bo leaves C0BO and joins C0ML; a rotation stops: the next Routing
	// sees it all.
	boLeft, bo := person("U2", "Bo"), person("U2", "Bo")
	boLeft.Status = pairing.Left
	for _, w := range []struct {
		rot string
		c   store.Change
	}{
		{"C0BO", store.Change{People: []pairing.Person{boLeft}}},
		{"C0ML", store.Change{People: []pairing.Person{bo}}},
		{"C0ML", store.Change{Rotations: []pairing.Rotation{{ID: "C0ML", Channel: "C0ML", StartedAt: t0, StoppedAt: t0.Add(time.Hour)}}}},
	} {
		if _, err := s.Apply(store.WithRotation(context.Background(), w.rot), func(store.Reader) (store.Change, error) { return w.c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	all, mine, err := s.Routing(context.Background(), "U2")
	if err != nil || !slices.Equal(ids(mine), []string{"C0ML", pairing.DefaultRotation}) || len(all) != 5 || all[2].ID != "C0ML" || all[2].Active() {
		t.Errorf("after the writes, Routing(U2) = %v, %v, %v; want mine [C0ML team], C0ML stopped", ids(all), ids(mine), err)
	}
	check("U2")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Routing(ctx, "U1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Routing with a done context = %v, want context.Canceled", err)
	}
}

func ids(rots []pairing.Rotation) []string {
	var out []string
	for _, r := range rots {
		out = append(out, r.ID)
	}
	return out
}

func sameRotation(a, b pairing.Rotation) bool {
	return a.ID == b.ID && a.Channel == b.Channel && a.StartedAt.Equal(b.StartedAt) && a.StoppedAt.Equal(b.StoppedAt) && slices.Equal(a.Across, b.Across)
}

// putRotationsOf writes rotations and who is in them: Ada in the team's,
// C0ML, C0OLD (stopped) and C0GONE (which she left), Bo in the team's and
// C0BO.
func putRotationsOf(t *testing.T, s Store) {
	t.Helper()
	ada, bo := person("U1", "Ada"), person("U2", "Bo")
	adaLeft := ada
	adaLeft.Status = pairing.Left
	put := func(rot pairing.Rotation, people ...pairing.Person) {
		t.Helper()
		c := store.Change{People: people}
		if rot.ID != pairing.DefaultRotation {
			c.Rotations = []pairing.Rotation{rot}
		}
		if _, err := s.Apply(store.WithRotation(context.Background(), rot.ID), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	put(pairing.Rotation{ID: pairing.DefaultRotation}, ada, bo)
	put(pairing.Rotation{ID: "C0ML", Channel: "C0ML", StartedAt: t0}, ada)
	put(pairing.Rotation{ID: "C0OLD", Channel: "C0OLD", StartedAt: t0, StoppedAt: t0.Add(time.Hour)}, ada)
	put(pairing.Rotation{ID: "C0GONE", Channel: "C0GONE", StartedAt: t0}, adaLeft)
	put(pairing.Rotation{ID: "C0BO", Channel: "C0BO", StartedAt: t0}, bo)
}
