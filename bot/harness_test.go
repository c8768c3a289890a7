package bot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

// clock is a settable clock shared by the bot under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Tuesday 24 November 2026, 10:00 UTC.
var start = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// harness is a running bot connected to a fake Slack over real HTTP and a
// real WebSocket, with a real database file.
type harness struct {
	t     testing.TB
	fake  *slackfake.Server
	db    *engine.DB
	bot   *Bot
	clock *clock
	// timeouts, in the fault harness, gives the bot's Web API client a
	// short timeout while a test needs one.
	timeouts *timeoutSwitch
}

// The workspace every test starts with. Ana is a workspace admin.
var people = []slackfake.User{
	{ID: "UANA", Name: "ana", RealName: "Ana Lima", DisplayName: "Ana", TZ: "Europe/Berlin", IsAdmin: true},
	{ID: "UBO", Name: "bo", RealName: "Bo Chen", DisplayName: "Bo", TZ: "America/New_York"},
	{ID: "UCY", Name: "cy", RealName: "Cy Diaz", DisplayName: "Cy", TZ: "Europe/London"},
	{ID: "UDI", Name: "di", RealName: "Di Evans", DisplayName: "Di", TZ: "Asia/Tokyo"},
	{ID: "UEVE", Name: "eve", RealName: "Eve Ford", DisplayName: "Eve", TZ: "UTC"},
	{ID: "UBOT", Name: "otherbot", RealName: "Another Bot", IsBot: true},
}

func newHarness(t testing.TB, opts ...slackfake.Option) *harness {
	t.Helper()
	return newHarnessWith(t, nil, opts...)
}

// newHarnessWith is newHarness with the bot's config open to change first.
func newHarnessWith(t testing.TB, change func(*Config), opts ...slackfake.Option) *harness {
	t.Helper()
	fake := slackfake.New(append([]slackfake.Option{slackfake.WithPingInterval(200 * time.Millisecond)}, opts...)...)
	for _, u := range people {
		fake.AddUser(u)
	}
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: start}
	cfg := Config{
		AppToken: fake.AppToken, BotToken: fake.BotToken, APIURL: fake.APIURL(),
		DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clk.Now, PingInterval: 2 * time.Second,
	}
	if change != nil {
		change(&cfg)
	}
	b := New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		fake.CheckViolations(t)
		fake.Close()
		if err := db.Close(); err != nil {
			t.Errorf("close the database: %v", err)
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := fake.WaitConnected(wctx, 1); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, fake: fake, db: db, bot: b, clock: clk}
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	h.t.Cleanup(cancel)
	return ctx
}

// run types "/pair text" as user and returns the reply the user sees.
func (h *harness) run(user, text string) string {
	h.t.Helper()
	ack, err := h.fake.SlashCommand(h.ctx(), user, "", "/pair", text)
	if err != nil {
		h.t.Fatalf("/pair %s: %v", text, err)
	}
	if ack.Message == nil {
		h.t.Fatalf("/pair %s: the ack carried no reply", text)
	}
	if !ack.Message.Ephemeral && !ack.Message.FromAck {
		h.t.Errorf("/pair %s: reply is not ephemeral", text)
	}
	// A handler held up past the ack budget (a paused CI machine) answers
	// through the response URL: the reply is the same.
	return h.answer(user, ack)
}

// person reads a roster entry straight from the database.
func (h *harness) person(id string) (pairing.Person, error) {
	return h.db.Person(h.ctx(), id)
}

func (h *harness) sessions() []pairing.Session {
	h.t.Helper()
	ss, err := h.db.Sessions(h.ctx())
	if err != nil {
		h.t.Fatal(err)
	}
	return ss
}

func (h *harness) events() []pairing.Event {
	h.t.Helper()
	tm, err := h.db.LoadTeam(h.ctx())
	if err != nil {
		h.t.Fatal(err)
	}
	return tm.Events
}

// nextEphemeral runs act and returns the first private message the user
// gets after it.
func (h *harness) nextEphemeral(user string, act func()) string {
	h.t.Helper()
	n := len(h.fake.Ephemerals(user))
	act()
	msgs, err := h.fake.WaitForEphemerals(h.ctx(), user, n+1)
	if err != nil {
		h.t.Fatalf("no private reply to %s: %v", user, err)
	}
	return msgs[n].Text
}

// sentPayload returns the payload of an envelope the fake sent, to replay it.
func (h *harness) sentPayload(envelopeID string) json.RawMessage {
	h.t.Helper()
	for _, f := range h.fake.Frames() {
		var env struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if f.Outgoing && json.Unmarshal(f.Data, &env) == nil && env.EnvelopeID == envelopeID {
			return env.Payload
		}
	}
	h.t.Fatalf("no envelope %s was sent", envelopeID)
	return nil
}
