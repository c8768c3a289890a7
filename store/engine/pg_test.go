package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// TestMain stops the package's shared PostgreSQL server (pgtest.Shared)
// after the tests.
func TestMain(m *testing.M) { pgtest.Main(m) }

// openPostgresTemp opens a store on a new database of the package's
// throwaway PostgreSQL server, and returns its URL.
func openPostgresTemp(t *testing.T) (*DB, string) {
	t.Helper()
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	db, err := Open(url, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("open: %v\n%s", err, srv.Log())
	}
	t.Cleanup(func() { db.Close() })
	return db, url
}

// The records and operations work the same on PostgreSQL: what one
// operation writes, the next reads, in one rotation and another; the
// schema is at this binary's version; a second open runs no migration
// again.
func TestPostgresCarriesTheRecords(t *testing.T) {
	db, url := openPostgresTemp(t)
	ctx := context.Background()
	ada := pairing.NewPerson("U1", "Ada", "Europe/Berlin", t0)
	s := testSession(t)
	_, err := db.Apply(ctx, func(store.Reader) (store.Change, error) {
		return store.Change{People: []pairing.Person{ada}, Projects: []pairing.Project{{Name: "churn"}}, Sessions: []pairing.Session{s},
			Rounds: []pairing.Round{{ID: "2026-W48", PlannedAt: t0, SessionIDs: []string{s.ID}}}, Welcome: []string{"U1"}, At: t0}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	team, err := db.LoadTeam(ctx)
	if err != nil || len(team.People) != 1 || team.People[0].Name != "Ada" || len(team.Projects) != 1 {
		t.Fatalf("LoadTeam = %+v, %v", team, err)
	}
	got, err := db.Session(ctx, s.ID)
	if err != nil || got.ID != s.ID || got.State != pairing.Proposed {
		t.Fatalf("Session = %+v, %v", got, err)
	}
	err = db.View(func(tx *Tx) error {
		if n := tx.OutboxDepth(); n != 1 {
			t.Errorf("outbox depth %d, want the one welcome", n)
		}
		if c := tx.SessionCounts(); c[pairing.Proposed] != 1 {
			t.Errorf("session counts %v", c)
		}
		open, err := tx.OpenSessions()
		if err != nil || len(open) != 1 {
			t.Errorf("open sessions %v, %v", open, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Rotation("C0OTHER").Person(ctx, "U1"); !errors.Is(err, pairing.ErrNotFound) {
		t.Errorf("Ada in another rotation: %v, want not found", err)
	}
	db.Close()
	again, err := Open(url, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if p, err := again.Person(ctx, "U1"); err != nil || p.Name != "Ada" {
		t.Errorf("after reopening: %+v, %v", p, err)
	}
}

// Writers that conflict are run again, not lost: 40 concurrent Applies
// each add one to the same counter record, and the counter ends at 40.
func TestPostgresConcurrentWritesAreAllCounted(t *testing.T) {
	db, _ := openPostgresTemp(t)
	ctx := context.Background()
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.Apply(ctx, func(r store.Reader) (store.Change, error) {
				var count int
				if _, err := r.Setting("counter", &count); err != nil {
					return store.Change{}, err
				}
				return store.Change{Values: map[string]any{"counter": count + 1}, Done: []store.Run{{Key: fmt.Sprint("job/", i), At: t0}}}, nil
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var count int
	if err := db.Snapshot(ctx, func(r store.Reader) error { _, err := r.Setting("counter", &count); return err }); err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Errorf("counter = %d after %d concurrent increments: a write was lost", count, n)
	}
}

// Bad URLs, refused passwords and servers that do not answer are one
// line each, without the password, within the timeout.
func TestPostgresOpenFailsInOneLine(t *testing.T) {
	srv := pgtest.Shared(t)
	wrongPassword := strings.Replace(srv.URL("postgres"), pgtest.Password, "wrong-secret", 1)
	cases := []struct {
		name, url, want string
	}{
		{"malformed", "postgres://pollen:secret@127.0.0.1:notaport/db", ErrBadURL.Error()},
		{"refused password", wrongPassword, "password authentication failed"},
		{"nobody listening", "postgres://pollen:secret@127.0.0.1:1/db?sslmode=disable", "connect to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Open(c.url, Options{Timeout: 3 * time.Second})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Open = %v, want an error containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "secret") {
				t.Errorf("error is not one line without the password: %q", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s, past the 3 s connect timeout", d)
			}
		})
	}
}

// A database whose schema is newer than this binary is refused.
func TestPostgresNewerSchemaIsRefused(t *testing.T) {
	db, url := openPostgresTemp(t)
	if _, err := db.pg.pool.Exec(context.Background(), "INSERT INTO pollen_sql_migrations (version, name) VALUES (999, 'from the future')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(url, Options{Timeout: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "newer than this Pollen understands") {
		t.Fatalf("Open = %v, want the newer-schema refusal", err)
	}
}

// Two replicas draining one outbox at once never claim the same item:
// each claim reads the items again in its transaction, and a claimed item
// is held for the replica that claimed it.
func TestPostgresReplicasClaimDisjointItems(t *testing.T) {
	a, url := openPostgresTemp(t)
	b, err := Open(url, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	var items []outbox.Item
	for range 60 {
		items = append(items, outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U1"}, CreatedAt: t0})
	}
	if _, err := a.Apply(ctx, func(store.Reader) (store.Change, error) { return store.Change{Outbox: items}, nil }); err != nil {
		t.Fatal(err)
	}
	claimed := make(chan []outbox.Item, 2)
	var wg sync.WaitGroup
	for _, db := range []*DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []outbox.Item
			for range 10 {
				cl, err := db.ClaimDue(ctx, t0, 7)
				if err != nil {
					t.Error(err)
					return
				}
				mine = append(mine, cl.Items...)
			}
			claimed <- mine
		}()
	}
	wg.Wait()
	close(claimed)
	seen := map[string]int{}
	total := 0
	for mine := range claimed {
		for _, it := range mine {
			seen[it.ID]++
			total++
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("item %s claimed %d times", id, n)
		}
	}
	if total != len(items) {
		t.Errorf("%d items claimed of %d", total, len(items))
	}
	if cl, err := a.ClaimDue(ctx, t0.Add(time.Minute), 100); err != nil || len(cl.Items) != 0 {
		t.Errorf("a minute later, while held: claimed %d items (%v), want none", len(cl.Items), err)
	}
	if cl, err := a.ClaimDue(ctx, t0.Add(claimLease+time.Second), 100); err != nil || len(cl.Items) != len(items) {
		t.Errorf("after the hold: claimed %d items (%v), want all %d again", len(cl.Items), err, len(items))
	}
}

// One leader at a time: a second replica does not lead while the first's
// lease runs, takes over (with a higher token) once it expires or the
// first resigns, and a write fenced by the old lease is refused and
// writes nothing: a paused old leader cannot write a round.
func TestPostgresOneLeaderAndFencedWrites(t *testing.T) {
	a, url := openPostgresTemp(t)
	b, err := Open(url, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	fa, ok, err := a.Lead(ctx, "replica-a", time.Second)
	if err != nil || !ok {
		t.Fatalf("a: %v %v", ok, err)
	}
	if _, ok, err := b.Lead(ctx, "replica-b", time.Second); err != nil || ok {
		t.Fatalf("b leads while a's lease runs: %v %v", ok, err)
	}
	if again, ok, err := a.Lead(ctx, "replica-a", time.Second); err != nil || !ok || again.Token != fa.Token {
		t.Fatalf("a renews: %+v %v %v, want token %d kept", again, ok, err, fa.Token)
	}
	write := func(db *DB, f store.Fence, key string) error {
		_, err := db.Apply(store.WithFence(ctx, f), func(store.Reader) (store.Change, error) {
			return store.Change{Done: []store.Run{{Key: key, At: t0}}}, nil
		})
		return err
	}
	if err := write(a, fa, "round/2026-W49"); err != nil {
		t.Fatalf("the leader's fenced write: %v", err)
	}
	time.Sleep(1100 * time.Millisecond) // a is paused past its lease
	fb, ok, err := b.Lead(ctx, "replica-b", 10*time.Second)
	if err != nil || !ok || fb.Token <= fa.Token {
		t.Fatalf("b after a's lease expired: %+v %v %v", fb, ok, err)
	}
	if err := write(a, fa, "round/2026-W50"); !errors.Is(err, store.ErrNotLeader) {
		t.Errorf("the old leader's write: %v, want ErrNotLeader", err)
	}
	var done bool
	if err := b.Snapshot(ctx, func(r store.Reader) error { done = r.Done("round/2026-W50"); return nil }); err != nil || done {
		t.Errorf("the refused write left its key: %v %v", done, err)
	}
	if _, ok, _ := a.Lead(ctx, "replica-a", time.Second); ok {
		t.Error("a leads again while b's lease runs")
	}
	if err := write(b, fb, "round/2026-W50"); err != nil {
		t.Errorf("the new leader's write: %v", err)
	}
	if err := b.Resign(ctx, fb); err != nil {
		t.Fatal(err)
	}
	if fa2, ok, err := a.Lead(ctx, "replica-a", time.Second); err != nil || !ok || fa2.Token <= fb.Token {
		t.Errorf("a after b resigned: %+v %v %v", fa2, ok, err)
	}
}

// A fenced write that passed its fence check while the lease ran commits
// before a new leader takes over, never after it: the check holds the
// lease row until the write commits, so a takeover waits for it. Without
// that, an old leader paused inside its write (GC, a slow disk) committed
// after the new leader had started leading.
func TestPostgresTakeoverWaitsForAFencedWriteInFlight(t *testing.T) {
	a, url := openPostgresTemp(t)
	b, err := Open(url, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	const lease = 2 * time.Second
	fa, ok, err := a.Lead(ctx, "replica-a", lease)
	if err != nil || !ok {
		t.Fatalf("a: %v %v", ok, err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	wrote := make(chan error, 1)
	go func() {
		_, err := a.Apply(store.WithFence(ctx, fa), func(store.Reader) (store.Change, error) {
			once.Do(func() { close(started); <-release }) // paused mid-write, once
			return store.Change{Done: []store.Run{{Key: "round/2026-W49", At: t0}}}, nil
		})
		wrote <- err
	}()
	<-started
	time.Sleep(lease + 200*time.Millisecond) // a's lease runs out while its write is in flight
	type led struct {
		f   store.Fence
		ok  bool
		err error
	}
	took := make(chan led, 1)
	go func() {
		f, ok, err := b.Lead(ctx, "replica-b", 10*time.Second)
		took <- led{f, ok, err}
	}()
	select {
	case l := <-took:
		close(release)
		<-wrote
		t.Fatalf("b took over (%+v) while a's fenced write, begun under a's lease, was still in flight", l)
	case <-time.After(500 * time.Millisecond):
	}
	close(release)
	if err := <-wrote; err != nil {
		t.Errorf("a's write, begun under its lease: %v", err)
	}
	l := <-took
	if l.err != nil || !l.ok || l.f.Token <= fa.Token {
		t.Fatalf("b after a's write: %+v", l)
	}
	_, err = a.Apply(store.WithFence(ctx, fa), func(store.Reader) (store.Change, error) {
		return store.Change{Done: []store.Run{{Key: "round/2026-W50", At: t0}}}, nil
	})
	if !errors.Is(err, store.ErrNotLeader) {
		t.Errorf("a's write after b took over: %v, want ErrNotLeader", err)
	}
}

// A transaction whose server goes away fails with an error and writes
// nothing; it does not panic (a bucket list that could not be read used
// to come back as nil buckets).
func TestPostgresGoneMidTransactionIsAnError(t *testing.T) {
	srv := pgtest.Start(t)
	db, err := Open(srv.URL("postgres"), Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv.Kill(t)
	ctx := context.Background()
	_, err = db.Apply(ctx, func(store.Reader) (store.Change, error) {
		return store.Change{People: []pairing.Person{pairing.NewPerson("U1", "Ada", "UTC", t0)}}, nil
	})
	if err == nil {
		t.Fatal("a write with the server down succeeded")
	}
	if _, err := db.LoadTeam(ctx); err == nil {
		t.Fatal("a read with the server down succeeded")
	}
	srv.Restart(t)
	if _, err := db.LoadTeam(ctx); err != nil {
		t.Fatalf("after the restart: %v", err)
	}
}

// The case the test above cannot time: the server goes away after BEGIN,
// so the bucket list fails to load. Buckets must not come back nil (the
// caller would dereference them); they fail with the transaction's error.
func TestPostgresFailedBucketListGivesFailingBuckets(t *testing.T) {
	tx := &pgTx{err: errors.New("connection reset"), buckets: map[string]bool{}}
	b := tx.Bucket(bucketSessions)
	if b == nil {
		t.Fatal("nil bucket after a failed query")
	}
	if err := b.Put([]byte("k"), []byte("v")); err == nil {
		t.Error("a write to a failed transaction's bucket succeeded")
	}
	if b.Get([]byte("k")) != nil || b.KeyN() != 0 {
		t.Error("a failed transaction's bucket reads something")
	}
}
