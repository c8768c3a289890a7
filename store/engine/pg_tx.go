package engine

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// pgTx is kvTx on a PostgreSQL transaction. kvTx's reads return no error,
// so the first failed query is kept and fails the transaction (run).
//
// Round trips are what PostgreSQL costs, so the transaction keeps what it
// read and buffers what it writes: a Get answers from the writes and reads
// made before it, and the writes go to the server in one statement per
// bucket, before any read that scans the bucket and at commit. A planned
// round of 500 sessions is then a few statements, not thousands.
type pgTx struct {
	ctx     context.Context
	tx      pgx.Tx
	be      *pgBackend // nil in tests of a transaction alone
	buckets map[string]bool
	state   map[string]*pgBucketState
	err     error
	wrote   bool  // a write was made: the commit moves the version
	xid     int64 // the transaction's ID, read with its commit row
	// missed, when not nil, collects the keys Gets did not find in what
	// the transaction holds, instead of asking for them (pg_batch.go).
	missed map[string][][]byte
}

// pgBucketState is one bucket's reads and unsent writes in a transaction.
type pgBucketState struct {
	read    map[string][]byte // values read (nil: known absent)
	pending map[string][]byte // writes not sent yet (nil: a delete)
	// whole: every record of the bucket is in read (a ForEach read them,
	// or a one-statement read did, pg_preload.go), so a scan answers from
	// read: RotationsOf reads the rotations its caller often just read.
	whole bool
}

// held is what read holds of the keys that start with prefix, in key
// order (bytea's order is the bytes', as Go's string order is): a scan
// of a bucket read whole.
func (st *pgBucketState) held(prefix []byte) []kvPair {
	var out []kvPair
	for k, v := range st.read {
		if v != nil && strings.HasPrefix(k, string(prefix)) {
			out = append(out, kvPair{[]byte(k), v})
		}
	}
	slices.SortFunc(out, func(a, b kvPair) int { return bytes.Compare(a.k, b.k) })
	return out
}

// failed is the query failure that aborted the transaction, if any
// (batch.go stops a group commit at it).
func (t *pgTx) failed() error { return t.err }

func (t *pgTx) fail(err error) {
	if t.err == nil {
		t.err = pgErr(err)
	}
}

func (t *pgTx) bucketState(name []byte) *pgBucketState {
	if t.state == nil {
		t.state = map[string]*pgBucketState{}
	}
	st := t.state[string(name)]
	if st == nil {
		st = &pgBucketState{read: map[string][]byte{}, pending: map[string][]byte{}}
		t.state[string(name)] = st
	}
	return st
}

// flushAll sends every bucket's buffered writes and, when the transaction
// wrote, its pollen_commits row, in one round trip, and returns the row's
// id (0 when it wrote nothing).
func (t *pgTx) flushAll() (commit int64, err error) {
	names := make([]string, 0, len(t.state))
	for n := range t.state {
		names = append(names, n)
	}
	if !t.wrote || t.err != nil {
		return 0, t.err
	}
	return commit, t.send(t.take(names), func(br pgx.BatchResults) error {
		return br.QueryRow().Scan(&commit, &t.xid)
	}, "INSERT INTO pollen_commits DEFAULT VALUES RETURNING id, txid_current()")
}

// flush sends the named buckets' buffered writes.
func (t *pgTx) flush(names []string) error {
	if t.err != nil {
		return t.err
	}
	return t.send(t.take(names), nil, "")
}

// take is the named buckets' buffered writes, which count as read after.
func (t *pgTx) take(names []string) pgWrites {
	names = slices.Clone(names)
	slices.Sort(names)
	n := 0
	for _, name := range names {
		if st := t.state[name]; st != nil {
			n += len(st.pending)
		}
	}
	w := pgWrites{put: pgRows{b: make([][]byte, 0, n), k: make([][]byte, 0, n), v: make([][]byte, 0, n)}}
	for _, name := range names {
		st := t.state[name]
		if st == nil || len(st.pending) == 0 {
			continue
		}
		keys := make([]string, 0, len(st.pending))
		for k := range st.pending {
			keys = append(keys, k)
		}
		slices.Sort(keys) // with the names sorted: the rows in (bucket, key) order
		bucket := []byte(name)
		for _, k := range keys {
			v := st.pending[k]
			w.add(bucket, k, v)
			st.read[k] = v
		}
		clear(st.pending)
	}
	return w
}

// send sends the writes, at most an upsert and a delete whatever their
// number, and then the statement last (if not empty, its results read by
// result), in one round trip. The rows go in (bucket, key) order, the
// primary key's: keys made by store.NewID grow with time, so a round's
// new rows land at the end of the index, page after page, rather than in
// random places.
func (t *pgTx) send(w pgWrites, result func(pgx.BatchResults) error, last string) error {
	b := &pgx.Batch{}
	if len(w.put.k) > 0 {
		b.Queue(`INSERT INTO pollen_records (bucket, key, value)
			SELECT b, k, v FROM unnest($1::bytea[], $2::bytea[], $3::bytea[]) AS w(b, k, v)
			ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value`, w.put.b, w.put.k, w.put.v)
	}
	if len(w.del.k) > 0 {
		b.Queue(`DELETE FROM pollen_records r
			USING unnest($1::bytea[], $2::bytea[]) AS d(b, k) WHERE r.bucket = d.b AND r.key = d.k`, w.del.b, w.del.k)
	}
	writes := b.Len()
	if last != "" {
		b.Queue(last)
	}
	if b.Len() == 0 {
		return nil
	}
	br := t.tx.SendBatch(t.ctx, b)
	err := func() error {
		for range writes {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		if last != "" {
			return result(br)
		}
		return nil
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.fail(err)
		return t.err
	}
	return nil
}

// pgWrites are buffered writes as the columns flush sends.
type pgWrites struct{ put, del pgRows }

type pgRows struct{ b, k, v [][]byte }

func (w *pgWrites) add(bucket []byte, key string, value []byte) {
	r := &w.put
	if value == nil {
		r = &w.del
	}
	r.b, r.k = append(r.b, bucket), append(r.k, []byte(key))
	if value != nil {
		r.v = append(r.v, value)
	}
}

func (t *pgTx) loadBuckets() {
	if t.buckets != nil {
		return
	}
	t.buckets = map[string]bool{}
	rows, err := t.tx.Query(t.ctx, "SELECT name FROM pollen_buckets")
	if err != nil {
		t.fail(err)
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		t.fail(err)
		return
	}
	for _, n := range names {
		t.buckets[string(n)] = true
		if t.be != nil {
			t.be.buckets.Store(string(n), struct{}{})
		}
	}
}

// knownBucket reports whether name is a bucket another transaction has
// seen committed (pgBackend.buckets), when this one has not read the list.
func (t *pgTx) knownBucket(name []byte) bool {
	if t.buckets != nil || t.be == nil {
		return false
	}
	_, ok := t.be.buckets.Load(string(name))
	return ok
}

func (t *pgTx) Bucket(name []byte) kvBucket {
	if t.knownBucket(name) && t.err == nil {
		return &pgBucket{t: t, name: slices.Clone(name)}
	}
	t.loadBuckets()
	if t.err != nil {
		// The list of buckets could not be read (the server went away):
		// a bucket that reads nothing and refuses writes, rather than a
		// nil one the caller would dereference; run returns the error.
		return failedBucket{t}
	}
	if !t.buckets[string(name)] {
		return nil
	}
	return &pgBucket{t: t, name: slices.Clone(name)}
}

func (t *pgTx) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	if t.knownBucket(name) && t.err == nil {
		return &pgBucket{t: t, name: slices.Clone(name)}, nil
	}
	t.loadBuckets()
	if !t.buckets[string(name)] {
		if _, err := t.tx.Exec(t.ctx, "INSERT INTO pollen_buckets (name) VALUES ($1) ON CONFLICT DO NOTHING", name); err != nil {
			t.fail(err)
			return nil, t.err
		}
		t.buckets[string(name)] = true
		t.wrote = true
	}
	return &pgBucket{t: t, name: slices.Clone(name)}, nil
}

func (t *pgTx) BucketNames() [][]byte {
	t.loadBuckets()
	var out [][]byte
	for n := range t.buckets {
		out = append(out, []byte(n))
	}
	slices.SortFunc(out, func(a, b []byte) int { return strings.Compare(string(a), string(b)) })
	return out
}

// ID is the number of write transactions committed in the snapshot (see
// pgschema/002_commits.sql): commits become visible in order, so two
// snapshots with the same count see the same data.
func (t *pgTx) ID() uint64 {
	var n int64
	if err := t.tx.QueryRow(t.ctx, "SELECT coalesce(sum(n), 0)::bigint FROM pollen_commits").Scan(&n); err != nil {
		t.fail(err)
		return 0
	}
	return uint64(n)
}
