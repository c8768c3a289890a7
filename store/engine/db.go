package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/pollen-team/pollen/store"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DefaultTimeout is how long Open waits for another process to release the
// database file before giving up.
const DefaultTimeout = 2 * time.Second

// DefaultCallTimeout bounds each store call on PostgreSQL (its
// transaction, retries included) when Options.CallTimeout is zero.
const DefaultCallTimeout = 30 * time.Second

// DefaultMigrateWait is how long Open waits, on PostgreSQL, for another
// process's migration (the migration lock) when Options.MigrateWait is
// zero.
const DefaultMigrateWait = 2 * time.Minute

// ErrLocked means another process holds the database file.
var ErrLocked = errors.New("database is locked")

// lockedError names the file and how long Open waited, in one line.
type lockedError struct {
	path   string
	waited time.Duration
}

func (e *lockedError) Error() string {
	return fmt.Sprintf("database %s is in use by another Pollen process (waited %s for its lock)", e.path, e.waited)
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

// DB is an open Pollen database.
type DB struct {
	bolt *bolt.DB      // the file, or nil on PostgreSQL
	pg   *pgBackend    // PostgreSQL (pg.go), or nil on a file
	path string        // the file's path, or the URL without its password
	rot  string        // the rotation its operations work in; "" is the default
	hold time.Duration // Options.ClaimHold
	// callTimeout bounds each call's transaction on PostgreSQL
	// (Options.CallTimeout); 0: no bound (pollen migrate's copy).
	callTimeout time.Duration
	// fence, when set, is the leader lease every write checks (PostgreSQL).
	fence *store.Fence
	// batch groups concurrent Applies into one commit (batch.go).
	batch *batcher
}

// Rotation is the database seen from one rotation: its operations read
// and write that rotation's roster, rounds and settings (and the
// workspace's projects, knowledge, sessions and outbox, which every
// rotation shares). It shares the open file with db: closing either closes
// both.
func (db *DB) Rotation(id string) *DB {
	r := *db
	r.rot = id
	return &r
}

// Options tune Open.
type Options struct {
	// Timeout is how long to wait for the file lock; DefaultTimeout if zero.
	Timeout time.Duration
	// ReadOnly opens the file for reading only (shared lock).
	ReadOnly bool
	// ClaimHold is how long an outbox item a replica claimed is held for
	// it on PostgreSQL (two minutes when zero): after a replica dies, what
	// it claimed and had not sent goes out after this hold.
	ClaimHold time.Duration
	// CallTimeout bounds each store call on PostgreSQL, whatever its
	// context says (DefaultCallTimeout if zero): a server that stops
	// answering on an open connection fails the call with an error after
	// it, instead of holding the caller (a slash command, /healthz, a
	// shutdown) until the kernel gives the connection up.
	CallTimeout time.Duration
	// MigrateWait bounds, on PostgreSQL, Open's wait for the migration
	// lock and the migration under it (DefaultMigrateWait if zero):
	// another replica starting at the same moment may be migrating, which
	// takes longer than a connect. Timeout bounds the connect alone.
	MigrateWait time.Duration
	// Log receives Open's warnings (a damaged meta page, records set
	// aside); slog.Default() if nil.
	Log *slog.Logger
}

// withDefaults is opts with the defaults for what it leaves zero.
func (opts Options) withDefaults() Options {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = DefaultCallTimeout
	}
	if opts.MigrateWait <= 0 {
		opts.MigrateWait = DefaultMigrateWait
	}
	return opts
}

// Open opens or creates the database at path and brings its schema up to
// date. If another process has the file open, Open fails with an error that
// wraps ErrLocked once the timeout has passed, instead of waiting forever.
//
// A file that is not a sound database fails with an error that wraps
// ErrDamaged and says, in one line, what is wrong and how to restore a
// backup; Open never panics on a damaged file and never starts a fresh
// database over an existing one (see damage.go and check.go). Records
// that do not decode are set aside when opening for writing and refused
// when opening read-only (setAsideBadRecords).
//
// A postgres:// URL opens PostgreSQL instead (pg.go): the same records,
// operations and schema versions, with several replicas writing at once.
func Open(path string, opts Options) (*DB, error) {
	opts = opts.withDefaults()
	if IsPostgresURL(path) {
		db, err := openPostgres(path, opts)
		if err != nil {
			return nil, err
		}
		if err := db.verify(opts); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	if _, err := preflight(path); err != nil {
		return nil, err
	}
	b, err := openBolt(path, opts)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, &lockedError{path: path, waited: opts.Timeout}
	}
	if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) || errors.Is(err, bolterrors.ErrVersionMismatch) {
		return nil, damaged(path, "bbolt cannot read it (%v)", err)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{bolt: b, path: path, batch: &batcher{}, callTimeout: opts.CallTimeout}
	if err := db.verify(opts); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// verify runs, with the file locked, the checks of a database bbolt has
// opened, then brings its schema up to date (or checks it, read-only).
func (db *DB) verify(opts Options) error {
	if db.bolt != nil {
		// Now that the file is locked nobody writes it: a damaged meta
		// page seen now is not a write in progress.
		if warning, err := preflight(db.path); err != nil {
			return err
		} else if warning != "" {
			opts.Log.Warn(warning, "path", db.path)
		}
		if err := db.checkPages(opts.Log); err != nil {
			return err
		}
	}
	if opts.ReadOnly {
		if err := db.checkVersion(); err != nil {
			return err
		}
	} else if err := db.migrate(opts.MigrateWait); err != nil {
		return err
	}
	return db.setAsideBadRecords(opts)
}

// Close releases the file.
func (db *DB) Close() error {
	if db.pg != nil {
		db.pg.close()
		return nil
	}
	return db.bolt.Close()
}

// Ping checks that the database answers a read (within the call timeout
// on PostgreSQL).
func (db *DB) Ping() error {
	return db.viewKV(context.Background(), func(tx kvTx) error {
		if tx.Bucket(bucketMeta) == nil {
			return errors.New("database has no meta bucket")
		}
		return nil
	})
}

// Update runs fn in one read-write transaction: everything it writes is
// committed together and fsynced, or nothing is if fn returns an error.
func (db *DB) Update(fn func(*Tx) error) error {
	return db.update(context.Background(), fn)
}

// View runs fn in one read-only transaction, a consistent snapshot.
func (db *DB) View(fn func(*Tx) error) error {
	return db.view(context.Background(), fn)
}

// update is Update for an operation given ctx: on PostgreSQL the
// transaction ends with ctx, or with the call timeout before.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	return db.updateKV(ctx, 0, func(tx kvTx) error { return fn(&Tx{tx: tx, rot: db.rot}) })
}

// view is View for an operation given ctx (see update).
func (db *DB) view(ctx context.Context, fn func(*Tx) error) error {
	return db.viewKV(ctx, func(tx kvTx) error { return fn(&Tx{tx: tx, rot: db.rot}) })
}

// updateKV runs fn in a read-write transaction of whichever backend is
// open. On PostgreSQL fn may run more than once (a conflict with another
// replica's write is retried), so it must not act outside the transaction;
// lock names an advisory lock to hold (PostgreSQL only). On PostgreSQL
// the call ends with ctx or after the call timeout, whichever is first
// (bbolt has no network to wait on, and cannot stop a transaction).
func (db *DB) updateKV(ctx context.Context, lock int64, fn func(kvTx) error) error {
	if db.pg != nil {
		ctx, cancel := db.bound(ctx)
		defer cancel()
		return db.timedOut(ctx, db.pg.update(ctx, lock, db.fence, fn))
	}
	return db.bolt.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

// viewKV runs fn in a read-only transaction: one consistent snapshot
// (bounded as updateKV's).
func (db *DB) viewKV(ctx context.Context, fn func(kvTx) error) error {
	if db.pg != nil {
		ctx, cancel := db.bound(ctx)
		defer cancel()
		return db.timedOut(ctx, db.pg.view(ctx, fn))
	}
	return db.bolt.View(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

// bound is ctx ending after the call timeout at the latest.
func (db *DB) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if db.callTimeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, db.callTimeout, errCallTimeout)
}

// errCallTimeout is the cause of a call's context that ran out of time.
var errCallTimeout = errors.New("call timeout")

// timedOut is err, unless ctx ended the call: then, when the call timeout
// ended it, an error that says so in one line and wraps
// context.DeadlineExceeded, and when the caller's context did, its error
// (what pgx returns then need not wrap it).
func (db *DB) timedOut(ctx context.Context, err error) error {
	switch {
	case err == nil || ctx.Err() == nil:
		return err
	case context.Cause(ctx) == errCallTimeout:
		return fmt.Errorf("database %s did not answer within %s: %w", db.path, db.callTimeout, context.DeadlineExceeded)
	default:
		return ctx.Err()
	}
}

// unbounded is db without the call timeout: pollen migrate copies a whole
// database in one transaction, which may take longer.
func (db *DB) unbounded() *DB {
	c := *db
	c.callTimeout = 0
	return &c
}

// Version identifies the committed state a transaction sees: it is bbolt's
// transaction ID, which every committed write raises, so two reads with the
// same Version saw the same data.
func (t *Tx) Version() uint64 { return t.tx.ID() }

// Backup writes a consistent copy of the whole database to w while other
// transactions go on, and returns the number of bytes written.
func (db *DB) Backup(w io.Writer) (int64, error) {
	if db.bolt == nil {
		return 0, errors.New("a PostgreSQL store is backed up with PostgreSQL's own tools (pg_dump), not pollen backup")
	}
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a consistent copy to path: first to a temporary file
// beside it, then renamed into place, so path never holds half a copy.
func (db *DB) BackupFile(path string) (int64, error) {
	return WriteFileAtomic(path, db.Backup)
}

// WriteFileAtomic creates path with the bytes write produces, through a
// synced temporary file in the same directory and a rename.
func WriteFileAtomic(path string, write func(io.Writer) (int64, error)) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	n, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	return n, nil
}

// Check walks every page of the file and reports the first inconsistency.
func (db *DB) Check() error {
	if db.bolt == nil {
		return nil // PostgreSQL checks its own pages
	}
	return db.bolt.View(func(tx *bolt.Tx) error {
		var first error
		for err := range tx.Check() { // drain: Check's goroutine sends until done
			if first == nil {
				first = err
			}
		}
		return first
	})
}
