package slackfake

import (
	"sync"
	"time"
)

// Option configures a Server in New.
type Option func(*Server)

// WithTokens replaces the bot (xoxb-) and app-level (xapp-) tokens.
func WithTokens(bot, app string) Option {
	return func(s *Server) {
		s.BotToken = bot
		s.AppToken = app
	}
}

// WithBotUser replaces the bot's user ID, bot ID and user name.
func WithBotUser(userID, botID, name string) Option {
	return func(s *Server) {
		s.BotUserID = userID
		s.BotID = botID
		s.BotName = name
	}
}

// WithTeam replaces the team ID and domain.
func WithTeam(id, domain string) Option {
	return func(s *Server) {
		s.TeamID = id
		s.TeamDomain = domain
	}
}

// WithClock makes the server use now for timestamps, IDs, trigger expiry and
// response_url expiry. Ack latencies and ping intervals stay on real time.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.clock = now }
}

// WithPingInterval sets how often each WebSocket gets a PING control frame
// (default 250 ms). slack-go reconnects when it hears none within its own
// OptionPingInterval.
func WithPingInterval(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.pingInterval = d
		}
	}
}

// WithHelloDelay makes the server wait d between accepting a WebSocket and
// writing its hello, widening the gap in which the client already counts
// itself connected but the server does not yet list the connection.
func WithHelloDelay(d time.Duration) Option {
	return func(s *Server) { s.helloDelay = d }
}

// WithEventRedelivery sets when an unacked events_api envelope is delivered
// again with retry_attempt+1 and retry_reason "timeout" (default after 3 s,
// up to 3 retries, as Slack does). after <= 0 turns redelivery off.
func WithEventRedelivery(after time.Duration, maxRetries int) Option {
	return func(s *Server) {
		s.redeliverAfter = after
		s.maxRetries = maxRetries
	}
}

// WithMaxConnections sets how many Socket Mode connections may be open at
// once (default 10). A connection beyond that gets a too_many_websockets
// disconnect.
func WithMaxConnections(n int) Option {
	return func(s *Server) { s.maxConns = n }
}

// WithLogf sends the server's debug log to logf (for example t.Logf).
func WithLogf(logf func(format string, args ...any)) Option {
	return func(s *Server) { s.logf = logf }
}

// ManualClock is a clock for WithClock that only moves when told to.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock standing at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
