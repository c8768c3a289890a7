package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/ops"
	"github.com/pollen-team/pollen/store/engine"
)

func cmdBackup(ctx context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: pollen backup [-db FILE] BACKUP-FILE\n\n"+
			"Writes a consistent copy of the database. While the bot runs and holds the file,\n"+
			"the copy comes from the running bot over the unix socket next to the database\n"+
			"(FILE.sock, for the bot's user only).\n\n")
		fs.PrintDefaults()
	}
	cfg.DBFlag(fs)
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if fs.NArg() != 1 {
		return usageErr("give exactly one file to write the backup to, e.g. pollen backup pollen-2026-11-24.db")
	}
	dst := fs.Arg(0)
	if dir := filepath.Dir(dst); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("cannot write the backup to %s: the folder %s does not exist (create it first)", dst, dir)
		}
	}
	if engine.IsPostgresURL(cfg.DB) {
		return usageErr("POLLEN_DB is a PostgreSQL database: back it up with PostgreSQL's own tools (pg_dump), or copy it to a file with pollen migrate")
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return fmt.Errorf("no database at %s: %w", cfg.DB, errors.Unwrap(err))
	}

	var n int64
	db, err := engine.Open(cfg.DB, engine.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	switch {
	case errors.Is(err, engine.ErrLocked):
		sock := ops.BackupSocket(cfg.DB)
		n, err = backupFromRunningBot(ctx, sock, dst)
		if err != nil {
			return fmt.Errorf("%s is held by a running Pollen and its backup socket %s did not give a backup (the bot's log says why): %w", cfg.DB, sock, err)
		}
	case err != nil:
		return err
	default:
		n, err = db.BackupFile(dst)
		db.Close()
		if err != nil {
			return err
		}
	}
	if err := verifyBackup(dst); err != nil {
		os.Remove(dst)
		return err
	}
	fmt.Fprintf(env.stdout, "backed up %s to %s (%d bytes, checked)\n", cfg.DB, dst, n)
	return nil
}

// backupFromRunningBot fetches /backup from the bot through its socket.
func backupFromRunningBot(ctx context.Context, sock, dst string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, ops.BackupTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://pollen/backup", nil)
	if err != nil {
		return 0, err
	}
	resp, err := ops.SocketClient(sock).Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %s", resp.Status)
	}
	return engine.WriteFileAtomic(dst, func(w io.Writer) (int64, error) { return io.Copy(w, resp.Body) })
}

// verifyBackup opens the copy and walks all its pages, so a truncated or
// corrupt copy is reported now and not on the day it is needed.
func verifyBackup(path string) error {
	db, err := engine.Open(path, engine.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("the backup at %s does not open: %w", path, err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		return fmt.Errorf("the backup at %s is inconsistent: %w", path, err)
	}
	return nil
}
