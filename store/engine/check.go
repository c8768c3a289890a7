package engine

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// openBolt is bolt.Open that turns a panic into an error. bbolt trusts
// what it reads: a damaged freelist or page header makes it panic while
// opening ("assertion failed", "slice bounds out of range"), and a read
// outside the mapped file faults; SetPanicOnFault makes such a fault a
// panic this goroutine can recover from, instead of a crash.
func openBolt(path string, opts Options) (b *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, damaged(path, "bbolt failed while opening it (%v)", r)
		}
	}()
	return bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         opts.Timeout,
		ReadOnly:        opts.ReadOnly,
		InitialMmapSize: 16 << 20, // a small database never remaps
		// Read the freelist here, under the recover above, even read-only:
		// otherwise the check reads it first, in a goroutine of its own.
		PreLoadFreelist: true,
	})
}

// checkAtOpenLimit is the largest file Open checks page by page. The
// check, with the decoding of every record, costs about 0.1 s for 5,000
// sessions and their knowledge events and 0.8 s for 50,000 (BenchmarkOpen,
// on a busy 2-core machine): paid once at start, it buys a clear refusal
// instead of a crash mid-round. Larger files are opened without the page
// check, with a log line saying so.
const checkAtOpenLimit = 256 << 20

// checkPages runs bbolt's consistency check (every page reachable once,
// page types and key order right, the freelist sound) and reports the
// first problem as damage. bbolt's check recovers its own panics.
func (db *DB) checkPages(log *slog.Logger) error {
	st, err := os.Stat(db.path)
	if err != nil {
		return fmt.Errorf("open database %s: %w", db.path, err)
	}
	if st.Size() > checkAtOpenLimit {
		log.Info("database is large: not checking it page by page at start", "path", db.path, "bytes", st.Size())
		return nil
	}
	if err := db.Check(); err != nil {
		return damaged(db.path, "its pages are inconsistent (%v)", err)
	}
	return nil
}

// recordTypes says what each bucket of JSON records decodes into. The
// buckets not listed hold no JSON (meta, open_sessions, session_states)
// or records set aside already.
var recordTypes = map[string]func() any{
	string(bucketPeople):    func() any { return new(profile) },
	string(bucketMembers):   func() any { return new(membership) },
	string(bucketRotations): func() any { return new(pairing.Rotation) },
	string(bucketProjects):  func() any { return new(pairing.Project) },
	string(bucketSessions):  func() any { return new(pairing.Session) },
	string(bucketRounds):    func() any { return new(pairing.Round) },
	string(bucketEvents):    func() any { return new(pairing.Event) },
	string(bucketSettings):  func() any { return new(json.RawMessage) },
	string(bucketOutbox):    func() any { return new(outbox.Item) },
	string(bucketRuns):      func() any { return new(store.Run) },
	string(bucketMessages):  func() any { return new(outbox.MessageRef) },
}

// badRecords decodes every record and returns those that do not decode.
func (t *Tx) badRecords() ([]store.BadRecord, error) {
	var bad []store.BadRecord
	for _, name := range slices.Sorted(maps.Keys(recordTypes)) {
		newRecord := recordTypes[name]
		b := t.tx.Bucket([]byte(name))
		if b == nil {
			continue
		}
		err := b.ForEach(func(k, v []byte) error {
			record := newRecord()
			if name == string(bucketSettings) && strings.HasPrefix(string(k), settingsPrefix) {
				record = new(pairing.TeamSettings) // valid JSON of the wrong shape would fail every tick
			}
			if err := decode([]byte(name), k, v, record); err != nil {
				bad = append(bad, err.(store.BadRecord))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return bad, nil
}

// setAsideBadRecords finds the records that do not decode. Opening for
// writing, it sets each aside (SetAside; a session's entry in the open
// index goes with it) and logs it once by key, so the rest of Pollen works
// on without failing the same way every minute. Opening read-only, it
// cannot move them, so it refuses rather than give partial output.
func (db *DB) setAsideBadRecords(opts Options) error {
	var bad []store.BadRecord
	if err := db.View(func(tx *Tx) (err error) { bad, err = tx.badRecords(); return err }); err != nil || len(bad) == 0 {
		return err
	}
	for _, r := range bad {
		// Settings are the team's configuration (schedule, zone, channel,
		// admins, holidays): working on with defaults would run rounds on
		// holidays and forget admins, so only a restore fixes them.
		if r.Bucket == string(bucketSettings) {
			return damaged(db.path, "the settings record %s does not decode", r)
		}
	}
	if opts.ReadOnly {
		return damaged(db.path, "record %s does not decode (%d such records); `pollen run` sets them aside at start", bad[0], len(bad))
	}
	err := db.Update(func(tx *Tx) error {
		for _, r := range bad {
			if err := tx.SetAside(r); err != nil {
				return err
			}
			if r.Bucket == string(bucketRuns) {
				// Done only asks whether the key is there: a job marker
				// that went missing would run its job again (a second
				// round, repeated DMs). The key stays, with a stub value.
				if err := tx.put(bucketRuns, r.Key, store.Run{Key: string(r.Key), Result: "damaged record set aside"}); err != nil {
					return err
				}
			}
			if r.Bucket == string(bucketSessions) {
				if err := tx.tx.Bucket(bucketOpen).Delete(r.Key); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set aside damaged records: %w", err)
	}
	for _, r := range bad {
		opts.Log.Error("database record does not decode; set aside in bucket set_aside, the rest works on", "path", db.path, "record", r.Error())
	}
	return nil
}
