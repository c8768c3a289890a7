package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/report"
	"github.com/pollen-team/pollen/store/engine"
)

// reportCommand builds pollen chart and pollen export: read the database
// (read-only, or a copy from the running bot that holds it) with load,
// render files from it, write them into a folder, then say what was
// written and, when after is set, a summary. perRotation adds -rotation,
// the ID of the rotation to report on (export covers every rotation, with
// a rotation column).
func reportCommand(name, defaultOut, what string, perRotation bool, load func(ctx context.Context, db report.Store, rotation string) (report.Data, error),
	render func(report.Data, time.Time) ([]report.File, error),
	after func(w io.Writer, d report.Data, now time.Time)) func(context.Context, environment, []string) error {
	return func(ctx context.Context, env environment, args []string) error {
		cfg, err := config.FromEnv(env.getenv)
		if err != nil {
			return usageErr("%v", err)
		}
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		fs.SetOutput(env.stderr)
		cfg.DBFlag(fs)
		out := fs.String("out", defaultOut, "`folder` to write the "+what+" files to")
		var rotation *string
		if perRotation {
			rotation = fs.String("rotation", "", "one rotation's `ID` (pollen chart covers the default rotation otherwise; /pair rotation list shows the IDs)")
		}
		if err := fs.Parse(args); err != nil {
			return usageErr("%v", err)
		}
		if fs.NArg() > 0 {
			return usageErr("%s takes flags only, got %q", name, fs.Arg(0))
		}
		if _, err := os.Stat(cfg.DB); err != nil && !engine.IsPostgresURL(cfg.DB) {
			return fmt.Errorf("no database at %s", cfg.DB)
		}
		db, done, err := openForReading(ctx, cfg.DB)
		if err != nil {
			return err
		}
		rot := ""
		if rotation != nil {
			rot = *rotation
		}
		data, err := load(ctx, db, rot)
		if cerr := done(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		now := time.Now()
		files, err := render(data, now)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		for _, f := range files {
			path := filepath.Join(*out, f.Name)
			if err := writePrivate(path, f.Data); err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "wrote %s (%s)\n", path, f.Title)
		}
		if after != nil {
			after(env.stdout, data, now)
		}
		return nil
	}
}

// cmdChart writes the knowledge report's charts as PNG files, offline.
var cmdChart = reportCommand("chart", "charts", "PNG", true, func(ctx context.Context, db report.Store, rotation string) (report.Data, error) {
	if rotation == "" {
		return report.Load(ctx, db)
	}
	return report.LoadRotation(ctx, db, rotation)
}, report.Data.Charts, func(w io.Writer, d report.Data, now time.Time) {
	s := d.Summarise(now)
	fmt.Fprintf(w, "%d projects, mean bus factor %.2f, %d at bus factor 1 or less, team truck factor %d\n",
		s.Projects, s.MeanBusFactor, s.AtRisk, s.TruckFactor)
})

// cmdExport writes the tidy CSVs for pandas: sessions, familiarity, bus
// factor per week, the roster in the format pollen import reads, and who
// is in which rotation; it covers every rotation of the workspace.
var cmdExport = reportCommand("export", "export", "CSV", false, func(ctx context.Context, db report.Store, _ string) (report.Data, error) {
	return report.LoadAll(ctx, db)
}, report.CSVs, nil)

// writePrivate writes a file only its owner can read: exports name people
// and carry their rating notes. An existing file is narrowed to 0600 before
// anything is written to it (os.WriteFile keeps an old file's mode).
func writePrivate(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
