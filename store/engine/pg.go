package engine

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"slices"
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

// pgTx is kvTx on a PostgreSQL transaction. kvTx's reads return no error,
// so the first failed query is kept and fails the transaction (run).
//
// Round trips are what PostgreSQL costs, so the transaction keeps what it
// read and buffers what it writes: a Get answers from the writes and reads
// made before it, and the writes go to the server in one statement per
// bucket, before any read that scans the bucket and at commit. A planned
// round of 500 sessions is then a few statements, not thousands.
type pgTx struct {
	ctx     context.Context
	tx      pgx.Tx
	be      *pgBackend // nil in tests of a transaction alone
	buckets map[string]bool
	state   map[string]*pgBucketState
	err     error
	wrote   bool  // a write was made: the commit moves the version
	xid     int64 // the transaction's ID, read with its commit row
	// missed, when not nil, collects the keys Gets did not find in what
	// the transaction holds, instead of asking for them (pg_batch.go).
	missed map[string][][]byte
}

// pgBucketState is one bucket's reads and unsent writes in a transaction.
type pgBucketState struct {
	read    map[string][]byte // values read (nil: known absent)
	pending map[string][]byte // writes not sent yet (nil: a delete)
	// whole: every record of the bucket is in read (a ForEach read them,
	// or a one-statement read did, pg_preload.go), so a scan answers from
	// read: RotationsOf reads the rotations its caller often just read.
	whole bool
}

// held is what read holds of the keys that start with prefix, in key
// order (bytea's order is the bytes', as Go's string order is): a scan
// of a bucket read whole.
func (st *pgBucketState) held(prefix []byte) []kvPair {
	var out []kvPair
	for k, v := range st.read {
		if v != nil && strings.HasPrefix(k, string(prefix)) {
			out = append(out, kvPair{[]byte(k), v})
		}
	}
	slices.SortFunc(out, func(a, b kvPair) int { return bytes.Compare(a.k, b.k) })
	return out
}

// failed is the query failure that aborted the transaction, if any
// (batch.go stops a group commit at it).
func (t *pgTx) failed() error { return t.err }

func (t *pgTx) fail(err error) {
	if t.err == nil {
		t.err = pgErr(err)
	}
}

func (t *pgTx) bucketState(name []byte) *pgBucketState {
	if t.state == nil {
		t.state = map[string]*pgBucketState{}
	}
	st := t.state[string(name)]
	if st == nil {
		st = &pgBucketState{read: map[string][]byte{}, pending: map[string][]byte{}}
		t.state[string(name)] = st
	}
	return st
}

// flushAll sends every bucket's buffered writes and, when the transaction
// wrote, its pollen_commits row, in one round trip, and returns the row's
// id (0 when it wrote nothing).
func (t *pgTx) flushAll() (commit int64, err error) {
	names := make([]string, 0, len(t.state))
	for n := range t.state {
		names = append(names, n)
	}
	if !t.wrote || t.err != nil {
		return 0, t.err
	}
	return commit, t.send(t.take(names), func(br pgx.BatchResults) error {
		return br.QueryRow().Scan(&commit, &t.xid)
	}, "INSERT INTO pollen_commits DEFAULT VALUES RETURNING id, txid_current()")
}

// flush sends the named buckets' buffered writes.
func (t *pgTx) flush(names []string) error {
	if t.err != nil {
		return t.err
	}
	return t.send(t.take(names), nil, "")
}

// take is the named buckets' buffered writes, which count as read after.
func (t *pgTx) take(names []string) pgWrites {
	names = slices.Clone(names)
	slices.Sort(names)
	n := 0
	for _, name := range names {
		if st := t.state[name]; st != nil {
			n += len(st.pending)
		}
	}
	w := pgWrites{put: pgRows{b: make([][]byte, 0, n), k: make([][]byte, 0, n), v: make([][]byte, 0, n)}}
	for _, name := range names {
		st := t.state[name]
		if st == nil || len(st.pending) == 0 {
			continue
		}
		keys := make([]string, 0, len(st.pending))
		for k := range st.pending {
			keys = append(keys, k)
		}
		slices.Sort(keys) // with the names sorted: the rows in (bucket, key) order
		bucket := []byte(name)
		for _, k := range keys {
			v := st.pending[k]
			w.add(bucket, k, v)
			st.read[k] = v
		}
		clear(st.pending)
	}
	return w
}

// send sends the writes, at most an upsert and a delete whatever their
// number, and then the statement last (if not empty, its results read by
// result), in one round trip. The rows go in (bucket, key) order, the
// primary key's: keys made by store.NewID grow with time, so a round's
// new rows land at the end of the index, page after page, rather than in
// random places.
func (t *pgTx) send(w pgWrites, result func(pgx.BatchResults) error, last string) error {
	b := &pgx.Batch{}
	if len(w.put.k) > 0 {
		b.Queue(`INSERT INTO pollen_records (bucket, key, value)
			SELECT b, k, v FROM unnest($1::bytea[], $2::bytea[], $3::bytea[]) AS w(b, k, v)
			ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value`, w.put.b, w.put.k, w.put.v)
	}
	if len(w.del.k) > 0 {
		b.Queue(`DELETE FROM pollen_records r
			USING unnest($1::bytea[], $2::bytea[]) AS d(b, k) WHERE r.bucket = d.b AND r.key = d.k`, w.del.b, w.del.k)
	}
	writes := b.Len()
	if last != "" {
		b.Queue(last)
	}
	if b.Len() == 0 {
		return nil
	}
	br := t.tx.SendBatch(t.ctx, b)
	err := func() error {
		for range writes {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		if last != "" {
			return result(br)
		}
		return nil
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.fail(err)
		return t.err
	}
	return nil
}

// pgWrites are buffered writes as the columns flush sends.
type pgWrites struct{ put, del pgRows }

type pgRows struct{ b, k, v [][]byte }

func (w *pgWrites) add(bucket []byte, key string, value []byte) {
	r := &w.put
	if value == nil {
		r = &w.del
	}
	r.b, r.k = append(r.b, bucket), append(r.k, []byte(key))
	if value != nil {
		r.v = append(r.v, value)
	}
}

func (t *pgTx) loadBuckets() {
	if t.buckets != nil {
		return
	}
	t.buckets = map[string]bool{}
	rows, err := t.tx.Query(t.ctx, "SELECT name FROM pollen_buckets")
	if err != nil {
		t.fail(err)
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		t.fail(err)
		return
	}
	for _, n := range names {
		t.buckets[string(n)] = true
		if t.be != nil {
			t.be.buckets.Store(string(n), struct{}{})
		}
	}
}

// knownBucket reports whether name is a bucket another transaction has
// seen committed (pgBackend.buckets), when this one has not read the list.
func (t *pgTx) knownBucket(name []byte) bool {
	if t.buckets != nil || t.be == nil {
		return false
	}
	_, ok := t.be.buckets.Load(string(name))
	return ok
}

func (t *pgTx) Bucket(name []byte) kvBucket {
	if t.knownBucket(name) && t.err == nil {
		return &pgBucket{t: t, name: slices.Clone(name)}
	}
	t.loadBuckets()
	if t.err != nil {
		// The list of buckets could not be read (the server went away):
		// a bucket that reads nothing and refuses writes, rather than a
		// nil one the caller would dereference; run returns the error.
		return failedBucket{t}
	}
	if !t.buckets[string(name)] {
		return nil
	}
	return &pgBucket{t: t, name: slices.Clone(name)}
}

func (t *pgTx) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	if t.knownBucket(name) && t.err == nil {
		return &pgBucket{t: t, name: slices.Clone(name)}, nil
	}
	t.loadBuckets()
	if !t.buckets[string(name)] {
		if _, err := t.tx.Exec(t.ctx, "INSERT INTO pollen_buckets (name) VALUES ($1) ON CONFLICT DO NOTHING", name); err != nil {
			t.fail(err)
			return nil, t.err
		}
		t.buckets[string(name)] = true
		t.wrote = true
	}
	return &pgBucket{t: t, name: slices.Clone(name)}, nil
}

func (t *pgTx) BucketNames() [][]byte {
	t.loadBuckets()
	var out [][]byte
	for n := range t.buckets {
		out = append(out, []byte(n))
	}
	slices.SortFunc(out, func(a, b []byte) int { return strings.Compare(string(a), string(b)) })
	return out
}

// ID is the number of write transactions committed in the snapshot (see
// pgschema/002_commits.sql): commits become visible in order, so two
// snapshots with the same count see the same data.
func (t *pgTx) ID() uint64 {
	var n int64
	if err := t.tx.QueryRow(t.ctx, "SELECT coalesce(sum(n), 0)::bigint FROM pollen_commits").Scan(&n); err != nil {
		t.fail(err)
		return 0
	}
	return uint64(n)
}

type pgBucket struct {
	t    *pgTx
	name []byte
}

func (b *pgBucket) st() *pgBucketState { return b.t.bucketState(b.name) }

func (b *pgBucket) Get(key []byte) []byte {
	st := b.st()
	if v, ok := st.pending[string(key)]; ok {
		return v
	}
	if v, ok := st.read[string(key)]; ok {
		return v
	}
	if st.whole { // every record of the bucket is in read: the key has none
		return nil
	}
	if b.t.missed != nil { // a read-ahead pass: note the key, read it later
		b.t.missed[string(b.name)] = append(b.t.missed[string(b.name)], bytes.Clone(key))
		return nil
	}
	var v []byte
	err := b.t.tx.QueryRow(b.t.ctx, "SELECT value FROM pollen_records WHERE bucket = $1 AND key = $2", b.name, key).Scan(&v)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		v = nil
	case err != nil:
		b.t.fail(err)
		return nil
	case v == nil:
		v = []byte{}
	}
	st.read[string(key)] = v
	return v
}

// Prefetch reads the records at keys in one query, so the Gets that follow
// (an operation putting 500 sessions looks at each one's old state)
// answer from what the transaction already holds.
func (b *pgBucket) Prefetch(keys [][]byte) {
	st := b.st()
	var want [][]byte
	for _, k := range keys {
		if _, ok := st.pending[string(k)]; ok {
			continue
		}
		if _, ok := st.read[string(k)]; ok {
			continue
		}
		want = append(want, k)
	}
	if len(want) == 0 {
		return
	}
	for _, k := range want {
		st.read[string(k)] = nil
	}
	rows, err := b.t.tx.Query(b.t.ctx, "SELECT key, value FROM pollen_records WHERE bucket = $1 AND key = ANY($2)", b.name, want)
	if err != nil {
		b.t.fail(err)
		return
	}
	pairs, err := pgx.CollectRows(rows, scanPair)
	if err != nil {
		b.t.fail(err)
		return
	}
	for _, p := range pairs {
		if p.v == nil {
			p.v = []byte{}
		}
		st.read[string(p.k)] = p.v
	}
}

func (b *pgBucket) Put(key, value []byte) error {
	if b.t.err != nil {
		return b.t.err
	}
	v := make([]byte, len(value)) // never nil: nil marks a delete
	copy(v, value)
	b.st().pending[string(key)] = v
	b.t.wrote = true
	return nil
}

func (b *pgBucket) Delete(key []byte) error {
	if b.t.err != nil {
		return b.t.err
	}
	b.st().pending[string(key)] = nil
	b.t.wrote = true
	return nil
}

// flush sends the bucket's buffered writes (before a read that scans it).
func (b *pgBucket) flush() error { return b.t.flush([]string{string(b.name)}) }

type kvPair struct{ k, v []byte }

func scanPair(r pgx.CollectableRow) (kvPair, error) {
	var p kvPair
	err := r.Scan(&p.k, &p.v)
	return p, err
}

// scan sends the bucket's buffered writes, reads the rows, and calls fn
// after: fn may query the same transaction (a connection runs one query
// at a time). A bucket read whole before answers from what the
// transaction holds; whole says this scan reads every record.
func (b *pgBucket) scan(prefix []byte, whole bool, fn func(k, v []byte) error, sql string, args ...any) error {
	if err := b.flush(); err != nil {
		return err
	}
	st := b.st()
	var pairs []kvPair
	if st.whole {
		pairs = st.held(prefix)
	} else {
		rows, err := b.t.tx.Query(b.t.ctx, sql, args...)
		if err != nil {
			b.t.fail(err)
			return b.t.err
		}
		if pairs, err = pgx.CollectRows(rows, scanPair); err != nil {
			b.t.fail(err)
			return b.t.err
		}
		for i, p := range pairs {
			if p.v == nil {
				pairs[i].v = []byte{}
			}
			st.read[string(p.k)] = pairs[i].v
		}
		st.whole = whole
	}
	for _, p := range pairs {
		if err := fn(p.k, p.v); err != nil {
			return err
		}
	}
	return nil
}

func (b *pgBucket) ForEach(fn func(k, v []byte) error) error {
	return b.scan(nil, true, fn, "SELECT key, value FROM pollen_records WHERE bucket = $1 ORDER BY key", b.name)
}

func (b *pgBucket) Prefix(prefix []byte, fn func(k, v []byte) error) error {
	if end, ok := prefixEnd(prefix); ok {
		return b.scan(prefix, false, fn, "SELECT key, value FROM pollen_records WHERE bucket = $1 AND key >= $2 AND key < $3 ORDER BY key", b.name, prefix, end)
	}
	return b.scan(prefix, false, fn, "SELECT key, value FROM pollen_records WHERE bucket = $1 AND key >= $2 ORDER BY key", b.name, prefix)
}

// prefixEnd is the first key after every key that starts with prefix;
// false when there is none (the prefix is all 0xff bytes, or empty).
func prefixEnd(prefix []byte) ([]byte, bool) {
	end := slices.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1], true
		}
	}
	return nil, false
}

func (b *pgBucket) KeyN() int {
	if err := b.flush(); err != nil {
		return 0
	}
	var n int
	if err := b.t.tx.QueryRow(b.t.ctx, "SELECT count(*) FROM pollen_records WHERE bucket = $1", b.name).Scan(&n); err != nil {
		b.t.fail(err)
		return 0
	}
	return n
}

// failedBucket stands for every bucket of a transaction whose queries
// failed: it reads as empty and refuses writes with the failure.
type failedBucket struct{ t *pgTx }

func (b failedBucket) Get([]byte) []byte                            { return nil }
func (b failedBucket) Put(_, _ []byte) error                        { return b.t.err }
func (b failedBucket) Delete([]byte) error                          { return b.t.err }
func (b failedBucket) ForEach(func(k, v []byte) error) error        { return b.t.err }
func (b failedBucket) Prefix([]byte, func(k, v []byte) error) error { return b.t.err }
func (b failedBucket) KeyN() int                                    { return 0 }
