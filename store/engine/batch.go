package engine

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/pollen-team/pollen/store"
)

// Group commit (issue 21, "writes under load"). Each Apply used to be its
// own transaction: on bbolt one writer at a time and an fsync each, on
// PostgreSQL a round trip and a commit each, so 200 people typing
// /pair join at once waited in line for 200 commits. A decision is a pure
// function from a Reader to a Change, so the Applies that arrive while a
// commit is under way can all run in the next transaction: one after the
// other (each reads what the earlier ones wrote), then one commit for all.
//
// The batch has no timer: the first Apply runs at once, alone; those that
// arrive during its commit form the next batch, and so on. Idle, an Apply
// costs what it did; under load the commits are shared.
//
// What each caller gets is what it would get alone:
//   - a decision that fails (ErrUnchanged included) writes nothing and its
//     caller gets its error; the rest of the batch goes on;
//   - a write that fails half-way (a record that does not validate, a
//     failed query on PostgreSQL, or a write PostgreSQL refuses when the
//     buffered writes are sent before the commit: errFlushRefused) rolls
//     the whole transaction back, and
//     every member is run again alone (decisions are pure: running one
//     again is safe), so only the guilty one gets the error;
//   - a commit that fails fails every member with its error: nothing of
//     the batch was written, and nothing is run twice (on PostgreSQL a
//     commit whose answer was lost with its connection is asked of the
//     server, pg.go commitOutcome: one it made is a success);
//   - a decision that panics writes nothing, and its caller panics.
//
// Writes under a fence (store.WithFence: the scheduler's, checked against
// the leader lease) do not join batches: they run alone, as before. The
// rotation a member works in is its own Tx's, so members of different
// rotations share a batch safely.

// maxBatch bounds how many decisions share one transaction.
const maxBatch = 256

// batcher queues Applies for the next group commit. One is shared by every
// view of an open database (DB.Rotation copies the DB, not the batcher).
type batcher struct {
	groups[*batchCall]
	// commits counts the transactions batches committed (tests).
	commits atomic.Int64
}

// batchCall is one Apply waiting for its batch.
type batchCall struct {
	ctx    context.Context
	rot    string
	decide func(store.Reader) (store.Change, error)
	done   chan struct{}
	// Set by the batch, read by the caller after done is closed.
	applied store.Applied
	err     error
	panic   any
	wrote   bool
}

// applyBatched runs decide in the next group commit and returns what it
// applied, or its error. A caller whose ctx ends while its Apply still
// waits for a batch gets ctx's error at once, and its decision never
// runs; once a batch has taken it, it waits for the batch's answer (the
// write may be committing: saying it failed could be untrue).
func (db *DB) applyBatched(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error) {
	c := &batchCall{ctx: ctx, rot: db.rot, decide: decide, done: make(chan struct{})}
	if db.batch.add(c) {
		go db.commitBatches()
	}
	select {
	case <-c.done:
	case <-ctx.Done():
		if db.batch.remove(c) {
			return store.Applied{}, ctx.Err()
		}
		<-c.done
	}
	if c.panic != nil {
		panic(c.panic)
	}
	if c.err != nil {
		return store.Applied{}, c.err
	}
	return c.applied, nil
}

// commitBatches commits the pending Applies, a batch at a time, until
// there are none.
func (db *DB) commitBatches() {
	for {
		calls := db.batch.next(maxBatch)
		if calls == nil {
			return
		}
		db.runBatch(calls)
		for _, c := range calls {
			close(c.done)
		}
	}
}

// errBatchWrite is a write of one member that failed half-way: the
// transaction is rolled back and the members run again alone.
type errBatchWrite struct{ err error }

func (e errBatchWrite) Error() string { return e.err.Error() }

// errNothingToCommit rolls back a batch whose decisions all declined.
var errNothingToCommit = errors.New("nothing to commit")

// failer is a transaction that can break for all that follows (PostgreSQL
// aborts a transaction at its first failed statement).
type failer interface{ failed() error }

// runBatch runs calls in one transaction and sets each one's result.
func (db *DB) runBatch(calls []*batchCall) {
	err := db.updateKV(context.Background(), 0, func(kv kvTx) error {
		wrote := false
		for _, c := range calls { // on PostgreSQL a conflict runs it all again
			c.applied, c.err, c.panic, c.wrote = store.Applied{}, nil, nil, false
		}
		if ra, ok := kv.(readAheader); ok && len(calls) > 1 {
			for range readAheadPasses {
				if !ra.readAhead(func() {
					for _, c := range calls {
						c.run(&Tx{tx: kv, rot: c.rot})
					}
				}) {
					break
				}
			}
			for _, c := range calls {
				c.panic = nil // the real pass below tells
			}
		}
		for _, c := range calls {
			if err := c.ctx.Err(); err != nil {
				c.err = err
				continue
			}
			tx := &Tx{tx: kv, rot: c.rot}
			ch, err := c.run(tx)
			if f, ok := kv.(failer); ok && f.failed() != nil {
				return errBatchWrite{f.failed()}
			}
			if err != nil {
				c.err = err
				continue
			}
			if c.applied, err = tx.commit(ch); err != nil {
				return errBatchWrite{err}
			}
			c.wrote, wrote = true, true
		}
		if !wrote {
			return errNothingToCommit
		}
		return nil
	})
	var partial errBatchWrite
	var refused errFlushRefused
	switch {
	case err == nil:
		db.batch.commits.Add(1)
	case errors.Is(err, errNothingToCommit):
		// every member has its own error already
	case errors.As(err, &partial) && len(calls) > 1, errors.As(err, &refused) && len(calls) > 1:
		// Nothing was written: run each alone, so only the guilty one fails.
		for _, c := range calls {
			db.runBatch([]*batchCall{c})
		}
	case errors.As(err, &partial):
		calls[0].err, calls[0].applied = partial.err, store.Applied{}
	default: // a failed commit (or begin): nothing was written
		for _, c := range calls {
			if c.err == nil || c.wrote { // a declined decision keeps its own error
				c.err, c.applied = err, store.Applied{}
			}
		}
	}
}

// run calls the decision, turning a panic into the caller's.
func (c *batchCall) run(tx *Tx) (ch store.Change, err error) {
	defer func() {
		if p := recover(); p != nil {
			c.panic = p
			err = fmt.Errorf("decision panicked: %v", p)
		}
	}()
	return c.decide(tx.reader())
}
