package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// Call is one recorded request to the Web API (or to the upload and
// response_url endpoints, under MethodUpload and MethodResponseURL).
type Call struct {
	Method    string
	Params    map[string]string // form or JSON parameters, token removed
	TokenKind TokenKind
	Status    int    // HTTP status answered
	OK        bool   // 200 with ok:true
	Error     string // Slack error code answered, if any
	Fault     string // injected fault, if any
	Time      time.Time
	Duration  time.Duration
}

// Metadata is message metadata as sent with chat.postMessage.
type Metadata struct {
	EventType    string         `json:"event_type"`
	EventPayload map[string]any `json:"event_payload"`
}

// Message is a message the bot made: posted, ephemeral, an ack reply or a
// response_url reply. Accessors return copies with the current state.
type Message struct {
	Channel   string
	TS        string // ts (message_ts for ephemerals)
	ThreadTS  string
	User      string // recipient of an ephemeral
	Text      string
	Blocks    json.RawMessage  // blocks as sent, nil when none
	BlockList []map[string]any // Blocks decoded
	Metadata  *Metadata
	Files     []string // file IDs shared with the message

	Ephemeral       bool
	FromAck         bool   // reply made from a slash command ack payload
	FromResponseURL bool   // made through a response_url
	ResponseURL     string // that response_url, when FromResponseURL
	Updates         int    // times chat.update or replace_original changed it
	Deleted         bool
	Time            time.Time
}

// SlackBlocks decodes the blocks with slack-go's own types.
func (m Message) SlackBlocks() (slack.Blocks, error) {
	var b slack.Blocks
	if len(m.Blocks) == 0 {
		return b, nil
	}
	err := json.Unmarshal(m.Blocks, &b)
	return b, err
}

// AllText is the message text plus every text found in its blocks, joined by
// newlines; handy for "contains" assertions.
func (m Message) AllText() string {
	parts := []string{m.Text}
	for _, b := range m.BlockList {
		collectText(b, &parts)
	}
	return strings.Join(parts, "\n")
}

// ActionIDs lists the action_id of every interactive element in the blocks.
func (m Message) ActionIDs() []string { return actionIDs(m.BlockList) }

// Upload is a file uploaded through the files.*External flow.
type Upload struct {
	FileID         string
	Filename       string
	Title          string
	Length         int    // length announced to files.getUploadURLExternal
	Data           []byte // bytes received at the upload URL
	Uploaded       bool
	Completed      bool
	Channel        string
	InitialComment string
	ThreadTS       string
}

// View is a modal or Home tab view.
type View struct {
	ID              string
	Type            string // "modal" or "home"
	User            string
	ExternalID      string
	CallbackID      string
	PrivateMetadata string
	Hash            string
	Title           string
	Submit          string
	Close           string
	RootViewID      string
	PreviousViewID  string
	Blocks          json.RawMessage
	BlockList       []map[string]any
	Open            bool              // a modal still on screen
	Errors          map[string]string // last response_action errors
	Updates         int

	spec  map[string]any            // the view object as the bot sent it
	state map[string]map[string]any // state.values of the last submission
}

// ActionIDs lists the action_id of every interactive element in the view.
func (v View) ActionIDs() []string { return actionIDs(v.BlockList) }

// AllText is every text of the view's title and blocks, joined by newlines.
func (v View) AllText() string {
	parts := []string{v.Title}
	for _, b := range v.BlockList {
		collectText(b, &parts)
	}
	return strings.Join(parts, "\n")
}

// Ack is the bot's answer to an envelope.
type Ack struct {
	EnvelopeID     string
	Type           string          // envelope type
	Payload        json.RawMessage // ack payload, nil for an empty ack
	Latency        time.Duration   // from (last) delivery to ack
	Attempt        int             // retry_attempt of the delivery acked
	ResponseAction string          // view_submission response_action
	Errors         map[string]string
	Message        *Message // reply recorded from a slash command ack
	ResponseURL    string   // the response_url a slash command carried
	View           *View    // view after an update or push response_action
}

// AckRecord is one ack frame received, including late and duplicate ones.
type AckRecord struct {
	EnvelopeID string
	Type       string
	Payload    json.RawMessage
	Latency    time.Duration
	Attempt    int
	Unexpected bool // no unacked envelope had this ID
	Time       time.Time
}

// Frame is one WebSocket text frame, in either direction.
type Frame struct {
	Conn     int
	Outgoing bool // sent by the fake
	Data     json.RawMessage
	Time     time.Time
}

func (s *Server) recordCall(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
}

func (s *Server) violationLocked(where string, errs ...string) {
	for _, e := range errs {
		s.violations = append(s.violations, where+": "+e)
		s.debugf("violation: %s: %s", where, e)
	}
	s.notifyLocked()
}

// Calls returns the recorded calls of method, or of every method for "".
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			c.Params = maps.Clone(c.Params)
			out = append(out, c)
		}
	}
	return out
}

// Violations returns every Block Kit, size and protocol limit the bot broke.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// Messages returns the messages in channel, oldest first, as they are now.
// Deleted messages are left out.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages[channel] {
		if !m.Deleted {
			out = append(out, m.copy())
		}
	}
	return out
}

// Message returns the message at channel and ts.
func (s *Server) Message(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.findMessageLocked(channel, ts); m != nil {
		return m.copy(), true
	}
	return Message{}, false
}

// Ephemerals returns the ephemeral messages shown to user (or to everyone for
// ""), oldest first, including slash command ack replies.
func (s *Server) Ephemerals(user string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.ephemerals {
		if user == "" || m.User == user {
			out = append(out, m.copy())
		}
	}
	return out
}

// LateReply waits for the first ephemeral message the app sends user
// through the response_url of the slash command ack answered: the answer of
// an app that acks at once with an interim reply and answers later.
func (s *Server) LateReply(ctx context.Context, user string, ack Ack) (Message, error) {
	var out Message
	err := s.WaitFor(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, m := range s.ephemerals {
			if m.User == user && m.FromResponseURL && m.ResponseURL == ack.ResponseURL {
				out = m.copy()
				return true
			}
		}
		return false
	})
	if err != nil {
		return out, fmt.Errorf("no late reply to %s: %w", user, err)
	}
	return out, nil
}

// Uploads returns every file upload, in the order they were started.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Upload, 0, len(s.uploadOrder))
	for _, id := range s.uploadOrder {
		u := *s.uploads[id]
		u.Data = slices.Clone(u.Data)
		out = append(out, u)
	}
	return out
}

// Views returns every view (modals and Home tabs), in creation order.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]View, 0, len(s.viewOrder))
	for _, id := range s.viewOrder {
		out = append(out, s.views[id].copy())
	}
	return out
}

// View returns the view with the given ID.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.views[id]; ok {
		return v.copy(), true
	}
	return View{}, false
}

// HomeView returns the Home tab published for user.
func (s *Server) HomeView(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.homes[user]; ok {
		return s.views[id].copy(), true
	}
	return View{}, false
}

// Acks returns every ack frame received, in order.
func (s *Server) Acks() []AckRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.acks)
}

// Frames returns every WebSocket text frame sent or received, in order.
func (s *Server) Frames() []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.frames)
}

func (m *Message) copy() Message {
	c := *m
	c.BlockList = decodeBlocks(m.Blocks)
	c.Files = slices.Clone(m.Files)
	if m.Metadata != nil {
		md := *m.Metadata
		c.Metadata = &md
	}
	return c
}

func (v *View) copy() View {
	c := *v
	c.BlockList = decodeBlocks(v.Blocks)
	c.Errors = maps.Clone(v.Errors)
	c.spec, c.state = nil, nil
	return c
}

func decodeBlocks(raw json.RawMessage) []map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var out []map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// collectText appends every "text" string found under v.
func collectText(v any, parts *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if k == "text" {
				if str, ok := v[k].(string); ok {
					*parts = append(*parts, str)
					continue
				}
			}
			collectText(v[k], parts)
		}
	case []any:
		for _, e := range v {
			collectText(e, parts)
		}
	}
}

// TestingT is the part of testing.TB that CheckViolations uses.
type TestingT interface {
	Helper()
	Errorf(format string, args ...any)
}

// CheckViolations fails t once per limit the bot broke.
func (s *Server) CheckViolations(t TestingT) {
	t.Helper()
	for _, v := range s.Violations() {
		t.Errorf("slackfake: Slack would reject this: %s", v)
	}
}
