package engine

import (
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// A change's sessions and the counts of their new states are read ahead
// together (pg_prefetch.go): after prefetchChange the transaction holds
// the old session, knows the new one absent and holds the count, so
// applying the change asks the server nothing more.
func TestPostgresPrefetchChangeReadsTheStateCounts(t *testing.T) {
	db, _ := openPostgresTemp(t)
	old := testSession(t)
	if err := db.Update(func(tx *Tx) error { return tx.PutSession(old) }); err != nil {
		t.Fatal(err)
	}
	fresh := testSession(t)
	old.State = pairing.Accepted
	err := db.Update(func(tx *Tx) error {
		tx.prefetchChange(store.Change{Sessions: []pairing.Session{old, fresh}})
		pt := tx.tx.(*pgTx)
		if pt.err != nil {
			return pt.err
		}
		sessions, states := pt.state[string(bucketSessions)], pt.state[string(bucketStates)]
		if sessions == nil || states == nil {
			t.Fatalf("read ahead in %v, want sessions and session_states", pt.state)
		}
		oldKey, _ := uuidKey(old.ID)
		freshKey, _ := uuidKey(fresh.ID)
		if v, ok := sessions.read[string(oldKey)]; !ok || v == nil {
			t.Error("the stored session was not read ahead")
		}
		if v, ok := sessions.read[string(freshKey)]; !ok || v != nil {
			t.Errorf("the new session: held %v, %q; want known absent", ok, v)
		}
		if v, ok := states.read[string(pairing.Proposed)]; !ok || len(v) != 8 {
			t.Errorf("the proposed count: held %v, %x; want the stored count", ok, v)
		}
		if v, ok := states.read[string(pairing.Accepted)]; !ok || v != nil {
			t.Errorf("the accepted count: held %v, %x; want known absent", ok, v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
