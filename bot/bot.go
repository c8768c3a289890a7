package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/pollen-team/pollen/internal/redact"
	"github.com/pollen-team/pollen/pairing"
)

// Config is what the bot needs from main.
type Config struct {
	AppToken string // xapp-…
	BotToken string // xoxb-…
	APIURL   string // Slack Web API base, with a trailing slash
	DB       Store  // the database's operations (*engine.DB)
	Log      *slog.Logger
	// Now is the clock; time.Now when nil. Tests inject their own.
	Now func() time.Time
	// PingInterval is how long the Socket Mode client waits for a server
	// ping before it reconnects (slack-go's default, 30 s, when zero).
	PingInterval time.Duration
	// HTTPClient for the Web API; http.DefaultClient's behaviour when nil.
	HTTPClient *http.Client
	// Callbacks connect the bot to the scheduler; both may be nil.
	Callbacks Callbacks
	// Observer counts commands for metrics; nil counts nothing.
	Observer Observer
	// Workers bounds how many events are handled at once (512 when zero).
	Workers int
}

// Observer is told how each slash command ended.
type Observer interface {
	CommandDone(command, outcome string)
}

type noObserver struct{}

func (noObserver) CommandDone(string, string) {}

// Bot is Pollen's Slack side: one Socket Mode connection, the Web API
// client, and the handlers behind /pair, buttons and the App Home.
type Bot struct {
	api    *slack.Client // handlers: retries 429s itself
	outbox *slack.Client // Deliver: 429s go back to the outbox sender
	sm     *socketmode.Client
	db     Store
	log    *slog.Logger
	now    func() time.Time
	model  pairing.Model

	users     *userCache
	team      ownTeam
	envelopes *envelopeCache
	connected atomic.Bool
	workers   chan struct{}
	inflight  sync.WaitGroup

	httpClient *http.Client
	callbacks  Callbacks
	observer   Observer
	redraws    redrawLocks
}

// New builds a bot; Run connects it.
func New(c Config) *Bot {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Workers <= 0 {
		c.Workers = 512
	}
	opts := []slack.Option{slack.OptionAppLevelToken(c.AppToken), slack.OptionAPIURL(c.APIURL)}
	if c.HTTPClient != nil {
		opts = append(opts, slack.OptionHTTPClient(c.HTTPClient))
	}
	// The outbox client does not retry by itself: a 429 goes back to the
	// scheduler, which keeps the item and tries again after Retry-After,
	// without holding a goroutine in a sleep.
	outbox := slack.New(c.BotToken, opts...)
	opts = append(opts, slack.OptionRetry(3)) // handlers: honours Retry-After; after OptionHTTPClient
	api := slack.New(c.BotToken, opts...)
	var smOpts []socketmode.Option
	if c.PingInterval > 0 {
		smOpts = append(smOpts, socketmode.OptionPingInterval(c.PingInterval))
	}
	b := &Bot{
		api:       api,
		outbox:    outbox,
		sm:        socketmode.New(api, smOpts...),
		db:        c.DB,
		log:       redact.Logger(c.Log), // no capability URL in the logs
		now:       c.Now,
		model:     pairing.DefaultModel(),
		envelopes: newEnvelopeCache(10000, 15*time.Minute, time.Now),
		workers:   make(chan struct{}, c.Workers),
	}
	b.callbacks = c.Callbacks
	b.observer = c.Observer
	if b.observer == nil {
		b.observer = noObserver{}
	}
	b.httpClient = c.HTTPClient
	if b.httpClient == nil {
		b.httpClient = http.DefaultClient
	}
	b.users = newUserCache(api, 10*time.Minute, c.Now)
	return b
}

// Connected reports whether the Socket Mode connection is up, for /healthz.
func (b *Bot) Connected() bool { return b.connected.Load() }

// ErrFatalAuth means Slack refused the tokens: retrying cannot help.
var ErrFatalAuth = errors.New("slack refused the token")

// Run connects to Slack and handles events until ctx ends or Slack refuses
// the tokens. It returns nil after a clean shutdown, once every handler in
// flight has finished.
func (b *Bot) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- b.sm.RunContext(ctx) }()
	defer b.inflight.Wait()
	for {
		select {
		case <-ctx.Done():
			if err := <-runErr; err != nil && !errors.Is(err, context.Canceled) {
				b.log.Debug("socket mode client stopped", "err", err)
			}
			return nil
		case err := <-runErr:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("%w: %v", ErrFatalAuth, err)
		case evt := <-b.sm.Events:
			b.dispatch(ctx, evt)
		}
	}
}

// dispatch acks or hands off one Socket Mode event. Connection events only
// update state; requests go to a worker so the loop keeps reading.
func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		b.connected.Store(true)
		b.log.Info("connected to Slack")
		return
	case socketmode.EventTypeHello:
		b.connected.Store(true)
		return
	case socketmode.EventTypeConnecting:
		b.connected.Store(false)
		return
	case socketmode.EventTypeConnectionError:
		b.connected.Store(false)
		b.log.Warn("slack connection trouble; reconnecting", "event", string(evt.Type))
		return
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed, socketmode.EventTypeErrorBadMessage:
		// A malformed frame or one failed write: slack-go keeps the
		// connection, and when the connection is what failed it reconnects,
		// which EventTypeConnecting reports. Marking the bot down here would
		// leave /healthz red on a working connection (or, from a dead
		// connection's late event, after the new one is up).
		b.log.Warn("slack frame trouble", "event", string(evt.Type))
		return
	case socketmode.EventTypeInvalidAuth:
		b.connected.Store(false)
		b.log.Error("slack refused the app token")
		return
	case socketmode.EventTypeDisconnect:
		b.connected.Store(false)
		return
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
	default:
		return // hello and other housekeeping
	}
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		return
	}
	id := evt.Request.EnvelopeID
	entry, seen := b.envelopes.begin(id)
	b.inflight.Add(1)
	select {
	case b.workers <- struct{}{}:
	case <-ctx.Done():
		b.inflight.Done()
		return
	}
	go func() {
		defer func() { <-b.workers; b.inflight.Done() }()
		if seen {
			// Slack redelivers an envelope whose ack was late: ack it
			// again with the same answer, but run nothing twice.
			b.log.Debug("duplicate envelope", "envelope", id)
			b.ack(ctx, id, entry.wait(ctx))
			return
		}
		b.handle(ctx, id, evt, entry)
	}()
}

// ackBudget is how long a slash command may take before the bot acks with
// "working on it" and sends the answer through the response URL instead;
// Slack shows an error to the user if the ack takes over 3 s.
const ackBudget = 1500 * time.Millisecond

// handle runs one request. Slash commands answer in their ack when they are
// quick; interactions and events are acked first and worked on after.
func (b *Bot) handle(ctx context.Context, id string, evt socketmode.Event, entry *envelope) {
	switch data := evt.Data.(type) {
	case slack.SlashCommand:
		done := make(chan message, 1)
		go func() {
			done <- b.safelyMessage(string(evt.Type), func() message { return b.handleSlashCommand(ctx, data) })
		}()
		var m message
		select {
		case m = <-done:
			entry.finish(ephemeral(m))
			b.ack(ctx, id, ephemeral(m))
		case <-time.After(ackBudget):
			working := ephemeral(text("Working on it…"))
			entry.finish(working)
			b.ack(ctx, id, working)
			m = <-done
			b.respond(ctx, data.ResponseURL, ephemeral(m))
		}
		if m.then != nil { // slow work, after the answer
			b.safelyMessage(string(evt.Type), func() message { m.then(context.WithoutCancel(ctx)); return message{} })
		}
	case slack.InteractionCallback:
		if data.Type == slack.InteractionTypeViewSubmission {
			var after func()
			payload := b.safely(ctx, string(evt.Type), func() (p any) { p, after = b.handleViewSubmission(ctx, data); return p })
			entry.finish(payload)
			b.ack(ctx, id, payload)
			if after != nil {
				b.safely(ctx, string(evt.Type), func() any { after(); return nil })
			}
			return
		}
		entry.finish(nil)
		b.ack(ctx, id, nil)
		b.safely(ctx, string(evt.Type), func() any { b.handleInteraction(ctx, data); return nil })
	default:
		entry.finish(nil)
		b.ack(ctx, id, nil)
		b.safely(ctx, string(evt.Type), func() any { b.handleEventsAPI(ctx, evt); return nil })
	}
}

func (b *Bot) ack(ctx context.Context, envelopeID string, payload any) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	if err := b.sm.AckCtx(ctx, envelopeID, payload); err != nil {
		b.log.Warn("ack failed", "envelope", envelopeID, "err", err)
	}
}

// respond sends a late slash command answer through its response URL.
func (b *Bot) respond(ctx context.Context, responseURL string, payload any) {
	p, ok := payload.(ephemeralPayload)
	if !ok || responseURL == "" {
		return
	}
	msg := &slack.WebhookMessage{Text: p.Text, ResponseType: p.ResponseType, ReplaceOriginal: true}
	if len(p.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: p.Blocks}
	}
	if err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, b.httpClient, msg); err != nil {
		b.log.Warn("late answer through response_url failed", "err", err)
	}
}

// safelyMessage is safely for handlers that return a message.
func (b *Bot) safelyMessage(what string, fn func() message) (m message) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("handler panicked", "event", what, "panic", fmt.Sprint(r))
			m = text("Sorry, something went wrong on our side; it has been logged. Please try again.")
			m.outcome = "error"
		}
	}()
	return fn()
}

// safely runs fn and turns a panic into a log line and an apology: no
// panic reaches a user or stops the bot.
func (b *Bot) safely(_ context.Context, what string, fn func() any) (payload any) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("handler panicked", "event", what, "panic", fmt.Sprint(r))
			payload = ephemeral(text("Sorry, something went wrong on our side; it has been logged. Please try again."))
		}
	}()
	return fn()
}

// ephemeralPayload is a slash command's ack payload: the reply only the
// caller sees.
type ephemeralPayload struct {
	ResponseType string        `json:"response_type"`
	Text         string        `json:"text"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
}

func ephemeral(m message) ephemeralPayload {
	return ephemeralPayload{ResponseType: "ephemeral", Text: m.Text, Blocks: capBlocks(m.Blocks, maxBlocksMessage)}
}

// userError turns an error into what the user reads: a domain error's own
// message; anything else is logged and apologised for.
func (b *Bot) userError(err error, attrs ...any) message {
	var de *pairing.Error
	if errors.As(err, &de) {
		m := text(escape(de.Message))
		m.outcome = "refused"
		return m
	}
	b.log.Error("request failed", append(attrs, "err", err)...)
	m := text("Sorry, something went wrong on our side; it has been logged. Please try again.")
	m.outcome = "error"
	return m
}
