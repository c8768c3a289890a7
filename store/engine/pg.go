package engine

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pollen-team/pollen/store"
)

// PostgreSQL carries the same buckets and records as the bbolt file, in
// one table of (bucket, key, value) rows (pgschema/*.sql), so every typed
// method and operation of the store runs unchanged on it. What differs is
// the transaction: several replicas write at once, so a write runs at
// SERIALIZABLE isolation and is run again when PostgreSQL refuses it for
// a conflict with another (the decisions the operations run are pure, so
// running one again is safe), and reads run at REPEATABLE READ, one
// snapshot per transaction.

//go:embed pgschema/*.sql
var pgSchema embed.FS

// IsPostgresURL reports whether POLLEN_DB names a PostgreSQL database
// rather than a file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// ErrBadURL means a postgres:// URL that does not parse.
var ErrBadURL = errors.New("not a valid PostgreSQL URL")

// pgBackend is an open PostgreSQL store.
type pgBackend struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	// buckets are the buckets a transaction has seen committed. The store
	// never drops one, so a transaction asking for one of them needs not
	// read the list again: one round trip less per transaction.
	buckets sync.Map // string → struct{}
	// routes queues the routing reads that share a statement
	// (pg_preload.go).
	routes groups[*routingCall]
}

// pgLockMigrate is the advisory lock every replica takes to migrate, so
// two starting at once do not both create the tables.
var pgLockMigrate = int64(fnvHash("pollen/migrate"))

// pgLockFold is the advisory lock a replica folding pollen_commits holds,
// so folds run one at a time.
var pgLockFold = int64(fnvHash("pollen/fold-commits"))

func fnvHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64() >> 1
}

// openPostgres connects (waiting at most timeout), runs the embedded SQL
// migrations under an advisory lock, and returns the store. Its errors are
// one line, never the password.
// defaultMaxConns is how many connections a replica opens at most when
// the URL does not say (pool_max_conns).
const defaultMaxConns = 16

func openPostgres(rawURL string, opts Options) (*DB, error) {
	opts = opts.withDefaults() // tests call openPostgres directly
	shown := redactURL(rawURL)
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %s (%s)", ErrBadURL, shown, pgErrorLine(err))
	}
	cfg.ConnConfig.ConnectTimeout = opts.Timeout
	if !strings.Contains(rawURL, "pool_max_conns") {
		// pgx's default (4 on this size of machine) queues a burst of
		// commands' reads behind one another; the URL's pool_max_conns
		// still wins.
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := connect(cfg, opts.Timeout)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %s", shown, pgErrorLine(err))
	}
	be := &pgBackend{pool: pool, log: opts.Log}
	// Waiting for the migration lock is not bounded by the connect's
	// timeout: a replica starting while another migrates waits for it.
	ctx, cancel := context.WithTimeout(context.Background(), opts.MigrateWait)
	defer cancel()
	if err := be.migrateSQL(ctx, opts.MigrateWait); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database %s: %w", shown, err)
	}
	return &DB{pg: be, path: shown, hold: opts.ClaimHold, batch: &batcher{}, callTimeout: opts.CallTimeout}, nil
}

// connect opens the pool and checks the server answers, within timeout.
func connect(cfg *pgxpool.Config, timeout time.Duration) (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// pgErrorLine is an error from pgx in one line, without the URL's
// password (pgx never includes it, but a parse error quotes the input).
func pgErrorLine(err error) string {
	s := strings.ReplaceAll(err.Error(), "\n", " ")
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		s = pe.Message + " (SQLSTATE " + pe.Code + ")"
	}
	return s
}

// Redact is POLLEN_DB as it may be shown: a file path as it is, a
// PostgreSQL URL without its password.
func Redact(db string) string {
	if !IsPostgresURL(db) {
		return db
	}
	return redactURL(db)
}

// redactURL is the URL with its password replaced, for messages and logs.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the PostgreSQL URL"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// migrateSQL applies the embedded SQL files not applied yet, in name
// order, each in the transaction that records it, under the migrate lock,
// which it waits for until ctx ends (wait: for the message).
func (be *pgBackend) migrateSQL(ctx context.Context, wait time.Duration) error {
	names, err := fs.Glob(pgSchema, "pgschema/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	return pgx.BeginFunc(ctx, be.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", pgLockMigrate); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("waited %s for the migration lock, which another Pollen process holds (migrating the database, or stuck): %w", wait, ctx.Err())
			}
			return fmt.Errorf("take the migration lock: %s", pgErrorLine(err))
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS pollen_sql_migrations (
			version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("create the migrations table: %s", pgErrorLine(err))
		}
		var applied int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM pollen_sql_migrations").Scan(&applied); err != nil {
			return fmt.Errorf("read the schema version: %s", pgErrorLine(err))
		}
		if applied > len(names) {
			return fmt.Errorf("its SQL schema is version %d, newer than this Pollen understands (%d): upgrade Pollen", applied, len(names))
		}
		for i, name := range names {
			version := i + 1
			if version <= applied {
				continue
			}
			sql, err := pgSchema.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return fmt.Errorf("apply %s: %s", name, pgErrorLine(err))
			}
			if _, err := tx.Exec(ctx, "INSERT INTO pollen_sql_migrations (version, name) VALUES ($1, $2)", version, name); err != nil {
				return fmt.Errorf("record %s: %s", name, pgErrorLine(err))
			}
		}
		return nil
	})
}

// maxPgAttempts bounds how often a write that conflicts with others is run
// again before its error is returned.
const maxPgAttempts = 20

// update runs fn in a SERIALIZABLE transaction, again when PostgreSQL
// refuses to commit it for a conflict (SQLSTATE 40001, 40P01). lock, if
// not zero, is an advisory lock held for the transaction (migrations).
func (be *pgBackend) update(ctx context.Context, lock int64, fence *store.Fence, fn func(kvTx) error) error {
	for attempt := 1; ; attempt++ {
		err := be.run(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable}, lock, fence, fn)
		if !retryable(err) || attempt == maxPgAttempts {
			return err
		}
		time.Sleep(time.Duration(rand.IntN(1+attempt*2)) * time.Millisecond)
	}
}

// view runs fn in a read-only REPEATABLE READ transaction: one snapshot.
func (be *pgBackend) view(ctx context.Context, fn func(kvTx) error) error {
	return be.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, 0, nil, fn)
}

func (be *pgBackend) run(ctx context.Context, o pgx.TxOptions, lock int64, fence *store.Fence, fn func(kvTx) error) error {
	tx, err := be.pool.BeginTx(ctx, o)
	if err != nil {
		return fmt.Errorf("database: %s", pgErrorLine(err))
	}
	defer tx.Rollback(ctx) // a no-op after Commit
	if lock != 0 {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lock); err != nil {
			return fmt.Errorf("database: %s", pgErrorLine(err))
		}
	}
	if fence != nil {
		// FOR SHARE holds the lease row until this transaction ends: a
		// takeover (Lead's UPDATE) waits for a fenced write that passed
		// this check in time, so the old leader's write commits before the
		// new leader leads, never after. A plain read would not do: Lead
		// runs outside this transaction's serializable checking.
		var ok bool
		err := tx.QueryRow(ctx, "SELECT token = $1 AND holder = $2 AND expires > now() FROM pollen_leader WHERE id = 1 FOR SHARE",
			fence.Token, fence.Holder).Scan(&ok)
		if err != nil {
			return pgErr(err)
		}
		if !ok {
			return store.ErrNotLeader
		}
	}
	t := &pgTx{ctx: ctx, tx: tx, be: be}
	ferr := fn(t)
	if t.err != nil { // a failed query: what fn concluded from it does not count
		return t.err
	}
	if ferr != nil {
		return ferr
	}
	commit, err := t.flushAll()
	if err != nil {
		return errFlushRefused{err}
	}
	if err := tx.Commit(ctx); err != nil {
		return be.commitOutcome(ctx, t.xid, err)
	}
	if commit > 0 && commit%pgFoldEvery == 0 {
		if err := be.foldCommits(ctx, commit); err != nil && !errors.Is(err, errFoldTaken) {
			// The write is committed; the rows are folded by a later one.
			be.log.Warn("fold the commit rows", "err", pgErrorLine(err))
		}
	}
	return nil
}

// commitOutcome is what a failed COMMIT of the write transaction xid
// means. A refusal from the server wrote nothing; a connection lost after
// the COMMIT was sent leaves the outcome unknown, so it is asked of the
// server (txid_status, on another connection): a write that committed is
// a success (told it failed, its caller would write it again), one that
// did not is the error, and one the server cannot say is an error that
// says it may have been written.
func (be *pgBackend) commitOutcome(ctx context.Context, xid int64, err error) error {
	var pe *pgconn.PgError
	if xid == 0 || errors.As(err, &pe) {
		return pgErr(err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitCheckTimeout)
	defer cancel()
	for {
		var status *string
		qerr := be.pool.QueryRow(ctx, "SELECT txid_status($1)", xid).Scan(&status)
		switch {
		case qerr == nil && status != nil && *status == "committed":
			be.log.Warn("the connection was lost at commit, which the server made", "err", pgErrorLine(err))
			return nil
		case qerr == nil && status != nil && *status == "aborted":
			return pgErr(err)
		case qerr == nil && status != nil && *status == "in progress" && ctx.Err() == nil: // the server is finishing it
			time.Sleep(20 * time.Millisecond)
			continue
		}
		return fmt.Errorf("database: the commit's outcome is unknown, it may have been written (%s)", pgErrorLine(err))
	}
}

// commitCheckTimeout bounds commitOutcome's question to the server.
const commitCheckTimeout = 5 * time.Second

// errFlushRefused is a write PostgreSQL refused when the transaction's
// buffered writes were sent, before its commit: nothing of the
// transaction was written, so a group commit runs its members again
// alone to find whose write it was (batch.go).
type errFlushRefused struct{ err error }

func (e errFlushRefused) Error() string { return e.err.Error() }
func (e errFlushRefused) Unwrap() error { return e.err }

// pgFoldEvery is how many commits go by between folds of their rows.
const pgFoldEvery = 64

// foldCommits folds the pollen_commits rows before the row last (this
// replica's commit, just made) into it: they are deleted and their n
// added to last's, in one transaction, so a snapshot sees either the
// rows or their fold, with the same sum: the version stays exact. A row
// of a write still in flight is not visible to the fold and stays; the
// next fold takes it. Folds take turns (a replica that finds one running
// skips its own), and one whose row last a later fold has taken already
// changes nothing.
func (be *pgBackend) foldCommits(ctx context.Context, last int64) error {
	return pgx.BeginTxFunc(ctx, be.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		var mine bool
		if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", pgLockFold).Scan(&mine); err != nil || !mine {
			return err
		}
		tag, err := tx.Exec(ctx, `WITH gone AS (DELETE FROM pollen_commits WHERE id < $1 RETURNING n)
			UPDATE pollen_commits SET n = n + (SELECT coalesce(sum(n), 0) FROM gone) WHERE id = $1`, last)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errFoldTaken // roll back: what it deleted has no row to go to
		}
		return nil
	})
}

// errFoldTaken rolls back a fold whose row a later fold has taken.
var errFoldTaken = errors.New("folded already")

// pgErr keeps a PostgreSQL error matchable (retryable) and readable.
func pgErr(err error) error {
	return &pgError{err}
}

type pgError struct{ err error }

func (e *pgError) Error() string { return "database: " + pgErrorLine(e.err) }
func (e *pgError) Unwrap() error { return e.err }

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func (be *pgBackend) close() { be.pool.Close() }
