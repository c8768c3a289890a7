package store

import (
	"context"
	"crypto/sha256"
	"errors"
)

// ErrRosterChanged says that a person record changed between the read a
// plan was made from and the transaction that would save it: nothing was
// saved, and the round is to be planned again from the new roster.
var ErrRosterChanged = errors.New("the roster changed while the round was planned")

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
func (db *DB) SavePlan(ctx context.Context, key Run, roster [sha256.Size]byte, decide func(Reader) (Change, error)) (saved bool, err error) {
	_, err = db.Apply(ctx, func(r Reader) (Change, error) {
		if r.Done(key.Key) {
			return Change{}, ErrUnchanged
		}
		if r.RosterDigest() != roster {
			return Change{}, ErrRosterChanged
		}
		c, err := decide(r)
		if err != nil {
			return Change{}, err
		}
		c.Done = append(c.Done, key)
		return c, nil
	})
	if errors.Is(err, ErrUnchanged) {
		return false, nil
	}
	return err == nil, err
}
