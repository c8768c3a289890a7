package ops

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

// BackupSocket is where the bot serves backups of the database at dbPath:
// next to it, so it lives where the data does (a container's volume too).
func BackupSocket(dbPath string) string { return dbPath + ".sock" }

// maxSocketPath is the longest unix socket path Linux and macOS accept
// (sun_path holds 108 and 104 bytes with the terminating NUL).
const maxSocketPath = 103

// ListenBackup listens on the unix socket at path, which only this user
// can connect to (mode 0600). The socket is made in a fresh private folder
// and then renamed into place, so it is never reachable with wider rights.
// A socket left by a bot that died is replaced: the caller holds the
// database, so no other bot uses it. Closing the listener removes it.
func ListenBackup(path string) (net.Listener, error) {
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("the backup socket %s is longer than the %d bytes a unix socket path may have: put the database on a shorter path", path, maxSocketPath)
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket == 0 {
		return nil, fmt.Errorf("%s exists and is not a socket: remove it or move the database", path)
	}
	dir, err := os.MkdirTemp(filepath.Dir(path), ".pollen-sock-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "s")
	if len(tmp) > maxSocketPath {
		tmp = path // no room for the detour: listen in place, then narrow
		os.Remove(path)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, err
	}
	l.SetUnlinkOnClose(false)
	if err := os.Chmod(tmp, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	if tmp != path {
		if err := os.Rename(tmp, path); err != nil {
			l.Close()
			return nil, err
		}
	}
	return &socketListener{Listener: l, path: path}, nil
}

// socketListener removes its socket file when closed.
type socketListener struct {
	net.Listener
	path string
}

func (l *socketListener) Close() error {
	err := l.Listener.Close()
	if rmErr := os.Remove(l.path); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) && err == nil {
		err = rmErr
	}
	return err
}

// SocketClient is an HTTP client whose every request goes to the unix
// socket at path; the URL's host is ignored.
func SocketClient(path string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
	}}
}
