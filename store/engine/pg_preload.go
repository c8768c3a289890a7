package engine

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Every slash command first asks which rotation it acts on (bot/route.go):
// it reads the rotations and, typed in a DM, the person's profile and
// memberships. As a transaction of its own that is a BEGIN, four queries
// and a COMMIT: six round trips before the command starts its work, and
// under a burst of 200 commands on PostgreSQL those reads, not the
// writes, made the acks slow (issue 21, "writes under load"). So:
//
//   - one statement sees one snapshot by itself: the records are read in
//     one statement, outside an explicit transaction, into a transaction
//     that holds them (pgBucketState.whole for the rotations), and the
//     same Tx code (Rotations, RotationsOf) answers from what it holds;
//   - the reads that arrive together share that statement, as the writes
//     share a commit (batch.go): the first runs at once, alone; those that
//     arrive while it runs form the next group, one statement for all
//     their people. Each still sees a state committed after it asked.
//
// A reader that wants more than the statement read fails with
// errNotPreloaded, and runs again in a transaction of its own.

// pgRoutingSQL reads every rotation (part 1), the people's profiles (2)
// and their memberships of each rotation (3, rotationKey: the rotation's
// ID, "/", the person's).
var pgRoutingSQL = `SELECT 1, key, value FROM pollen_records WHERE bucket = $2
	UNION ALL SELECT 2, key, value FROM pollen_records WHERE bucket = $3 AND key = ANY ($1::bytea[])
	UNION ALL SELECT 3, key, value FROM pollen_records WHERE bucket = $4 AND key = ANY (ARRAY(
		SELECT r.key || '\x2f'::bytea || p FROM pollen_records r, unnest($1::bytea[]) AS p WHERE r.bucket = $2))`

// maxRoutingGroup bounds how many reads share a statement.
const maxRoutingGroup = 512

// routingTimeout bounds a group's statement, so that a server that
// stopped answering holds the next groups no longer than that (its
// readers then read alone, and each stops waiting when its own context
// ends). A burst's statement takes milliseconds.
const routingTimeout = 5 * time.Second

// errNotPreloaded is what a preloaded transaction answers a read of
// records it was not given: the caller reads again in a transaction.
var errNotPreloaded = errors.New("a read outside the records read in one statement")

// preloadMisses counts the reads that had to read again in a transaction
// (tests: it stays 0 while Tx's code reads what the statement gives it).
var preloadMisses atomic.Int64

// routingGroups counts the statements groups of reads ran (tests).
var routingGroups atomic.Int64

// groupFailures counts the readers whose group's statement failed and
// who read alone instead (tests).
var groupFailures atomic.Int64

// routingCall is one read waiting for its group's statement.
type routingCall struct {
	person string
	done   chan struct{}
	// Set by the group before done is closed.
	got *routingRows
	err error
}

// routingRows is what a group's statement read.
type routingRows struct {
	rotations map[string][]byte
	people    map[string][]byte // by person
	members   map[string][]byte // by key
}

// routing runs fn over the rotations and person's profile and
// memberships, read in one statement shared with the reads that arrive
// at the same time; if fn reads anything else, fn runs again in a
// read-only transaction (fn must allow that: it only reads).
func (be *pgBackend) routing(ctx context.Context, person string, fn func(kvTx) error) error {
	c := &routingCall{person: person, done: make(chan struct{})}
	if be.routes.add(c) {
		go be.readGroups()
	}
	select {
	case <-c.done:
	case <-ctx.Done():
		be.routes.remove(c) // if no group has taken it yet, it leaves the queue; else its answer is dropped
		return ctx.Err()
	}
	if c.err != nil {
		// The group's statement failed (a connection lost in a failover,
		// a server too slow): each of its readers reads alone, with its
		// own deadline, as it would have without groups.
		groupFailures.Add(1)
		return be.view(ctx, fn)
	}
	t := c.got.tx(ctx, be, person)
	err := fn(t)
	if t.err != nil {
		err = t.err
	}
	if !errors.Is(err, errNotPreloaded) {
		return err
	}
	preloadMisses.Add(1)
	return be.view(ctx, fn)
}

// readGroups reads the pending groups, one statement each, until none
// is left.
func (be *pgBackend) readGroups() {
	for {
		calls := be.routes.next(maxRoutingGroup)
		if calls == nil {
			return
		}
		var people [][]byte
		seen := map[string]bool{}
		for _, c := range calls {
			if c.person != "" && !seen[c.person] {
				seen[c.person] = true
				people = append(people, []byte(c.person))
			}
		}
		got, err := be.readRouting(people)
		routingGroups.Add(1)
		for _, c := range calls {
			c.got, c.err = got, err
			close(c.done)
		}
	}
}

// readRouting runs the group's statement.
func (be *pgBackend) readRouting(people [][]byte) (*routingRows, error) {
	ctx, cancel := context.WithTimeout(context.Background(), routingTimeout)
	defer cancel()
	if people == nil {
		people = [][]byte{} // an empty array, not NULL
	}
	rows, err := be.pool.Query(ctx, pgRoutingSQL, people, bucketRotations, bucketPeople, bucketMembers)
	if err != nil {
		return nil, pgErr(err)
	}
	out := &routingRows{rotations: map[string][]byte{}, people: map[string][]byte{}, members: map[string][]byte{}}
	var part int
	var k, v []byte
	_, err = pgx.ForEachRow(rows, []any{&part, &k, &v}, func() error {
		if v == nil {
			v = []byte{}
		}
		switch part {
		case 1:
			out.rotations[string(k)] = v
		case 2:
			out.people[string(k)] = v
		case 3:
			out.members[string(k)] = v
		}
		k, v = nil, nil // Scan reuses neither: each row's bytes are its own
		return nil
	})
	if err != nil {
		return nil, pgErr(err)
	}
	return out, nil
}

// tx is a transaction, with no connection, that holds what person's read
// needs of the group's rows: every rotation, their profile and their
// membership of each rotation (nil: known absent).
func (g *routingRows) tx(ctx context.Context, be *pgBackend, person string) *pgTx {
	t := &pgTx{ctx: ctx, tx: noTx{}, be: be}
	rotations := t.bucketState(bucketRotations)
	rotations.whole = true
	for k, v := range g.rotations {
		rotations.read[k] = v
	}
	if person == "" {
		return t
	}
	t.bucketState(bucketPeople).read[person] = g.people[person] // nil when absent
	members := t.bucketState(bucketMembers)
	for id := range g.rotations {
		key := string(rotationKey(id, person))
		members.read[key] = g.members[key]
	}
	return t
}

// noTx is the connection of a preloaded transaction: it has none, and
// every query fails with errNotPreloaded.
type noTx struct{ pgx.Tx }

func (noTx) Exec(context.Context, string, ...any) (pgconn.CommandTag, error) {
	return pgconn.CommandTag{}, errNotPreloaded
}
func (noTx) Query(context.Context, string, ...any) (pgx.Rows, error) { return nil, errNotPreloaded }
func (noTx) QueryRow(context.Context, string, ...any) pgx.Row        { return noRow{} }
func (noTx) SendBatch(context.Context, *pgx.Batch) pgx.BatchResults  { return noBatch{} }

type noRow struct{}

func (noRow) Scan(...any) error { return errNotPreloaded }

type noBatch struct{ pgx.BatchResults }

func (noBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, errNotPreloaded }
func (noBatch) Query() (pgx.Rows, error)         { return nil, errNotPreloaded }
func (noBatch) QueryRow() pgx.Row                { return noRow{} }
func (noBatch) Close() error                     { return errNotPreloaded }
