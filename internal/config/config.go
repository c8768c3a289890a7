// Package config reads Pollen's configuration from the environment and
// flags, and keeps the Slack tokens out of every log line and error.
package config

import (
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/pollen-team/pollen/internal/redact"
)

// Secret is a token. It prints as [redacted] in every format and in logs,
// so passing a Config to a logger or an error cannot leak it.
type Secret string

func (Secret) String() string               { return "[redacted]" }
func (Secret) GoString() string             { return "[redacted]" }
func (Secret) LogValue() slog.Value         { return slog.StringValue("[redacted]") }
func (Secret) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// Reveal returns the token itself, for the one place that hands it to Slack.
func (s Secret) Reveal() string { return string(s) }

// Defaults.
const (
	DefaultAPIURL   = "https://slack.com/api/"
	DefaultDB       = "pollen.db"
	DefaultHTTPAddr = ":8080"
)

// Config is everything `pollen run` needs.
type Config struct {
	AppToken  Secret // SLACK_APP_TOKEN, xapp-…: opens the Socket Mode connection
	BotToken  Secret // SLACK_BOT_TOKEN, xoxb-…: every Web API call
	APIURL    string // SLACK_API_URL, always with a trailing slash
	DB        string // POLLEN_DB or -db
	DataDir   string // POLLEN_DATA_DIR: repository clones; empty: beside DB (see Data)
	HTTPAddr  string // POLLEN_HTTP_ADDR or -http: health and metrics
	LogLevel  slog.Level
	LogFormat string // text or json
}

// FromEnv reads the environment through getenv (os.Getenv in main).
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		AppToken:  Secret(strings.TrimSpace(getenv("SLACK_APP_TOKEN"))),
		BotToken:  Secret(strings.TrimSpace(getenv("SLACK_BOT_TOKEN"))),
		APIURL:    or(getenv("SLACK_API_URL"), DefaultAPIURL),
		DB:        or(getenv("POLLEN_DB"), DefaultDB),
		HTTPAddr:  or(getenv("POLLEN_HTTP_ADDR"), DefaultHTTPAddr),
		DataDir:   strings.TrimSpace(getenv("POLLEN_DATA_DIR")),
		LogFormat: or(getenv("POLLEN_LOG_FORMAT"), "text"),
	}
	if !strings.HasSuffix(c.APIURL, "/") {
		c.APIURL += "/" // slack-go appends the method name to it as it is
	}
	if err := c.LogLevel.UnmarshalText([]byte(or(getenv("POLLEN_LOG_LEVEL"), "info"))); err != nil {
		return c, fmt.Errorf("POLLEN_LOG_LEVEL=%q is not a level: use debug, info, warn or error", getenv("POLLEN_LOG_LEVEL"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("POLLEN_LOG_FORMAT=%q is not a format: use text or json", c.LogFormat)
	}
	return c, nil
}

// Data is the directory of the bot's repository clones: POLLEN_DATA_DIR,
// or the database's directory when it is not set.
func (c Config) Data() string {
	if c.DataDir != "" {
		return c.DataDir
	}
	return filepath.Dir(c.DB)
}

// DBFlag registers -db on fs with the configured database as its default.
func (c *Config) DBFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "database `file` (env POLLEN_DB)")
}

// ValidateTokens checks that both tokens are there and have the right kind,
// and says where to find them if not. It never includes a token in the
// message.
func (c Config) ValidateTokens() error {
	for _, t := range []struct {
		env, prefix, where string
		value              Secret
	}{
		{"SLACK_APP_TOKEN", "xapp-", "an app-level token with connections:write, from Basic Information → App-Level Tokens", c.AppToken},
		{"SLACK_BOT_TOKEN", "xoxb-", "the Bot User OAuth Token, from OAuth & Permissions", c.BotToken},
	} {
		if t.value == "" {
			return fmt.Errorf("%s is not set: it must hold %s (it starts with %s)", t.env, t.where, t.prefix)
		}
		if !strings.HasPrefix(string(t.value), t.prefix) {
			return fmt.Errorf("%s does not start with %s: it must hold %s", t.env, t.prefix, t.where)
		}
	}
	return nil
}

// Logger builds the process logger from the configured level and format;
// it redacts capability URLs (see package redact).
func (c Config) Logger(w interface{ Write([]byte) (int, error) }) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return redact.Logger(slog.New(slog.NewJSONHandler(w, opts)))
	}
	return redact.Logger(slog.New(slog.NewTextHandler(w, opts)))
}

func or(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}
