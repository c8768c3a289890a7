// Package storetest is the conformance suite of Pollen's store: what every
// backend of the store's operations (store/engine/ops.go and the operations added
// beside it) must do, written against the operations alone, so a second
// backend (PostgreSQL, issue 21) runs the same suite unchanged:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Store { return openEmpty(t) })
//	}
//
// Each case opens its own empty store through open, which must close it
// when the test ends (t.Cleanup). The cases check the promises the callers
// build on: a Change commits whole or not at all, a refused or unchanged
// decision writes nothing, events and welcomes are written once, an
// operation refuses a done context, and two operations racing on one
// record are both counted. litestream checks every ReplicaClient with one
// such suite; testing/fstest does the same for file systems.
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Store is what a backend offers: the store's operations.
type Store interface {
	Snapshot(ctx context.Context, read func(store.Reader) error) error
	LoadTeam(ctx context.Context) (store.Team, error)
	Apply(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error)
	UpdateMember(ctx context.Context, id string, change func(*pairing.Person, store.Reader) (store.Change, error)) (pairing.Person, error)
	UpdateSession(ctx context.Context, id string, change func(*pairing.Session, store.Reader) (store.Change, error)) (pairing.Session, error)
	UpdateSettings(ctx context.Context, change func(*pairing.TeamSettings, store.Reader) (store.Change, error)) (pairing.TeamSettings, error)
	Settings(ctx context.Context) (pairing.TeamSettings, error)
	Session(ctx context.Context, id string) (pairing.Session, error)
	Person(ctx context.Context, id string) (pairing.Person, error)
	Rotations(ctx context.Context) ([]pairing.Rotation, error)
	Routing(ctx context.Context, person string) (all, mine []pairing.Rotation, err error)
	// ops_import.go
	SnapshotStat(ctx context.Context, read func(store.Stat, store.Reader) error) error
	Preview(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Change, error)
	// ops_roster.go
	Project(ctx context.Context, name string) (pairing.Project, error)
	UpdateProject(ctx context.Context, name string, change func(*pairing.Project, store.Reader) (store.Change, error)) (pairing.Project, error)
	Sessions(ctx context.Context) ([]pairing.Session, error)
	// ops_sessions.go
	EachRecord(ctx context.Context, fn func(bucket string, key, value []byte) error) error
	// ops_outbox.go
	QueueOnce(ctx context.Context, jobs []store.Job) (int, error)
	ClaimDue(ctx context.Context, now time.Time, limit int) (store.Claim, error)
	Settle(ctx context.Context, s store.Settlement) error
	// ops_plan.go
	SavePlan(ctx context.Context, key store.Run, roster [sha256.Size]byte, decide func(store.Reader) (store.Change, error)) (bool, error)
}

// testCase is one promise of the store, checked on an empty store.
type testCase struct {
	name string
	run  func(t *testing.T, s Store)
}

// Run checks every promise of the store on stores that open returns, a
// new empty one for each case.
func Run(t *testing.T, open func(t *testing.T) Store) {
	t.Helper()
	for _, c := range slices.Concat(recordCases, applyCases, updateCases, raceCases, batchCases, importCases, rosterCases, outboxCases, planCases, rotationCases) {
		t.Run(c.name, func(t *testing.T) { c.run(t, open(t)) })
	}
}

// write commits c in one Apply.
func write(t *testing.T, s Store, c store.Change) store.Applied {
	t.Helper()
	a, err := s.Apply(context.Background(), func(store.Reader) (store.Change, error) { return c, nil })
	if err != nil {
		t.Fatalf("apply %+v: %v", c, err)
	}
	return a
}

// read runs fn over one snapshot, failing the test on its error.
func read(t *testing.T, s Store, fn func(r store.Reader) error) {
	t.Helper()
	if err := s.Snapshot(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// state is everything a Reader can list, and the store's version: equal
// states, nothing was written (the version moves with any write, even of
// what the lists do not show).
type state struct {
	Version   uint64
	Sessions  map[pairing.State]int
	Team      store.Team
	AllSess   []pairing.Session
	Rounds    []pairing.Round
	Rotations []pairing.Rotation
	Outbox    []outbox.Item
	Depth     int
	// Records is a hash of every stored record (EachRecord), so records
	// no list shows (done keys, message refs) count too.
	Records string
}

func stateOf(t *testing.T, s Store) string {
	t.Helper()
	var st state
	err := s.SnapshotStat(context.Background(), func(stat store.Stat, r store.Reader) (err error) {
		st.Version, st.Sessions, st.Depth = stat.Version, stat.Sessions, r.OutboxDepth()
		if st.Outbox, err = r.Outbox(); err != nil {
			return err
		}
		if st.Team, err = r.Team(); err != nil {
			return err
		}
		if st.AllSess, err = r.Sessions(); err != nil {
			return err
		}
		if st.Rounds, err = r.Rounds(); err != nil {
			return err
		}
		st.Rotations, err = r.Rotations()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Records = recordsHash(t, s)
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// unchanged fails the test if the store's state moved from before.
func unchanged(t *testing.T, s Store, before, what string) {
	t.Helper()
	if after := stateOf(t, s); after != before {
		t.Errorf("%s wrote:\nbefore %s\nafter  %s", what, before, after)
	}
}

// recordsHash hashes every stored record, in EachRecord's order.
func recordsHash(t *testing.T, s Store) string {
	t.Helper()
	h := sha256.New()
	err := s.EachRecord(context.Background(), func(bucket string, key, value []byte) error {
		for _, b := range [][]byte{[]byte(bucket), key, value} {
			fmt.Fprintf(h, "%d:", len(b))
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
