package engine

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pollen-team/pollen/pairing"
)

// On PostgreSQL the open_sessions bucket is not stored: it is the
// sessions whose record does not say a final state, read through a
// partial index (pgschema/005_open_sessions.sql). Stored, it was a third
// of the rows a planned round writes (500 of 1,503 for a round of 500),
// each a heap row, a primary-key entry and an upsert; the partial index
// costs one small index entry per open session. The bbolt file keeps its
// bucket: there an index read is a memory read, and its format does not
// change.
//
// A record that says no final state is open, so a damaged one (it does
// not decode) is listed as bbolt's index would list it, and reading it
// fails the same way until the startup check sets it aside. The test is
// on the record's bytes: encoding/json writes "state":"done" with no
// space, and a quote inside a string (a note) is escaped, so the bytes
// appear only as the session's own state field.

// pgOpenPredicate is the partial index's predicate. A query that repeats
// it word for word can use the index; migration 005 creates the index
// with this text (TestPgOpenPredicateIsTheMigrations checks).
var pgOpenPredicate = func() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bucket = '%s'::bytea", bucketSessions)
	for _, st := range pairing.States {
		if st.Final() {
			fmt.Fprintf(&b, " AND position('%s'::bytea in value) = 0", finalMarker(st))
		}
	}
	return b.String()
}()

// finalMarker is how a session record in state st says so.
func finalMarker(st pairing.State) string { return fmt.Sprintf(`"state":%q`, st) }

// saysFinal reports whether an encoded session says a final state: the
// predicate's test, in Go.
func saysFinal(data []byte) bool {
	for _, st := range pairing.States {
		if st.Final() && bytes.Contains(data, []byte(finalMarker(st))) {
			return true
		}
	}
	return false
}

// bucket is the named bucket of the transaction, which exists.
func (t *pgTx) bucket(name []byte) kvBucket {
	if bytes.Equal(name, bucketOpen) {
		return pgOpenSessions{t}
	}
	return &pgBucket{t: t, name: slices.Clone(name)}
}

// pgOpenSessions is the open_sessions bucket on PostgreSQL: its keys are
// the open sessions' keys, its values empty, as in the bbolt file. Writes
// to it are dropped: PutSession writes the session, whose state says
// whether it is open, and every write to the index follows one to the
// session (PutSession, the schema migration that built the index, a copy
// of a consistent database, setting aside a damaged session).
type pgOpenSessions struct{ t *pgTx }

func (o pgOpenSessions) sessions() *pgBucket { return &pgBucket{t: o.t, name: bucketSessions} }

func (o pgOpenSessions) Get(key []byte) []byte {
	v := o.sessions().Get(key)
	if v == nil || saysFinal(v) {
		return nil
	}
	return []byte{}
}

func (o pgOpenSessions) Put(_, _ []byte) error { return o.t.err }
func (o pgOpenSessions) Delete([]byte) error   { return o.t.err }

// ForEach reads the open sessions' keys through the partial index, and
// their records with them: OpenSessions then reads them from what the
// transaction holds rather than in a second query.
func (o pgOpenSessions) ForEach(fn func(k, v []byte) error) error {
	s := o.sessions()
	if err := s.flush(); err != nil {
		return err
	}
	rows, err := o.t.tx.Query(o.t.ctx, "SELECT key, value FROM pollen_records WHERE "+pgOpenPredicate+" ORDER BY key")
	if err != nil {
		o.t.fail(err)
		return o.t.err
	}
	pairs, err := pgx.CollectRows(rows, scanPair)
	if err != nil {
		o.t.fail(err)
		return o.t.err
	}
	st := s.st()
	for i, p := range pairs {
		if p.v == nil {
			pairs[i].v = []byte{}
		}
		st.read[string(p.k)] = pairs[i].v
	}
	for _, p := range pairs {
		if err := fn(p.k, []byte{}); err != nil {
			return err
		}
	}
	return nil
}

func (o pgOpenSessions) Prefix(prefix []byte, fn func(k, v []byte) error) error {
	return o.ForEach(func(k, v []byte) error {
		if !bytes.HasPrefix(k, prefix) {
			return nil
		}
		return fn(k, v)
	})
}

func (o pgOpenSessions) KeyN() int {
	if err := o.sessions().flush(); err != nil {
		return 0
	}
	var n int
	if err := o.t.tx.QueryRow(o.t.ctx, "SELECT count(*) FROM pollen_records WHERE "+pgOpenPredicate).Scan(&n); err != nil {
		o.t.fail(err)
		return 0
	}
	return n
}
