package engine

import (
	"bytes"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "pollen.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func testSession(t *testing.T) pairing.Session {
	t.Helper()
	return pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn", Host: "U1", Learners: []string{"U2"},
		Round: "2026-W48", State: pairing.Proposed, CreatedAt: t0, UpdatedAt: t0}
}

func TestRecordsRoundTrip(t *testing.T) {
	db := openTemp(t)
	person := pairing.NewPerson("U1", "Ana", "Europe/Berlin", t0)
	project := pairing.Project{Name: "churn", RepoURL: "https://git.example/churn", Owners: []string{"U1"}}
	session := testSession(t)
	round := pairing.Round{ID: "2026-W48", PlannedAt: t0, SessionIDs: []string{session.ID}}
	type teamSettings struct{ Schedule string }

	err := db.Update(func(tx *Tx) error {
		return errors.Join(tx.PutPerson(person), tx.PutProject(project), tx.PutSession(session), tx.PutRound(round),
			tx.PutSetting("team", teamSettings{"0 9 * * MON"}))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *Tx) error {
		p, err := tx.Person("U1")
		if err != nil || p.Name != "Ana" || p.Hours != pairing.DefaultHours || !p.JoinedAt.Equal(t0) {
			t.Errorf("Person = %+v, %v", p, err)
		}
		pr, err := tx.Project("churn")
		if err != nil || pr.RepoURL != project.RepoURL || !slices.Equal(pr.Owners, project.Owners) {
			t.Errorf("Project = %+v, %v", pr, err)
		}
		s, err := tx.Session(session.ID)
		if err != nil || s.Host != "U1" || s.State != pairing.Proposed || !s.CreatedAt.Equal(t0) {
			t.Errorf("Session = %+v, %v", s, err)
		}
		r, err := tx.Round("2026-W48")
		if err != nil || !slices.Equal(r.SessionIDs, round.SessionIDs) {
			t.Errorf("Round = %+v, %v", r, err)
		}
		var ts teamSettings
		if ok, err := tx.Setting("team", &ts); !ok || err != nil || ts.Schedule != "0 9 * * MON" {
			t.Errorf("Setting = %+v, %v, %v", ts, ok, err)
		}
		if _, err := tx.Person("U404"); !errors.Is(err, pairing.ErrNotFound) {
			t.Errorf("missing person: err = %v, want ErrNotFound", err)
		}
		if _, err := tx.Session("not-a-uuid"); !errors.Is(err, pairing.ErrNotFound) {
			t.Errorf("bad session ID: err = %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestInvalidRecordsAreRefused(t *testing.T) {
	db := openTemp(t)
	bad := testSession(t)
	bad.Learners = nil
	for name, write := range map[string]func(*Tx) error{
		"person without ID":   func(tx *Tx) error { return tx.PutPerson(pairing.Person{}) },
		"project bad name":    func(tx *Tx) error { return tx.PutProject(pairing.Project{Name: "Bad Name"}) },
		"session no learners": func(tx *Tx) error { return tx.PutSession(bad) },
		"round bad ID":        func(tx *Tx) error { return tx.PutRound(pairing.Round{ID: "week 48"}) },
	} {
		if err := db.Update(write); err == nil {
			t.Errorf("%s: written", name)
		}
	}
}

func TestTransactionIsAllOrNothing(t *testing.T) {
	db := openTemp(t)
	s := testSession(t)
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutSession(s); err != nil {
			return err
		}
		return errors.New("something later failed")
	})
	if err == nil {
		t.Fatal("Update returned no error")
	}
	db.View(func(tx *Tx) error {
		if _, err := tx.Session(s.ID); !errors.Is(err, pairing.ErrNotFound) {
			t.Errorf("session from a failed transaction is there: %v", err)
		}
		return nil
	})
}

func TestAppendEventIsIdempotent(t *testing.T) {
	db := openTemp(t)
	e := pairing.Event{ID: store.NewID(), At: t0, Kind: pairing.EventOwner, Project: "churn", Person: "U1"}
	for i, want := range []bool{true, false, false} {
		var added bool
		if err := db.Update(func(tx *Tx) (err error) { added, err = tx.AppendEvent(e); return err }); err != nil {
			t.Fatal(err)
		}
		if added != want {
			t.Errorf("append #%d: added = %v, want %v", i+1, added, want)
		}
	}
	var events []pairing.Event
	db.View(func(tx *Tx) (err error) { events, err = tx.Events(); return err })
	if len(events) != 1 {
		t.Errorf("log has %d events, want 1", len(events))
	}
	if err := db.Update(func(tx *Tx) error { _, err := tx.AppendEvent(pairing.Event{ID: "e1"}); return err }); err == nil {
		t.Error("event with a non-UUID ID was appended")
	}
}

func TestSessionsComeOutInCreationOrder(t *testing.T) {
	db := openTemp(t)
	var ids []string
	for range 50 {
		s := testSession(t)
		ids = append(ids, s.ID)
		if err := db.Update(func(tx *Tx) error { return tx.PutSession(s) }); err != nil {
			t.Fatal(err)
		}
	}
	var got []pairing.Session
	db.View(func(tx *Tx) (err error) { got, err = tx.Sessions(); return err })
	for i := range got {
		if got[i].ID != ids[i] {
			t.Fatalf("session %d is %s, want %s", i, got[i].ID, ids[i])
		}
	}
}

func TestSecondOpenFailsWithinTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pollen.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	_, err = Open(path, Options{Timeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
	if want := "database " + path + " is in use by another Pollen process"; err.Error()[:len(want)] != want {
		t.Errorf("message = %q", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second Open took %v", d)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pollen.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte{0, 0, 0, 0, 0, 0, 0, 99}) })
	db.Close()
	if _, err := Open(path, Options{}); err == nil {
		t.Fatal("opened a database from the future")
	}
}

func TestBackupWhileWriting(t *testing.T) {
	db := openTemp(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // a busy writer, as the bot would be
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s := testSession(t)
			if err := db.Update(func(tx *Tx) error { return tx.PutSession(s) }); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	time.Sleep(20 * time.Millisecond) // let the writer get going; correctness does not depend on it
	path := filepath.Join(t.TempDir(), "backup.db")
	n, err := db.BackupFile(path)
	close(stop)
	wg.Wait()
	if err != nil || n == 0 {
		t.Fatalf("BackupFile = %d, %v", n, err)
	}
	copyDB, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if err := copyDB.Check(); err != nil {
		t.Fatalf("backup is inconsistent: %v", err)
	}
	var sessions []pairing.Session
	if err := copyDB.View(func(tx *Tx) (err error) { sessions, err = tx.Sessions(); return err }); err != nil {
		t.Fatal(err)
	}
	for _, s := range sessions {
		if err := s.Validate(); err != nil {
			t.Fatalf("backed-up session %s invalid: %v", s.ID, err)
		}
	}
	var buf bytes.Buffer
	if _, err := db.Backup(&buf); err != nil || buf.Len() == 0 {
		t.Errorf("Backup to a writer = %d bytes, %v", buf.Len(), err)
	}
}

func openIDs(t *testing.T, db *DB) []string {
	t.Helper()
	var ids []string
	if err := db.View(func(tx *Tx) error {
		open, err := tx.OpenSessions()
		for _, s := range open {
			ids = append(ids, s.ID)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// The open-sessions index and the per-state counts follow every state
// change, and migrations 3 and 4 build them for a database written before
// they existed.
func TestOpenSessionsIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pollen.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, st := range []pairing.State{pairing.Proposed, pairing.Accepted, pairing.Done, pairing.Skipped, pairing.Proposed} {
		s := testSession(t)
		s.State = st
		if st == pairing.Done {
			s.DoneAt = t0
		}
		ids = append(ids, s.ID)
		if err := db.Update(func(tx *Tx) error { return tx.PutSession(s) }); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := openIDs(t, db), []string{ids[0], ids[1], ids[4]}; !slices.Equal(got, want) {
		t.Fatalf("open %q, want %q", got, want)
	}
	// The first proposal is cancelled: it leaves the index.
	if err := db.Update(func(tx *Tx) error {
		s, err := tx.Session(ids[0])
		if err != nil {
			return err
		}
		s.State = pairing.Cancelled
		return tx.PutSession(s)
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := openIDs(t, db), []string{ids[1], ids[4]}; !slices.Equal(got, want) {
		t.Fatalf("after the cancellation open %q, want %q", got, want)
	}
	wantCounts := map[pairing.State]int{pairing.Proposed: 1, pairing.Accepted: 1, pairing.Done: 1, pairing.Skipped: 1, pairing.Cancelled: 1}
	if got := counts(t, db); !maps.Equal(got, wantCounts) {
		t.Fatalf("counts %v, want %v", got, wantCounts)
	}
	// Back to schema 2, without the index or the counts, as an older Pollen left it.
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketOpen); err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketStates); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte{0, 0, 0, 0, 0, 0, 0, 2})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, want := openIDs(t, db), []string{ids[1], ids[4]}; !slices.Equal(got, want) {
		t.Errorf("after migrating from schema 2, open %q, want %q", got, want)
	}
	if got := counts(t, db); !maps.Equal(got, wantCounts) {
		t.Errorf("after migrating from schema 2, counts %v, want %v", got, wantCounts)
	}
}

func counts(t *testing.T, db *DB) map[pairing.State]int {
	t.Helper()
	var out map[pairing.State]int
	if err := db.View(func(tx *Tx) error { out = tx.SessionCounts(); return nil }); err != nil {
		t.Fatal(err)
	}
	// Zero counts are left in the bucket once a state empties; drop them.
	maps.DeleteFunc(out, func(_ pairing.State, n int) bool { return n == 0 })
	return out
}
