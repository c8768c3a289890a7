package main

import (
	"context"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// TestSIGTERMHandsOverAtOnce runs two `pollen run` processes on one
// PostgreSQL database with a leader lease of two minutes. While a round
// (of 27 proposals) is being sent, the leader gets SIGTERM: it stops
// cleanly, gives back the proposals it claimed and did not send, and
// resigns. The other replica leads within seconds, far sooner than the
// lease could expire (or a renewal period, 40 s, come round), and sends
// the rest of the round within the test's 30 s: every proposal arrives
// exactly once.
func TestSIGTERMHandsOverAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const ttl, bound = 2 * time.Minute, 5 * time.Second
	rs := startReplicaSet(t, 2, 80, 100*time.Millisecond, roundByAdmin, "POLLEN_TEST_LEADER_TTL="+ttl.String(), "POLLEN_OUTBOX_HOLD=3s")
	fake, db, cmds := rs.fake, rs.db, rs.cmds
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := fake.WaitConnected(ctx, 2); err != nil {
		t.Fatal(err)
	}
	leader, err := rs.waitLeader(ctx)
	if err != nil {
		t.Fatal("no replica leads")
	}
	ack, err := fake.SlashCommand(ctx, "UADMIN", "", "/pair", "round now")
	if err != nil || ack.Message == nil {
		t.Fatalf("/pair round now: %+v, %v", ack, err)
	}
	var sessions []pairing.Session
	if err := db.Snapshot(ctx, func(r store.Reader) (err error) { sessions, err = r.Sessions(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(sessions) < 20 {
		t.Fatalf("a round of %d sessions, want 20 or more", len(sessions))
	}
	if err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= 5 }); err != nil {
		t.Fatalf("the round never got going: %d proposals sent", len(proposalsSent(fake)))
	}
	sent := len(proposalsSent(fake))
	termed := time.Now()
	cmds[leader].Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func(c *exec.Cmd) { exited <- c.Wait() }(cmds[leader])
	delete(cmds, leader)
	if _, err := rs.waitLeader(ctx); err != nil { // the one replica left
		t.Fatal("the other replica never took over")
	}
	took := time.Since(termed)
	t.Logf("SIGTERM after %d of %d proposals; the other replica led %s later", sent, len(sessions), took.Round(10*time.Millisecond))
	if took > bound {
		t.Errorf("the other replica led %s after the leader's SIGTERM, want within %s (the lease runs %s)", took, bound, ttl)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the old leader's exit: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Error("the old leader did not stop after SIGTERM")
	}
	if err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= len(sessions) }); err != nil {
		t.Fatalf("only %d of %d proposals arrived", len(proposalsSent(fake)), len(sessions))
	}
	t.Logf("the round was all sent %s after the SIGTERM", time.Since(termed).Round(10*time.Millisecond))
	time.Sleep(500 * time.Millisecond) // anything sent twice would show now
	if err := db.Snapshot(ctx, func(r store.Reader) (err error) { sessions, err = r.Sessions(); return err }); err != nil {
		t.Fatal(err)
	}
	counts := proposalsSent(fake)
	for _, s := range sessions {
		if counts[s.ID] != 1 {
			t.Errorf("session %s was proposed %d times", s.ID, counts[s.ID])
		}
	}
}
