package engine

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

var (
	bucketMeta     = []byte("meta")
	bucketPeople   = []byte("people")
	bucketProjects = []byte("projects")
	bucketSessions = []byte("sessions")
	bucketRounds   = []byte("rounds")
	bucketEvents   = []byte("events")
	bucketSettings = []byte("settings")
	bucketOutbox   = []byte("outbox")
	bucketRuns     = []byte("runs")
	bucketMessages = []byte("messages")
	// bucketOpen indexes the sessions that are not in a final state (key:
	// the session's key, value empty), so the minute tick reads those and
	// not a year of history.
	bucketOpen = []byte("open_sessions")
	// bucketStates counts the sessions in each state (key: the state,
	// value: a big-endian uint64), so /metrics need not read them all.
	bucketStates = []byte("session_states")
	// bucketMembers holds each person's membership of a rotation under
	// "<rotation>/<Slack ID>"; their profile stays in bucketPeople (see
	// members.go).
	bucketMembers = []byte("members")
	// bucketRotations holds the rotations by ID (pairing.Rotation).
	bucketRotations = []byte("rotations")

	keySchema = []byte("schema_version")
)

// migration brings the schema from version-1 to version. Migrations run in
// order inside one transaction at Open, so a database is never left between
// two versions.
type migration struct {
	version int
	what    string
	apply   func(tx kvTx) error
}

// migrations is the schema's history. Append, never edit: a database opened
// by this binary replays every migration it has not seen.
var migrations = []migration{
	{1, "create the buckets", func(tx kvTx) error {
		for _, b := range [][]byte{bucketPeople, bucketProjects, bucketSessions, bucketRounds, bucketEvents, bucketSettings} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{2, "add the outbox, run keys and message references", func(tx kvTx) error {
		for _, b := range [][]byte{bucketOutbox, bucketRuns, bucketMessages} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{3, "index the open sessions", func(tx kvTx) error {
		open, err := tx.CreateBucketIfNotExists(bucketOpen)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketSessions).ForEach(func(k, data []byte) error {
			var s pairing.Session
			if err := json.Unmarshal(data, &s); err != nil {
				return fmt.Errorf("decode session %x: %w", k, err)
			}
			if s.State.Final() {
				return nil
			}
			return open.Put(k, nil)
		})
	}},
	{4, "count the sessions by state", func(tx kvTx) error {
		counts, err := tx.CreateBucketIfNotExists(bucketStates)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketSessions).ForEach(func(k, data []byte) error {
			st, err := stateOf(data)
			if err != nil {
				return fmt.Errorf("decode session %x: %w", k, err)
			}
			return addCount(counts, st, 1)
		})
	}},
	{5, "split each person into a profile and a membership of rotation \"team\", and key rounds by rotation", splitRotation},
	{6, "record rotation \"team\" and key its settings by rotation", recordDefaultRotation},
}

// recordDefaultRotation writes the record of the default rotation and
// moves the team settings from their old key, "team", to the rotation's.
// Settings that do not decode move as they are and are refused after the
// migration, as before it.
func recordDefaultRotation(tx kvTx) error {
	rotations, err := tx.CreateBucketIfNotExists(bucketRotations)
	if err != nil {
		return err
	}
	settings := tx.Bucket(bucketSettings)
	if old := settings.Get([]byte(pairing.DefaultRotation)); old != nil {
		if err := settings.Put([]byte(settingsKey(pairing.DefaultRotation)), append([]byte(nil), old...)); err != nil {
			return err
		}
		if err := settings.Delete([]byte(pairing.DefaultRotation)); err != nil {
			return err
		}
	}
	data, err := json.Marshal(pairing.Rotation{ID: pairing.DefaultRotation})
	if err != nil {
		return err
	}
	return rotations.Put([]byte(pairing.DefaultRotation), data)
}

// splitRotation makes room for more than one rotation: each person record
// becomes their profile (people) and their membership of the default
// rotation (members), and each round is keyed by the rotation's ID and
// its week. A person record that does not decode is left as it is, to be
// set aside after the migration like any damaged record.
func splitRotation(tx kvTx) error {
	members, err := tx.CreateBucketIfNotExists(bucketMembers)
	if err != nil {
		return err
	}
	people := tx.Bucket(bucketPeople)
	type kv struct{ k, v []byte }
	var rewrite []kv
	if err := people.ForEach(func(k, v []byte) error {
		rewrite = append(rewrite, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
		return nil
	}); err != nil {
		return err
	}
	for _, r := range rewrite {
		var p pairing.Person
		if json.Unmarshal(r.v, &p) != nil {
			continue
		}
		pr, m := split(p)
		prData, err := json.Marshal(pr)
		if err != nil {
			return err
		}
		mData, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := people.Put(r.k, prData); err != nil {
			return err
		}
		if err := members.Put(rotationKey(pairing.DefaultRotation, string(r.k)), mData); err != nil {
			return err
		}
	}
	rounds := tx.Bucket(bucketRounds)
	rewrite = rewrite[:0]
	if err := rounds.ForEach(func(k, v []byte) error {
		rewrite = append(rewrite, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
		return nil
	}); err != nil {
		return err
	}
	for _, r := range rewrite {
		if err := rounds.Delete(r.k); err != nil {
			return err
		}
		if err := rounds.Put(rotationKey(pairing.DefaultRotation, string(r.k)), r.v); err != nil {
			return err
		}
	}
	return nil
}

// stateOf reads only the state of an encoded session.
func stateOf(data []byte) (pairing.State, error) {
	var s struct {
		State pairing.State `json:"state"`
	}
	err := json.Unmarshal(data, &s)
	return s.State, err
}

// addCount adds delta to the count of sessions in state st. The counts
// only feed /metrics: one that would go below zero stops at zero rather
// than failing the session's write.
func addCount(counts kvBucket, st pairing.State, delta int64) error {
	var n int64
	if v := counts.Get([]byte(st)); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	return counts.Put([]byte(st), binary.BigEndian.AppendUint64(nil, uint64(max(0, n+delta))))
}

// SchemaVersion is the version this binary writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate brings the records' schema up to date, under the migration lock
// on PostgreSQL: waiting for it and migrating take at most wait.
func (db *DB) migrate(wait time.Duration) error {
	in := *db
	in.callTimeout = wait
	err := in.updateKV(context.Background(), pgLockMigrate, func(tx kvTx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return fmt.Errorf("create meta bucket: %w", err)
		}
		current := readVersion(meta)
		if current > SchemaVersion() {
			return fmt.Errorf("database %s has schema version %d, newer than this Pollen understands (%d): upgrade Pollen", db.path, current, SchemaVersion())
		}
		for _, m := range migrations {
			if m.version <= current {
				continue
			}
			if err := m.apply(tx); err != nil {
				return fmt.Errorf("migrate database to version %d (%s): %w", m.version, m.what, err)
			}
			current = m.version
		}
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], uint64(current))
		return meta.Put(keySchema, v[:])
	})
	if db.pg != nil && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("database %s: waited %s for the migration lock or the migration under it (another Pollen process may be migrating it): %w", db.path, wait, err)
	}
	return err
}

func (db *DB) checkVersion() error {
	return db.viewKV(context.Background(), func(tx kvTx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("%s is not a Pollen database (or it was never opened for writing)", db.path)
		}
		if v := readVersion(meta); v != SchemaVersion() {
			return fmt.Errorf("database %s has schema version %d; this Pollen reads %d", db.path, v, SchemaVersion())
		}
		return nil
	})
}

func readVersion(meta kvBucket) int {
	v := meta.Get(keySchema)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}
