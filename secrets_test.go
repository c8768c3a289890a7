package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// Recognisable tokens: if any of these strings shows up in a log line, an
// error or a file, a token leaked.
const (
	leakyBotToken = "xoxb-1111-2222-bOtSeCrEt7xQ"
	leakyAppToken = "xapp-1-A0PLN-3333-aPpSeCrEt9qZ"
	leakyRefused  = "xapp-1-A0PLN-4444-rEvOkEdSeCrEt"
	leakyWrongBot = "xoxb-9999-wRoNgBoTsEcReT"
	leakyBadForm  = "oops-bAdFoRmSeCrEt"
)

var leakMarkers = []string{"bOtSeCrEt7xQ", "aPpSeCrEt9qZ", "rEvOkEdSeCrEt", "wRoNgBoTsEcReT", "bAdFoRmSeCrEt"}

func checkNoTokens(t *testing.T, where, text string) {
	t.Helper()
	for _, m := range leakMarkers {
		if strings.Contains(text, m) {
			i := strings.Index(text, m)
			t.Errorf("a token reached %s: …%s…", where, text[max(0, i-200):min(len(text), i+100)])
		}
	}
}

// TestTokensNeverLeak runs `pollen run` at debug level with recognisable
// tokens, through commands, a rate limit, server errors, a dropped socket,
// a refused app token, a refused bot token and a malformed token, in both
// log formats, and looks for the tokens in the logs, the errors, the
// health and metrics pages and the database file.
func TestTokensNeverLeak(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Run("a working bot under faults", func(t *testing.T) { leakWhileWorking(t, format) })
			t.Run("a refused bot token", func(t *testing.T) { leakWithRefusedBotToken(t, format) })
			t.Run("a refused app token", func(t *testing.T) {
				fake := slackfake.New(slackfake.WithTokens(leakyBotToken, leakyAppToken))
				defer fake.Close()
				code, logs := runUntilExit(t, fake, format, leakyRefused, leakyBotToken)
				if code == 0 || !strings.Contains(logs, "refused") {
					t.Errorf("exit %d with logs:\n%s", code, logs)
				}
				checkNoTokens(t, "the logs of a refused token", logs)
			})
			t.Run("a malformed token", func(t *testing.T) {
				fake := slackfake.New()
				defer fake.Close()
				code, logs := runUntilExit(t, fake, format, leakyAppToken, leakyBadForm)
				if code != 2 || !strings.Contains(logs, "SLACK_BOT_TOKEN") {
					t.Errorf("exit %d with logs:\n%s", code, logs)
				}
				checkNoTokens(t, "the error about a malformed token", logs)
			})
		})
	}
}

// runUntilExit runs `pollen run` with the tokens until it exits by itself
// (it is expected to refuse to start) and returns its exit code and
// stderr.
func runUntilExit(t *testing.T, fake *slackfake.Server, format, appToken, botToken string) (int, string) {
	t.Helper()
	env := map[string]string{
		"SLACK_APP_TOKEN": appToken, "SLACK_BOT_TOKEN": botToken, "SLACK_API_URL": fake.APIURL(),
		"POLLEN_DB": filepath.Join(t.TempDir(), "pollen.db"), "POLLEN_HTTP_ADDR": freePort(t),
		"POLLEN_LOG_LEVEL": "debug", "POLLEN_LOG_FORMAT": format,
	}
	var logs syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := run(ctx, environment{getenv: func(k string) string { return env[k] }, stdout: &logs, stderr: &logs}, []string{"run"})
	if ctx.Err() != nil {
		t.Fatalf("pollen run did not stop by itself; logs:\n%s", logs.String())
	}
	return code, logs.String()
}

// leakWithRefusedBotToken runs with a bot token Slack refuses: Socket
// Mode connects, every Web API call answers invalid_auth, and each command
// gets the apology.
func leakWithRefusedBotToken(t *testing.T, format string) {
	fake := slackfake.New(slackfake.WithPingInterval(200*time.Millisecond), slackfake.WithTokens(leakyBotToken, leakyAppToken))
	defer fake.Close()
	fake.AddUser(slackfake.User{ID: "UANA", Name: "ana", TZ: "Europe/Berlin", IsAdmin: true})
	env := map[string]string{
		"SLACK_APP_TOKEN": leakyAppToken, "SLACK_BOT_TOKEN": leakyWrongBot, "SLACK_API_URL": fake.APIURL(),
		"POLLEN_DB": filepath.Join(t.TempDir(), "pollen.db"), "POLLEN_HTTP_ADDR": freePort(t),
		"POLLEN_LOG_LEVEL": "debug", "POLLEN_LOG_FORMAT": format,
	}
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, environment{getenv: func(k string) string { return env[k] }, stdout: &logs, stderr: &logs}, []string{"run"})
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	if err := fake.WaitConnected(wctx, 1); err != nil {
		cancel()
		t.Fatal(err)
	}
	ack, err := fake.SlashCommand(wctx, "UANA", "", "/pair", "join")
	if err != nil || ack.Message == nil || !strings.HasPrefix(ack.Message.Text, "Sorry") {
		t.Errorf("/pair join with a refused bot token: %+v, %v", ack.Message, err)
	}
	cancel()
	<-done
	if !strings.Contains(logs.String(), "invalid_auth") {
		t.Errorf("the refusal was not logged:\n%s", logs.String())
	}
	checkNoTokens(t, "the logs of a refused bot token", logs.String())
}

func leakWhileWorking(t *testing.T, format string) {
	fake := slackfake.New(slackfake.WithPingInterval(200*time.Millisecond), slackfake.WithTokens(leakyBotToken, leakyAppToken))
	defer fake.Close()
	fake.AddUser(slackfake.User{ID: "UANA", Name: "ana", TZ: "Europe/Berlin", IsAdmin: true})
	fake.AddUser(slackfake.User{ID: "UBO", Name: "bo", TZ: "UTC"})
	addr := freePort(t)
	dbPath := filepath.Join(t.TempDir(), "pollen.db")
	env := map[string]string{
		"SLACK_APP_TOKEN": leakyAppToken, "SLACK_BOT_TOKEN": leakyBotToken, "SLACK_API_URL": fake.APIURL(),
		"POLLEN_DB": dbPath, "POLLEN_HTTP_ADDR": addr, "POLLEN_LOG_LEVEL": "debug", "POLLEN_LOG_FORMAT": format,
	}
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, environment{getenv: func(k string) string { return env[k] }, stdout: &logs, stderr: &logs}, []string{"run"})
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	if err := fake.WaitConnected(wctx, 1); err != nil {
		cancel()
		t.Fatal(err)
	}
	pair := func(user, text string) string {
		t.Helper()
		ack, err := fake.SlashCommand(wctx, user, "", "/pair", text)
		if err != nil || ack.Message == nil {
			t.Fatalf("/pair %s: %+v, %v", text, ack, err)
		}
		return ack.Message.Text
	}
	pair("UANA", "join")
	pair("UBO", "join")
	fake.AddUser(slackfake.User{ID: "UCY", Name: "cy", TZ: "UTC"})
	fake.FailNext("users.info", 1, slackfake.RateLimit{RetryAfter: time.Second}) // a 429 the handler waits out
	pair("UCY", "join")
	pair("UANA", "project add etl <@UANA|ana>")
	fake.FailNext("chat.postMessage", 1, slackfake.Status{Code: 500}) // a failed DM, logged with its error
	pair("UBO", "now etl")
	fake.FailNext("conversations.open", 1, slackfake.SlackError{Code: "invalid_auth"}) // Slack refusing the bot token
	pair("UBO", "log <@UANA|ana> etl")
	pair("UBO", "no-such-command")
	opens := fake.ConnectionOpens()
	fake.DropWebSockets()
	if err := fake.WaitFor(wctx, func() bool { return fake.ConnectionOpens() > opens && fake.Connections() == 1 }); err != nil {
		t.Fatal(err)
	}
	pair("UANA", "me")
	faults := map[string]bool{}
	for _, c := range fake.Calls("") {
		if c.Fault != "" {
			faults[c.Method+" "+c.Fault] = true
		}
	}
	if len(faults) != 3 {
		t.Errorf("faults hit: %v; want the 429, the 500 and the invalid_auth", faults)
	}
	for _, path := range []string{"/healthz", "/metrics"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		checkNoTokens(t, path, string(body))
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
	out := logs.String()
	if !strings.Contains(out, "level=DEBUG") && !strings.Contains(out, `"level":"DEBUG"`) {
		t.Errorf("no debug lines: the test would prove little:\n%s", out)
	}
	for _, want := range []string{"chat.postMessage", "invalid_auth"} {
		if !strings.Contains(out, want) {
			t.Errorf("the logs do not mention %s: the fault was not logged, so the test would prove little", want)
		}
	}
	checkNoTokens(t, "the logs", out)
	data, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	checkNoTokens(t, "the database file", string(data))
}
