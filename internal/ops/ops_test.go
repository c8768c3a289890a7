package ops

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

type fakeDB struct{}

func (fakeDB) Backup(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, "db")
	return int64(n), err
}

// The HTTP port serves no backup to anyone: a same-host reverse proxy or a
// forged request arrives from loopback, addressed to 127.0.0.1, exactly as
// `pollen backup` would.
func TestHTTPPortServesNoBackup(t *testing.T) {
	h := Handler(nil)
	for _, tt := range []struct{ name, remote, host string }{
		{"same-host reverse proxy", "127.0.0.1:5000", "127.0.0.1:8080"},
		{"localhost name", "127.0.0.1:5000", "localhost:8080"},
		{"ipv6 loopback", "[::1]:5000", "[::1]:8080"},
		{"from another machine", "10.0.0.7:5000", "10.0.0.2:8080"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/backup", nil)
			r.RemoteAddr, r.Host = tt.remote, tt.host
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusNotFound {
				t.Errorf("status %d, want 404", w.Code)
			}
		})
	}
}

func TestBackupOverTheSocketIsForThisUserOnly(t *testing.T) {
	path := BackupSocket(filepath.Join(t.TempDir(), "pollen.db"))
	if err := os.WriteFile(path, nil, 0o600); err != nil { // not a socket
		t.Fatal(err)
	}
	if _, err := ListenBackup(path); err == nil {
		t.Fatal("ListenBackup replaced a file that is not a socket")
	}
	os.Remove(path)
	l, err := ListenBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want srw-------", fi.Mode())
	}
	srv := NewBackupServer(BackupHandler(fakeDB{}, slog.New(slog.NewTextHandler(io.Discard, nil))))
	go srv.Serve(l)
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://pollen/backup", nil)
	resp, err := SocketClient(path).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "db" {
		t.Errorf("backup: %s %q", resp.Status, body)
	}
	srv.Close()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("the socket outlived its server: %v", err)
	}
}

// Every server has a timeout on every phase, so idle keep-alive
// connections and slow clients do not stay open forever.
func TestServersTimeOut(t *testing.T) {
	for name, s := range map[string]*http.Server{"http": NewServer(nil), "backup": NewBackupServer(nil)} {
		if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 || s.IdleTimeout <= 0 {
			t.Errorf("%s server without a timeout: %+v", name, s)
		}
	}
	if NewBackupServer(nil).WriteTimeout < BackupTimeout {
		t.Error("the backup server cuts a backup short")
	}
}
