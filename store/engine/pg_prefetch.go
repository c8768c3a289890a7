package engine

import (
	"slices"

	"github.com/jackc/pgx/v5"
)

// A planned round reads, before it writes, the old state of each of its
// sessions (one query for all, Prefetch) and then the count of sessions
// in the new state (session_states): two round trips, and on a loaded
// machine each costs a few milliseconds of waiting for the server to be
// scheduled. prefetchAll sends the reads of several buckets together, a
// statement per bucket in one round trip.

// manyPrefetcher is a transaction that can read ahead in several buckets
// at once (PostgreSQL).
type manyPrefetcher interface {
	prefetchAll(want map[string][][]byte)
}

// prefetchAll reads the keys of each bucket of want that the transaction
// does not hold yet, in one round trip. A bucket that does not exist is
// left out (a Get there answers nil without asking).
func (t *pgTx) prefetchAll(want map[string][][]byte) {
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	b := &pgx.Batch{}
	var states []*pgBucketState
	for _, name := range names {
		if t.err != nil || t.Bucket([]byte(name)) == nil {
			continue
		}
		st := t.bucketState([]byte(name))
		keys := st.unheld(want[name])
		if len(keys) == 0 {
			continue
		}
		for _, k := range keys {
			st.read[string(k)] = nil // absent unless the read finds it
		}
		b.Queue("SELECT key, value FROM pollen_records WHERE bucket = $1 AND key = ANY($2)", []byte(name), keys)
		states = append(states, st)
	}
	if t.err != nil || b.Len() == 0 {
		return
	}
	br := t.tx.SendBatch(t.ctx, b)
	err := func() error {
		for _, st := range states {
			rows, err := br.Query()
			if err != nil {
				return err
			}
			pairs, err := pgx.CollectRows(rows, scanPair)
			if err != nil {
				return err
			}
			for _, p := range pairs {
				if p.v == nil {
					p.v = []byte{}
				}
				st.read[string(p.k)] = p.v
			}
		}
		return nil
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.fail(err)
	}
}

// unheld is the keys the transaction neither read nor wrote, each once.
func (st *pgBucketState) unheld(keys [][]byte) [][]byte {
	if st.whole {
		return nil // every record is in read: the others have none
	}
	var out [][]byte
	seen := map[string]bool{}
	for _, k := range keys {
		_, pending := st.pending[string(k)]
		_, read := st.read[string(k)]
		if !pending && !read && !seen[string(k)] {
			seen[string(k)] = true
			out = append(out, k)
		}
	}
	return out
}
