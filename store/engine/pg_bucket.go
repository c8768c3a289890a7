package engine

import (
	"bytes"
	"errors"
	"slices"

	"github.com/jackc/pgx/v5"
)

// pgBucket is one bucket of a pgTx: a read answers from what the
// transaction wrote and read where it can, a write is buffered until the
// transaction sends it (pg_tx.go).
type pgBucket struct {
	t    *pgTx
	name []byte
}

func (b *pgBucket) st() *pgBucketState { return b.t.bucketState(b.name) }

func (b *pgBucket) Get(key []byte) []byte {
	st := b.st()
	if v, ok := st.pending[string(key)]; ok {
		return v
	}
	if v, ok := st.read[string(key)]; ok {
		return v
	}
	if st.whole { // every record of the bucket is in read: the key has none
		return nil
	}
	if b.t.missed != nil { // a read-ahead pass: note the key, read it later
		b.t.missed[string(b.name)] = append(b.t.missed[string(b.name)], bytes.Clone(key))
		return nil
	}
	var v []byte
	err := b.t.tx.QueryRow(b.t.ctx, "SELECT value FROM pollen_records WHERE bucket = $1 AND key = $2", b.name, key).Scan(&v)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		v = nil
	case err != nil:
		b.t.fail(err)
		return nil
	case v == nil:
		v = []byte{}
	}
	st.read[string(key)] = v
	return v
}

// Prefetch reads the records at keys in one query, so the Gets that follow
// (an operation putting 500 sessions looks at each one's old state)
// answer from what the transaction already holds.
func (b *pgBucket) Prefetch(keys [][]byte) {
	st := b.st()
	var want [][]byte
	for _, k := range keys {
		if _, ok := st.pending[string(k)]; ok {
			continue
		}
		if _, ok := st.read[string(k)]; ok {
			continue
		}
		want = append(want, k)
	}
	if len(want) == 0 {
		return
	}
	for _, k := range want {
		st.read[string(k)] = nil
	}
	rows, err := b.t.tx.Query(b.t.ctx, "SELECT key, value FROM pollen_records WHERE bucket = $1 AND key = ANY($2)", b.name, want)
	if err != nil {
		b.t.fail(err)
		return
	}
	pairs, err := pgx.CollectRows(rows, scanPair)
	if err != nil {
		b.t.fail(err)
		return
	}
	for _, p := range pairs {
		if p.v == nil {
			p.v = []byte{}
		}
		st.read[string(p.k)] = p.v
	}
}

func (b *pgBucket) Put(key, value []byte) error {
	if b.t.err != nil {
		return b.t.err
	}
	v := make([]byte, len(value)) // never nil: nil marks a delete
	copy(v, value)
	b.st().pending[string(key)] = v
	b.t.wrote = true
	return nil
}

func (b *pgBucket) Delete(key []byte) error {
	if b.t.err != nil {
		return b.t.err
	}
	b.st().pending[string(key)] = nil
	b.t.wrote = true
	return nil
}

// flush sends the bucket's buffered writes (before a read that scans it).
func (b *pgBucket) flush() error { return b.t.flush([]string{string(b.name)}) }

type kvPair struct{ k, v []byte }

func scanPair(r pgx.CollectableRow) (kvPair, error) {
	var p kvPair
	err := r.Scan(&p.k, &p.v)
	return p, err
}

// scan sends the bucket's buffered writes, reads the rows, and calls fn
// after: fn may query the same transaction (a connection runs one query
// at a time). A bucket read whole before answers from what the
// transaction holds; whole says this scan reads every record.
func (b *pgBucket) scan(prefix []byte, whole bool, fn func(k, v []byte) error, sql string, args ...any) error {
	if err := b.flush(); err != nil {
		return err
	}
	st := b.st()
	var pairs []kvPair
	if st.whole {
		pairs = st.held(prefix)
	} else {
		rows, err := b.t.tx.Query(b.t.ctx, sql, args...)
		if err != nil {
			b.t.fail(err)
			return b.t.err
		}
		if pairs, err = pgx.CollectRows(rows, scanPair); err != nil {
			b.t.fail(err)
			return b.t.err
		}
		for i, p := range pairs {
			if p.v == nil {
				pairs[i].v = []byte{}
			}
			st.read[string(p.k)] = pairs[i].v
		}
		st.whole = whole
	}
	for _, p := range pairs {
		if err := fn(p.k, p.v); err != nil {
			return err
		}
	}
	return nil
}

func (b *pgBucket) ForEach(fn func(k, v []byte) error) error {
	return b.scan(nil, true, fn, "SELECT key, value FROM pollen_records WHERE bucket = $1 ORDER BY key", b.name)
}

func (b *pgBucket) Prefix(prefix []byte, fn func(k, v []byte) error) error {
	if end, ok := prefixEnd(prefix); ok {
		return b.scan(prefix, false, fn, "SELECT key, value FROM pollen_records WHERE bucket = $1 AND key >= $2 AND key < $3 ORDER BY key", b.name, prefix, end)
	}
	return b.scan(prefix, false, fn, "SELECT key, value FROM pollen_records WHERE bucket = $1 AND key >= $2 ORDER BY key", b.name, prefix)
}

// prefixEnd is the first key after every key that starts with prefix;
// false when there is none (the prefix is all 0xff bytes, or empty).
func prefixEnd(prefix []byte) ([]byte, bool) {
	end := slices.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1], true
		}
	}
	return nil, false
}

func (b *pgBucket) KeyN() int {
	if err := b.flush(); err != nil {
		return 0
	}
	var n int
	if err := b.t.tx.QueryRow(b.t.ctx, "SELECT count(*) FROM pollen_records WHERE bucket = $1", b.name).Scan(&n); err != nil {
		b.t.fail(err)
		return 0
	}
	return n
}

// failedBucket stands for every bucket of a transaction whose queries
// failed: it reads as empty and refuses writes with the failure.
type failedBucket struct{ t *pgTx }

func (b failedBucket) Get([]byte) []byte                            { return nil }
func (b failedBucket) Put(_, _ []byte) error                        { return b.t.err }
func (b failedBucket) Delete([]byte) error                          { return b.t.err }
func (b failedBucket) ForEach(func(k, v []byte) error) error        { return b.t.err }
func (b failedBucket) Prefix([]byte, func(k, v []byte) error) error { return b.t.err }
func (b failedBucket) KeyN() int                                    { return 0 }
