package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/pollen-team/pollen/bot"
	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/ops"
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

// runBot serves the side port and runs the bot until ctx ends (SIGINT or
// SIGTERM) or Slack refuses the tokens.
func runBot(ctx context.Context, cfg config.Config, db *store.DB, log *slog.Logger) error {
	b := bot.New(bot.Config{
		AppToken: cfg.AppToken.Reveal(), BotToken: cfg.BotToken.Reveal(), APIURL: cfg.APIURL,
		DB: db, Log: log,
	})
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("health port: %w", err)
	}
	srv := &http.Server{
		Handler: ops.Handler(db, log,
			ops.Check{Name: "database", Fn: db.Ping},
			ops.Check{Name: "slack", Fn: func() error {
				if !b.Connected() {
					return errors.New("the Socket Mode connection is not up")
				}
				return nil
			}}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("health port stopped", "err", err)
		}
	}()
	log.Info("pollen running", "http", ln.Addr().String(), "slack_api", cfg.APIURL)
	runErr := b.Run(ctx)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdownCtx)
	if runErr != nil {
		return runErr
	}
	log.Info("pollen stopped")
	return nil
}
