package engine

import (
	"context"
	"crypto/sha256"
	"errors"

	"github.com/pollen-team/pollen/store"
)

// SavePlan commits a planned round in one transaction: what decide
// returns (the round, its sessions, an outbox item per message, the
// people whose pending skip it spends) together with the round's
// idempotency key. It saves nothing and reports saved false when the key
// is done already (the round was planned or settled meanwhile), and
// returns ErrRosterChanged, saving nothing, when the roster's digest is
// no longer roster, the digest the plan was read with
// (Reader.RosterDigest): a /pair leave, avoid, pause or skip committed
// while the round was planned has been confirmed to its author, so the
// plan must not overwrite it. decide reads the state it is committed
// over (whether a once-only message went out already, a person's pending
// skip as it is now).
func (db *DB) SavePlan(ctx context.Context, key store.Run, roster [sha256.Size]byte, decide func(store.Reader) (store.Change, error)) (saved bool, err error) {
	_, err = db.Apply(ctx, func(r store.Reader) (store.Change, error) {
		if r.Done(key.Key) {
			return store.Change{}, store.ErrUnchanged
		}
		if r.RosterDigest() != roster {
			return store.Change{}, store.ErrRosterChanged
		}
		c, err := decide(r)
		if err != nil {
			return store.Change{}, err
		}
		c.Done = append(c.Done, key)
		return c, nil
	})
	if errors.Is(err, store.ErrUnchanged) {
		return false, nil
	}
	return err == nil, err
}
