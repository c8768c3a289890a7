package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Routing on PostgreSQL is one statement: the Tx code it runs (Rotations,
// RotationsOf) finds every record it reads in what the statement read, so
// it never reads again in a transaction, for a member, a person of no
// rotation and no person; and a reader that wants more than the
// statement read still gets the right answer, from a transaction.
func TestPostgresRoutingIsOneStatement(t *testing.T) {
	db, _ := openPostgresTemp(t)
	ctx := context.Background()
	for i, rot := range []string{pairing.DefaultRotation, "C0A", "C0B", "C0C"} {
		c := store.Change{People: []pairing.Person{pairing.NewPerson(fmt.Sprintf("U%d", i), "P", "UTC", t0), pairing.NewPerson("UALL", "All", "UTC", t0)}}
		if rot != pairing.DefaultRotation {
			c.Rotations = []pairing.Rotation{{ID: rot, Channel: rot, StartedAt: t0}}
		}
		if _, err := db.Apply(store.WithRotation(ctx, rot), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	misses := preloadMisses.Load()
	for _, tt := range []struct {
		person string
		mine   []string
	}{
		{"UALL", []string{"C0A", "C0B", "C0C", pairing.DefaultRotation}},
		{"U2", []string{"C0B"}},
		{"UNONE", nil},
		{"", nil},
	} {
		all, mine, err := db.Routing(ctx, tt.person)
		if err != nil || len(all) != 4 || !slices.Equal(rotationIDs(mine), tt.mine) {
			t.Errorf("Routing(%q) = %v, %v, %v; want 4 rotations, mine %v", tt.person, rotationIDs(all), rotationIDs(mine), err, tt.mine)
		}
	}
	if n := preloadMisses.Load() - misses; n != 0 {
		t.Errorf("Routing read again in a transaction %d times: the statement missed records Rotations or RotationsOf read", n)
	}

	// A reader that wants more than the statement read (the settings).
	var zone string
	err := db.pg.routing(ctx, "U1", func(kv kvTx) error {
		s, err := (&Tx{tx: kv}).Settings()
		zone = s.TimeZone
		return err
	})
	if err != nil || zone != pairing.DefaultTeamSettings().TimeZone || preloadMisses.Load() != misses+1 {
		t.Errorf("a read outside the statement's records = %q, %v (misses %d); want the settings, read again once", zone, err, preloadMisses.Load()-misses)
	}
}

// Reads that arrive together share a statement: 120 people asking at
// the same moment cost a few statements, not 120, and each gets their
// own answer; a reader whose context ends stops waiting.
func TestPostgresRoutingReadsShareAStatement(t *testing.T) {
	db, _ := openPostgresTemp(t)
	ctx := context.Background()
	const n = 120
	var people []pairing.Person
	for i := range n {
		people = append(people, pairing.NewPerson(fmt.Sprintf("U%03d", i), "P", "UTC", t0))
	}
	for _, rot := range []string{"C0EVEN", "C0ODD"} {
		var in []pairing.Person
		for i, p := range people {
			if (i%2 == 0) == (rot == "C0EVEN") {
				in = append(in, p)
			}
		}
		c := store.Change{People: in, Rotations: []pairing.Rotation{{ID: rot, Channel: rot, StartedAt: t0}}}
		if _, err := db.Apply(store.WithRotation(ctx, rot), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			t.Fatal(err)
		}
	}
	groups, misses := routingGroups.Load(), preloadMisses.Load()
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := range n {
		go func() {
			<-start
			want := map[bool]string{true: "C0EVEN", false: "C0ODD"}[i%2 == 0]
			all, mine, err := db.Routing(ctx, fmt.Sprintf("U%03d", i))
			if err == nil && (len(all) != 3 || !slices.Equal(rotationIDs(mine), []string{want})) {
				err = fmt.Errorf("U%03d: Routing = %v, %v; want 3 rotations (the team's too), mine [%s]", i, rotationIDs(all), rotationIDs(mine), want)
			}
			errs <- err
		}()
	}
	close(start)
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	g := routingGroups.Load() - groups
	t.Logf("%d reads at once: %d statements", n, g)
	if g > n/4 {
		t.Errorf("%d reads at once took %d statements; want them to share", n, g)
	}
	if m := preloadMisses.Load() - misses; m != 0 {
		t.Errorf("%d reads read again in a transaction", m)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := db.Routing(done, "U001"); !errors.Is(err, context.Canceled) {
		t.Errorf("Routing with a done context = %v, want context.Canceled", err)
	}
}

// When a group's statement fails (here: a statement the server refuses),
// each of its readers reads alone in a transaction and gets the right
// answer, rather than every command of the burst getting the error.
func TestPostgresRoutingGroupFailureFallsBackToOwnRead(t *testing.T) {
	db, _ := openPostgresTemp(t)
	ctx := context.Background()
	c := store.Change{People: []pairing.Person{pairing.NewPerson("U1", "P", "UTC", t0)}, Rotations: []pairing.Rotation{{ID: "C0A", Channel: "C0A", StartedAt: t0}}}
	if _, err := db.Apply(store.WithRotation(ctx, "C0A"), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
		t.Fatal(err)
	}
	good := pgRoutingSQL
	pgRoutingSQL = "SELECT no_such_column FROM pollen_records"
	defer func() { pgRoutingSQL = good }()
	failures := groupFailures.Load()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			all, mine, err := db.Routing(ctx, "U1")
			if err != nil || len(all) != 2 || !slices.Equal(rotationIDs(mine), []string{"C0A"}) {
				t.Errorf("Routing with the group's statement failing = %v, %v, %v; want [C0A team], [C0A] read alone", rotationIDs(all), rotationIDs(mine), err)
			}
		})
	}
	wg.Wait()
	if n := groupFailures.Load() - failures; n != 20 {
		t.Errorf("%d readers read alone, want 20 (the statement fails every time)", n)
	}
}

func rotationIDs(rots []pairing.Rotation) []string {
	var out []string
	for _, r := range rots {
		out = append(out, r.ID)
	}
	return out
}

// A bucket read whole answers later scans of the same transaction from
// what it holds (pgBucketState.whole): they must see the transaction's
// own writes and deletes, in key order, and prefixes, exactly as bbolt
// and a fresh query do.
func TestScanAfterWholeReadSeesTheWrites(t *testing.T) {
	scans := func(db *DB) string {
		var log []string
		bucket := []byte("test-scans")
		err := db.Update(func(tx *Tx) error {
			b, err := tx.tx.CreateBucketIfNotExists(bucket)
			if err != nil {
				return err
			}
			for _, k := range []string{"b/2", "a/1", "b/1"} {
				if err := b.Put([]byte(k), []byte("v"+k)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *Tx) error {
			b := tx.tx.Bucket(bucket)
			dump := func(what string, scan func(func(k, v []byte) error) error) {
				var got []string
				if err := scan(func(k, v []byte) error { got = append(got, string(k)+"="+string(v)); return nil }); err != nil {
					t.Fatal(err)
				}
				log = append(log, what+": "+strings.Join(got, " "))
			}
			dump("first", b.ForEach)
			_ = b.Put([]byte("a/0"), []byte("new"))
			_ = b.Put([]byte("b/1"), []byte("changed"))
			_ = b.Delete([]byte("b/2"))
			dump("after writes", b.ForEach)
			dump("prefix b/", func(fn func(k, v []byte) error) error { return b.Prefix([]byte("b/"), fn) })
			log = append(log, "get b/2: "+string(b.Get([]byte("b/2"))), "get z: "+string(b.Get([]byte("z"))))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(func(tx *Tx) error { // committed: a fresh transaction's query
			var got []string
			err := tx.tx.Bucket(bucket).ForEach(func(k, v []byte) error { got = append(got, string(k)+"="+string(v)); return nil })
			log = append(log, "committed: "+strings.Join(got, " "))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(log, "\n")
	}
	want := strings.Join([]string{
		"first: a/1=va/1 b/1=vb/1 b/2=vb/2",
		"after writes: a/0=new a/1=va/1 b/1=changed",
		"prefix b/: b/1=changed",
		"get b/2: ",
		"get z: ",
		"committed: a/0=new a/1=va/1 b/1=changed",
	}, "\n")
	pg, _ := openPostgresTemp(t)
	for name, db := range map[string]*DB{"bbolt": openTemp(t), "postgres": pg} {
		if got := scans(db); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, got, want)
		}
	}
}
