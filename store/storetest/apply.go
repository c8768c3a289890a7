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

var applyCases = []testCase{
	{"a change that fails half-way writes nothing", testAllOrNothing},
	{"a decision's error writes nothing and comes back as it is", testDecisionError},
	{"ErrUnchanged writes nothing", testErrUnchanged},
	{"an event is appended once", testEventsOnce},
	{"a person is welcomed once", testWelcomeOnce},
	{"the outbox queues items and removes the sent ones", testOutbox},
	{"a done key stays done", testDoneKeys},
	{"a message ref is kept per session and kind", testMessageRefs},
	{"a done context is refused before anything runs", testCancelled},
}

func testAllOrNothing(t *testing.T, s Store) {
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}})
	before := stateOf(t, s)
	bad := session(pairing.Proposed)
	bad.Learners = nil // a session needs a learner: the store refuses it
	renamed := person("U1", "Ada L.")
	_, err := s.Apply(context.Background(), func(store.Reader) (store.Change, error) {
		return store.Change{
			People:   []pairing.Person{renamed, person("U2", "Bo")},
			Projects: []pairing.Project{{Name: "churn"}},
			Events:   []pairing.Event{event(pairing.EventOwner, "U1", t0)},
			Sessions: []pairing.Session{session(pairing.Proposed), bad},
			Outbox:   []outbox.Item{{ID: store.NewID(), Kind: outbox.Digest, Channel: "C1", CreatedAt: t0}},
			Done:     []store.Run{{Key: "digest/2026-W48", At: t0}},
			Welcome:  []string{"U2"},
			At:       t0,
		}, nil
	})
	if err == nil {
		t.Fatal("a change with an invalid session was committed")
	}
	unchanged(t, s, before, "a refused change")
	read(t, s, func(r store.Reader) error {
		if r.Done("digest/2026-W48") || r.Done("welcome/U2") {
			t.Error("a refused change marked a key done")
		}
		return nil
	})
}

func testDecisionError(t *testing.T, s Store) {
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}})
	before := stateOf(t, s)
	refused := pairing.Errorf(pairing.CodeInvalid, "no such thing")
	_, err := s.Apply(context.Background(), func(r store.Reader) (store.Change, error) {
		return store.Change{People: []pairing.Person{person("U2", "Bo")}}, refused
	})
	if err != refused { // the error itself, not wrapped
		t.Errorf("Apply returned %v, want the decision's error itself", err)
	}
	unchanged(t, s, before, "a refusing decision")
}

func testErrUnchanged(t *testing.T, s Store) {
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}})
	before := stateOf(t, s)
	_, err := s.Apply(context.Background(), func(r store.Reader) (store.Change, error) {
		return store.Change{People: []pairing.Person{person("U1", "Ada L.")}}, store.ErrUnchanged
	})
	if !errors.Is(err, store.ErrUnchanged) {
		t.Errorf("Apply returned %v, want ErrUnchanged", err)
	}
	unchanged(t, s, before, "ErrUnchanged")
}

func testEventsOnce(t *testing.T, s Store) {
	e1, e2, e3 := event(pairing.EventOwner, "U1", t0), event(pairing.EventDeclared, "U2", t0), event(pairing.EventDeclared, "U3", t0)
	if a := write(t, s, store.Change{Events: []pairing.Event{e1, e2}}); a.Events != 2 {
		t.Errorf("first write: %d new events, want 2", a.Events)
	}
	again := e2
	again.Level = 0.9 // the log is append-only: the event with this ID stays as first written
	if a := write(t, s, store.Change{Events: []pairing.Event{again, e3}}); a.Events != 1 {
		t.Errorf("second write: %d new events, want 1 (e2 is already in the log)", a.Events)
	}
	read(t, s, func(r store.Reader) error {
		evs, err := r.Events()
		if err != nil {
			return err
		}
		var got []string
		for _, e := range evs {
			got = append(got, e.ID)
		}
		if !slices.Equal(got, []string{e1.ID, e2.ID, e3.ID}) || evs[1].Level != e2.Level {
			t.Errorf("log = %+v, want e1, e2 (as first written), e3", evs)
		}
		return nil
	})
}

func testWelcomeOnce(t *testing.T, s Store) {
	ada := person("U1", "Ada")
	a := write(t, s, store.Change{People: []pairing.Person{ada}, Welcome: []string{"U1", "U1"}, At: t0})
	if !slices.Equal(a.Welcomed, []string{"U1"}) {
		t.Errorf("Welcomed = %v, want [U1] once", a.Welcomed)
	}
	read(t, s, func(r store.Reader) error {
		if n := r.OutboxDepth(); n != 1 {
			t.Errorf("outbox holds %d items after one welcome, want 1", n)
		}
		if !r.Done("welcome/U1") {
			t.Error("the welcome is not recorded as done")
		}
		return nil
	})
	// Leaving and coming back, or a second import, is no second welcome.
	ada.Status = pairing.Left
	write(t, s, store.Change{People: []pairing.Person{ada}})
	ada.Status = pairing.Active
	if a := write(t, s, store.Change{People: []pairing.Person{ada}, Welcome: []string{"U1"}, At: t0.Add(time.Hour)}); len(a.Welcomed) != 0 {
		t.Errorf("welcomed again: %v", a.Welcomed)
	}
	read(t, s, func(r store.Reader) error {
		if n := r.OutboxDepth(); n != 1 {
			t.Errorf("outbox holds %d items after a second welcome of one person, want 1", n)
		}
		return nil
	})
}

func testOutbox(t *testing.T, s Store) {
	a := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Notice: outbox.NoticeSatOut, Users: []string{"U1"}, Text: "odd one out", CreatedAt: t0}
	b := outbox.Item{ID: store.NewID(), Kind: outbox.Digest, Channel: "C1", CreatedAt: t0}
	write(t, s, store.Change{Outbox: []outbox.Item{a, b}})
	retried := a
	retried.Attempts, retried.LastError, retried.NotBefore = 1, "rate limited", t0.Add(time.Minute)
	write(t, s, store.Change{Outbox: []outbox.Item{retried}})
	read(t, s, func(r store.Reader) error {
		if n := r.OutboxDepth(); n != 2 {
			t.Errorf("depth %d after queueing two and updating one, want 2", n)
		}
		if got, ok, err := r.OutboxItem(a.ID); !ok || err != nil || got.Attempts != 1 || got.LastError != "rate limited" || !got.NotBefore.Equal(retried.NotBefore) || got.Text != "odd one out" {
			t.Errorf("updated item = %+v, %v, %v", got, ok, err)
		}
		return nil
	})
	write(t, s, store.Change{Sent: []string{a.ID}})
	read(t, s, func(r store.Reader) error {
		if _, ok, err := r.OutboxItem(a.ID); ok || err != nil {
			t.Errorf("a sent item is still queued (%v, %v)", ok, err)
		}
		if _, ok, err := r.OutboxItem(b.ID); !ok || err != nil {
			t.Errorf("the other item is gone (%v, %v)", ok, err)
		}
		if n := r.OutboxDepth(); n != 1 {
			t.Errorf("depth %d after one was sent, want 1", n)
		}
		return nil
	})
	// Sent twice (a retried settle) is harmless.
	write(t, s, store.Change{Sent: []string{a.ID}})
}

func testDoneKeys(t *testing.T, s Store) {
	write(t, s, store.Change{Done: []store.Run{{Key: "retro/x", At: t0, Result: "asked"}}})
	write(t, s, store.Change{Done: []store.Run{{Key: "retro/x", At: t0.Add(time.Hour)}, {Key: "digest/2026-W48", At: t0}}})
	read(t, s, func(r store.Reader) error {
		for _, k := range []string{"retro/x", "digest/2026-W48"} {
			if !r.Done(k) {
				t.Errorf("%s is not done", k)
			}
		}
		if r.Done("retro/y") || r.Done("retro/") {
			t.Error("a key never marked is done")
		}
		return nil
	})
}

func testMessageRefs(t *testing.T, s Store) {
	id := store.NewID()
	first := outbox.MessageRef{Channel: "D1", TS: "1.000001"}
	retro := outbox.MessageRef{Channel: "D1", TS: "2.000002"}
	write(t, s, store.Change{Messages: []store.Message{{SessionID: id, Kind: outbox.Proposal, Ref: first}, {SessionID: id, Kind: outbox.Retro, Ref: retro}}})
	moved := outbox.MessageRef{Channel: "D1", TS: "3.000003"}
	write(t, s, store.Change{Messages: []store.Message{{SessionID: id, Kind: outbox.Proposal, Ref: moved}}})
	read(t, s, func(r store.Reader) error {
		if got, ok, err := r.Message(id, outbox.Proposal); !ok || err != nil || got != moved {
			t.Errorf("proposal ref = %+v, %v, %v; want the last written %+v", got, ok, err, moved)
		}
		if got, ok, err := r.Message(id, outbox.Retro); !ok || err != nil || got != retro {
			t.Errorf("retro ref = %+v, %v, %v; want %+v", got, ok, err, retro)
		}
		if _, ok, err := r.Message(id, outbox.Reminder); ok || err != nil {
			t.Errorf("a reminder ref that was never written: %v, %v", ok, err)
		}
		return nil
	})
}

func testCancelled(t *testing.T, s Store) {
	sess := session(pairing.Proposed)
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}, Sessions: []pairing.Session{sess}})
	before := stateOf(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := func(what string) { t.Errorf("%s ran its function with a done context", what) }
	refused := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a done context: %v, want context.Canceled", what, err)
		}
	}
	decide := func(store.Reader) (store.Change, error) {
		called("a decision")
		return store.Change{People: []pairing.Person{person("U2", "Bo")}}, nil
	}
	_, err := s.Apply(ctx, decide)
	refused("Apply", err)
	_, err = s.Preview(ctx, decide)
	refused("Preview", err)
	refused("Snapshot", s.Snapshot(ctx, func(store.Reader) error { called("Snapshot"); return nil }))
	refused("SnapshotStat", s.SnapshotStat(ctx, func(store.Stat, store.Reader) error { called("SnapshotStat"); return nil }))
	_, err = s.UpdateMember(ctx, "U1", func(p *pairing.Person, _ store.Reader) (store.Change, error) {
		called("UpdateMember")
		p.Name = "changed"
		return store.Change{}, nil
	})
	refused("UpdateMember", err)
	_, err = s.UpdateSession(ctx, sess.ID, func(x *pairing.Session, _ store.Reader) (store.Change, error) {
		called("UpdateSession")
		x.State = pairing.Cancelled
		return store.Change{}, nil
	})
	refused("UpdateSession", err)
	_, err = s.UpdateSettings(ctx, func(x *pairing.TeamSettings, _ store.Reader) (store.Change, error) {
		called("UpdateSettings")
		x.TimeZone = "Asia/Tokyo"
		return store.Change{}, nil
	})
	refused("UpdateSettings", err)
	_, err = s.LoadTeam(ctx)
	refused("LoadTeam", err)
	_, err = s.Settings(ctx)
	refused("Settings", err)
	_, err = s.Session(ctx, sess.ID)
	refused("Session", err)
	_, err = s.Person(ctx, "U1")
	refused("Person", err)
	unchanged(t, s, before, "operations with a done context")
}
