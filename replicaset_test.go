package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
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

// roundFrom is who plans the round of a replica set.
type roundFrom int

const (
	// roundByAdmin: the schedule plans no round; the test has an admin
	// plan it with /pair round now, on whichever replica Slack picks.
	roundByAdmin roundFrom = iota
	// roundByLeader: the round is due when the replicas start (every
	// minute, since an hour ago): the first replica to lead plans it in
	// its catch-up tick, before /healthz says it leads.
	roundByLeader
)

// replicaSet is n `pollen run` processes on one new PostgreSQL database
// holding a team of people, whose round is planned as round says, and the
// fake Slack they share, whose chat.postMessage takes delay (the sends are
// spread out). The replicas still running at the end are stopped with
// SIGTERM.
type replicaSet struct {
	fake *slackfake.Server
	db   *engine.DB
	cmds map[string]*exec.Cmd // by /healthz address; a test deletes those it stops
}

func startReplicaSet(t *testing.T, n, people int, delay time.Duration, round roundFrom, env ...string) *replicaSet {
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
	if round == roundByAdmin {
		if _, err := db.UpdateSettings(context.Background(), func(s *pairing.TeamSettings, _ store.Reader) (store.Change, error) {
			s.Schedule = "0 0 1 1 *" // no scheduled round: the admin plans it
			return store.Change{}, nil
		}); err != nil {
			t.Fatal(err)
		}
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

// metric is the sum of the values of the metric's series, with labels
// starting with labels ("" for any), on the replica's /metrics; -1 when
// the replica does not answer.
func metric(addr, name, labels string) float64 {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return -1
	}
	var sum float64
	for _, line := range strings.Split(string(body), "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok && (rest != "" && rest[0] == ' ' || strings.HasPrefix(rest, "{"+labels)) {
			v, _ := strconv.ParseFloat(rest[strings.LastIndexByte(rest, ' ')+1:], 64)
			sum += v
		}
	}
	return sum
}
