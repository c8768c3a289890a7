// Package ops serves Pollen's operator side: health and metrics on the
// HTTP port, and on a unix socket next to the database, while the bot
// holds the file, a hot backup of it (`pollen backup`, and the copy that
// `export` and `chart` read) and the CLI's writing commands (`import`,
// `import-git`: see AdminOp).
//
// Why a socket and not a loopback check on the HTTP port: the port listens
// on every interface so that health checks and Prometheus reach it, and a
// same-host reverse proxy (proxy_pass http://127.0.0.1:8080) or a request
// forgery from a sidecar arrives from loopback with a loopback Host header,
// which no check on the request can tell from `pollen backup`. A unix
// socket is not reachable over TCP at all, so no proxy reaches it by
// accident, and its file mode (0600, the bot's user only, like the
// database itself) is the access check: whoever may connect could read
// pollen.db anyway. It also works whatever interface the HTTP port is
// bound to, and in a container `docker exec` shares the filesystem.
package ops

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Check is one part of the service that can be healthy or not; it returns
// nil when healthy.
type Check struct {
	Name string
	Fn   func() error
	// Info, instead of Fn, is a fact about the part that does not make it
	// down (the scheduler's role: leader or follower).
	Info func() string
}

// Backuper writes a consistent copy of the database.
type Backuper interface {
	Backup(w io.Writer) (int64, error)
}

// Handler serves the HTTP port: /healthz (200 when every check passes; the
// body names each part and whether it is up) and /metrics (when given).
// It never serves a backup: see BackupHandler.
func Handler(metrics http.Handler, checks ...Check) http.Handler {
	mux := http.NewServeMux()
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		var body strings.Builder
		status := http.StatusOK
		for _, c := range checks {
			if c.Info != nil {
				fmt.Fprintf(&body, "%s: %s\n", c.Name, c.Info())
				continue
			}
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
	return mux
}

// BackupHandler serves GET /backup, a consistent copy of the database. It
// holds every record, private avoid lists included: serve it only on the
// socket of ListenBackup.
func BackupHandler(db Backuper, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		n, err := db.Backup(w)
		if err != nil {
			log.Error("backup over the socket failed", "bytes", n, "err", err)
			return // the client sees a short body and fails
		}
		log.Info("backup served", "bytes", n)
	})
	return mux
}

// Server timeouts. A slow or idle client holds a connection for at most
// these; the backup's write budget is long enough to stream a large
// database to a slow disk, and `pollen backup` gives up after BackupTimeout.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	idleTimeout       = time.Minute
	writeTimeout      = 30 * time.Second
	// BackupTimeout bounds one backup over the socket, client and server.
	BackupTimeout = 15 * time.Minute
)

// NewServer is the HTTP port's server, with timeouts on every phase.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout}
}

// NewBackupServer is the backup socket's server: NewServer's timeouts,
// with BackupTimeout to write the copy.
func NewBackupServer(h http.Handler) *http.Server {
	s := NewServer(h)
	s.WriteTimeout = BackupTimeout
	return s
}
