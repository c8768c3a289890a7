package bot

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/leakcheck"
	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/scheduler"
	"github.com/pollen-team/pollen/store"
)

// apology is the answer to anything that failed on our side or Slack's.
const apology = "Sorry, something went wrong on our side; it has been logged. Please try again."

// clientTimeout is the Web API client's timeout while a fault test turns
// it on (the production client waits 30 s). Only the steps under test run
// with it: a setup step that a paused CI machine held up for 400 ms must
// not fail the test.
const clientTimeout = 400 * time.Millisecond

// timeoutSwitch is an http.RoundTripper that gives each request
// clientTimeout while short is set, and no timeout of its own otherwise.
type timeoutSwitch struct{ short atomic.Bool }

func (s *timeoutSwitch) RoundTrip(r *http.Request) (*http.Response, error) {
	if !s.short.Load() {
		return http.DefaultTransport.RoundTrip(r)
	}
	ctx, cancel := context.WithTimeout(r.Context(), clientTimeout)
	resp, err := http.DefaultTransport.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

// cancelOnClose ends a request's timeout once its body is read and closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error { defer c.cancel(); return c.ReadCloser.Close() }

// shortTimeouts turns the short client timeout on until the test ends or
// the returned function is called.
func (h *harness) shortTimeouts() (off func()) {
	h.t.Helper()
	h.timeouts.short.Store(true)
	off = func() { h.timeouts.short.Store(false) }
	h.t.Cleanup(off)
	return off
}

// newFaultHarness is newHarness with the bot's config open to change, an
// HTTP client whose timeout a test can shorten (shortTimeouts), and an
// outbox sender on the bot.
func newFaultHarness(t *testing.T, change func(*Config), opts ...slackfake.Option) (*harness, *scheduler.Sender) {
	t.Helper()
	sw := &timeoutSwitch{}
	h := newHarnessWith(t, func(c *Config) {
		c.HTTPClient = &http.Client{Transport: sw}
		if change != nil {
			change(c)
		}
	}, opts...)
	h.timeouts = sw
	return h, scheduler.NewSender(h.db, h.bot, h.clock.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// answer is the final answer to a slash command: the ack's reply, or the
// late one through the response URL after "Working on it…".
func (h *harness) answer(user string, ack slackfake.Ack) string {
	h.t.Helper()
	if ack.Message == nil {
		h.t.Fatalf("the ack carried no reply")
	}
	if ack.Message.Text != "Working on it…" {
		return ack.Message.Text
	}
	late, err := h.fake.LateReply(h.ctx(), user, ack)
	if err != nil {
		h.t.Fatalf("after 'Working on it…': %v", err)
	}
	return late.Text
}

// queueProposal puts a proposal for a new session of Ana and Cy in the
// outbox, as a planned round does.
func (h *harness) queueProposal() (outbox.Item, pairing.Session) {
	h.t.Helper()
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn-model", Host: "UANA", Learners: []string{"UCY"},
		Round: "2026-W48", Slot: start.Add(26 * time.Hour), Length: time.Hour, State: pairing.Proposed, Reason: "Cy is learning it",
		CreatedAt: start, UpdatedAt: start}
	item := outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: s.ID, Round: s.Round, Users: s.Participants(), CreatedAt: start}
	if err := h.apply(store.Change{Sessions: []pairing.Session{s}, Outbox: []outbox.Item{item}}); err != nil {
		h.t.Fatal(err)
	}
	return item, s
}

// apply commits c as it is, as one store operation.
func (h *harness) apply(c store.Change) error {
	_, err := h.db.Apply(h.ctx(), func(store.Reader) (store.Change, error) { return c, nil })
	return err
}

// read runs read over one consistent state of the store.
func (h *harness) read(read func(r store.Reader) error) {
	h.t.Helper()
	if err := h.db.Snapshot(h.ctx(), read); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) outboxItem(id string) (item outbox.Item, ok bool) {
	h.t.Helper()
	h.read(func(r store.Reader) (err error) { item, ok, err = r.OutboxItem(id); return err })
	return item, ok
}

// outbox is every unsent item, oldest first.
func (h *harness) outbox() (items []outbox.Item) {
	h.t.Helper()
	h.read(func(r store.Reader) (err error) { items, err = r.Outbox(); return err })
	return items
}

// storedSession is the session as the store has it now.
func (h *harness) storedSession(id string) (s pairing.Session) {
	h.t.Helper()
	h.read(func(r store.Reader) (err error) { s, err = r.Session(id); return err })
	return s
}

// postsOf counts the messages in Slack that carry an outbox ID.
func (h *harness) postsOf(outboxID string) int {
	n := 0
	for _, c := range h.fake.Calls("chat.postMessage") {
		if c.OK && strings.Contains(c.Params["metadata"], `"outbox_id":"`+outboxID+`"`) {
			n++
		}
	}
	return n
}

// drain runs the outbox sender once.
func (h *harness) drain(s *scheduler.Sender) time.Time {
	h.t.Helper()
	next, err := s.Drain(h.ctx())
	if err != nil {
		h.t.Fatal(err)
	}
	return next
}

// TestFaultMatrix injects each fault the Slack platform is known for and
// checks the outcome written next to it.
func TestFaultMatrix(t *testing.T) {
	tests := []struct {
		name   string
		want   string // the outcome, in words; the check below proves it
		change func(*Config)
		opts   []slackfake.Option
		run    func(t *testing.T, h *harness, s *scheduler.Sender)
	}{
		{
			name: "429 with Retry-After on users.info during /pair join",
			want: "the handler waits out Retry-After, joins the person once and answers Welcome",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				h.fake.FailNext("users.info", 1, slackfake.RateLimit{RetryAfter: time.Second})
				ack, err := h.fake.SlashCommand(h.ctx(), "UDI", "", "/pair", "join")
				if err != nil {
					t.Fatal(err)
				}
				if got := h.answer("UDI", ack); !strings.HasPrefix(got, "Welcome to the rotation!") {
					t.Errorf("answer %q", got)
				}
				calls := userInfoCalls(h.fake, "UDI")
				if len(calls) != 2 || calls[0].Status != http.StatusTooManyRequests || !calls[1].OK {
					t.Errorf("users.info calls: %+v; want a 429 then a success", calls)
				}
			},
		},
		{
			name: "503 on users.info during an admin command",
			want: "the apology, and nothing is written",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				h.clock.Set(start.Add(time.Hour)) // Ana's users.info answer from setup has expired
				h.fake.FailNext("users.info", 1, slackfake.Status{Code: http.StatusServiceUnavailable})
				before := h.snapshot()
				if got := h.run("UANA", "project add forecasting"); got != apology {
					t.Errorf("answer %q, want %q", got, apology)
				}
				if h.snapshot() != before {
					t.Error("the store changed")
				}
				if got := h.run("UANA", "project add forecasting"); !strings.HasPrefix(got, "Added *forecasting*") {
					t.Errorf("after the fault: %q", got)
				}
			},
		},
		{
			name: "users.info slower than the client's timeout during /pair join",
			want: "the apology within the ack budget, and nothing is written",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				h.shortTimeouts()
				h.fake.FailNext("users.info", 1, slackfake.Delay{D: 3 * clientTimeout})
				before := h.snapshot()
				ack, err := h.fake.SlashCommand(h.ctx(), "UDI", "", "/pair", "join")
				if err != nil {
					t.Fatal(err)
				}
				if ack.Message == nil || ack.Message.Text != apology {
					t.Errorf("ack %+v, want the apology", ack.Message)
				}
				if ack.Latency > ackBudget {
					t.Errorf("answered after %v", ack.Latency)
				}
				if h.snapshot() != before {
					t.Error("the store changed")
				}
			},
		},
		{
			name: "500 on chat.postMessage during /pair now",
			want: "the apology for the DM, and the planned session is called off",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				h.fake.FailNext("chat.postMessage", 1, slackfake.Status{Code: http.StatusInternalServerError})
				if got := h.run("UCY", "now churn-model"); !strings.HasPrefix(got, "I could not send the group DM") {
					t.Errorf("answer %q", got)
				}
				ss := h.sessions()
				if len(ss) != 1 || ss[0].State != pairing.Cancelled {
					t.Fatalf("sessions after the failed DM: %+v", ss)
				}
				if got := h.run("UCY", "me"); !strings.Contains(got, "*Next session:* none planned yet.") {
					t.Errorf("/pair me shows the called-off session:\n%s", got)
				}
			},
		},
		{
			name: "503 on conversations.open during /pair log",
			want: "the apology for the confirmation, and nothing counts",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				h.fake.FailNext("conversations.open", 1, slackfake.Status{Code: http.StatusServiceUnavailable})
				events := len(h.events())
				if got := h.run("UCY", "log <@UBO|bo> etl"); !strings.HasPrefix(got, "I could not ask for confirmation") {
					t.Errorf("answer %q", got)
				}
				if ss := h.sessions(); len(ss) != 1 || ss[0].State != pairing.Cancelled || len(h.events()) != events {
					t.Errorf("sessions %+v, %d new events", ss, len(h.events())-events)
				}
			},
		},
		{
			name: "429 with Retry-After on chat.postMessage for an outbox proposal",
			want: "the proposal waits in the outbox for Retry-After, then goes out exactly once",
			run: func(t *testing.T, h *harness, s *scheduler.Sender) {
				item, _ := h.queueProposal()
				h.fake.FailNext("chat.postMessage", 1, slackfake.RateLimit{RetryAfter: 30 * time.Second})
				next := h.drain(s)
				if got, ok := h.outboxItem(item.ID); !ok || !got.NotBefore.Equal(start.Add(30*time.Second)) || !next.Equal(got.NotBefore) {
					t.Fatalf("after the 429 the item is %+v (kept %v), next %v", got, ok, next)
				}
				h.drain(s) // not due yet: nothing goes out
				if n := h.postsOf(item.ID); n != 0 {
					t.Fatalf("sent %d times before Retry-After", n)
				}
				h.clock.Set(next)
				h.drain(s)
				if _, ok := h.outboxItem(item.ID); ok || h.postsOf(item.ID) != 1 {
					t.Errorf("after Retry-After: kept %v, sent %d times", ok, h.postsOf(item.ID))
				}
			},
		},
		{
			name: "500 on chat.postMessage for an outbox proposal",
			want: "the proposal stays in the outbox with the error and is delivered once on the next drain",
			run: func(t *testing.T, h *harness, s *scheduler.Sender) {
				item, _ := h.queueProposal()
				h.fake.FailNext("chat.postMessage", 1, slackfake.Status{Code: http.StatusInternalServerError})
				next := h.drain(s)
				got, ok := h.outboxItem(item.ID)
				if !ok || got.Attempts != 1 || !strings.Contains(got.LastError, "500") {
					t.Fatalf("after the 500 the item is %+v (kept %v)", got, ok)
				}
				h.clock.Set(next)
				h.drain(s)
				if _, ok := h.outboxItem(item.ID); ok || h.postsOf(item.ID) != 1 {
					t.Errorf("after the retry: kept %v, sent %d times", ok, h.postsOf(item.ID))
				}
			},
		},
		{
			name: "503 on conversations.open for an outbox proposal",
			want: "the proposal stays in the outbox and is delivered once on the next drain",
			run: func(t *testing.T, h *harness, s *scheduler.Sender) {
				item, _ := h.queueProposal()
				h.fake.FailNext("conversations.open", 1, slackfake.Status{Code: http.StatusServiceUnavailable})
				next := h.drain(s)
				if _, ok := h.outboxItem(item.ID); !ok || h.postsOf(item.ID) != 0 {
					t.Fatalf("after the 503: kept %v, sent %d", ok, h.postsOf(item.ID))
				}
				h.clock.Set(next)
				h.drain(s)
				if _, ok := h.outboxItem(item.ID); ok || h.postsOf(item.ID) != 1 {
					t.Errorf("after the retry: kept %v, sent %d times", ok, h.postsOf(item.ID))
				}
			},
		},
		{
			name: "chat.postMessage times out on our side after Slack got the message",
			want: "the next drain finds the message by its outbox ID and does not send it again",
			run: func(t *testing.T, h *harness, s *scheduler.Sender) {
				item, sess := h.queueProposal()
				off := h.shortTimeouts()
				h.fake.FailNext("chat.postMessage", 1, slackfake.Delay{D: 3 * clientTimeout})
				next := h.drain(s)
				off()
				if got, ok := h.outboxItem(item.ID); !ok || !strings.Contains(got.LastError, "chat.postMessage") {
					t.Fatalf("after the timeout the item is %+v (kept %v)", got, ok)
				}
				channel, _ := h.fake.DMChannel(sess.Participants()...)
				if _, err := h.fake.WaitForMessages(h.ctx(), channel, 1); err != nil { // Slack finished the post
					t.Fatal(err)
				}
				h.clock.Set(next)
				h.drain(s)
				if _, ok := h.outboxItem(item.ID); ok || h.postsOf(item.ID) != 1 || len(h.fake.Messages(channel)) != 1 {
					t.Errorf("after the retry: kept %v, %d posts, %d messages", ok, h.postsOf(item.ID), len(h.fake.Messages(channel)))
				}
				if n := len(h.fake.Calls("conversations.history")); n == 0 {
					t.Error("the retry did not look for the message first")
				}
			},
		},
		{
			name: "the WebSocket drops while a command is in flight",
			want: "Slack delivers the envelope again on the new connection; the command runs once and is answered once",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				h.fake.FailNext("users.info", 1, slackfake.Delay{D: 300 * time.Millisecond})
				opens, sent := h.fake.ConnectionOpens(), outgoingEnvelopes(h.fake)
				got := make(chan slackfake.Ack, 1)
				go func() {
					ack, err := h.fake.SlashCommand(h.ctx(), "UDI", "", "/pair", "join")
					if err != nil {
						t.Error(err)
					}
					got <- ack
				}()
				if err := h.fake.WaitFor(h.ctx(), func() bool { return outgoingEnvelopes(h.fake) > sent }); err != nil {
					t.Fatal(err)
				}
				h.fake.DropWebSockets()
				ack := <-got
				if a := h.answer("UDI", ack); !strings.HasPrefix(a, "Welcome to the rotation!") {
					t.Errorf("answer %q", a)
				}
				if n := deliveries(h.fake, ack.EnvelopeID); n < 2 {
					t.Errorf("the envelope was delivered %d times; the drop came too late to test anything", n)
				}
				if h.fake.ConnectionOpens() == opens {
					t.Error("the bot did not reconnect")
				}
				if n := len(userInfoCalls(h.fake, "UDI")); n != 1 {
					t.Errorf("the command ran %d times (users.info calls)", n)
				}
			},
		},
		{
			name: "disconnect with refresh_requested",
			want: "the bot reconnects and answers the next command",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				opens := h.fake.ConnectionOpens()
				h.fake.Disconnect("refresh_requested")
				if err := h.fake.WaitFor(h.ctx(), func() bool { return h.fake.ConnectionOpens() > opens && h.fake.Connections() == 1 }); err != nil {
					t.Fatal(err)
				}
				if got := h.run("UANA", "me"); !strings.Contains(got, "in the rotation") {
					t.Errorf("answer %q", got)
				}
			},
		},
		{
			name: "503 on apps.connections.open while reconnecting",
			want: "the bot backs off, connects on the next try and answers the next command",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				h.fake.FailNext("apps.connections.open", 1, slackfake.Status{Code: http.StatusServiceUnavailable})
				h.fake.DropWebSockets()
				if got := h.run("UANA", "me"); !strings.Contains(got, "in the rotation") {
					t.Errorf("answer %q", got)
				}
				if calls := h.fake.Calls("apps.connections.open"); calls[len(calls)-2].Status != http.StatusServiceUnavailable {
					t.Error("the 503 was not hit")
				}
			},
		},
		{
			name: "the same envelope delivered twice",
			want: "both deliveries are acked with the same answer; the command runs once",
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				ack, err := h.fake.SlashCommand(h.ctx(), "UCY", "", "/pair", "know etl expert")
				if err != nil {
					t.Fatal(err)
				}
				payload, events := h.sentPayload(ack.EnvelopeID), len(h.events())
				for i := range 2 {
					again, err := h.fake.SendRaw(h.ctx(), slackfake.EnvelopeSlashCommands, payload, "dup-envelope")
					if err != nil {
						t.Fatal(err)
					}
					if !strings.Contains(string(again.Payload), "Noted: you know *etl*") {
						t.Errorf("delivery %d acked with %s", i+1, again.Payload)
					}
				}
				if got := len(h.events()) - events; got != 1 {
					t.Errorf("two deliveries of one envelope wrote %d events, want 1", got)
				}
			},
		},
		{
			name:   "an events_api ack later than Slack's retry timer",
			want:   "Slack delivers the event again; the bot acks every delivery and handles it once",
			change: func(c *Config) { c.Workers = 1 },
			opts:   []slackfake.Option{slackfake.WithEventRedelivery(100*time.Millisecond, 3)},
			run: func(t *testing.T, h *harness, _ *scheduler.Sender) {
				// A slow command holds the only worker, so the event waits.
				h.fake.FailNext("users.info", 1, slackfake.Delay{D: clientTimeout * 3 / 4})
				sent := outgoingEnvelopes(h.fake)
				busy := make(chan struct{})
				go func() {
					defer close(busy)
					h.fake.SlashCommand(h.ctx(), "UDI", "", "/pair", "join")
				}()
				if err := h.fake.WaitFor(h.ctx(), func() bool { return outgoingEnvelopes(h.fake) > sent }); err != nil {
					t.Fatal(err)
				}
				ack, err := h.fake.OpenAppHome(h.ctx(), "UEVE")
				if err != nil {
					t.Fatal(err)
				}
				<-busy
				if ack.Attempt == 0 {
					t.Fatal("the event was acked before Slack's retry; the redelivery path was not exercised")
				}
				if err := h.fake.WaitFor(h.ctx(), func() bool { return len(homePublishes(h.fake, "UEVE")) > 0 }); err != nil {
					t.Fatal(err)
				}
				// Every delivery is acked; after that nothing of the event runs.
				acks := func() int {
					n := 0
					for _, a := range h.fake.Acks() {
						if a.EnvelopeID == ack.EnvelopeID {
							n++
						}
					}
					return n
				}
				if err := h.fake.WaitFor(h.ctx(), func() bool { return acks() > ack.Attempt }); err != nil {
					t.Fatalf("%d acks for %d deliveries: %v", acks(), ack.Attempt+1, err)
				}
				if n := len(homePublishes(h.fake, "UEVE")); n != 1 {
					t.Errorf("the Home was published %d times for one event", n)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, sender := newFaultHarness(t, tt.change, tt.opts...)
			setupTeam(t, h)
			h.drain(sender) // the welcomes of those who joined: each case starts from an empty outbox
			t.Logf("expected: %s", tt.want)
			tt.run(t, h, sender)
			if t.Failed() {
				t.Errorf("expected outcome: %s", tt.want)
			}
		})
	}
}

// outgoingEnvelopes counts the envelopes the fake has written to the bot.
func outgoingEnvelopes(fake *slackfake.Server) int {
	n := 0
	for _, f := range fake.Frames() {
		if f.Outgoing && strings.Contains(string(f.Data), `"envelope_id"`) {
			n++
		}
	}
	return n
}

// deliveries counts the frames that carried an envelope to the bot.
func deliveries(fake *slackfake.Server, envelopeID string) int {
	n := 0
	for _, f := range fake.Frames() {
		if f.Outgoing && strings.Contains(string(f.Data), `"envelope_id":"`+envelopeID+`"`) {
			n++
		}
	}
	return n
}

func userInfoCalls(fake *slackfake.Server, user string) []slackfake.Call {
	var out []slackfake.Call
	for _, c := range fake.Calls("users.info") {
		if c.Params["user"] == user {
			out = append(out, c)
		}
	}
	return out
}

func homePublishes(fake *slackfake.Server, user string) []slackfake.Call {
	var out []slackfake.Call
	for _, c := range fake.Calls("views.publish") {
		if c.Params["user_id"] == user {
			out = append(out, c)
		}
	}
	return out
}

// TestFaultsLeaveNoGoroutinesBehind runs a bot through drops, disconnects
// and timeouts, stops it, and checks that every goroutine it started is
// gone.
func TestFaultsLeaveNoGoroutinesBehind(t *testing.T) {
	base := settledGoroutines(t, 0)
	t.Run("bot", func(t *testing.T) {
		h, sender := newFaultHarness(t, nil)
		setupTeam(t, h)
		off := h.shortTimeouts()
		h.fake.FailNext("users.info", 1, slackfake.Delay{D: 3 * clientTimeout})
		h.run("UDI", "join")
		off()
		h.fake.DropWebSockets()
		h.run("UDI", "join")
		h.fake.Disconnect("warning")
		h.queueProposal()
		h.shortTimeouts()
		h.fake.FailNext("chat.postMessage", 1, slackfake.Delay{D: 3 * clientTimeout})
		h.drain(sender)
		off()
		h.run("UANA", "me")
	})
	if got := settledGoroutines(t, base); got > base {
		var sb strings.Builder
		pprof.Lookup("goroutine").WriteTo(&sb, 1)
		t.Errorf("%d goroutines after the bot stopped, %d before:\n%s", got, base, sb.String())
	}
}

// settledGoroutines waits for the goroutine count to settle (see leakcheck.Settled).
func settledGoroutines(t *testing.T, want int) int {
	t.Helper()
	return leakcheck.Settled(want, 10*time.Second)
}
