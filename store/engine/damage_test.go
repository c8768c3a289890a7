package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// smallDB builds, once per test binary, a small but real database: a
// roster, projects, a knowledge log, sessions, rounds, settings and an
// outbox, enough that several buckets have pages of their own.
var smallDB = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "pollen-small-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "pollen.db")
	db, err := Open(path, Options{})
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *Tx) error {
		for i := range 12 {
			if err := tx.PutPerson(pairing.NewPerson(fmt.Sprintf("U%03d", i), fmt.Sprintf("Person %d", i), "Europe/Berlin", t0)); err != nil {
				return err
			}
		}
		for _, name := range []string{"churn", "etl", "forecast"} {
			if err := tx.PutProject(pairing.Project{Name: name, Owners: []string{"U000"}}); err != nil {
				return err
			}
		}
		for i := range 60 {
			at := t0.Add(time.Duration(i) * time.Hour)
			s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn", Host: "U000", Learners: []string{fmt.Sprintf("U%03d", 1+i%11)},
				Round: pairing.RoundID(at), Slot: at, Length: time.Hour, State: pairing.Done, CreatedAt: at, UpdatedAt: at, DoneAt: at}
			if err := tx.PutSession(s); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(pairing.Event{ID: store.NewID(), At: at, Kind: pairing.EventSession, Project: "churn", SessionID: s.ID,
				SessionKind: pairing.Pair, Host: "U000", Learners: s.Learners}); err != nil {
				return err
			}
		}
		if err := tx.PutRound(pairing.Round{ID: "2026-W48", PlannedAt: t0}); err != nil {
			return err
		}
		if err := tx.PutSettings(pairing.DefaultTeamSettings()); err != nil {
			return err
		}
		return tx.PutOutbox(outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"U001"}, CreatedAt: t0})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

// layout is where things are in a database file, read from its newest
// meta page.
type layout struct {
	pageSize         int
	pages            int
	root, freelist   int
	eventsRoot       int // the events bucket's own page
	eventsRootIsLeaf bool
}

func readLayout(t *testing.T, file []byte) layout {
	t.Helper()
	m0, ok0 := parseMeta(file)
	m1, ok1 := parseMeta(file[m0.pageSize:])
	if !ok0 || !ok1 {
		t.Fatal("the fixture's meta pages do not parse")
	}
	m := m0
	if m1.txid > m0.txid {
		m = m1
	}
	l := layout{pageSize: int(m.pageSize), pages: int(m.pgid), root: int(m.root), freelist: int(m.freelist)}
	page := file[l.root*l.pageSize:]
	if flags := binary.LittleEndian.Uint16(page[8:]); flags != 0x02 {
		t.Fatalf("the fixture's root page has flags %#x, want a leaf", flags)
	}
	for i := range int(binary.LittleEndian.Uint16(page[10:])) {
		elem := page[pageHeaderSize+16*i:]
		pos, ksize := binary.LittleEndian.Uint32(elem[4:]), binary.LittleEndian.Uint32(elem[8:])
		kv := elem[pos:]
		if string(kv[:ksize]) == "events" {
			l.eventsRoot = int(binary.LittleEndian.Uint64(kv[ksize:]))
		}
	}
	if l.eventsRoot == 0 {
		t.Fatal("the fixture's events bucket has no page of its own")
	}
	return l
}

func pageAt(file []byte, l layout, id int) []byte { return file[id*l.pageSize : (id+1)*l.pageSize] }

// A damaged file is refused by Open with one line that says it is damaged
// and how to restore a backup, for writing and read-only alike: no panic,
// no SIGBUS, no fresh database over it, and the file is left as it was.
func TestOpenRefusesADamagedFile(t *testing.T) {
	good, err := smallDB()
	if err != nil {
		t.Fatal(err)
	}
	l := readLayout(t, good)
	if len(good) < 16*1024 {
		t.Fatalf("the fixture is %d bytes; the truncation cases need more", len(good))
	}
	tests := []struct {
		name   string
		damage func(f []byte) []byte
		want   string // in the error
	}{
		{"truncated to 10 KiB", func(f []byte) []byte { return f[:10*1024] }, "cut short"},
		{"truncated to 8 KiB", func(f []byte) []byte { return f[:8*1024] }, "cut short"},
		{"one page short of the high-water mark", func(f []byte) []byte { return f[:(l.pages-1)*l.pageSize] }, "cut short"},
		{"empty (0 bytes)", func(f []byte) []byte { return nil }, "empty (0 bytes)"},
		{"both meta pages", func(f []byte) []byte {
			f[pageHeaderSize] ^= 0xff
			f[l.pageSize+pageHeaderSize] ^= 0xff
			return f
		}, "both meta pages"},
		{"root page header flags", func(f []byte) []byte {
			binary.LittleEndian.PutUint16(pageAt(f, l, l.root)[8:], 0x20)
			return f
		}, "is damaged"},
		{"element header of a bucket's page", func(f []byte) []byte {
			p := pageAt(f, l, l.eventsRoot)
			elem := pageHeaderSize
			if binary.LittleEndian.Uint16(p[8:]) == 0x01 { // branch element: pos, ksize, pgid
				binary.LittleEndian.PutUint32(p[elem:], 0x7fffffff)
			} else { // leaf element: flags, pos, ksize, vsize
				binary.LittleEndian.PutUint32(p[elem+4:], 0x7fffffff)
			}
			return f
		}, "is damaged"},
		{"freelist page header", func(f []byte) []byte {
			binary.LittleEndian.PutUint16(pageAt(f, l, l.freelist)[8:], 0x02)
			return f
		}, "is damaged"},
		{"freelist count", func(f []byte) []byte {
			binary.LittleEndian.PutUint16(pageAt(f, l, l.freelist)[10:], 0xfffe)
			return f
		}, "is damaged"},
	}
	for _, tc := range tests {
		for _, readOnly := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/read-only=%v", tc.name, readOnly), func(t *testing.T) {
				t.Parallel() // each case has its own file
				path := filepath.Join(t.TempDir(), "pollen.db")
				file := tc.damage(bytes.Clone(good))
				if err := os.WriteFile(path, file, 0o600); err != nil {
					t.Fatal(err)
				}
				db, err := Open(path, Options{ReadOnly: readOnly, Log: slog.New(slog.DiscardHandler)})
				if err == nil {
					db.Close()
					t.Fatal("Open accepted the damaged file")
				}
				msg := err.Error()
				if !errors.Is(err, ErrDamaged) || !strings.Contains(msg, path+" is damaged: ") ||
					!strings.Contains(msg, "restore a backup") || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
					t.Errorf("error = %q; want one line saying %s is damaged (%s) and how to restore a backup", msg, path, tc.want)
				}
				if after, _ := os.ReadFile(path); !bytes.Equal(after, file) {
					t.Error("the refused file was changed")
				}
			})
		}
	}
}

// The intact fixture opens both ways, so the cases above fail for their
// damage and nothing else.
func TestOpenAcceptsTheIntactFixture(t *testing.T) {
	good, err := smallDB()
	if err != nil {
		t.Fatal(err)
	}
	for _, readOnly := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "pollen.db")
		if err := os.WriteFile(path, good, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(path, Options{ReadOnly: readOnly})
		if err != nil {
			t.Fatalf("read-only=%v: %v", readOnly, err)
		}
		db.Close()
	}
}

// A damaged meta page next to an intact one is bbolt's recovery from a
// torn write: the file opens on the other one, with a warning. (Falling
// back to the older meta page loses the writes after it: here, the team.)
func TestOpenWarnsAboutOneDamagedMetaPage(t *testing.T) {
	good, err := smallDB()
	if err != nil {
		t.Fatal(err)
	}
	l := readLayout(t, good)
	for _, page := range []int{0, 1} {
		path := filepath.Join(t.TempDir(), "pollen.db")
		file := bytes.Clone(good)
		file[page*l.pageSize+pageHeaderSize+20] ^= 0xff // inside the checksummed fields
		if err := os.WriteFile(path, file, 0o600); err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		db, err := Open(path, Options{Log: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatalf("meta page %d damaged: %v", page, err)
		}
		if err := db.View(func(tx *Tx) error { _, err := tx.People(); return err }); err != nil {
			t.Errorf("meta page %d damaged: %v", page, err)
		}
		db.Close()
		if !strings.Contains(logs.String(), fmt.Sprintf("meta page %d of the database is damaged", page)) {
			t.Errorf("meta page %d damaged: no warning in %q", page, logs.String())
		}
	}
}

// A record that does not decode is set aside when the database is opened
// for writing, reported once by key, and the rest works on; read-only, it
// is refused with the damaged line rather than exported without it.
func TestOpenSetsAsideARecordThatDoesNotDecode(t *testing.T) {
	path := damageRecord(t, bucketPeople, "U005", `{"id": "U005", "hours": 9`)
	_, err := Open(path, Options{ReadOnly: true, Log: slog.New(slog.DiscardHandler)})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "people/") {
		t.Fatalf("read-only open: %v, want the damaged line naming the record", err)
	}
	for i := range 2 {
		var logs bytes.Buffer
		db, err := Open(path, Options{Log: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		var people []pairing.Person
		aside := 0
		if err := db.View(func(tx *Tx) (err error) { people, err = tx.People(); aside = tx.SetAsideCount(); return err }); err != nil {
			t.Fatalf("open %d: the rest does not work: %v", i, err)
		}
		db.Close()
		if len(people) != 11 || aside != 1 {
			t.Errorf("open %d: %d people and %d set aside, want 11 and 1", i, len(people), aside)
		}
		reports := strings.Count(logs.String(), "people/55303035") // "U005" in hex
		if want := 1 - i; reports != want {
			t.Errorf("open %d: the record was reported %d times, want %d:\n%s", i, reports, want, logs.String())
		}
	}
}

// damageRecord writes a raw value into a copy of the small database.
func damageRecord(t *testing.T, bucket []byte, key, value string) string {
	t.Helper()
	good, err := smallDB()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pollen.db")
	if err := os.WriteFile(path, good, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return err
		}
		return bk.Put([]byte(key), []byte(value))
	}); err != nil {
		t.Fatal(err)
	}
	return path
}

// A job marker that does not decode is set aside but its key stays: Done
// only asks for the key, and a missing marker would plan a round again.
func TestADamagedJobMarkerStillSaysDone(t *testing.T) {
	path := damageRecord(t, bucketRuns, "round/2026-W49", `{"key": "round/2026-W49", "at": 5`)
	db, err := Open(path, Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var done bool
	var aside int
	db.View(func(tx *Tx) error { done, aside = tx.Done("round/2026-W49"), tx.SetAsideCount(); return nil })
	if !done || aside != 1 {
		t.Errorf("after setting the marker aside: done %v, %d set aside; want true and 1", done, aside)
	}
}

// Team settings that do not decode, as JSON or as settings, refuse the
// open: defaults would forget the schedule, admins and holidays.
func TestDamagedSettingsRefuseTheOpen(t *testing.T) {
	for name, value := range map[string]string{
		"not JSON":        `{"schedule": `,
		"the wrong shape": `{"schedule": 5}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := damageRecord(t, bucketSettings, settingsKey(pairing.DefaultRotation), value)
			for _, ro := range []bool{false, true} {
				db, err := Open(path, Options{ReadOnly: ro, Log: slog.New(slog.DiscardHandler)})
				if err == nil {
					db.Close()
				}
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "settings record") {
					t.Errorf("read-only %v: %v, want the damaged line naming the settings", ro, err)
				}
			}
		})
	}
}
