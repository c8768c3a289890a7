package ops

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

type fakeDB struct{}

func (fakeDB) Backup(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, "db")
	return int64(n), err
}

func TestBackupOnlyForLocalhost(t *testing.T) {
	h := Handler(fakeDB{}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	tests := []struct {
		name, remote, host string
		want               int
	}{
		{"loopback", "127.0.0.1:5000", "127.0.0.1:8080", http.StatusOK},
		{"localhost name", "127.0.0.1:5000", "localhost:8080", http.StatusOK},
		{"ipv6 loopback", "[::1]:5000", "[::1]:8080", http.StatusOK},
		{"from another machine", "10.0.0.7:5000", "10.0.0.2:8080", http.StatusForbidden},
		{"DNS rebinding", "127.0.0.1:5000", "evil.example:8080", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/backup", nil)
			r.RemoteAddr, r.Host = tt.remote, tt.host
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Errorf("status %d, want %d", w.Code, tt.want)
			}
		})
	}
}
