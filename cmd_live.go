package main

// Commands on the database of a running bot. On bbolt the bot holds the
// file's lock, so `pollen import`, `import-git`, `export` and `chart` go
// through the bot's socket beside the database (internal/ops), the one
// `pollen backup` uses: the read-only ones read a consistent copy the bot
// gives (/backup), the writing ones send their change for the bot to apply
// with the same store operation as the offline command. On PostgreSQL
// nothing holds a lock and the commands open the database directly.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/pollen-team/pollen/internal/gitimport"
	"github.com/pollen-team/pollen/internal/ops"
	"github.com/pollen-team/pollen/internal/transfer"
	"github.com/pollen-team/pollen/store/engine"
)

// adminOps are the writing commands the running bot applies for the CLI on
// its socket. wake tells the outbox sender that messages were queued (an
// import queues the welcome DMs of people new to the roster).
func adminOps(db *engine.DB, wake func()) map[string]ops.AdminOp {
	return map[string]ops.AdminOp{
		"import": func(ctx context.Context, body []byte) (any, error) {
			var req importRequest
			if err := json.Unmarshal(body, &req); err != nil {
				return nil, fmt.Errorf("import request: %w", err)
			}
			var readErr error
			if req.ReadError != "" {
				readErr = errors.New(req.ReadError)
			}
			counts, err := req.apply(ctx, db, readErr)
			var ve *transfer.ValidationError
			if errors.As(err, &ve) {
				return importAnswer{Problems: ve.Problems}, nil
			}
			if err != nil {
				return nil, err
			}
			wake()
			return importAnswer{Counts: counts}, nil
		},
		"import-git": func(ctx context.Context, body []byte) (any, error) {
			var req gitImportRequest
			if err := json.Unmarshal(body, &req); err != nil {
				return nil, fmt.Errorf("import-git request: %w", err)
			}
			return req.Import.Save(ctx, db, req.DryRun)
		},
	}
}

// lockProbe is how long a command waits for the file's lock before it
// asks the running bot whose socket answers beside the database: a bot
// holds the lock for as long as it runs, so waiting longer only delays.
const lockProbe = 100 * time.Millisecond

// openUnlessBotHolds opens the database at path with opts. When the lock stays taken
// for lockProbe and a running bot answers on the socket beside it, it
// returns an error wrapping engine.ErrLocked at once (ask the bot);
// otherwise it waits for the lock as long as opts say (another command
// may be about to release it).
func openUnlessBotHolds(path string, opts engine.Options) (*engine.DB, error) {
	if engine.IsPostgresURL(path) {
		return engine.Open(path, opts)
	}
	probe := opts
	probe.Timeout = lockProbe
	db, err := engine.Open(path, probe)
	if !errors.Is(err, engine.ErrLocked) {
		return db, err
	}
	if c, derr := net.DialTimeout("unix", ops.BackupSocket(path), time.Second); derr == nil {
		c.Close()
		return nil, err
	}
	return engine.Open(path, opts)
}

// onRunningBot runs the admin command name on the bot that holds the
// database at path, which Open found locked.
func onRunningBot(ctx context.Context, path, name string, req, answer any) error {
	sock := ops.BackupSocket(path)
	err := ops.Call(ctx, sock, name, req, answer)
	switch {
	case errors.Is(err, ops.ErrUnanswered):
		return fmt.Errorf("%s is held by a running Pollen and its socket %s did not answer (the bot's log says why): %w", path, sock, errors.Unwrap(err))
	case errors.Is(err, ops.ErrNoSuchCommand):
		return fmt.Errorf("%s is held by a running Pollen that is older than this pollen and cannot %s while it runs: stop it or upgrade it", path, name)
	}
	return err
}

// openForReading opens the database at path read-only. When a running bot
// holds it (bbolt), it opens a consistent copy that the bot gives over its
// socket instead, in a private folder beside the database that done
// removes. The copy is what the database held at one moment, as a read
// of the database itself would be.
func openForReading(ctx context.Context, path string) (db *engine.DB, done func() error, err error) {
	db, err = openUnlessBotHolds(path, engine.Options{ReadOnly: true, Timeout: time.Second})
	if !errors.Is(err, engine.ErrLocked) {
		if err != nil {
			return nil, nil, err
		}
		return db, db.Close, nil
	}
	sweepSnapshots(filepath.Dir(path), time.Now().Add(-staleSnapshot))
	dir, err := os.MkdirTemp(filepath.Dir(path), snapshotPrefix)
	if err != nil {
		return nil, nil, err
	}
	copyPath := filepath.Join(dir, "pollen.db")
	sock := ops.BackupSocket(path)
	if _, err := backupFromRunningBot(ctx, sock, copyPath); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("%s is held by a running Pollen and its socket %s did not give a copy to read (the bot's log says why): %w", path, sock, err)
	}
	db, err = engine.Open(copyPath, engine.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("the copy the running bot gave does not open: %w", err)
	}
	return db, func() error {
		err := db.Close()
		if rerr := os.RemoveAll(dir); err == nil {
			err = rerr
		}
		return err
	}, nil
}

// gitImportRequest is `pollen import-git` sent to the running bot: the
// import the CLI read from the repository, to save (Import.Save).
type gitImportRequest struct {
	Import gitimport.Import `json:"import"`
	DryRun bool             `json:"dry_run"`
}

// snapshotPrefix names the folders openForReading keeps its copies in.
const snapshotPrefix = ".pollen-snapshot-"

// staleSnapshot is the age after which a copy's folder is one a killed
// command left behind: a command reads its copy in seconds (an export in
// milliseconds, the charts in a few seconds), never for an hour.
const staleSnapshot = time.Hour

// sweepSnapshots removes the copies' folders in dir last changed before
// cutoff: a command killed while reading its copy (SIGKILL, a lost
// terminal) could not remove it, and a copy of the whole database should
// not stay behind. A folder it cannot remove is left for the next sweep.
func sweepSnapshots(dir string, cutoff time.Time) {
	old, err := filepath.Glob(filepath.Join(dir, snapshotPrefix+"*"))
	if err != nil {
		return // only a malformed pattern, and this one is fixed
	}
	for _, d := range old {
		if fi, err := os.Lstat(d); err == nil && fi.IsDir() && fi.ModTime().Before(cutoff) {
			os.RemoveAll(d) // best effort: the next command tries again
		}
	}
}
