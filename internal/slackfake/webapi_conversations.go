package slackfake

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Channel is a public or private channel registered by the test. IMs and
// MPIMs are created by conversations.open instead.
type Channel struct {
	ID        string
	Name      string
	IsPrivate bool
	Members   []string
}

type channel struct {
	id      string
	name    string
	kind    string // "channel", "im" or "mpim"
	private bool
	members []string
	created time.Time
}

// AddChannel registers (or replaces) a channel.
func (s *Server) AddChannel(c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[c.ID] = &channel{id: c.ID, name: c.Name, kind: "channel", private: c.IsPrivate,
		members: slices.Clone(c.Members), created: s.clock()}
	s.notifyLocked()
}

// DMChannel returns the IM (one user) or MPIM (several) that
// conversations.open made for exactly these users, the bot left out.
func (s *Server) DMChannel(users ...string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, found := s.convByKey[s.convKey(users)]
	return id, found
}

func (s *Server) convKey(users []string) string {
	set := slices.Clone(users)
	set = slices.DeleteFunc(set, func(u string) bool { return u == s.BotUserID })
	slices.Sort(set)
	return strings.Join(slices.Compact(set), ",")
}

// openConvLocked returns the IM or MPIM for users, creating it when needed.
func (s *Server) openConvLocked(users []string) (*channel, bool) {
	key := s.convKey(users)
	if id, found := s.convByKey[key]; found {
		return s.channels[id], true
	}
	members := strings.Split(key, ",")
	c := &channel{kind: "im", members: append([]string{s.BotUserID}, members...), created: s.clock()}
	if len(members) == 1 {
		c.id = s.nextIDLocked("D")
	} else {
		c.kind = "mpim"
		c.id = s.nextIDLocked("G")
		names := make([]string, 0, len(c.members))
		for _, m := range c.members {
			names = append(names, s.users[m].Name)
		}
		c.name = "mpdm-" + strings.Join(names, "--") + "-1"
	}
	s.channels[c.id] = c
	s.convByKey[key] = c.id
	s.notifyLocked()
	return c, false
}

// resolveChannelLocked finds a channel by ID. A user ID resolves to the IM
// with that user, as chat.postMessage does.
func (s *Server) resolveChannelLocked(id string) (*channel, string) {
	if c, found := s.channels[id]; found {
		return c, ""
	}
	if u, found := s.users[id]; found && id != s.BotUserID && !u.Deleted {
		c, _ := s.openConvLocked([]string{id})
		return c, ""
	}
	return nil, "channel_not_found"
}

// postableLocked finds a channel the bot may post in: Slack answers
// not_in_channel for a public channel the bot is not a member of (without
// the chat:write.public scope, which Pollen does not ask for), and
// channel_not_found for such a private one.
func (s *Server) postableLocked(id string) (*channel, string) {
	c, code := s.resolveChannelLocked(id)
	if c == nil {
		return nil, code
	}
	if c.kind == "channel" && !slices.Contains(c.members, s.BotUserID) {
		if c.private {
			return nil, "channel_not_found" // a private channel is invisible to non-members
		}
		return nil, "not_in_channel"
	}
	return c, ""
}

// ensureChannelLocked returns the channel a user acts in, registering an
// unknown public channel ID on the fly.
func (s *Server) ensureChannelLocked(id string) *channel {
	if c, _ := s.resolveChannelLocked(id); c != nil {
		return c
	}
	c := &channel{id: id, name: strings.ToLower(id), kind: "channel", created: s.clock()}
	s.channels[id] = c
	return c
}

func (c *channel) displayName() string {
	switch c.kind {
	case "im":
		return "directmessage"
	default:
		return c.name
	}
}

func (c *channel) json() map[string]any {
	out := map[string]any{
		"id":      c.id,
		"created": c.created.Unix(),
		"is_im":   c.kind == "im",
		"is_mpim": c.kind == "mpim",
		"is_open": true,
	}
	if c.kind == "im" {
		out["user"] = c.members[1]
	}
	if c.name != "" {
		out["name"] = c.name
	}
	return out
}

func (s *Server) apiConversationsOpen(req *apiRequest) apiResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id := req.params["channel"]; id != "" {
		c, found := s.channels[id]
		if !found || c.kind == "channel" {
			return fail("channel_not_found")
		}
		return ok(map[string]any{"channel": c.json(), "no_op": true, "already_open": true})
	}
	raw := req.params["users"]
	if raw == "" {
		return fail("users_list_not_supplied")
	}
	var users []string
	for _, u := range strings.Split(raw, ",") {
		if u = strings.TrimSpace(u); u != "" && u != s.BotUserID && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	switch {
	case len(users) == 0:
		return fail("not_enough_users")
	case len(users) > 8:
		return fail("too_many_users")
	}
	for _, id := range users {
		u, found := s.users[id]
		switch {
		case !found:
			return fail("user_not_found")
		case u.Deleted:
			return fail("user_disabled")
		case u.IsBot:
			return fail("cannot_dm_bot")
		}
	}
	c, existed := s.openConvLocked(users)
	body := map[string]any{"channel": c.json()}
	if existed {
		body["no_op"] = true
		body["already_open"] = true
	}
	return ok(body)
}

// messageJSON renders a stored message the way the Web API returns it.
func (s *Server) messageJSON(m *Message, withMetadata bool) map[string]any {
	out := map[string]any{
		"type":   "message",
		"text":   m.Text,
		"user":   s.BotUserID,
		"bot_id": s.BotID,
		"app_id": s.AppID,
		"ts":     m.TS,
		"team":   s.TeamID,
		"bot_profile": map[string]any{
			"id": s.BotID, "app_id": s.AppID, "name": s.BotName, "team_id": s.TeamID, "deleted": false,
		},
	}
	if len(m.Blocks) > 0 {
		out["blocks"] = m.Blocks
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if withMetadata && m.Metadata != nil {
		out["metadata"] = m.Metadata
	}
	if m.Updates > 0 {
		out["edited"] = map[string]any{"user": s.BotUserID, "ts": m.TS}
	}
	if len(m.Files) > 0 {
		files := make([]map[string]any, 0, len(m.Files))
		for _, id := range m.Files {
			files = append(files, map[string]any{"id": id})
		}
		out["files"] = files
		out["upload"] = true
	}
	return out
}

func (s *Server) apiConversationsHistory(req *apiRequest) apiResponse {
	p := req.params
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 {
		limit = 100
	}
	inclusive := p["inclusive"] == "1" || p["inclusive"] == "true"
	withMeta := p["include_all_metadata"] == "1" || p["include_all_metadata"] == "true"
	oldest, latest := parseTS(p["oldest"]), parseTS(p["latest"])
	offset := 0
	if c := p["cursor"]; c != "" {
		dec, err := base64.StdEncoding.DecodeString(c)
		n, found := strings.CutPrefix(string(dec), "offset:")
		if offset, _ = strconv.Atoi(n); err != nil || !found {
			return fail("invalid_cursor")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, code := s.resolveChannelLocked(p["channel"])
	if c == nil {
		return fail(code)
	}
	var picked []*Message
	all := s.messages[c.id]
	for i := len(all) - 1; i >= 0; i-- {
		m := all[i]
		ts := parseTS(m.TS)
		switch {
		case m.Deleted, m.ThreadTS != "" && m.ThreadTS != m.TS:
			continue
		case oldest > 0 && (ts < oldest || ts == oldest && !inclusive):
			continue
		case latest > 0 && (ts > latest || ts == latest && !inclusive):
			continue
		}
		picked = append(picked, m)
	}
	if offset > len(picked) {
		offset = len(picked)
	}
	page := picked[offset:]
	hasMore := len(page) > limit
	if hasMore {
		page = page[:limit]
	}
	msgs := make([]map[string]any, 0, len(page))
	for _, m := range page {
		msgs = append(msgs, s.messageJSON(m, withMeta))
	}
	body := map[string]any{"messages": msgs, "has_more": hasMore, "pin_count": 0}
	if hasMore {
		next := base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset+limit)))
		body["response_metadata"] = map[string]any{"next_cursor": next}
	}
	return ok(body)
}

// parseTS turns "1700000000.000100" into microseconds; 0 when empty or bad.
func parseTS(ts string) int64 {
	if ts == "" {
		return 0
	}
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return 0
	}
	frac = (frac + "000000")[:6]
	f, _ := strconv.ParseInt(frac, 10, 64)
	return s*1_000_000 + f
}

// parseMetadata decodes a metadata parameter.
func parseMetadata(raw string) (*Metadata, error) {
	if raw == "" {
		return nil, nil
	}
	var md Metadata
	if err := json.Unmarshal([]byte(raw), &md); err != nil {
		return nil, err
	}
	if md.EventType == "" {
		return nil, nil
	}
	return &md, nil
}
