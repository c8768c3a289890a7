package pgtest

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The server starts, accepts connections on its port, survives a crash
// and a restart, and stops.
func TestServerStartsCrashesAndRestarts(t *testing.T) {
	s := Start(t)
	if err := s.WaitReady(5 * time.Second); err != nil {
		t.Fatalf("server not reachable: %v\n%s", err, s.Log())
	}
	s.Kill(t)
	if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(s.Port), time.Second); err == nil {
		c.Close()
		t.Fatal("the killed server still accepts connections")
	}
	s.Restart(t)
	if err := s.WaitReady(5 * time.Second); err != nil {
		t.Fatalf("restarted server not reachable: %v\n%s", err, s.Log())
	}
	s.Stop(t)
}

// A frozen server keeps its connections but answers nothing until thawed.
func TestAFrozenServerAnswersNothingUntilThawed(t *testing.T) {
	s := Start(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	ping := func(d time.Duration) error {
		pctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return conn.Ping(pctx)
	}
	if err := ping(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	s.Freeze(t)
	if err := ping(500 * time.Millisecond); err == nil {
		t.Fatal("the frozen server answered")
	}
	s.Thaw(t)
	if conn, err = pgx.Connect(ctx, s.URL("postgres")); err != nil { // the old one was closed on the timeout
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := ping(5 * time.Second); err != nil {
		t.Fatalf("the thawed server does not answer: %v", err)
	}
}
