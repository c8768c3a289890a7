package engine

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/pollen-team/pollen/pairing"
)

// Tx is one transaction. Everything done through one Tx commits together.
// A Tx is valid only inside the function it was given to.
type Tx struct {
	tx  kvTx
	rot string // the rotation whose roster, rounds and settings it reads
}

// rotation is the ID of the rotation the transaction works in.
func (t *Tx) rotation() string {
	if t.rot == "" {
		return pairing.DefaultRotation
	}
	return t.rot
}

// uuidKey turns a UUID into its 16 raw bytes; for UUID v7 their byte order
// is creation order.
func uuidKey(id string) ([]byte, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, fmt.Errorf("%q is not a UUID: %w", id, err)
	}
	return u[:], nil
}

func (t *Tx) put(bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", bucket, key, err)
	}
	return t.tx.Bucket(bucket).Put(key, data)
}

// get decodes the record at key into v and reports whether it exists.
func (t *Tx) get(bucket, key []byte, v any) (bool, error) {
	data := t.tx.Bucket(bucket).Get(key)
	if data == nil {
		return false, nil
	}
	return true, decode(bucket, key, data, v)
}

// all decodes every record of a bucket, in key order.
func all[T any](t *Tx, bucket []byte) ([]T, error) {
	var out []T
	err := t.tx.Bucket(bucket).ForEach(func(k, data []byte) error {
		var v T
		if err := decode(bucket, k, data, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

func notFound(what, id string) error {
	return pairing.Errorf(pairing.CodeNotFound, "no %s %q", what, id)
}

// PutProject creates or replaces a project.
func (t *Tx) PutProject(p pairing.Project) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return t.put(bucketProjects, []byte(p.Name), p)
}

// Project loads a project by (normalised) name.
func (t *Tx) Project(name string) (pairing.Project, error) {
	var p pairing.Project
	ok, err := t.get(bucketProjects, []byte(name), &p)
	if err == nil && !ok {
		err = notFound("project", name)
	}
	return p, err
}

// Projects returns every project, retired ones too, by name.
func (t *Tx) Projects() ([]pairing.Project, error) { return all[pairing.Project](t, bucketProjects) }

// PutSession creates or replaces a session.
func (t *Tx) PutSession(s pairing.Session) error {
	if err := s.Validate(); err != nil {
		return err
	}
	key, err := uuidKey(s.ID)
	if err != nil {
		return err
	}
	counts := t.tx.Bucket(bucketStates)
	if old := t.tx.Bucket(bucketSessions).Get(key); old != nil {
		st, err := stateOf(old)
		if err != nil {
			return fmt.Errorf("decode %s/%x: %w", bucketSessions, key, err)
		}
		if err := addCount(counts, st, -1); err != nil {
			return err
		}
	}
	if err := addCount(counts, s.State, 1); err != nil {
		return err
	}
	if err := t.put(bucketSessions, key, s); err != nil {
		return err
	}
	if s.State.Final() {
		return t.tx.Bucket(bucketOpen).Delete(key)
	}
	return t.tx.Bucket(bucketOpen).Put(key, nil)
}

// OpenSessions returns the sessions not in a final state (proposed or
// accepted), oldest first, without reading the done ones. The index is
// read first and the sessions after, in one go (prefetch): on PostgreSQL
// one query for all of them, not one each.
func (t *Tx) OpenSessions() ([]pairing.Session, error) {
	var keys [][]byte
	if err := t.tx.Bucket(bucketOpen).ForEach(func(k, _ []byte) error {
		keys = append(keys, slices.Clone(k))
		return nil
	}); err != nil {
		return nil, err
	}
	sessions := t.tx.Bucket(bucketSessions)
	prefetch(sessions, keys)
	out := make([]pairing.Session, 0, len(keys))
	for _, k := range keys {
		var s pairing.Session
		data := sessions.Get(k)
		if data == nil {
			return out, fmt.Errorf("open session %x is missing", k)
		}
		if err := decode(bucketSessions, k, data, &s); err != nil {
			return out, err
		}
		out = append(out, s)
	}
	return out, nil
}

// SessionCounts returns how many sessions are in each state, without
// reading them.
func (t *Tx) SessionCounts() map[pairing.State]int {
	out := map[pairing.State]int{}
	_ = t.tx.Bucket(bucketStates).ForEach(func(k, v []byte) error {
		if len(v) == 8 {
			out[pairing.State(k)] = int(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return out
}

// Session loads a session by ID.
func (t *Tx) Session(id string) (pairing.Session, error) {
	var s pairing.Session
	key, err := uuidKey(id)
	if err != nil {
		return s, notFound("session", id)
	}
	ok, err := t.get(bucketSessions, key, &s)
	if err == nil && !ok {
		err = notFound("session", id)
	}
	return s, err
}

// Sessions returns every session, oldest first.
func (t *Tx) Sessions() ([]pairing.Session, error) { return all[pairing.Session](t, bucketSessions) }

// AppendEvent adds an event to the knowledge log unless an event with its ID
// is already there, and reports whether it was added. The log is
// append-only: nothing here updates or deletes an event.
func (t *Tx) AppendEvent(e pairing.Event) (bool, error) {
	key, err := uuidKey(e.ID)
	if err != nil {
		return false, fmt.Errorf("event ID: %w", err)
	}
	if t.tx.Bucket(bucketEvents).Get(key) != nil {
		return false, nil
	}
	return true, t.put(bucketEvents, key, e)
}

// Events returns the whole knowledge log in the order it was written.
func (t *Tx) Events() ([]pairing.Event, error) { return all[pairing.Event](t, bucketEvents) }

// PutSetting stores a setting as JSON under key. A rotation's settings
// are not among them: PutSettings writes those.
func (t *Tx) PutSetting(key string, v any) error {
	if strings.HasPrefix(key, settingsPrefix) {
		return fmt.Errorf("setting %q is a rotation's settings: use PutSettings", key)
	}
	return t.put(bucketSettings, []byte(key), v)
}

// Setting decodes the setting at key into v and reports whether it was set.
func (t *Tx) Setting(key string, v any) (bool, error) { return t.get(bucketSettings, []byte(key), v) }

// settingsPrefix starts the key of a rotation's settings in the settings
// bucket ("rotation/team"); other keys there are Pollen's own (e.g. the
// scheduler's epoch).
const settingsPrefix = "rotation/"

func settingsKey(rotation string) string { return settingsPrefix + rotation }

// Settings returns the rotation's settings, or the defaults if none were
// saved.
func (t *Tx) Settings() (pairing.TeamSettings, error) {
	s := pairing.DefaultTeamSettings()
	_, err := t.Setting(settingsKey(t.rotation()), &s)
	return s, err
}

// PutSettings saves the rotation's settings.
func (t *Tx) PutSettings(s pairing.TeamSettings) error {
	return t.put(bucketSettings, []byte(settingsKey(t.rotation())), s)
}
