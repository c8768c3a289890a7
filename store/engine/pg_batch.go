package engine

// A group commit on PostgreSQL runs its decisions one after the other in
// one transaction, and each Get a decision makes of a record the
// transaction has not read yet is a round trip to the server: 200 joins
// read 400 records one at a time. Decisions are pure, so the batch first
// runs them all without answering those Gets (they see the records as
// absent, and what they decide is thrown away), collects the keys they
// asked for, and reads those in one query per bucket; a second pass finds
// the keys that depend on the first ones' values (a membership, then the
// profile). The real pass then answers from what the transaction holds.

// readAheadPasses bounds the read-ahead passes of a batch.
const readAheadPasses = 2

// readAheader is a transaction that can run the read-ahead passes.
type readAheader interface {
	readAhead(run func()) bool
}

// readAhead runs run with the Gets that miss collected instead of asked,
// then reads what they missed in one query per bucket; it reports whether
// anything was missed.
func (t *pgTx) readAhead(run func()) bool {
	t.missed = map[string][][]byte{}
	run()
	missed := t.missed
	t.missed = nil
	for name, keys := range missed {
		if b := t.Bucket([]byte(name)); b != nil {
			prefetch(b, keys)
		}
	}
	return len(missed) > 0 && t.err == nil
}
