package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/store"
)

func cmdRun(ctx context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.DBFlag(fs)
	fs.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "health, metrics and backup `address` (env POLLEN_HTTP_ADDR)")
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("run takes no arguments, got %q", fs.Arg(0))
	}
	if err := cfg.ValidateTokens(); err != nil {
		return usageErr("%v", err)
	}
	log := cfg.Logger(env.stderr)
	db, err := store.Open(cfg.DB, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database open", "path", cfg.DB, "schema", store.SchemaVersion())
	return runBot(ctx, cfg, db, log)
}

func runBot(ctx context.Context, cfg config.Config, db *store.DB, log *slog.Logger) error {
	_, _, _, _ = ctx, cfg, db, log
	return usageErr("%s", fmt.Sprint("the Slack bot is not built yet"))
}
