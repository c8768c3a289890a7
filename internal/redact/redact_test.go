package redact

import (
	"bytes"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

func TestURLs(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Post "https://hooks.slack.com/actions/T1/2/abc": EOF`, `Post "https://hooks.slack.com/[redacted]": EOF`},
		{`Post "https://hooks.slack.com/commands/T1/2/abc?x=1": timeout`, `Post "https://hooks.slack.com/[redacted]": timeout`},
		{`Post "https://slack.com/api/chat.postMessage": EOF`, `Post "https://slack.com/api/chat.postMessage": EOF`},
		{`Post "https://files.slack.com/upload/v1/abc": EOF`, `Post "https://files.slack.com/[redacted]": EOF`},
		{"no url here", "no url here"},
	}
	for _, tt := range tests {
		if got := URLs(tt.in); got != tt.want {
			t.Errorf("URLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Errors, strings, groups and attributes added with With are all redacted.
func TestLoggerRedactsEveryAttribute(t *testing.T) {
	var buf bytes.Buffer
	log := Logger(slog.New(slog.NewJSONHandler(&buf, nil)))
	secret := "https://hooks.slack.com/actions/T1/2/s3cret"
	err := &url.Error{Op: "Post", URL: secret, Err: errors.New("EOF")}
	log.With("url", secret).WithGroup("g").Warn("failed "+secret, "err", err, slog.Group("inner", "u", secret), "n", 3)
	if got := buf.String(); strings.Contains(got, "s3cret") || !strings.Contains(got, `"n":3`) {
		t.Errorf("log line %s", got)
	}
}
