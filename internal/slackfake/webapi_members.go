package slackfake

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// apiConversationsInfo answers conversations.info as Slack documents it
// (docs.slack.dev/reference/methods/conversations.info): the channel
// object, with is_member saying whether the calling bot is in it. A
// private channel the bot is not in is invisible to it: channel_not_found,
// as for an ID that names nothing. Slack wants channels:read for a public
// channel and groups:read for a private one.
func (s *Server) apiConversationsInfo(req *apiRequest) apiResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, found := s.channels[req.params["channel"]]
	if !found {
		return fail("channel_not_found")
	}
	member := slices.Contains(c.members, s.BotUserID)
	if c.kind == "channel" && c.private && !member {
		return fail("channel_not_found")
	}
	out := c.json()
	out["is_channel"] = c.kind == "channel" && !c.private
	out["is_group"] = c.kind == "channel" && c.private
	out["is_private"] = c.private || c.kind != "channel"
	out["is_member"] = member
	out["is_archived"] = false
	return ok(map[string]any{"channel": out})
}

// apiConversationsMembers answers conversations.members as Slack
// documents it (docs.slack.dev/reference/methods/conversations.members):
// the user IDs of the channel's members, a page at a time (limit, 100 by
// default, at most 999 per page; Slack may return fewer), with
// response_metadata.next_cursor naming the next page ("" after the last).
// The same scopes and visibility as conversations.info: a private channel
// the bot is not in is channel_not_found. Cursors look like Slack's:
// base64 of "member:<offset>".
func (s *Server) apiConversationsMembers(req *apiRequest) apiResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, found := s.channels[req.params["channel"]]
	if !found || c.kind == "channel" && c.private && !slices.Contains(c.members, s.BotUserID) {
		return fail("channel_not_found")
	}
	limit := 100
	if l := req.params["limit"]; l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 999 {
			return fail("invalid_limit")
		}
		limit = n
	}
	start := 0
	if cur := req.params["cursor"]; cur != "" {
		dec, err := base64.StdEncoding.DecodeString(cur)
		off, found := strings.CutPrefix(string(dec), "member:")
		n, aerr := strconv.Atoi(off)
		if err != nil || !found || aerr != nil || n < 0 || n > len(c.members) {
			return fail("invalid_cursor")
		}
		start = n
	}
	end := min(start+limit, len(c.members))
	next := ""
	if end < len(c.members) {
		next = base64.StdEncoding.EncodeToString([]byte("member:" + strconv.Itoa(end)))
	}
	return ok(map[string]any{"members": slices.Clone(c.members[start:end]), "response_metadata": map[string]any{"next_cursor": next}})
}

// JoinChannel adds user to a channel, as a person joining it in Slack
// does, and, when the bot is in that channel, sends the bot the
// member_joined_channel event through Socket Mode (an events_api
// envelope), shaped as docs.slack.dev/reference/events/member_joined_channel
// shows it: user, channel, channel_type ("C" for a public channel, "G"
// for a private one), team, and inviter when someone added them. Slack
// sends this event only to apps in the channel, and only with
// channels:read (public) or groups:read (private). It returns the event's
// ack, or a zero Ack when no event was sent.
func (s *Server) JoinChannel(ctx context.Context, user, channelID, inviter string) (Ack, error) {
	event, send := s.changeMembership(user, channelID, true)
	if !send {
		return Ack{}, nil
	}
	event["type"] = "member_joined_channel"
	if inviter != "" {
		event["inviter"] = inviter
	}
	return s.SendEvent(ctx, event)
}

// LeaveChannel takes user out of a channel and, when the bot is in that
// channel, sends it the member_left_channel event
// (docs.slack.dev/reference/events/member_left_channel: user, channel,
// channel_type, team; the same scopes as member_joined_channel). It
// returns the event's ack, or a zero Ack when no event was sent.
func (s *Server) LeaveChannel(ctx context.Context, user, channelID string) (Ack, error) {
	event, send := s.changeMembership(user, channelID, false)
	if !send {
		return Ack{}, nil
	}
	event["type"] = "member_left_channel"
	return s.SendEvent(ctx, event)
}

// changeMembership adds or removes user in a registered channel and
// returns the body of the event to send the bot, when it is in the
// channel and the membership changed.
func (s *Server) changeMembership(user, channelID string, join bool) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, found := s.channels[channelID]
	if !found || c.kind != "channel" || slices.Contains(c.members, user) == join {
		return nil, false
	}
	if join {
		c.members = append(c.members, user)
	} else {
		c.members = slices.DeleteFunc(c.members, func(m string) bool { return m == user })
	}
	s.notifyLocked()
	if !slices.Contains(c.members, s.BotUserID) || user == s.BotUserID {
		return nil, false
	}
	kind := "C"
	if c.private {
		kind = "G"
	}
	return map[string]any{"user": user, "channel": c.id, "channel_type": kind, "team": s.TeamID,
		"event_ts": s.nextTSLocked()}, true
}
