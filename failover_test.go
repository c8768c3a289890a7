package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// TestFailoverKillsTheLeaderMidRound runs three `pollen run` processes on
// one PostgreSQL database and the fake Slack (issue 21, item 4). The
// round of 200 proposals is the scheduler's: the first replica to lead
// plans it; every replica sends it. In the middle of sending it the
// leader is killed with SIGKILL, holding a batch of proposals it claimed.
// Another replica leads within 30 s, having planned nothing (a new
// leader's catch-up tick runs before it says it leads); the round was
// planned once; every proposal arrives exactly once, also after the
// killed replica's claims (held 3 s) ran out and were taken over; and
// slash commands sent all along are answered (their ack times are
// reported). /pair round now, refused on every replica (the leader and
// both followers) while the leader's round is being sent, plans nothing.
func TestFailoverKillsTheLeaderMidRound(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const hold = 3 * time.Second
	rs := startReplicaSet(t, 3, 400, 60*time.Millisecond, roundByLeader, "POLLEN_OUTBOX_HOLD="+hold.String())
	fake, db, cmds := rs.fake, rs.db, rs.cmds
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	if err := fake.WaitConnected(ctx, 3); err != nil {
		t.Fatal(err)
	}
	leader, err := rs.waitLeader(ctx)
	if err != nil {
		t.Fatal("no replica leads")
	}
	for a := range cmds {
		if n, want := metric(a, "pollen_rounds_planned_total", ""), map[bool]float64{true: 1}[a == leader]; n != want {
			t.Fatalf("replica %s (leader %v) planned %v rounds, want %v", a, a == leader, n, want)
		}
	}
	t.Logf("the leader planned the round; %d proposals sent when all three were up", len(proposalsSent(fake)))
	roundNowEverywhere(ctx, t, rs)

	acks := slashCommandsAllAlong(ctx, t, rs)
	if err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= 40 && acks.answered() >= 2 }); err != nil {
		t.Fatalf("the round never got going: %d proposals sent", len(proposalsSent(fake)))
	}
	cmds[leader].Process.Signal(syscall.SIGKILL)
	cmds[leader].Wait()
	delete(cmds, leader)
	killed := time.Now()
	sentAtKill := len(proposalsSent(fake))
	t.Logf("killed the leader after %d proposals", sentAtKill)
	if sentAtKill >= 200 {
		t.Fatal("the round was all sent before the leader was killed: nothing was tested")
	}
	next, err := rs.waitLeader(ctx)
	if err != nil {
		t.Fatal("no replica took over")
	}
	if d := time.Since(killed); d > 30*time.Second {
		t.Errorf("took over after %s, want within 30 s", d)
	}
	t.Logf("%s took over %s after the kill", next, time.Since(killed).Round(100*time.Millisecond))
	for a := range cmds {
		if n := metric(a, "pollen_rounds_planned_total", ""); n != 0 {
			t.Errorf("replica %s (leader now: %v) planned %v rounds after the kill, want none", a, a == next, n)
		}
	}
	if err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= 200 }); err != nil {
		t.Fatalf("only %d of 200 proposals arrived", len(proposalsSent(fake)))
	}
	// Anything sent twice shows once every claim the killed replica held
	// has run out and a survivor's sender has looked at the outbox since.
	time.Sleep(time.Until(killed.Add(hold + replicaOutboxPoll + time.Second)))
	acks.stop()

	var sessions []pairing.Session
	if err := db.Snapshot(ctx, func(r store.Reader) (err error) { sessions, err = r.Sessions(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 200 {
		t.Errorf("%d sessions, want 200: the round planned once", len(sessions))
	}
	counts := proposalsSent(fake)
	for _, s := range sessions {
		if counts[s.ID] != 1 {
			t.Errorf("session %s was proposed %d times", s.ID, counts[s.ID])
		}
	}
	// An item claimed by the killed replica comes back with a second
	// attempt, whose sender first looks for it in Slack.
	lookups := len(fake.Calls("conversations.history"))
	t.Logf("%d messages the killed replica had claimed were looked for in Slack before being sent", lookups)
	if lookups == 0 {
		t.Error("no survivor took over a message the killed replica had claimed: the kill hit no batch in flight")
	}
	acks.report(t)
}

// roundNowEverywhere has an admin type /pair round now once on each
// replica (Slack spreads envelopes round robin over the connections)
// while the leader's round is being sent: each refuses it, the round
// exists.
func roundNowEverywhere(ctx context.Context, t *testing.T, rs *replicaSet) {
	t.Helper()
	for range rs.cmds {
		ack, err := rs.fake.SlashCommand(ctx, "UADMIN", "", "/pair", "round now")
		if err != nil || ack.Message == nil || !strings.Contains(ack.Message.Text, "already exists") {
			t.Fatalf("/pair round now: %+v, %v; want it refused, the round exists", ack, err)
		}
	}
	for a := range rs.cmds {
		if n := metric(a, "pollen_commands_total", `command="round now",outcome="refused"`); n != 1 {
			t.Errorf("replica %s refused /pair round now %v times, want once", a, n)
		}
	}
}

// commandAcks are the ack times of slash commands sent all through a test.
type commandAcks struct {
	mu       sync.Mutex
	acks     []time.Duration
	failed   int
	stopping chan struct{}
	done     chan struct{}
}

// slashCommandsAllAlong sends /pair me from people on the roster every
// 50 ms until stop, each given 20 s to be answered.
func slashCommandsAllAlong(ctx context.Context, t *testing.T, rs *replicaSet) *commandAcks {
	c := &commandAcks{stopping: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		r := rand.New(rand.NewPCG(5, 6))
		for {
			select {
			case <-c.stopping:
				return
			case <-time.After(50 * time.Millisecond):
			}
			start := time.Now()
			actx, acancel := context.WithTimeout(ctx, 20*time.Second)
			ack, err := rs.fake.SlashCommand(actx, fmt.Sprintf("U%04d", r.IntN(400)), "", "/pair", "me")
			acancel()
			c.mu.Lock()
			if err != nil || ack.Message == nil {
				c.failed++
			} else {
				c.acks = append(c.acks, time.Since(start))
			}
			c.mu.Unlock()
		}
	}()
	t.Cleanup(c.stop)
	return c
}

func (c *commandAcks) answered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.acks)
}

func (c *commandAcks) stop() {
	select {
	case <-c.stopping:
	default:
		close(c.stopping)
	}
	<-c.done
}

// report logs the ack times' p50, p99 and max, and fails the test if a
// command was not answered.
func (c *commandAcks) report(t *testing.T) {
	t.Helper()
	c.stop()
	acks := slices.Sorted(slices.Values(c.acks))
	if len(acks) == 0 {
		t.Fatal("no slash command was answered")
	}
	p := func(q float64) time.Duration { return acks[min(len(acks)-1, int(q*float64(len(acks))))] }
	t.Logf("slash commands during the failover: %d answered, %d not; ack p50 %s, p99 %s, max %s",
		len(acks), c.failed, p(0.5).Round(time.Millisecond), p(0.99).Round(time.Millisecond), acks[len(acks)-1].Round(time.Millisecond))
	if c.failed > 0 {
		t.Errorf("%d slash commands were not answered", c.failed)
	}
}
