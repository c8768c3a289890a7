package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

var updateCases = []testCase{
	{"UpdateMember saves the person with what else the change writes", testUpdateMember},
	{"UpdateMember refuses unknown and left people without calling change", testUpdateMemberRefuses},
	{"UpdateMember writes nothing when change fails", testUpdateMemberFails},
	{"UpdateSession saves the session with what else the change writes", testUpdateSession},
	{"UpdateSession writes nothing on ErrUnchanged or an unknown session", testUpdateSessionUnchanged},
	{"UpdateSettings saves the settings with what else the change writes", testUpdateSettings},
}

func testUpdateMember(t *testing.T, s Store) {
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada"), person("U2", "Bo")}})
	ev := event(pairing.EventDeclared, "U1", t0)
	got, err := s.UpdateMember(context.Background(), "U1", func(p *pairing.Person, r store.Reader) (store.Change, error) {
		if p.ID != "U1" || p.Name != "Ada" {
			t.Errorf("change got %+v, want Ada as stored", p)
		}
		if _, err := r.Person("U2"); err != nil { // the change reads the same state
			t.Errorf("the change's reader: %v", err)
		}
		p.Status, p.PausedUntil = pairing.Paused, t0.AddDate(0, 0, 14)
		return store.Change{Events: []pairing.Event{ev}}, nil
	})
	if err != nil || got.Status != pairing.Paused {
		t.Fatalf("UpdateMember = %+v, %v", got, err)
	}
	read(t, s, func(r store.Reader) error {
		p, err := r.Person("U1")
		if err != nil || p.Status != pairing.Paused || !p.PausedUntil.Equal(t0.AddDate(0, 0, 14)) || p.Name != "Ada" {
			t.Errorf("stored = %+v, %v; want Ada paused for two weeks", p, err)
		}
		evs, err := r.Events()
		if err != nil || len(evs) != 1 || evs[0].ID != ev.ID {
			t.Errorf("events = %+v, %v; want the change's one", evs, err)
		}
		return nil
	})
}

func testUpdateMemberRefuses(t *testing.T, s Store) {
	gone := person("U9", "Gone")
	gone.Status = pairing.Left
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada"), gone}})
	before := stateOf(t, s)
	for _, id := range []string{"U404", "U9"} {
		_, err := s.UpdateMember(context.Background(), id, func(p *pairing.Person, _ store.Reader) (store.Change, error) {
			t.Errorf("change called for %s", id)
			p.Status = pairing.Active
			return store.Change{}, nil
		})
		if !errors.Is(err, pairing.ErrNotFound) {
			t.Errorf("UpdateMember(%s): %v, want an error wrapping pairing.ErrNotFound", id, err)
		}
	}
	unchanged(t, s, before, "UpdateMember of unknown and left people")
}

func testUpdateMemberFails(t *testing.T, s Store) {
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}})
	before := stateOf(t, s)
	for _, refusal := range []error{store.ErrUnchanged, pairing.Errorf(pairing.CodeConflict, "already paused")} {
		_, err := s.UpdateMember(context.Background(), "U1", func(p *pairing.Person, _ store.Reader) (store.Change, error) {
			p.Name = "changed"
			return store.Change{Events: []pairing.Event{event(pairing.EventDeclared, "U1", t0)}}, refusal
		})
		if !errors.Is(err, refusal) {
			t.Errorf("UpdateMember returned %v, want %v", err, refusal)
		}
	}
	unchanged(t, s, before, "a failed UpdateMember")
}

func testUpdateSession(t *testing.T, s Store) {
	sess := session(pairing.Proposed)
	write(t, s, store.Change{Sessions: []pairing.Session{sess}})
	ref := outbox.MessageRef{Channel: "D1", TS: "1.5"}
	got, err := s.UpdateSession(context.Background(), sess.ID, func(x *pairing.Session, _ store.Reader) (store.Change, error) {
		x.State, x.UpdatedAt = pairing.Accepted, t0.Add(1)
		return store.Change{Messages: []store.Message{{SessionID: x.ID, Kind: outbox.Proposal, Ref: ref}}}, nil
	})
	if err != nil || got.State != pairing.Accepted {
		t.Fatalf("UpdateSession = %+v, %v", got, err)
	}
	read(t, s, func(r store.Reader) error {
		x, err := r.Session(sess.ID)
		if err != nil || x.State != pairing.Accepted {
			t.Errorf("stored = %+v, %v; want accepted", x, err)
		}
		if m, ok, err := r.Message(sess.ID, outbox.Proposal); !ok || err != nil || m != ref {
			t.Errorf("message ref = %+v, %v, %v", m, ok, err)
		}
		return nil
	})
	// A final state leaves the open sessions.
	if _, err := s.UpdateSession(context.Background(), sess.ID, func(x *pairing.Session, _ store.Reader) (store.Change, error) {
		x.State, x.DoneAt = pairing.Done, t0.Add(2)
		return store.Change{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	read(t, s, func(r store.Reader) error {
		if open, err := r.OpenSessions(); err != nil || len(open) != 0 {
			t.Errorf("open sessions after done: %+v, %v", open, err)
		}
		return nil
	})
}

func testUpdateSessionUnchanged(t *testing.T, s Store) {
	sess := session(pairing.Proposed)
	write(t, s, store.Change{Sessions: []pairing.Session{sess}})
	before := stateOf(t, s)
	got, err := s.UpdateSession(context.Background(), sess.ID, func(x *pairing.Session, _ store.Reader) (store.Change, error) {
		return store.Change{Done: []store.Run{{Key: "retro/" + x.ID, At: t0}}}, store.ErrUnchanged
	})
	if !errors.Is(err, store.ErrUnchanged) || got.ID != sess.ID || got.State != pairing.Proposed {
		t.Errorf("UpdateSession = %+v, %v; want the session as loaded and ErrUnchanged", got, err)
	}
	_, err = s.UpdateSession(context.Background(), store.NewID(), func(x *pairing.Session, _ store.Reader) (store.Change, error) {
		t.Error("change called for an unknown session")
		return store.Change{}, nil
	})
	if !errors.Is(err, pairing.ErrNotFound) {
		t.Errorf("UpdateSession of an unknown session: %v, want pairing.ErrNotFound", err)
	}
	unchanged(t, s, before, "UpdateSession with ErrUnchanged or an unknown session")
}

func testUpdateSettings(t *testing.T, s Store) {
	got, err := s.UpdateSettings(context.Background(), func(x *pairing.TeamSettings, r store.Reader) (store.Change, error) {
		if x.TimeZone != pairing.DefaultTeamSettings().TimeZone {
			t.Errorf("change got %+v, want the defaults", x)
		}
		x.TimeZone, x.Holidays = "Asia/Tokyo", append(x.Holidays, pairing.DateRange{From: "2026-12-24", To: "2027-01-02"})
		return store.Change{Done: []store.Run{{Key: "settings/changed", At: t0}}}, nil
	})
	if err != nil || got.TimeZone != "Asia/Tokyo" {
		t.Fatalf("UpdateSettings = %+v, %v", got, err)
	}
	st, err := s.Settings(context.Background())
	if err != nil || st.TimeZone != "Asia/Tokyo" || len(st.Holidays) != 1 || st.Holidays[0].From != "2026-12-24" {
		t.Errorf("Settings = %+v, %v", st, err)
	}
	read(t, s, func(r store.Reader) error {
		if !r.Done("settings/changed") {
			t.Error("the change's other writes were not saved")
		}
		return nil
	})
	before := stateOf(t, s)
	_, err = s.UpdateSettings(context.Background(), func(x *pairing.TeamSettings, _ store.Reader) (store.Change, error) {
		x.TimeZone = "UTC"
		return store.Change{}, store.ErrUnchanged
	})
	if !errors.Is(err, store.ErrUnchanged) {
		t.Errorf("UpdateSettings returned %v, want ErrUnchanged", err)
	}
	unchanged(t, s, before, "UpdateSettings with ErrUnchanged")
}
