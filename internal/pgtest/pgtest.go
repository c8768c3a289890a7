// Package pgtest starts throwaway PostgreSQL servers for tests: a real
// server from the host's PostgreSQL binaries (Debian's postgresql package:
// initdb, pg_ctl, postgres), in its own temporary directory, on a loopback
// port and a unix socket, stopped and removed when the test ends. There is
// no mock and no container engine.
//
// Without PostgreSQL binaries a test that needs one skips, unless
// POLLEN_REQUIRE_POSTGRES=1 (set by CI), where it fails: CI must not pass
// by skipping the PostgreSQL half of the store's tests.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Password is the password of the superuser "pollen" on every test server.
const Password = "pollen-test-password"

// Server is one running throwaway PostgreSQL server.
type Server struct {
	Port int
	// SocketDir holds the server's unix socket.
	SocketDir string
	dataDir   string
	root      string
	bin       string
	cred      *syscall.Credential
	mu        sync.Mutex
	databases int
}

// Binaries returns the directory of the PostgreSQL server binaries: where
// initdb is on PATH, else the newest /usr/lib/postgresql/*/bin (Debian does
// not put the server's binaries on PATH).
func Binaries() (string, bool) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, true
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, true
		}
	}
	return "", false
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// Start initialises and starts a server for the test, or skips the test
// when the host has no PostgreSQL (see the package comment). The server is
// stopped and removed when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := binaries(t)
	s, err := start(bin)
	if s != nil {
		t.Cleanup(s.Close)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var shared struct {
	once sync.Once
	s    *Server
	err  error
}

// Shared is one server for every test of the package that asks, started
// by the first: cheaper than a server per test when each test takes its
// own database (NewDatabase). The package's TestMain must call Main, which
// stops it.
func Shared(t testing.TB) *Server {
	t.Helper()
	bin := binaries(t)
	shared.once.Do(func() { shared.s, shared.err = start(bin) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.s
}

// Main runs the package's tests and then stops the shared server.
func Main(m *testing.M) {
	code := m.Run()
	if shared.s != nil {
		shared.s.Close()
	}
	os.Exit(code)
}

// binaries finds the server's binaries or skips (fails, when CI requires
// PostgreSQL) the test.
func binaries(t testing.TB) string {
	t.Helper()
	bin, ok := Binaries()
	if !ok {
		if os.Getenv("POLLEN_REQUIRE_POSTGRES") == "1" {
			t.Fatal("PostgreSQL binaries not found (initdb on PATH or /usr/lib/postgresql/*/bin) and POLLEN_REQUIRE_POSTGRES=1: install Debian's postgresql package")
		}
		t.Skip("no PostgreSQL binaries here (install Debian's postgresql package)")
	}
	return bin
}

func start(bin string) (*Server, error) {
	// A short path of its own: a unix socket path must fit in 107 bytes,
	// and when the tests run as root the server runs as another user, who
	// must be able to reach it (t.TempDir's parent is private).
	root, err := os.MkdirTemp("", "pgt")
	if err != nil {
		return nil, err
	}
	s := &Server{root: root, bin: bin, dataDir: filepath.Join(root, "data"), SocketDir: root}
	if err := s.asServerUser(); err != nil {
		return s, err
	}
	pw := filepath.Join(root, "pw")
	if err := os.WriteFile(pw, []byte(Password+"\n"), 0o600); err != nil {
		return s, err
	}
	if err := s.chown(root, pw); err != nil {
		return s, err
	}
	if err := s.exec("initdb", "-D", s.dataDir, "-U", "pollen", "--pwfile", pw, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		return s, err
	}
	os.Remove(pw)
	if s.Port, err = freePort(); err != nil {
		return s, err
	}
	return s, s.startServer()
}

// Close stops the server as a crash would and removes its files.
func (s *Server) Close() {
	s.stop("immediate")
	os.RemoveAll(s.root)
}

// URL is the server's URL for the database name, as the given user
// (pollen, the superuser, with Password).
func (s *Server) URL(database string) string {
	return fmt.Sprintf("postgres://pollen:%s@127.0.0.1:%d/%s?sslmode=disable", Password, s.Port, database)
}

// NewDatabase creates an empty database on the server and returns its
// URL: cheaper than a server per test.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	s.mu.Lock()
	s.databases++
	name := fmt.Sprintf("test%d", s.databases)
	s.mu.Unlock()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	return s.URL(name)
}

// Restart starts the server (again, after Stop or Kill), waiting until it
// accepts connections.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.startServer(); err != nil {
		t.Fatal(err)
	}
}

func (s *Server) startServer() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200", s.Port, s.SocketDir)
	return s.exec("pg_ctl", "-D", s.dataDir, "-l", filepath.Join(s.root, "log"), "-o", opts, "-w", "-t", "30", "start")
}

// Stop shuts the server down cleanly (pg_ctl stop -m fast).
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.stop("fast"); err != nil {
		t.Fatal(err)
	}
}

// Kill stops the server as a crash would (pg_ctl stop -m immediate: no
// checkpoint; the next start recovers from the write-ahead log).
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	if err := s.stop("immediate"); err != nil {
		t.Fatal(err)
	}
}

func (s *Server) stop(mode string) error {
	if _, err := os.Stat(filepath.Join(s.dataDir, "postmaster.pid")); err != nil {
		return nil // not running
	}
	out, err := s.command("pg_ctl", "-D", s.dataDir, "-m", mode, "-w", "-t", "30", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop -m %s: %v\n%s", mode, err, out)
	}
	return nil
}

// Log is what the server wrote to its log so far, for a failing test.
func (s *Server) Log() string {
	data, _ := os.ReadFile(filepath.Join(s.root, "log"))
	return string(data)
}

func (s *Server) exec(name string, args ...string) error {
	out, err := s.command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, out, s.Log())
	}
	return nil
}

func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd
}

// asServerUser: PostgreSQL refuses to run as root, so as root the server
// runs as the postgres user (Debian's package makes it), else nobody.
func (s *Server) asServerUser() error {
	if os.Geteuid() != 0 {
		return nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		return nil
	}
	return fmt.Errorf("running as root and there is no postgres or nobody user to run PostgreSQL as")
}

func (s *Server) chown(paths ...string) error {
	if s.cred == nil {
		return nil
	}
	for _, p := range paths {
		if err := os.Chown(p, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return err
		}
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// WaitReady waits up to d for the server to accept TCP connections.
func (s *Server) WaitReady(d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
