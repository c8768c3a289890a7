package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// Two `pollen run` replicas on one PostgreSQL database: both connect to
// Slack and answer commands, exactly one runs the scheduler (its /healthz
// says leader, the other's follower), and when the leader stops (SIGTERM)
// the other takes over at its next try.
func TestTwoReplicasOneLeaderAndHandover(t *testing.T) {
	old := leaderTTL
	leaderTTL = 3 * time.Second
	defer func() { leaderTTL = old }()
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	defer fake.Close()
	for i := range 6 {
		fake.AddUser(slackfake.User{ID: fmt.Sprintf("U%02d", i), Name: fmt.Sprintf("p%d", i), TZ: "Europe/Berlin"})
	}
	url := pgtest.Shared(t).NewDatabase(t)
	type replica struct {
		addr   string
		cancel context.CancelFunc
		done   chan int
		logs   *syncBuffer
	}
	start := func() *replica {
		r := &replica{addr: freePort(t), done: make(chan int, 1), logs: &syncBuffer{}}
		env := map[string]string{"SLACK_APP_TOKEN": fake.AppToken, "SLACK_BOT_TOKEN": fake.BotToken,
			"SLACK_API_URL": fake.APIURL(), "POLLEN_DB": url, "POLLEN_HTTP_ADDR": r.addr}
		var ctx context.Context
		ctx, r.cancel = context.WithCancel(context.Background())
		go func() {
			r.done <- run(ctx, environment{getenv: func(k string) string { return env[k] }, stdout: io.Discard, stderr: r.logs}, []string{"run"})
		}()
		return r
	}
	stop := func(r *replica) {
		r.cancel()
		select {
		case code := <-r.done:
			if code != 0 {
				t.Errorf("replica exit %d:\n%s", code, r.logs.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("a replica did not stop")
		}
	}
	a, b := start(), start()
	running := map[*replica]bool{a: true, b: true}
	defer func() {
		for r := range running {
			stop(r)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := fake.WaitConnected(ctx, 2); err != nil {
		t.Fatalf("both replicas connect: %v\n%s\n%s", err, a.logs.String(), b.logs.String())
	}
	role := func(r *replica) string {
		resp, err := http.Get("http://" + r.addr + "/healthz")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		switch {
		case strings.Contains(string(body), "scheduler: leader"):
			return "leader"
		case strings.Contains(string(body), "scheduler: follower"):
			return "follower"
		}
		return ""
	}
	var leader, follower *replica
	if err := fake.WaitFor(ctx, func() bool {
		ra, rb := role(a), role(b)
		switch {
		case ra == "leader" && rb == "follower":
			leader, follower = a, b
		case rb == "leader" && ra == "follower":
			leader, follower = b, a
		}
		return leader != nil
	}); err != nil {
		t.Fatalf("want one leader and one follower; got %q and %q", role(a), role(b))
	}
	gauge := func(r *replica) string {
		resp, err := http.Get("http://" + r.addr + "/metrics")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, "pollen_scheduler_leader ") {
				return strings.TrimPrefix(line, "pollen_scheduler_leader ")
			}
		}
		return ""
	}
	if gauge(leader) != "1" || gauge(follower) != "0" {
		t.Errorf("pollen_scheduler_leader: leader %q, follower %q; want 1 and 0", gauge(leader), gauge(follower))
	}
	for i := range 6 {
		ack, err := fake.SlashCommand(ctx, fmt.Sprintf("U%02d", i), "", "/pair", "join")
		if err != nil || ack.Message == nil || !strings.Contains(ack.Message.Text, "Welcome") {
			t.Fatalf("/pair join by U%02d: %+v, %v", i, ack.Message, err)
		}
	}
	stop(leader)
	delete(running, leader)
	took := time.Now()
	if err := fake.WaitFor(ctx, func() bool { return role(follower) == "leader" }); err != nil {
		t.Fatalf("the follower never took over:\n%s", follower.logs.String())
	}
	if d := time.Since(took); d > leaderTTL {
		t.Errorf("handover after SIGTERM took %s; the leader resigned, so one try of the follower (%s) should do", d, followerPoll)
	}
	ack, err := fake.SlashCommand(ctx, "U00", "", "/pair", "me")
	if err != nil || ack.Message == nil {
		t.Fatalf("/pair me after the handover: %+v, %v", ack, err)
	}
	for _, r := range []*replica{a, b} {
		if strings.Contains(r.logs.String(), pgtest.Password) {
			t.Errorf("the database password reached a replica's log:\n%s", r.logs.String())
		}
	}
}

// POLLEN_DB as a PostgreSQL URL that is malformed, or names a server that
// does not answer: one line, exit 2 and 1, never the password.
func TestRunWithABadDatabaseURL(t *testing.T) {
	for _, tt := range []struct {
		url  string
		code int
		want string
	}{
		{"postgres://pollen:secret@127.0.0.1:notaport/db", 2, "POLLEN_DB: not a valid PostgreSQL URL"},
		{"postgres://pollen:secret@127.0.0.1:1/db?sslmode=disable", 1, "connect to postgres://pollen:xxxxx@127.0.0.1:1/db"},
	} {
		start := time.Now()
		code, _, errs := runCLI(t, tokens(tt.url), "run")
		if code != tt.code || !strings.Contains(errs, tt.want) || strings.Contains(errs, "secret") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%s: exit %d, %q; want exit %d, one line with %q, no password", tt.url, code, errs, tt.code, tt.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %s, past the connect timeout", tt.url, d)
		}
	}
}

// On PostgreSQL the commands work beside running replicas (no file lock):
// import, export and chart through POLLEN_DB as a URL; backup says to use
// PostgreSQL's tools, in one line.
func TestCommandsOnPostgres(t *testing.T) {
	url := pgtest.Shared(t).NewDatabase(t)
	dir := t.TempDir()
	team := filepath.Join(dir, "team.yaml")
	if err := os.WriteFile(team, []byte("people:\n  - {id: U0ADA, name: Ada, tz: Europe/Berlin, hours: \"09:00-17:00\"}\n"+
		"  - {id: U0BO, name: Bo, tz: America/New_York, hours: \"09:00-17:00\"}\nprojects:\n  - {name: churn-model, owners: [U0ADA]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"POLLEN_DB": url}
	if code, _, errs := runCLI(t, env, "import", team); code != 0 {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	out := filepath.Join(dir, "out")
	if code, _, errs := runCLI(t, env, "export", "-out", out); code != 0 {
		t.Fatalf("export: exit %d %s", code, errs)
	}
	roster, err := os.ReadFile(filepath.Join(out, "roster.csv"))
	if err != nil || !strings.Contains(string(roster), "U0ADA") || !strings.Contains(string(roster), "churn-model") {
		t.Errorf("roster.csv from PostgreSQL: %q, %v", roster, err)
	}
	if code, _, errs := runCLI(t, env, "chart", "-out", filepath.Join(dir, "charts")); code != 0 {
		t.Errorf("chart: exit %d %s", code, errs)
	}
	code, _, errs := runCLI(t, env, "backup", filepath.Join(dir, "b.db"))
	if code != 2 || !strings.Contains(errs, "pg_dump") || strings.Contains(errs, pgtest.Password) || strings.Count(errs, "\n") != 1 {
		t.Errorf("backup of a PostgreSQL database: exit %d, %q", code, errs)
	}
}

// PostgreSQL restarted under a running replica (a crash and recovery) in
// the middle of sending a round: commands that write keep working once it
// is back, what was written before is there, and every proposal of the
// round arrives exactly once, also after the claims the crash left
// behind ran out (held 2 s here) and were taken up again.
func TestPostgresRestartedUnderTheBot(t *testing.T) {
	srv := pgtest.Start(t) // its own server: the test stops it
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	defer fake.Close()
	for _, id := range []string{"U01", "U02"} {
		fake.AddUser(slackfake.User{ID: id, Name: id, TZ: "Europe/Berlin"})
	}
	url := srv.URL("postgres")
	seedTeamTB(t, fake, url, 40, time.Now()) // a round due at once
	fake.FailRate("chat.postMessage", 1, slackfake.Delay{D: 150 * time.Millisecond}, 1)
	const hold = 2 * time.Second
	env := map[string]string{"SLACK_APP_TOKEN": fake.AppToken, "SLACK_BOT_TOKEN": fake.BotToken,
		"SLACK_API_URL": fake.APIURL(), "POLLEN_DB": url, "POLLEN_HTTP_ADDR": freePort(t), "POLLEN_OUTBOX_HOLD": hold.String()}
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, environment{getenv: func(k string) string { return env[k] }, stdout: io.Discard, stderr: &logs}, []string{"run"})
	}()
	defer func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("exit %d:\n%s", code, logs.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("pollen run did not stop")
		}
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer wcancel()
	if err := fake.WaitConnected(wctx, 1); err != nil {
		t.Fatal(err)
	}
	join := func(user string) bool {
		ack, err := fake.SlashCommand(wctx, user, "", "/pair", "join")
		return err == nil && ack.Message != nil && strings.Contains(ack.Message.Text, "Welcome")
	}
	if !join("U01") {
		t.Fatal("/pair join before the restart")
	}
	if err := fake.WaitFor(wctx, func() bool { return len(proposalsSent(fake)) >= 5 }); err != nil {
		t.Fatalf("the round never got going: %d proposals sent", len(proposalsSent(fake)))
	}
	srv.Kill(t)
	crashed := len(proposalsSent(fake))
	srv.Restart(t)
	restarted := time.Now()
	if err := fake.WaitFor(wctx, func() bool { return join("U02") }); err != nil {
		t.Fatalf("/pair join never worked after PostgreSQL came back:\n%s", logs.String())
	}
	ack, err := fake.SlashCommand(wctx, "U01", "", "/pair", "me")
	if err != nil || ack.Message == nil || strings.Contains(ack.Message.Text, "not in the rotation") {
		t.Errorf("/pair me by U01, who joined before the restart: %+v, %v", ack.Message, err)
	}

	db, err := engine.Open(url, engine.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sessions []pairing.Session
	if err := db.Snapshot(wctx, func(r store.Reader) (err error) { sessions, err = r.Sessions(); return err }); err != nil {
		t.Fatal(err)
	}
	if crashed >= len(sessions) {
		t.Fatalf("the round (%d proposals) was all sent before the crash: nothing was tested", len(sessions))
	}
	if err := fake.WaitFor(wctx, func() bool { return len(proposalsSent(fake)) >= len(sessions) }); err != nil {
		t.Fatalf("only %d of %d proposals arrived", len(proposalsSent(fake)), len(sessions))
	}
	// Anything sent twice shows once the claims the crash left have run
	// out and the sender has looked at the outbox since.
	time.Sleep(time.Until(restarted.Add(hold + replicaOutboxPoll + time.Second)))
	counts := proposalsSent(fake)
	for _, s := range sessions {
		if counts[s.ID] != 1 {
			t.Errorf("session %s was proposed %d times", s.ID, counts[s.ID])
		}
	}
	t.Logf("PostgreSQL crashed after %d of %d proposals; all arrived once", crashed, len(sessions))
}
