package engine

import (
	"context"
	"errors"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
)

// The outbox's operations: what a job queues under its idempotency key,
// and the sender's two transactions around a batch of deliveries (claim
// before, settle after).

// QueueOnce commits, in one transaction, each job whose key is not done
// yet: its item and its key together. A job whose key is done (by an
// earlier tick, or meanwhile) is left out. It returns how many items it
// queued.
func (db *DB) QueueOnce(ctx context.Context, jobs []store.Job) (int, error) {
	queued := 0
	_, err := db.Apply(ctx, func(r store.Reader) (store.Change, error) {
		var c store.Change
		queued = 0
		for _, j := range jobs {
			if r.Done(j.Run.Key) {
				continue
			}
			if j.Item != nil {
				c.Outbox = append(c.Outbox, *j.Item)
				queued++
			}
			c.Done = append(c.Done, j.Run)
		}
		if len(c.Done) == 0 {
			return c, store.ErrUnchanged
		}
		return c, nil
	})
	if errors.Is(err, store.ErrUnchanged) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return queued, nil
}

// ClaimDue finds up to limit outbox items due at callerNow, oldest first,
// and commits one more attempt on each before they are sent: after a crash
// an item then knows that Slack may have it already. Records that do not
// decode are set aside first, so one damaged record cannot stop the rest.
// An outbox with nothing due costs one read-only transaction (and, on
// PostgreSQL, a read of the server's clock).
//
// On PostgreSQL what is due, and the hold on a claimed item, are on the
// database server's clock (serverSkew), which every replica shares;
// callerNow, and the claim's Next and HeldUntil, are on the caller's.
func (db *DB) ClaimDue(ctx context.Context, callerNow time.Time, limit int) (store.Claim, error) {
	if err := ctx.Err(); err != nil {
		return store.Claim{}, err
	}
	skew, err := db.serverSkew(ctx)
	if err != nil {
		return store.Claim{}, err
	}
	now := callerNow.Add(skew)
	var cl store.Claim
	var items []outbox.Item
	if err := db.view(ctx, func(tx *Tx) (err error) { items, cl.SetAside, err = tx.OutboxScan(); return err }); err != nil {
		return store.Claim{}, err
	}
	if len(cl.SetAside) > 0 {
		err := db.update(ctx, func(tx *Tx) error {
			for _, br := range cl.SetAside {
				if err := tx.SetAside(br); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return store.Claim{}, err
		}
	}
	var due []outbox.Item
	for _, item := range items {
		if item.NotBefore.After(now) {
			if cl.Next.IsZero() || item.NotBefore.Before(cl.Next) {
				cl.Next = item.NotBefore
			}
		} else if len(due) < limit {
			due = append(due, item)
		}
	}
	if !cl.Next.IsZero() {
		cl.Next = cl.Next.Add(-skew)
	}
	if len(due) == 0 {
		return cl, nil
	}
	// The claim reads each item again in its own transaction and takes only
	// those still there and still due: on PostgreSQL another replica may
	// have claimed or sent one since the scan (two claims of one item
	// conflict, and the one run again sees the other's). There a claimed
	// item is also held for claimLease (NotBefore), so no other replica
	// sends it meanwhile; the sender's settlement replaces that hold, and
	// if this replica dies first the item is due again when it ends, with
	// its attempt counted (the exactly-once check before a repeat send).
	err = db.update(ctx, func(tx *Tx) error {
		cl.Items = cl.Items[:0]
		for _, item := range due {
			cur, ok, err := tx.OutboxItem(item.ID)
			if err != nil {
				return err
			}
			if !ok || cur.NotBefore.After(now) || cur.Attempts != item.Attempts {
				continue // sent, or claimed by another replica meanwhile
			}
			cur.Attempts++
			cl.Items = append(cl.Items, cur)
			if db.pg != nil {
				cur.NotBefore = now.Add(db.claimHold())
			}
			if err := tx.PutOutbox(cur); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return store.Claim{}, err
	}
	if db.pg != nil {
		cl.HeldUntil = callerNow.Add(db.claimHold())
	}
	return cl, nil
}

// claimLease is how long a claimed item is held for the replica that
// claimed it (PostgreSQL) unless Options.ClaimHold says otherwise: longer
// than a batch of deliveries takes.
const claimLease = 2 * time.Minute

func (db *DB) claimHold() time.Duration {
	if db.hold > 0 {
		return db.hold
	}
	return claimLease
}

// Settle records a batch's outcomes in one transaction: delivered items
// leave the outbox with their message references recorded, the others
// are put back to be retried, but only while the claim is still this
// sender's. An item no longer in the outbox was sent by another replica
// that claimed it after this one's hold ran out: putting it back would
// send it again (with its attempt count lowered, even without the check
// in Slack first). An item whose attempts went past what this claim left
// (one more than the retry's, which a 429 lowers by one) was claimed
// again since: that claim's hold stands.
//
// A retry's NotBefore is on the caller's clock; on PostgreSQL it is saved
// on the server's, which ClaimDue reads it on (serverSkew).
func (db *DB) Settle(ctx context.Context, s store.Settlement) error {
	if len(s.Retry) > 0 {
		skew, err := db.serverSkew(ctx)
		if err != nil {
			return err
		}
		retry := make([]outbox.Item, len(s.Retry))
		for i, item := range s.Retry {
			if !item.NotBefore.IsZero() {
				item.NotBefore = item.NotBefore.Add(skew)
			}
			retry[i] = item
		}
		s.Retry = retry
	}
	var c store.Change
	for _, d := range s.Sent {
		if d.Item.SessionID != "" && d.Ref.TS != "" {
			c.Messages = append(c.Messages, store.Message{SessionID: d.Item.SessionID, Kind: d.Item.Kind, Ref: d.Ref})
		}
		c.Sent = append(c.Sent, d.Item.ID)
	}
	_, err := db.Apply(ctx, func(r store.Reader) (store.Change, error) {
		c := c // a decision may run more than once (PostgreSQL)
		c.Outbox = nil
		for _, item := range s.Retry {
			cur, ok, err := r.OutboxItem(item.ID)
			if err != nil {
				return store.Change{}, err
			}
			if ok && cur.Attempts <= item.Attempts+1 {
				c.Outbox = append(c.Outbox, item)
			}
		}
		return c, nil
	})
	return err
}

// PutRaw writes value under key in bucket as it is (see Tx.PutRaw): for
// tests that need a damaged record while the database is open, and for
// putting a repaired set-aside record back by hand.
func (db *DB) PutRaw(ctx context.Context, bucket string, key, value []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.PutRaw(bucket, key, value) })
}
