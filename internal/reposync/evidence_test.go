package reposync

import (
	"context"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// TestSyncRecordsFirstCommitAfterSessionOnce: Bo learns p from Ana, then
// his first commit arrives in a sync: one piece of evidence, naming the
// session. Later syncs with more of his commits record nothing new.
func TestSyncRecordsFirstCommitAfterSessionOnce(t *testing.T) {
	o := newOrigin(t)
	o.commit("Ana", "a.go") // 2024-01-01 01:00
	db := newStore(t, o.url())
	data := t.TempDir()
	sync(t, db, data)
	session := pairing.Event{ID: store.NewID(), At: time.Date(2024, 1, 1, 1, 30, 0, 0, time.UTC), Kind: pairing.EventSession,
		Project: "p", SessionID: "s1", SessionKind: pairing.Pair, Host: "U1ANA", Learners: []string{"U2BO"}}
	write(t, db, store.Change{Events: []pairing.Event{session}})
	o.commit("Bo", "a.go") // 02:00, after the session
	if res := sync(t, db, data); res.Evidence != 1 {
		t.Errorf("Bo's first commit after the session: Evidence = %d, want 1 (%s)", res.Evidence, res)
	}
	o.commit("Bo", "b.go")
	if res := sync(t, db, data); res.Evidence != 0 {
		t.Errorf("a later commit of Bo's recorded evidence again: %d", res.Evidence)
	}
	var got []pairing.Event
	team, err := db.LoadTeam(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range team.Events {
		if e.Kind == pairing.EventCommitted {
			got = append(got, e)
		}
	}
	if len(got) != 1 || got[0].Person != "U2BO" || got[0].SessionID != "s1" || got[0].Host != "U1ANA" {
		t.Errorf("evidence in the log = %+v, want Bo's one after s1", got)
	}
}
