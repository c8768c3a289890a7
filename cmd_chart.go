package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/report"
	"github.com/pollen-team/pollen/store"
)

// cmdChart writes the knowledge report's charts as PNG files, offline.
func cmdChart(_ context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	fs := flag.NewFlagSet("chart", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.DBFlag(fs)
	out := fs.String("out", "charts", "`folder` to write the PNG files to")
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("chart takes flags only, got %q", fs.Arg(0))
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return fmt.Errorf("no database at %s", cfg.DB)
	}
	db, err := store.Open(cfg.DB, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	data, err := report.Load(db)
	db.Close()
	if err != nil {
		return err
	}
	now := time.Now()
	files, err := data.Charts(now)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		path := filepath.Join(*out, f.Name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "wrote %s (%s)\n", path, f.Title)
	}
	s := data.Summarise(now)
	fmt.Fprintf(env.stdout, "%d projects, mean bus factor %.2f, %d at bus factor 1 or less, team truck factor %d\n",
		s.Projects, s.MeanBusFactor, s.AtRisk, s.TruckFactor)
	return nil
}
