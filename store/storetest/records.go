package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// t0 is the suite's clock: records carry it, nothing reads the real one.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

var recordCases = []testCase{
	{"every kind of record reads back as written", testRoundTrip},
	{"a missing record is not found", testNotFound},
	{"an empty store has the default settings", testDefaults},
	{"EachRecord sees every committed write", testEachRecord},
}

func person(id, name string) pairing.Person { return pairing.NewPerson(id, name, "Europe/Berlin", t0) }

func session(state pairing.State) pairing.Session {
	return pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn", Host: "U1", Learners: []string{"U2"},
		Round: "2026-W48", Slot: t0.Add(24 * time.Hour), Length: time.Hour, State: state, CreatedAt: t0, UpdatedAt: t0}
}

func event(kind pairing.EventKind, who string, at time.Time) pairing.Event {
	return pairing.Event{ID: store.NewID(), At: at, Kind: kind, Project: "churn", Person: who, Level: 0.4}
}

// everything is a Change with one record of every kind.
type everything struct {
	c        store.Change
	open     pairing.Session
	done     pairing.Session
	item     outbox.Item
	ref      outbox.MessageRef
	settings pairing.TeamSettings
}

func everyKind() everything {
	var e everything
	e.open, e.done = session(pairing.Proposed), session(pairing.Done)
	e.done.DoneAt = t0
	e.item = outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: e.open.ID, Round: "2026-W48", Users: []string{"U1", "U2"}, CreatedAt: t0}
	e.ref = outbox.MessageRef{Channel: "D1", TS: "1700000000.000100"}
	e.settings = pairing.DefaultTeamSettings()
	e.settings.TimeZone, e.settings.TargetBusFactor = "Asia/Tokyo", 3
	ada, bo := person("U1", "Ada"), person("U2", "Bo")
	bo.Cadence, bo.Avoid = pairing.Biweekly, []string{"U3"}
	e.c = store.Change{
		People:   []pairing.Person{ada, bo},
		Projects: []pairing.Project{{Name: "churn", RepoURL: "https://git.example/churn", Owners: []string{"U1"}, Since: t0}},
		Sessions: []pairing.Session{e.open, e.done},
		Rounds:   []pairing.Round{{ID: "2026-W48", PlannedAt: t0, SessionIDs: []string{e.open.ID, e.done.ID}}},
		Events:   []pairing.Event{event(pairing.EventOwner, "U1", t0), event(pairing.EventDeclared, "U2", t0.Add(time.Minute))},
		Settings: &e.settings,
		Values:   map[string]any{"epoch": t0},
		Outbox:   []outbox.Item{e.item},
		Done:     []store.Run{{Key: "round/2026-W48", At: t0, Result: "2 sessions"}},
		Messages: []store.Message{{SessionID: e.open.ID, Kind: outbox.Proposal, Ref: e.ref}},
	}
	return e
}

func testRoundTrip(t *testing.T, s Store) {
	e := everyKind()
	write(t, s, e.c)
	read(t, s, func(r store.Reader) error {
		people, err := r.People()
		if err != nil || len(people) != 2 || people[0].Name != "Ada" || people[1].Cadence != pairing.Biweekly || !slices.Equal(people[1].Avoid, []string{"U3"}) {
			t.Errorf("People = %+v, %v", people, err)
		}
		if p, err := r.Person("U1"); err != nil || p.Name != "Ada" || p.TZ != "Europe/Berlin" || p.Hours != pairing.DefaultHours || !p.JoinedAt.Equal(t0) {
			t.Errorf("Person(U1) = %+v, %v", p, err)
		}
		if p, err := r.Project("churn"); err != nil || p.RepoURL != "https://git.example/churn" || !slices.Equal(p.Owners, []string{"U1"}) || !p.Since.Equal(t0) {
			t.Errorf("Project(churn) = %+v, %v", p, err)
		}
		if ps, err := r.Projects(); err != nil || len(ps) != 1 {
			t.Errorf("Projects = %+v, %v", ps, err)
		}
		if got, err := r.Session(e.open.ID); err != nil || got.Host != "U1" || got.State != pairing.Proposed || !got.Slot.Equal(e.open.Slot) {
			t.Errorf("Session = %+v, %v", got, err)
		}
		if all, err := r.Sessions(); err != nil || len(all) != 2 || all[0].ID != e.open.ID {
			t.Errorf("Sessions = %+v, %v; want both, oldest first", all, err)
		}
		if open, err := r.OpenSessions(); err != nil || len(open) != 1 || open[0].ID != e.open.ID {
			t.Errorf("OpenSessions = %+v, %v; want the proposed one only", open, err)
		}
		if rd, err := r.Round("2026-W48"); err != nil || !slices.Equal(rd.SessionIDs, []string{e.open.ID, e.done.ID}) {
			t.Errorf("Round = %+v, %v", rd, err)
		}
		if rs, err := r.Rounds(); err != nil || len(rs) != 1 {
			t.Errorf("Rounds = %+v, %v", rs, err)
		}
		if evs, err := r.Events(); err != nil || len(evs) != 2 || evs[0].ID != e.c.Events[0].ID || evs[1].ID != e.c.Events[1].ID {
			t.Errorf("Events = %+v, %v; want both in the order written", evs, err)
		}
		if st, err := r.Settings(); err != nil || st.TimeZone != "Asia/Tokyo" || st.TargetBusFactor != 3 {
			t.Errorf("Settings = %+v, %v", st, err)
		}
		var epoch time.Time
		if ok, err := r.Setting("epoch", &epoch); !ok || err != nil || !epoch.Equal(t0) {
			t.Errorf("Setting(epoch) = %v, %v, %v", epoch, ok, err)
		}
		if !r.Done("round/2026-W48") || r.Done("round/2026-W49") {
			t.Errorf("Done: round/2026-W48 %v (want true), round/2026-W49 %v (want false)", r.Done("round/2026-W48"), r.Done("round/2026-W49"))
		}
		if ref, ok, err := r.Message(e.open.ID, outbox.Proposal); !ok || err != nil || ref != e.ref {
			t.Errorf("Message = %+v, %v, %v", ref, ok, err)
		}
		if it, ok, err := r.OutboxItem(e.item.ID); !ok || err != nil || it.SessionID != e.open.ID || !slices.Equal(it.Users, e.item.Users) {
			t.Errorf("OutboxItem = %+v, %v, %v", it, ok, err)
		}
		if n := r.OutboxDepth(); n != 1 {
			t.Errorf("OutboxDepth = %d, want 1", n)
		}
		tm, err := r.Team()
		if err != nil || len(tm.People) != 2 || len(tm.Projects) != 1 || len(tm.Events) != 2 || tm.Settings.TimeZone != "Asia/Tokyo" {
			t.Errorf("Team = %+v, %v", tm, err)
		}
		return nil
	})
	ctx := context.Background()
	if tm, err := s.LoadTeam(ctx); err != nil || len(tm.People) != 2 || len(tm.Events) != 2 {
		t.Errorf("LoadTeam = %+v, %v", tm, err)
	}
	if p, err := s.Person(ctx, "U2"); err != nil || p.Name != "Bo" {
		t.Errorf("Person = %+v, %v", p, err)
	}
	if got, err := s.Session(ctx, e.done.ID); err != nil || got.State != pairing.Done || !got.DoneAt.Equal(t0) {
		t.Errorf("Session = %+v, %v", got, err)
	}
	if st, err := s.Settings(ctx); err != nil || st.TimeZone != "Asia/Tokyo" {
		t.Errorf("Settings = %+v, %v", st, err)
	}
}

func testNotFound(t *testing.T, s Store) {
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}})
	notFound := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, pairing.ErrNotFound) {
			t.Errorf("%s: %v, want an error wrapping pairing.ErrNotFound", what, err)
		}
	}
	read(t, s, func(r store.Reader) error {
		_, err := r.Person("U404")
		notFound("Person(U404)", err)
		_, err = r.Project("nope")
		notFound("Project(nope)", err)
		_, err = r.Session(store.NewID())
		notFound("Session(a new ID)", err)
		_, err = r.Session("not-a-uuid")
		notFound("Session(not-a-uuid)", err)
		_, err = r.Round("2026-W01")
		notFound("Round(2026-W01)", err)
		if _, ok, err := r.Message(store.NewID(), outbox.Proposal); ok || err != nil {
			t.Errorf("Message of an unknown session: %v, %v; want not ok, no error", ok, err)
		}
		if _, ok, err := r.OutboxItem(store.NewID()); ok || err != nil {
			t.Errorf("OutboxItem of an unknown ID: %v, %v; want not ok, no error", ok, err)
		}
		var v string
		if ok, err := r.Setting("nope", &v); ok || err != nil {
			t.Errorf("Setting(nope): %v, %v; want not set, no error", ok, err)
		}
		return nil
	})
	ctx := context.Background()
	_, err := s.Person(ctx, "U404")
	notFound("DB Person(U404)", err)
	_, err = s.Session(ctx, store.NewID())
	notFound("DB Session(a new ID)", err)
}

func testDefaults(t *testing.T, s Store) {
	st, err := s.Settings(context.Background())
	if err != nil || st.TimeZone != pairing.DefaultTeamSettings().TimeZone || st.TargetBusFactor != pairing.DefaultTeamSettings().TargetBusFactor {
		t.Errorf("Settings of an empty store = %+v, %v; want the defaults", st, err)
	}
	tm, err := s.LoadTeam(context.Background())
	if err != nil || len(tm.People)+len(tm.Projects)+len(tm.Events) != 0 {
		t.Errorf("LoadTeam of an empty store = %+v, %v; want nothing", tm, err)
	}
}

func testEachRecord(t *testing.T, s Store) {
	ctx := context.Background()
	count := func() int {
		t.Helper()
		n := 0
		if err := s.EachRecord(ctx, func(string, []byte, []byte) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before, hash := count(), recordsHash(t, s)
	write(t, s, store.Change{Done: []store.Run{{Key: "retro/x", At: t0}}})
	if n := count(); n <= before {
		t.Errorf("%d records after a write, %d before: want more", n, before)
	}
	if recordsHash(t, s) == hash {
		t.Error("the records' hash did not move with a write")
	}
	stop := errors.New("stop")
	if err := s.EachRecord(ctx, func(string, []byte, []byte) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("EachRecord returned %v, want fn's error", err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.EachRecord(done, func(string, []byte, []byte) error { t.Error("fn called with a done context"); return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("EachRecord with a done context: %v", err)
	}
}
