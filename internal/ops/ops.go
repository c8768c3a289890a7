// Package ops serves Pollen's operator side port: health and a hot backup
// of the database for `pollen backup` while the bot holds the file.
package ops

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
)

// Check is one part of the service that can be healthy or not; it returns
// nil when healthy.
type Check struct {
	Name string
	Fn   func() error
}

// Backuper writes a consistent copy of the database.
type Backuper interface {
	Backup(w io.Writer) (int64, error)
}

// Handler serves /healthz (200 when every check passes; the body names each
// part and whether it is up), /metrics (when given) and /backup (a consistent database copy, to
// loopback clients only: it holds every record).
func Handler(db Backuper, log *slog.Logger, metrics http.Handler, checks ...Check) http.Handler {
	mux := http.NewServeMux()
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		var body strings.Builder
		status := http.StatusOK
		for _, c := range checks {
			if err := c.Fn(); err != nil {
				status = http.StatusServiceUnavailable
				fmt.Fprintf(&body, "%s: down: %v\n", c.Name, err)
			} else {
				fmt.Fprintf(&body, "%s: ok\n", c.Name)
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, body.String())
	})
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		if !fromLoopback(r) || !localHost(r.Host) {
			// The Host check stops a web page that rebinds a DNS name to
			// 127.0.0.1 from reading the database through a browser.
			http.Error(w, "backups are served to localhost only", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		n, err := db.Backup(w)
		if err != nil {
			log.Error("backup over http failed", "bytes", n, "err", err)
			return // the client sees a short body and fails
		}
		log.Info("backup served", "bytes", n)
	})
	return mux
}

// localHost reports whether the request was addressed to this machine by
// a loopback name or address.
func localHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
