package slackfake

import (
	"encoding/json"
	"slices"
)

// chatInput is the parsed, validated content of a chat.* call.
type chatInput struct {
	text      string
	blocks    json.RawMessage
	hasBlocks bool
	metadata  *Metadata
}

// parseChat reads text, blocks and metadata and applies the limits. It
// answers a failure response, or nil.
func (s *Server) parseChat(req *apiRequest) (chatInput, *apiResponse) {
	p := req.params
	in := chatInput{text: p["text"]}
	raw, blocks, err := parseBlocksParam(p["blocks"])
	if err != nil {
		r := fail("invalid_blocks_format")
		return in, &r
	}
	in.blocks, in.hasBlocks = raw, raw != nil
	if in.metadata, err = parseMetadata(p["metadata"]); err != nil {
		r := fail("invalid_metadata_format")
		return in, &r
	}
	if in.text == "" && len(blocks) == 0 && p["attachments"] == "" {
		r := fail("no_text")
		return in, &r
	}
	if code, errs := checkMessage(in.text, blocks); code != "" {
		s.mu.Lock()
		s.violationLocked(req.method+" "+p["channel"], errs...)
		s.mu.Unlock()
		r := failBlocks(code, errs)
		return in, &r
	}
	return in, nil
}

func (s *Server) apiChatPostMessage(req *apiRequest) apiResponse {
	in, bad := s.parseChat(req)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, code := s.postableLocked(req.params["channel"])
	if c == nil {
		return fail(code)
	}
	m := &Message{
		Channel:  c.id,
		TS:       s.nextTSLocked(),
		ThreadTS: req.params["thread_ts"],
		Text:     in.text,
		Blocks:   in.blocks,
		Metadata: in.metadata,
		Time:     s.clock(),
	}
	s.messages[c.id] = append(s.messages[c.id], m)
	s.notifyLocked()
	return ok(map[string]any{"channel": c.id, "ts": m.TS, "message": s.messageJSON(m, true)})
}

func (s *Server) apiChatPostEphemeral(req *apiRequest) apiResponse {
	in, bad := s.parseChat(req)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, code := s.resolveChannelLocked(req.params["channel"])
	if c == nil {
		return fail(code)
	}
	user := req.params["user"]
	if _, found := s.users[user]; !found {
		return fail("user_not_found")
	}
	if c.kind != "channel" && !slices.Contains(c.members, user) {
		return fail("user_not_in_channel")
	}
	m := &Message{
		Channel:   c.id,
		TS:        s.nextTSLocked(),
		ThreadTS:  req.params["thread_ts"],
		User:      user,
		Text:      in.text,
		Blocks:    in.blocks,
		Ephemeral: true,
		Time:      s.clock(),
	}
	s.ephemerals = append(s.ephemerals, m)
	s.notifyLocked()
	return ok(map[string]any{"message_ts": m.TS})
}

func (s *Server) apiChatUpdate(req *apiRequest) apiResponse {
	if req.params["ts"] == "" {
		return fail("message_not_found")
	}
	in, bad := s.parseChat(req)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, code := s.resolveChannelLocked(req.params["channel"])
	if c == nil {
		return fail(code)
	}
	m := s.findMessageLocked(c.id, req.params["ts"])
	if m == nil {
		return fail("message_not_found")
	}
	m.Text = in.text
	m.Blocks = in.blocks // text without blocks removes the blocks
	if in.metadata != nil {
		m.Metadata = in.metadata
	}
	m.Updates++
	s.notifyLocked()
	return ok(map[string]any{
		"channel": c.id,
		"ts":      m.TS,
		"text":    m.Text,
		"message": s.messageJSON(m, true),
	})
}

// findMessageLocked returns the live (not deleted) message at channel/ts.
func (s *Server) findMessageLocked(channel, ts string) *Message {
	for _, m := range s.messages[channel] {
		if m.TS == ts && !m.Deleted {
			return m
		}
	}
	return nil
}

// findEphemeralLocked returns the ephemeral message with message_ts ts.
func (s *Server) findEphemeralLocked(ts string) *Message {
	for _, m := range s.ephemerals {
		if m.TS == ts {
			return m
		}
	}
	return nil
}
