package bot

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// logBuffer collects log output from the bot's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

// A response_url is a capability: when answering a click through it fails
// in transport, slack-go's error quotes the whole URL, and the log line
// must not.
func TestResponseURLIsNotLogged(t *testing.T) {
	logs := &logBuffer{}
	h := newHarnessWith(t, func(c *Config) { c.Log = slog.New(slog.NewTextHandler(logs, nil)) })
	setupTeam(t, h)
	h.run("UCY", "now churn-model")
	ch, ok := h.fake.DMChannel("UANA", "UCY")
	if !ok {
		t.Fatal("no proposal DM")
	}
	msgs, err := h.fake.WaitForMessages(h.ctx(), ch, 1)
	if err != nil {
		t.Fatal(err)
	}
	// A stranger's click is refused through its response_url; replayed
	// with one nothing listens on, the refusal fails in transport.
	var ack slackfake.Ack
	h.nextEphemeral("UEVE", func() {
		if ack, err = h.fake.ClickButton(h.ctx(), "UEVE", msgs[0], actionAccept, ""); err != nil {
			t.Fatal(err)
		}
	})
	const secret = "s3cr3t-capability-token"
	var p map[string]any
	if err := json.Unmarshal(h.sentPayload(ack.EnvelopeID), &p); err != nil {
		t.Fatal(err)
	}
	p["response_url"] = "http://127.0.0.1:1/actions/T0FAKE/1234/" + secret
	data, _ := json.Marshal(p)
	if _, err := h.fake.SendRaw(h.ctx(), slackfake.EnvelopeInteractive, data, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { return strings.Contains(logs.String(), "private reply to a click failed") }); err != nil {
		t.Fatalf("the failed reply was not logged: %v\n%s", err, logs)
	}
	got := logs.String()
	if strings.Contains(got, secret) || strings.Contains(got, "/actions/") {
		t.Errorf("the response_url reached the log:\n%s", got)
	}
	if !strings.Contains(got, "127.0.0.1:1") {
		t.Errorf("the log lost the host, which helps to debug:\n%s", got)
	}
}
