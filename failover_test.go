package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// A child process started by startReplica leads with the lease TTL in
// POLLEN_TEST_LEADER_TTL, when it is set.
func init() {
	if v := os.Getenv("POLLEN_TEST_LEADER_TTL"); v != "" && os.Getenv("POLLEN_TEST_PROCESS") == "1" {
		ttl, err := time.ParseDuration(v)
		if err != nil {
			panic("POLLEN_TEST_LEADER_TTL: " + err.Error())
		}
		leaderTTL = ttl
	}
}

// startReplica starts `pollen run` in a child process on the database URL,
// serving /healthz at addr, with env added to (and over) its environment.
func startReplica(t *testing.T, fake *slackfake.Server, url, addr string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPollenProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "POLLEN_TEST_PROCESS=1",
		"SLACK_APP_TOKEN="+fake.AppToken, "SLACK_BOT_TOKEN="+fake.BotToken, "SLACK_API_URL="+fake.APIURL(),
		"POLLEN_DB="+url, "POLLEN_HTTP_ADDR="+addr, "POLLEN_LOG_LEVEL=warn", "POLLEN_OUTBOX_HOLD=10s")
	cmd.Env = append(cmd.Env, env...) // exec uses the last value of a key
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// replicaSet is n `pollen run` processes on one new PostgreSQL database
// holding a team of people, whose schedule plans no round (an admin plans
// it with /pair round now), and the fake Slack they share, whose
// chat.postMessage takes delay (the sends are spread out). The replicas
// still running at the end are stopped with SIGTERM.
type replicaSet struct {
	fake *slackfake.Server
	db   *engine.DB
	cmds map[string]*exec.Cmd // by /healthz address; a test deletes those it stops
}

func startReplicaSet(t *testing.T, n, people int, delay time.Duration, env ...string) *replicaSet {
	t.Helper()
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	t.Cleanup(fake.Close)
	fake.FailRate("chat.postMessage", 1, slackfake.Delay{D: delay}, 1)
	url := pgtest.Shared(t).NewDatabase(t)
	seedTeamTB(t, fake, url, people, time.Now())
	fake.AddUser(slackfake.User{ID: "UADMIN", Name: "admin", TZ: "UTC", IsAdmin: true})
	db, err := engine.Open(url, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.UpdateSettings(context.Background(), func(s *pairing.TeamSettings, _ store.Reader) (store.Change, error) {
		s.Schedule = "0 0 1 1 *" // no scheduled round: the admin plans it
		return store.Change{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	rs := &replicaSet{fake: fake, db: db, cmds: map[string]*exec.Cmd{}}
	for range n {
		a := freePort(t)
		rs.cmds[a] = startReplica(t, fake, url, a, env...)
	}
	t.Cleanup(func() {
		for _, c := range rs.cmds {
			c.Process.Signal(syscall.SIGTERM)
			c.Wait()
		}
	})
	return rs
}

// waitLeader waits until one of the replicas still running says it leads
// (/healthz), and returns its address.
func (rs *replicaSet) waitLeader(ctx context.Context) (string, error) {
	var leader string
	err := rs.fake.WaitFor(ctx, func() bool {
		for a := range rs.cmds {
			if schedulerRole(a) == "leader" {
				leader = a
				return true
			}
		}
		return false
	})
	return leader, err
}

func schedulerRole(addr string) string {
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	_, role, _ := strings.Cut(string(body), "scheduler: ")
	role, _, _ = strings.Cut(role, "\n")
	return role
}

// TestFailoverKillsTheLeaderMidRound runs three `pollen run` processes on
// one PostgreSQL database and the fake Slack. An admin plans a round of
// 200 proposals; in the middle of sending it the leader is killed with
// SIGKILL. Another replica leads within 30 s, the round was planned once,
// every proposal arrives exactly once, and slash commands sent all along
// are answered (their ack times are reported).
func TestFailoverKillsTheLeaderMidRound(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	rs := startReplicaSet(t, 3, 400, 15*time.Millisecond)
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

	// Slash commands all through, from people on the roster.
	var mu sync.Mutex
	var acks []time.Duration
	var failed int
	stopCmds := make(chan struct{})
	cmdsDone := make(chan struct{})
	go func() {
		defer close(cmdsDone)
		r := rand.New(rand.NewPCG(5, 6))
		for {
			select {
			case <-stopCmds:
				return
			case <-time.After(50 * time.Millisecond):
			}
			start := time.Now()
			actx, acancel := context.WithTimeout(ctx, 20*time.Second)
			ack, err := fake.SlashCommand(actx, fmt.Sprintf("U%04d", r.IntN(400)), "", "/pair", "me")
			acancel()
			mu.Lock()
			if err != nil || ack.Message == nil {
				failed++
			} else {
				acks = append(acks, time.Since(start))
			}
			mu.Unlock()
		}
	}()

	ack, err := fake.SlashCommand(ctx, "UADMIN", "", "/pair", "round now")
	if err != nil || ack.Message == nil {
		t.Fatalf("/pair round now: %+v, %v", ack, err)
	}
	if err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= 40 }); err != nil {
		t.Fatalf("the round never got going: %d proposals sent", len(proposalsSent(fake)))
	}
	cmds[leader].Process.Signal(syscall.SIGKILL)
	cmds[leader].Wait()
	delete(cmds, leader)
	killed := time.Now()
	t.Logf("killed the leader after %d proposals", len(proposalsSent(fake)))
	next, err := rs.waitLeader(ctx)
	if err != nil {
		t.Fatal("no replica took over")
	}
	if d := time.Since(killed); d > 30*time.Second {
		t.Errorf("took over after %s, want within 30 s", d)
	}
	t.Logf("%s took over %s after the kill", next, time.Since(killed).Round(100*time.Millisecond))
	if err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= 200 }); err != nil {
		t.Fatalf("only %d of 200 proposals arrived", len(proposalsSent(fake)))
	}
	time.Sleep(time.Second) // anything sent twice would show now
	close(stopCmds)
	<-cmdsDone

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
	mu.Lock()
	defer mu.Unlock()
	if len(acks) == 0 {
		t.Fatal("no slash command was answered")
	}
	slices.Sort(acks)
	p := func(q float64) time.Duration { return acks[min(len(acks)-1, int(q*float64(len(acks))))] }
	t.Logf("slash commands during the failover: %d answered, %d not; ack p50 %s, p99 %s, max %s",
		len(acks), failed, p(0.5).Round(time.Millisecond), p(0.99).Round(time.Millisecond), acks[len(acks)-1].Round(time.Millisecond))
	if failed > 0 {
		t.Errorf("%d slash commands were not answered", failed)
	}
}
