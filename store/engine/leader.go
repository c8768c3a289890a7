package engine

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pollen-team/pollen/store"
)

// Lead makes holder the scheduler's leader for ttl, or renews its lease,
// and says whether it leads. Exactly one replica leads at a time: the
// lease is one row (pgschema/003_leader.sql), taken only when it expired
// by the database server's clock, and each new leader gets a higher
// token. Writes made with the returned Fence in their context
// (store.WithFence) commit only while the lease is still theirs.
//
// On a bbolt file the process that holds the file is the only one that can
// write: it always leads, with token 1.
func (db *DB) Lead(ctx context.Context, holder string, ttl time.Duration) (store.Fence, bool, error) {
	if db.pg == nil {
		return store.Fence{Token: 1, Holder: holder}, true, nil
	}
	var token int64
	err := db.pg.pool.QueryRow(ctx, `UPDATE pollen_leader SET
			token = CASE WHEN holder = $1 AND expires > now() THEN token ELSE token + 1 END,
			holder = $1, expires = now() + make_interval(secs => $2)
		WHERE id = 1 AND (holder = $1 OR expires <= now())
		RETURNING token`, holder, ttl.Seconds()).Scan(&token)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Fence{}, false, nil // another replica leads
	}
	if err != nil {
		return store.Fence{}, false, pgErr(err)
	}
	return store.Fence{Token: token, Holder: holder}, true, nil
}

// Resign ends f's lease at once, so another replica can lead without
// waiting for it to expire (a replica stopping with SIGTERM).
func (db *DB) Resign(ctx context.Context, f store.Fence) error {
	if db.pg == nil {
		return nil
	}
	_, err := db.pg.pool.Exec(ctx, "UPDATE pollen_leader SET expires = '-infinity' WHERE id = 1 AND token = $1 AND holder = $2", f.Token, f.Holder)
	if err != nil {
		return pgErr(err)
	}
	return nil
}
