package store

import (
	"context"

	"github.com/pollen-team/pollen/pairing"
)

// Operations for the commands and packages outside the bot that read or
// fill the whole database: imports (pollen import, import-git, the
// repository sync), reports, metrics and the simulator.

// Stat is what can be known of a committed state without reading its
// records.
type Stat struct {
	// Version identifies the committed state: it moves when a write
	// commits, and only then, so equal versions mean the same data.
	Version uint64
	// Sessions is how many sessions are in each state.
	Sessions map[pairing.State]int
}

// SnapshotStat runs read like Snapshot, handing it the Stat of the state
// it reads too. A caller that keeps what it computed from the records (the
// metrics' gauges) compares the version first and reads the records only
// when it moved, in the same consistent read.
func (db *DB) SnapshotStat(ctx context.Context, read func(Stat, Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.in(ctx).View(func(tx *Tx) error {
		return read(Stat{Version: tx.Version(), Sessions: tx.SessionCounts()}, tx.reader())
	})
}

// Preview runs decide like Apply, in one read-only transaction, and
// returns the Change it decided without writing any of it: a dry run, on
// a database opened read-only as well. decide's error comes back as it
// is.
func (db *DB) Preview(ctx context.Context, decide func(Reader) (Change, error)) (Change, error) {
	var c Change
	err := db.Snapshot(ctx, func(r Reader) (err error) { c, err = decide(r); return err })
	if err != nil {
		return Change{}, err
	}
	return c, nil
}
