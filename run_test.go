package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestRunAgainstASlackCompatibleServer runs `pollen run` in-process with
// SLACK_API_URL pointing at the fake: it connects, answers /pair, reports
// healthy, and stops cleanly when its context ends. Tokens never reach the
// logs, even at debug level.
func TestRunAgainstASlackCompatibleServer(t *testing.T) {
	fake := slackfake.New(slackfake.WithPingInterval(200*time.Millisecond), slackfake.WithTokens("xoxb-run-SECRET", "xapp-run-SECRET"))
	defer fake.Close()
	fake.AddUser(slackfake.User{ID: "UANA", Name: "ana", TZ: "Europe/Berlin"})
	addr := freePort(t)
	env := map[string]string{
		"SLACK_APP_TOKEN": fake.AppToken, "SLACK_BOT_TOKEN": fake.BotToken,
		"SLACK_API_URL": strings.TrimSuffix(fake.APIURL(), "/"), // the trailing slash is added back
		"POLLEN_DB":     filepath.Join(t.TempDir(), "pollen.db"), "POLLEN_HTTP_ADDR": addr,
		"POLLEN_LOG_LEVEL": "debug",
	}
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, environment{getenv: func(k string) string { return env[k] }, stdout: io.Discard, stderr: &logs}, []string{"run"})
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := fake.WaitConnected(wctx, 1); err != nil {
		t.Fatal(err)
	}
	ack, err := fake.SlashCommand(wctx, "UANA", "", "/pair", "join")
	if err != nil || ack.Message == nil || !strings.Contains(ack.Message.Text, "Welcome") {
		t.Fatalf("/pair join: %+v, %v", ack.Message, err)
	}
	if err := fake.WaitFor(wctx, func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}); err != nil {
		t.Fatalf("never healthy: %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d; logs:\n%s", code, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("pollen run did not stop")
	}
	if strings.Contains(logs.String(), "SECRET") {
		t.Errorf("a token reached the logs:\n%s", logs.String())
	}
}
