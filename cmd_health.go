package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/pollen-team/pollen/internal/config"
)

// cmdHealth asks the running bot's /healthz on this machine: the container
// HEALTHCHECK, since the runtime image has no curl. Exit 0 when healthy.
func cmdHealth(ctx context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "the running bot's HTTP `address` (env POLLEN_HTTP_ADDR)")
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	host, port, err := net.SplitHostPort(cfg.HTTPAddr)
	if err != nil {
		return usageErr("POLLEN_HTTP_ADDR=%q is not host:port", cfg.HTTPAddr)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("no answer from %s: %w", cfg.HTTPAddr, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	report := strings.Join(strings.Fields(strings.ReplaceAll(string(body), "\n", "; ")), " ")
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s", report)
	}
	fmt.Fprintf(env.stdout, "healthy: %s\n", report)
	return nil
}
