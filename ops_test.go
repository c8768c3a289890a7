package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/ops"
	"github.com/pollen-team/pollen/internal/slackfake"
)

// startRun runs `pollen run` in-process against the fake and returns the
// health port's address and a stop function that reports the exit code.
func startRun(t *testing.T, fake *slackfake.Server) (addr string, stop func() int) {
	t.Helper()
	return startRunDB(t, fake, filepath.Join(t.TempDir(), "pollen.db"))
}

// startRunDB is startRun on the database at dbPath.
func startRunDB(t *testing.T, fake *slackfake.Server, dbPath string) (addr string, stop func() int) {
	t.Helper()
	addr = freePort(t)
	env := map[string]string{
		"SLACK_APP_TOKEN": fake.AppToken, "SLACK_BOT_TOKEN": fake.BotToken, "SLACK_API_URL": fake.APIURL(),
		"POLLEN_DB": dbPath, "POLLEN_HTTP_ADDR": addr,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, environment{getenv: func(k string) string { return env[k] }, stdout: io.Discard, stderr: io.Discard}, []string{"run"})
	}()
	return addr, func() int { cancel(); return <-done }
}

func get(addr, path string) (int, string) {
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestHealthFollowsTheSocketModeConnection(t *testing.T) {
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	defer fake.Close()
	addr, stop := startRun(t, fake)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	healthy := func() bool { code, _ := get(addr, "/healthz"); return code == http.StatusOK }
	if err := fake.WaitFor(ctx, func() bool { return fake.Connections() == 1 && healthy() }); err != nil {
		t.Fatal("never healthy")
	}
	hcEnv := map[string]string{"POLLEN_HTTP_ADDR": addr}
	if code, out, errOut := runCLI(t, hcEnv, "health"); code != 0 || !strings.Contains(out, "healthy: database: ok; slack: ok") {
		t.Errorf("pollen health: exit %d, %q %q", code, out, errOut)
	}
	// Keep it down until the checks below are done, however slow the
	// machine: every reconnect is refused until ClearFaults.
	fake.FailNext("apps.connections.open", 1000, slackfake.Status{Code: 503})
	fake.DropWebSockets()
	var body string
	if err := fake.WaitFor(ctx, func() bool {
		var code int
		code, body = get(addr, "/healthz")
		return code == http.StatusServiceUnavailable
	}); err != nil {
		t.Fatal("still healthy with the socket down")
	}
	if !strings.Contains(body, "slack: down") || !strings.Contains(body, "database: ok") {
		t.Errorf("unhealthy body does not say which part is down:\n%s", body)
	}
	if code, _, errOut := runCLI(t, hcEnv, "health"); code != 1 || !strings.Contains(errOut, "unhealthy: database: ok; slack: down") {
		t.Errorf("pollen health while down: exit %d, %q", code, errOut)
	}
	fake.ClearFaults()
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Second) // slack-go's backoff after the refusals
	defer cancel()
	if err := fake.WaitFor(ctx, healthy); err != nil {
		t.Fatal("not healthy again after the reconnect")
	}
}

func TestMetricsExposeTheNamedSeries(t *testing.T) {
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	defer fake.Close()
	fake.AddUser(slackfake.User{ID: "UANA", Name: "ana", TZ: "UTC", IsAdmin: true})
	addr, stop := startRun(t, fake)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"join", "project add etl <@UANA|ana>", "jion"} {
		if _, err := fake.SlashCommand(ctx, "UANA", "", "/pair", text); err != nil {
			t.Fatal(err)
		}
	}
	// The join queued a welcome DM: read the metrics once the sender has
	// delivered it, so the outbox depth is settled.
	var body string
	fake.WaitFor(ctx, func() bool { _, body = get(addr, "/metrics"); return strings.Contains(body, "pollen_outbox_depth 0") })
	for _, want := range []string{
		`pollen_commands_total{command="join",outcome="ok"} 1`,
		`pollen_commands_total{command="unknown",outcome="invalid"} 1`,
		`pollen_slack_api_calls_total{error="ok",method="users.info",status="200"}`,
		`pollen_sessions{state="proposed"} 0`,
		`pollen_outbox_depth 0`,
		`pollen_mean_bus_factor 1`,
		`pollen_projects_at_bus_factor_one 1`,
		`pollen_rounds_planned_total 0`,
		`pollen_slack_rate_limit_waits_total 0`,
		`pollen_team_truck_factor 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", body)
	}
}

// scrape reads the world's /metrics into series → value.
func scrape(t *testing.T, w *world) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	w.app.metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	out := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		i := strings.LastIndexByte(line, ' ')
		if strings.HasPrefix(line, "#") || i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// The counters move: planning a round counts it and its sessions, a 429 on
// a proposal counts a rate-limit wait, and each Slack call is counted by
// method, HTTP status and Slack's answer, so an error Slack sends with HTTP
// 200 is told apart from success.
func TestMetricsCountARoundAndSlackTrouble(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday)
	before := scrape(t, w)

	w.fake.FailNext("conversations.open", 1, slackfake.SlackError{Code: "invalid_auth"})
	w.fake.FailNext("chat.postMessage", 1, slackfake.RateLimit{RetryAfter: 2 * time.Second})
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	w.clock.Set(monday)
	if err := w.app.loop.Tick(w.ctx()); err != nil {
		t.Fatal(err)
	}
	for range 20 { // drain as the sender would, waiting out Retry-After and backoff
		next, err := w.app.sender.Drain(w.ctx())
		if err != nil {
			t.Fatal(err)
		}
		if next.IsZero() {
			break
		}
		w.clock.Set(next)
	}
	if d := w.outboxDepth(); d != 0 {
		t.Fatalf("%d outbox items left", d)
	}
	after := scrape(t, w)

	for _, c := range []struct {
		series   string
		increase float64 // at least
	}{
		{`pollen_rounds_planned_total`, 1},
		{`pollen_sessions{state="proposed"}`, 2},
		{`pollen_slack_rate_limit_waits_total`, 1},
		{`pollen_slack_rate_limit_wait_seconds_total`, 2},
		{`pollen_slack_api_calls_total{error="ratelimited",method="chat.postMessage",status="429"}`, 1},
		{`pollen_slack_api_calls_total{error="invalid_auth",method="conversations.open",status="200"}`, 1},
		{`pollen_slack_api_calls_total{error="ok",method="conversations.open",status="200"}`, 2},
		{`pollen_slack_api_calls_total{error="ok",method="chat.postMessage",status="200"}`, 2},
	} {
		if got := after[c.series] - before[c.series]; got < c.increase {
			t.Errorf("%s went from %v to %v; want it up by at least %v", c.series, before[c.series], after[c.series], c.increase)
		}
	}
	if t.Failed() {
		t.Logf("metrics after the round: %v", after)
	}
}

// A running bot serves its database to `pollen backup` through the socket
// next to the database, and never on the HTTP port, where a same-host
// reverse proxy (proxy_pass http://127.0.0.1:8080) would pass it on.
func TestRunningBotServesBackupsOnlyOnItsSocket(t *testing.T) {
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	defer fake.Close()
	// A short folder, not t.TempDir(): the socket's path must fit the
	// 104 bytes of sun_path, and the test's name alone is 42 (macOS's
	// TMPDIR is about 49).
	dir, err := os.MkdirTemp("", "pb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	dbPath, dst := filepath.Join(dir, "pollen.db"), filepath.Join(dir, "copy.db")
	seedDB(t, dbPath)
	addr, stop := startRunDB(t, fake, dbPath)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := fake.WaitFor(ctx, func() bool { code, _ := get(addr, "/healthz"); return code == http.StatusOK }); err != nil {
		t.Fatal("never healthy")
	}
	if code, body := get(addr, "/backup"); code != http.StatusNotFound {
		t.Errorf("GET /backup on the HTTP port from loopback: %d %.40q, want 404", code, body)
	}
	fi, err := os.Stat(ops.BackupSocket(dbPath))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup socket: %v %v, want mode 0600", fi, err)
	}
	env := map[string]string{"POLLEN_DB": dbPath, "POLLEN_HTTP_ADDR": "192.0.2.10:8080"}
	if code, out, errOut := runCLI(t, env, "backup", dst); code != 0 {
		t.Fatalf("pollen backup: exit %d %q %q", code, out, errOut)
	}
	checkBackup(t, dst)
	if code := stop(); code != 0 {
		t.Errorf("run: exit %d", code)
	}
	if _, err := os.Lstat(ops.BackupSocket(dbPath)); !os.IsNotExist(err) {
		t.Errorf("the socket outlived the bot: %v", err)
	}
}
