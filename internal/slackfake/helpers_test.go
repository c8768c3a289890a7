package slackfake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// Test users.
var (
	alice = slackfake.User{ID: "UALICE", Name: "alice", RealName: "Alice Liddell", TZ: "Europe/Berlin",
		Email: "alice@example.com", StatusEmoji: ":palm_tree:", StatusText: "on holiday", IsAdmin: true}
	bob   = slackfake.User{ID: "UBOB", Name: "bob", RealName: "Bob Builder", TZ: "America/New_York", Email: "bob@example.com"}
	carol = slackfake.User{ID: "UCAROL", Name: "carol", RealName: "Carol Danvers", TZ: "Asia/Tokyo"}
	gone  = slackfake.User{ID: "UGONE", Name: "gone", RealName: "Gone Person", Deleted: true}
)

// newServer starts a fake with the test users and closes it after the test.
func newServer(t *testing.T, opts ...slackfake.Option) *slackfake.Server {
	t.Helper()
	srv := slackfake.New(opts...)
	t.Cleanup(srv.Close)
	for _, u := range []slackfake.User{alice, bob, carol, gone} {
		srv.AddUser(u)
	}
	return srv
}

// newAPI is the real slack-go client pointed at the fake.
func newAPI(srv *slackfake.Server) *slack.Client {
	return slack.New(srv.BotToken, slack.OptionAppLevelToken(srv.AppToken), slack.OptionAPIURL(srv.APIURL()))
}

// testCtx is a context that ends with the test or after 10 s.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// handler reacts to one Socket Mode event; returning true means it acked.
type handler func(sm *socketmode.Client, evt socketmode.Event) (acked bool)

// bot is a running socketmode client.
type bot struct {
	sm     *socketmode.Client
	mu     sync.Mutex
	events []socketmode.EventType
}

func (b *bot) seen(typ socketmode.EventType) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, e := range b.events {
		if e == typ {
			n++
		}
	}
	return n
}

// runBot runs a real socketmode client against srv until the test ends. h
// may be nil; any envelope it leaves unacked is acked empty.
func runBot(t *testing.T, srv *slackfake.Server, pingInterval time.Duration, h handler) *bot {
	t.Helper()
	b := &bot{sm: socketmode.New(newAPI(srv), socketmode.OptionPingInterval(pingInterval))}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = b.sm.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-b.sm.Events:
				b.mu.Lock()
				b.events = append(b.events, evt.Type)
				b.mu.Unlock()
				acked := h != nil && h(b.sm, evt)
				if !acked && evt.Request != nil && evt.Request.EnvelopeID != "" {
					_ = b.sm.AckCtx(ctx, evt.Request.EnvelopeID, nil)
				}
			}
		}
	})
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	return b
}

// startBot runs a bot and waits until it is connected.
func startBot(t *testing.T, srv *slackfake.Server, h handler) *bot {
	t.Helper()
	before := srv.Connections()
	b := runBot(t, srv, 2*time.Second, h)
	if err := srv.WaitConnected(testCtx(t), before+1); err != nil {
		t.Fatal(err)
	}
	return b
}

// rawCall posts form values to a Web API method without slack-go, for the
// cases slack-go refuses to send.
func rawCall(t *testing.T, srv *slackfake.Server, method string, form url.Values, bearer string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.APIURL()+method, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	_ = json.Unmarshal(buf.Bytes(), &body)
	return resp.StatusCode, body
}

// mustBlocks decodes Block Kit JSON into slack-go blocks.
func mustBlocks(t *testing.T, raw string) []slack.Block {
	t.Helper()
	var b slack.Blocks
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		t.Fatalf("blocks %s: %v", raw, err)
	}
	return b.BlockSet
}

// assertSlackError checks that err is a Slack error with code.
func assertSlackError(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %q, got nil", code)
	}
	if err.Error() != code {
		t.Fatalf("want error %q, got %q", code, err.Error())
	}
}

// openDM opens the bot's IM with user through the API.
func openDM(t *testing.T, api *slack.Client, users ...string) string {
	t.Helper()
	ch, _, _, err := api.OpenConversationContext(testCtx(t), &slack.OpenConversationParameters{Users: users})
	if err != nil {
		t.Fatalf("conversations.open %v: %v", users, err)
	}
	return ch.ID
}
