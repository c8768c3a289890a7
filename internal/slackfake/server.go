package slackfake

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// ErrClosed is returned by calls that were waiting when the server closed.
var ErrClosed = errors.New("slackfake: server closed")

// Default identities of the fake workspace.
const (
	DefaultBotToken  = "xoxb-fake-bot"
	DefaultAppToken  = "xapp-fake-app"
	DefaultTeamID    = "T0FAKE"
	DefaultBotUserID = "U0FAKEBOT"
	DefaultBotID     = "B0FAKEBOT"
	DefaultAppID     = "A0FAKEAPP"
)

// Server is a running fake Slack. Create it with New and stop it with Close.
// The exported identity fields are set by options before the server starts
// and must not be changed afterwards.
type Server struct {
	BotToken          string // xoxb- token accepted for Web API calls
	AppToken          string // xapp- token accepted for apps.connections.open
	TeamID            string // "T0FAKE"
	TeamDomain        string // "fake"
	TeamName          string // "Fake Workspace"
	BotUserID         string // user ID of the bot user
	BotID             string // bot ID (B…) of the bot user
	BotName           string // user name of the bot user
	AppID             string // api_app_id in payloads
	VerificationToken string // "token" field of payloads

	hs    *httptest.Server
	clock func() time.Time
	logf  func(format string, args ...any)

	pingInterval   time.Duration
	helloDelay     time.Duration
	redeliverAfter time.Duration
	maxRetries     int
	maxConns       int

	mu        sync.Mutex
	changed   chan struct{}
	closed    bool
	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	seq       uint64
	lastTS    int64

	users        map[string]*User
	userOrder    []string
	channels     map[string]*channel
	convByKey    map[string]string
	messages     map[string][]*Message
	ephemerals   []*Message
	views        map[string]*View
	viewOrder    []string
	homes        map[string]string
	triggers     map[string]*trigger
	uploads      map[string]*Upload
	uploadOrder  []string
	uploadTokens map[string]string
	responseURLs map[string]*responseURL
	calls        []Call
	violations   []string
	buckets      map[string]*bucket
	faults       map[string][]*nextFault
	rates        map[string]*rateFault

	conns     []*wsConn
	dialing   map[*wsConn]bool // upgraded, hello not yet written: dropped too
	connSeq   int
	tickets   map[string]bool
	connOpens int
	pongs     int
	stopPing  bool
	rr        int
	pending   map[string][]*pending
	acks      []AckRecord
	frames    []Frame
}

// New starts a fake Slack on 127.0.0.1 with the given options.
func New(opts ...Option) *Server {
	s := &Server{
		BotToken:          DefaultBotToken,
		AppToken:          DefaultAppToken,
		TeamID:            DefaultTeamID,
		TeamDomain:        "fake",
		TeamName:          "Fake Workspace",
		BotUserID:         DefaultBotUserID,
		BotID:             DefaultBotID,
		BotName:           "pollen",
		AppID:             DefaultAppID,
		VerificationToken: "fakeVerificationToken0001",
		clock:             time.Now,
		pingInterval:      250 * time.Millisecond,
		redeliverAfter:    3 * time.Second,
		maxRetries:        3,
		maxConns:          10,
		changed:           make(chan struct{}),
		done:              make(chan struct{}),
		users:             map[string]*User{},
		channels:          map[string]*channel{},
		convByKey:         map[string]string{},
		messages:          map[string][]*Message{},
		views:             map[string]*View{},
		homes:             map[string]string{},
		triggers:          map[string]*trigger{},
		uploads:           map[string]*Upload{},
		uploadTokens:      map[string]string{},
		responseURLs:      map[string]*responseURL{},
		faults:            map[string][]*nextFault{},
		rates:             map[string]*rateFault{},
		tickets:           map[string]bool{},
		pending:           map[string][]*pending{},
		dialing:           map[*wsConn]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	s.addUserLocked(User{ID: s.BotUserID, Name: s.BotName, RealName: "Pollen", IsBot: true, TZ: "America/Los_Angeles"})

	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/link/", s.serveSocket)
	mux.HandleFunc("/upload/", s.serveUpload)
	mux.HandleFunc("/commands/", s.serveResponseURL)
	mux.HandleFunc("/actions/", s.serveResponseURL)
	s.hs = httptest.NewServer(mux)
	return s
}

// URL is the base URL of the server, e.g. "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.hs.URL }

// APIURL is the value for slack.OptionAPIURL, with its trailing slash.
func (s *Server) APIURL() string { return s.hs.URL + "/api/" }

// Now is the server clock.
func (s *Server) Now() time.Time { return s.clock() }

// Close drops every WebSocket, stops the HTTP server and waits for all of the
// server's goroutines. It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		conns := append(s.conns, s.takeDialingLocked()...)
		s.conns = nil
		s.notifyLocked()
		s.mu.Unlock()
		for _, c := range conns {
			_ = c.ws.Close()
		}
		s.hs.Close()
		s.wg.Wait()
	})
}

// notifyLocked wakes every WaitFor. Callers hold s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) debugf(format string, args ...any) {
	if s.logf != nil {
		s.logf("slackfake: "+format, args...)
	}
}

// nextIDLocked returns a fresh Slack-looking ID such as "D0000002A".
func (s *Server) nextIDLocked(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%08X", prefix, s.seq)
}

// nextTSLocked returns a unique, increasing message timestamp taken from the
// server clock, e.g. "1700000000.000100".
func (s *Server) nextTSLocked() string {
	now := s.clock().UnixMicro()
	if now <= s.lastTS {
		now = s.lastTS + 1
	}
	s.lastTS = now
	return fmt.Sprintf("%d.%06d", now/1_000_000, now%1_000_000)
}

// WaitFor polls cond until it returns true, the context ends or the server
// closes. A context without a deadline gets one of 10 s. cond must not hold
// locks of its own while calling the server's accessors.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("slackfake: condition not met: %w", ctx.Err())
		case <-s.done:
			if cond() {
				return nil
			}
			return ErrClosed
		}
	}
}

// WaitForCall waits until method has been called at least n times and
// returns those calls.
func (s *Server) WaitForCall(ctx context.Context, method string, n int) ([]Call, error) {
	var calls []Call
	err := s.WaitFor(ctx, func() bool {
		calls = s.Calls(method)
		return len(calls) >= n
	})
	if err != nil {
		return calls, fmt.Errorf("waiting for %d %s calls (have %d): %w", n, method, len(calls), err)
	}
	return calls, nil
}

// WaitForMessages waits until channel holds at least n messages.
func (s *Server) WaitForMessages(ctx context.Context, channel string, n int) ([]Message, error) {
	var msgs []Message
	err := s.WaitFor(ctx, func() bool {
		msgs = s.Messages(channel)
		return len(msgs) >= n
	})
	if err != nil {
		return msgs, fmt.Errorf("waiting for %d messages in %s (have %d): %w", n, channel, len(msgs), err)
	}
	return msgs, nil
}

// WaitForEphemerals waits until user has received at least n ephemeral
// messages.
func (s *Server) WaitForEphemerals(ctx context.Context, user string, n int) ([]Message, error) {
	var msgs []Message
	err := s.WaitFor(ctx, func() bool {
		msgs = s.Ephemerals(user)
		return len(msgs) >= n
	})
	if err != nil {
		return msgs, fmt.Errorf("waiting for %d ephemerals to %s (have %d): %w", n, user, len(msgs), err)
	}
	return msgs, nil
}
