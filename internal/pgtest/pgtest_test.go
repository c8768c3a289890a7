package pgtest

import (
	"net"
	"strconv"
	"testing"
	"time"
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
