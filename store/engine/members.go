package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"

	"github.com/pollen-team/pollen/pairing"
)

// A person is stored in two parts, so that one person can belong to more
// than one rotation: their profile (who they are: name, zone, hours, whom
// they avoid) in the people bucket under their Slack ID, and their
// membership of a rotation (cadence, status, pauses, skips) in the members
// bucket under "<rotation>/<Slack ID>". Today there is one rotation,
// pairing.DefaultRotation ("team"), and a pairing.Person is the profile
// with that membership; schema version 5 split the records of older
// databases this way.

// profile and membership are the two stored halves of a person.
type (
	profile    = pairing.Profile
	membership = pairing.Membership
)

func split(p pairing.Person) (profile, membership) { return p.Profile, p.Membership }

func join(pr profile, m membership) pairing.Person {
	return pairing.Person{Profile: pr, Membership: m}
}

// rotationKey is the key of a rotation's record (a membership, a round).
func rotationKey(rotation, id string) []byte { return []byte(rotation + "/" + id) }

// PutPerson creates or replaces a person: their profile and their
// membership of the rotation.
func (t *Tx) PutPerson(p pairing.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	pr, m := split(p)
	if err := t.put(bucketPeople, []byte(p.ID), pr); err != nil {
		return err
	}
	return t.put(bucketMembers, rotationKey(t.rotation(), p.ID), m)
}

// Person loads a member of the rotation by Slack user ID; the error wraps
// pairing.ErrNotFound when there is none.
func (t *Tx) Person(id string) (pairing.Person, error) {
	var pr profile
	var m membership
	ok, err := t.get(bucketMembers, rotationKey(t.rotation(), id), &m)
	if err == nil && ok {
		ok, err = t.get(bucketPeople, []byte(id), &pr)
	}
	if err == nil && !ok {
		err = notFound("person", id)
	}
	return join(pr, m), err
}

// People returns the rotation's whole roster, including people who left,
// by ID. A membership whose profile is gone (set aside as damaged) is
// skipped, as the profile's person would be.
func (t *Tx) People() ([]pairing.Person, error) {
	var out []pairing.Person
	prefix := rotationKey(t.rotation(), "")
	var members []pairing.Membership
	var ids []string
	err := t.tx.Bucket(bucketMembers).Prefix(prefix, func(k, v []byte) error {
		var m membership
		if err := decode(bucketMembers, k, v, &m); err != nil {
			return err
		}
		members, ids = append(members, m), append(ids, string(k[len(prefix):]))
		return nil
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	// The profiles in one scan, not a read per member: one round trip on
	// PostgreSQL. Profiles of people in other rotations only are skipped
	// before they are decoded: with fifty rotations, decoding the whole
	// workspace's profiles for each roster was a fifth of the scheduler's
	// Tick (scheduler.BenchmarkTickRotations).
	member := make(map[string]bool, len(ids))
	for _, id := range ids {
		member[id] = true
	}
	profiles := make(map[string]profile, len(ids))
	err = t.tx.Bucket(bucketPeople).ForEach(func(k, v []byte) error {
		if !member[string(k)] {
			return nil
		}
		var pr profile
		if err := decode(bucketPeople, k, v, &pr); err != nil {
			return err
		}
		profiles[string(k)] = pr
		return nil
	})
	for i, id := range ids {
		if pr, ok := profiles[id]; ok {
			out = append(out, join(pr, members[i]))
		}
	}
	return out, err
}

// PeopleIn returns the roster of the rotation with this ID.
func (t *Tx) PeopleIn(rotation string) ([]pairing.Person, error) {
	other := *t
	other.rot = rotation
	return other.People()
}

// RotationsOf lists, by ID, the rotations (stopped ones too) person is a
// member of and has not left. It reads their membership of each rotation
// (one query for them all on PostgreSQL), not every rotation's roster: a
// DM command finds its person's rotations this way.
func (t *Tx) RotationsOf(person string) ([]pairing.Rotation, error) {
	var pr profile
	if ok, err := t.get(bucketPeople, []byte(person), &pr); err != nil || !ok {
		return nil, err // no profile: a member of nothing, as People would say
	}
	rotations, err := t.Rotations()
	if err != nil {
		return nil, err
	}
	keys := make([][]byte, len(rotations))
	for i, r := range rotations {
		keys[i] = rotationKey(r.ID, person)
	}
	prefetch(t.tx.Bucket(bucketMembers), keys)
	var out []pairing.Rotation
	for i, r := range rotations {
		var m membership
		ok, err := t.get(bucketMembers, keys[i], &m)
		if err != nil {
			return nil, err
		}
		if ok && m.Status != pairing.Left {
			out = append(out, r)
		}
	}
	return out, nil
}

// RosterDigest is a hash of every record of the rotation's roster as
// stored (profiles and memberships): two transactions that see the same
// digest saw the same roster, statuses, skips and avoid lists. The
// scheduler compares it before and after the slow part of planning a
// round to notice a change made meanwhile.
func (t *Tx) RosterDigest() [sha256.Size]byte {
	h := sha256.New()
	var n [4]byte
	add := func(k, v []byte) error {
		for _, b := range [][]byte{k, v} {
			binary.BigEndian.PutUint32(n[:], uint32(len(b)))
			h.Write(n[:])
			h.Write(b)
		}
		return nil
	}
	_ = t.tx.Bucket(bucketPeople).ForEach(add)  // ForEach fails only if add does
	_ = t.tx.Bucket(bucketMembers).ForEach(add) // ditto
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// PutRound creates or replaces a round of the rotation.
func (t *Tx) PutRound(r pairing.Round) error {
	if _, err := pairing.ParseRoundID(r.ID); err != nil {
		return err
	}
	return t.put(bucketRounds, rotationKey(t.rotation(), r.ID), r)
}

// Round loads a round of the rotation by ID (its ISO week, YYYY-Www).
func (t *Tx) Round(id string) (pairing.Round, error) {
	var r pairing.Round
	ok, err := t.get(bucketRounds, rotationKey(t.rotation(), id), &r)
	if err == nil && !ok {
		err = notFound("round", id)
	}
	return r, err
}

// Rounds returns the rotation's rounds, oldest first.
func (t *Tx) Rounds() ([]pairing.Round, error) {
	var out []pairing.Round
	prefix := rotationKey(t.rotation(), "")
	err := t.tx.Bucket(bucketRounds).Prefix(prefix, func(k, v []byte) error {
		var r pairing.Round
		if err := decode(bucketRounds, k, v, &r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// Rotations returns every rotation, stopped ones too, by ID.
func (t *Tx) Rotations() ([]pairing.Rotation, error) {
	return all[pairing.Rotation](t, bucketRotations)
}

// PutRotation creates or replaces a rotation.
func (t *Tx) PutRotation(r pairing.Rotation) error {
	if r.ID == "" || strings.Contains(r.ID, "/") {
		return pairing.Errorf(pairing.CodeInvalid, "%q is not a rotation ID", r.ID)
	}
	return t.put(bucketRotations, []byte(r.ID), r)
}
