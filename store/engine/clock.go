package engine

import (
	"context"
	"time"
)

// localClock is this machine's clock, which the callers' times (the now
// given to ClaimDue) come from; a test sets it to play a replica whose
// clock is off.
var localClock = time.Now

// clockTolerance is how far a replica's clock may be from the database
// server's and still be taken as agreeing with it: the skew is measured
// to within half a round trip, and the holds it corrects are minutes.
const clockTolerance = time.Second

// serverSkew is how far the database server's clock is ahead of this
// machine's (negative: behind), zero when they agree within
// clockTolerance and always on a bbolt file. The outbox's claim holds are
// times compared by every replica: each replica reads them on the
// server's clock (the caller's now plus the skew), so a replica whose
// clock runs ahead cannot take another's hold for run out, nor one whose
// clock runs behind hold items longer than it thinks.
func (db *DB) serverSkew(ctx context.Context) (time.Duration, error) {
	if db.pg == nil {
		return 0, nil
	}
	ctx, cancel := db.bound(ctx)
	defer cancel()
	before := localClock()
	var server time.Time
	if err := db.pg.pool.QueryRow(ctx, "SELECT now()").Scan(&server); err != nil {
		return 0, db.timedOut(ctx, pgErr(err))
	}
	after := localClock()
	skew := server.Sub(before.Add(after.Sub(before) / 2))
	if skew.Abs() < clockTolerance {
		return 0, nil
	}
	return skew, nil
}
