package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/pollen-team/pollen/store/engine"
)

// cmdMigrate copies a whole database to another backend: a bbolt file to
// PostgreSQL to run more than one replica, or back. It refuses a target
// that holds records unless told to replace them, and verifies the copy
// record by record before it says it is done.
func cmdMigrate(_ context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	from := fs.String("from", "", "the database to copy: a bbolt `file` or a postgres:// URL")
	to := fs.String("to", "", "the database to copy into: a postgres:// `URL` or a bbolt file")
	replace := fs.Bool("replace", false, "replace the records the target holds (without it, a target that holds records is refused)")
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: pollen migrate -from pollen.db -to postgres://USER:PASSWORD@HOST/DB [-replace]\n\n"+
			"Copies every record of one database into another and checks the copy. Stop the bot first:\n"+
			"a copy taken while it writes would miss what it writes next.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 || *from == "" || *to == "" {
		return usageErr("give both -from and -to, e.g. pollen migrate -from pollen.db -to postgres://pollen@db/pollen")
	}
	if *from == *to {
		return usageErr("-from and -to name the same database")
	}
	src, err := openForMigrate(*from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openForMigrate(*to)
	if err != nil {
		return err
	}
	defer dst.Close()
	if n, err := dst.Records(); err != nil {
		return fmt.Errorf("read the target: %w", err)
	} else if n > 0 && !*replace {
		return fmt.Errorf("the target already holds %d records; pass -replace to overwrite them with the source's", n)
	}
	start := time.Now()
	n, err := src.CopyTo(dst)
	if err != nil {
		return fmt.Errorf("copy: %w (the target is unchanged: the copy is one transaction)", err)
	}
	want, records, err := src.Digest()
	if err != nil {
		return fmt.Errorf("verify: read the source: %w", err)
	}
	got, copied, err := dst.Digest()
	if err != nil {
		return fmt.Errorf("verify: read the target: %w", err)
	}
	if got != want || copied != records || n != records {
		return fmt.Errorf("verify: the target holds %d records and the source %d, and they differ; do not use the target", copied, records)
	}
	fmt.Fprintf(env.stdout, "copied %d records in %s and verified them: the target holds exactly the source's records (sha256 %x)\n",
		n, time.Since(start).Round(time.Millisecond), want[:8])
	return nil
}

func openForMigrate(where string) (*engine.DB, error) {
	db, err := engine.Open(where, engine.Options{Timeout: 5 * time.Second})
	switch {
	case errors.Is(err, engine.ErrBadURL):
		return nil, usageErr("%v", err)
	case errors.Is(err, engine.ErrLocked):
		return nil, fmt.Errorf("%w: stop the bot before migrating", err)
	}
	return db, err
}
