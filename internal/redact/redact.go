// Package redact keeps Slack's capability URLs out of Pollen's logs.
//
// Slack hands out capability URLs: a click's or a command's response_url
// (hooks.slack.com/actions/T…/…/secret, or /commands/…) lets whoever holds
// it post into that conversation for 30 minutes, and an upload URL
// (files.getUploadURLExternal) takes a file. slack-go's transport errors
// are *url.Error values whose text is `Post "<the whole URL>": …`, so
// logging one would put the capability in the logs. Pollen's loggers go
// through Handler, which keeps a URL's scheme and host and replaces the
// rest, except for the Web API's own method URLs (…/api/chat.postMessage),
// which carry no secret and say which call failed.
package redact

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// Logger is log (slog's default when nil) with every line redacted.
func Logger(log *slog.Logger) *slog.Logger {
	if log == nil {
		log = slog.Default()
	}
	if _, ok := log.Handler().(Handler); ok {
		return log
	}
	return slog.New(Handler{log.Handler()})
}

// urlPattern finds URLs in log text, quoted or bare.
var urlPattern = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+`)

// URLs replaces the path and query of every URL in s that is not a Web
// API method URL with "/[redacted]".
func URLs(s string) string {
	return urlPattern.ReplaceAllStringFunc(s, func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return "[redacted URL]"
		}
		if strings.HasPrefix(u.Path, "/api/") && u.RawQuery == "" && strings.Count(u.Path, "/") == 2 {
			return raw
		}
		return u.Scheme + "://" + u.Host + "/[redacted]"
	})
}

// Handler is a slog.Handler that redacts URLs in the message and in every
// string and error attribute before Next sees them.
type Handler struct{ Next slog.Handler }

// Enabled reports whether Next handles the level.
func (h Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.Next.Enabled(ctx, l) }

// Handle passes a redacted copy of the record to Next.
func (h Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, URLs(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(attr(a))
		return true
	})
	return h.Next.Handle(ctx, out)
}

// WithAttrs redacts the attributes and adds them to Next.
func (h Handler) WithAttrs(as []slog.Attr) slog.Handler {
	redacted := make([]slog.Attr, len(as))
	for i, a := range as {
		redacted[i] = attr(a)
	}
	return Handler{h.Next.WithAttrs(redacted)}
}

// WithGroup opens a group in Next.
func (h Handler) WithGroup(name string) slog.Handler { return Handler{h.Next.WithGroup(name)} }

// attr redacts strings, errors and anything else printed as text;
// numbers, times and booleans pass as they are.
func attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, URLs(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, URLs(err.Error()))
		}
		return slog.String(a.Key, URLs(v.String()))
	case slog.KindGroup:
		group := v.Group()
		out := make([]any, len(group))
		for i, g := range group {
			out[i] = attr(g)
		}
		return slog.Group(a.Key, out...)
	}
	return slog.Attr{Key: a.Key, Value: v}
}
