package engine

import (
	"context"

	"github.com/pollen-team/pollen/store"
)

// Operations for the commands and packages outside the bot that read or
// fill the whole database: imports (pollen import, import-git, the
// repository sync), reports, metrics and the simulator.

// SnapshotStat runs read like Snapshot, handing it the Stat of the state
// it reads too. A caller that keeps what it computed from the records (the
// metrics' gauges) compares the version first and reads the records only
// when it moved, in the same consistent read.
func (db *DB) SnapshotStat(ctx context.Context, read func(store.Stat, store.Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.in(ctx).view(ctx, func(tx *Tx) error {
		return read(store.Stat{Version: tx.Version(), Sessions: tx.SessionCounts()}, tx.reader())
	})
}

// Preview runs decide like Apply, in one read-only transaction, and
// returns the Change it decided without writing any of it: a dry run, on
// a database opened read-only as well. decide's error comes back as it
// is.
func (db *DB) Preview(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Change, error) {
	var c store.Change
	err := db.Snapshot(ctx, func(r store.Reader) (err error) { c, err = decide(r); return err })
	if err != nil {
		return store.Change{}, err
	}
	return c, nil
}
