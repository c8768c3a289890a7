package slackfake

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

func (s *Server) userRef(u *User) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Name, "name": u.Name, "team_id": s.TeamID}
}

func (s *Server) teamRef() map[string]any {
	return map[string]any{"id": s.TeamID, "domain": s.TeamDomain}
}

func (s *Server) lookupUserLocked(id string) (*User, error) {
	u, found := s.users[id]
	if !found {
		return nil, fmt.Errorf("slackfake: unknown user %q (register it with AddUser)", id)
	}
	return u, nil
}

// SlashCommand has user type "/command text" in channel (the user's DM with
// the app when channel is "") and waits for the ack. The payload is shaped
// like Slack's, with a fresh trigger_id and response_url. A non-empty ack
// payload is recorded as the reply (Ack.Message).
func (s *Server) SlashCommand(ctx context.Context, user, channelID, command, text string) (Ack, error) {
	s.mu.Lock()
	u, err := s.lookupUserLocked(user)
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	var ch *channel
	if channelID == "" {
		ch, _ = s.openConvLocked([]string{user})
	} else {
		ch = s.ensureChannelLocked(channelID)
	}
	payload := map[string]string{
		"token":                 s.VerificationToken,
		"team_id":               s.TeamID,
		"team_domain":           s.TeamDomain,
		"channel_id":            ch.id,
		"channel_name":          ch.displayName(),
		"user_id":               u.ID,
		"user_name":             u.Name,
		"command":               command,
		"text":                  text,
		"api_app_id":            s.AppID,
		"is_enterprise_install": "false",
		"response_url":          s.issueResponseURLLocked("commands", user, ch.id, "", false),
		"trigger_id":            s.issueTriggerLocked(user),
	}
	s.mu.Unlock()
	data, _ := json.Marshal(payload)
	ack, err := s.send(ctx, &pending{typ: EnvelopeSlashCommands, payload: data, accepts: true,
		kind: kindSlash, user: user, channel: ch.id, command: command})
	ack.ResponseURL = payload["response_url"]
	return ack, err
}

// actionBuilder turns the element acted on into the action object and the
// state.values entry it causes (nil for none).
type actionBuilder func(fe foundElement) (action, state map[string]any, err error)

func buttonAction(value string) actionBuilder {
	return func(fe foundElement) (map[string]any, map[string]any, error) {
		if fe.el["type"] != "button" {
			return nil, nil, fmt.Errorf("slackfake: %q is a %v, not a button", fe.actionID, fe.el["type"])
		}
		a := map[string]any{"type": "button", "text": fe.el["text"]}
		if value == "" {
			value, _ = fe.el["value"].(string)
		}
		if value != "" {
			a["value"] = value
		}
		if st, has := fe.el["style"]; has {
			a["style"] = st
		}
		return a, nil, nil
	}
}

func selectAction(optionValue string) actionBuilder {
	return func(fe foundElement) (map[string]any, map[string]any, error) {
		typ, _ := fe.el["type"].(string)
		opt, found := findOption(fe.el, optionValue)
		if !found {
			return nil, nil, fmt.Errorf("slackfake: %s %q has no option with value %q", typ, fe.actionID, optionValue)
		}
		a := map[string]any{"type": typ}
		st := map[string]any{"type": typ}
		switch typ {
		case "static_select", "radio_buttons", "overflow":
			a["selected_option"], st["selected_option"] = opt, opt
		case "checkboxes", "multi_static_select":
			a["selected_options"], st["selected_options"] = []any{opt}, []any{opt}
		default:
			return nil, nil, fmt.Errorf("slackfake: %q is a %s, not a select, overflow, radio or checkbox element", fe.actionID, typ)
		}
		if ph, has := fe.el["placeholder"]; has {
			a["placeholder"] = ph
		}
		if typ == "overflow" {
			st = nil
		}
		return a, st, nil
	}
}

// ClickButton has user click the button with actionID in msg (looked up
// again by channel and ts, so later updates count). An empty value sends the
// button's own value.
func (s *Server) ClickButton(ctx context.Context, user string, msg Message, actionID, value string) (Ack, error) {
	return s.messageAction(ctx, user, msg, actionID, buttonAction(value))
}

// SelectOption has user pick the option with optionValue in the
// static_select, overflow, radio_buttons or checkboxes element actionID of
// msg.
func (s *Server) SelectOption(ctx context.Context, user string, msg Message, actionID, optionValue string) (Ack, error) {
	return s.messageAction(ctx, user, msg, actionID, selectAction(optionValue))
}

// PickDateTime picks a date and time in a message's datetimepicker, as a
// block_actions payload carrying selected_date_time (Unix seconds), the
// way Slack reports it.
func (s *Server) PickDateTime(ctx context.Context, user string, msg Message, actionID string, at time.Time) (Ack, error) {
	return s.messageAction(ctx, user, msg, actionID, func(fe foundElement) (map[string]any, map[string]any, error) {
		if fe.el["type"] != "datetimepicker" {
			return nil, nil, fmt.Errorf("slackfake: %q is a %v, not a datetimepicker", fe.actionID, fe.el["type"])
		}
		a := map[string]any{"type": "datetimepicker", "selected_date_time": at.Unix()}
		return a, map[string]any{"type": "datetimepicker", "selected_date_time": at.Unix()}, nil
	})
}

// ClickViewButton clicks a button in a modal or Home tab view.
func (s *Server) ClickViewButton(ctx context.Context, user, viewID, actionID, value string) (Ack, error) {
	return s.viewAction(ctx, user, viewID, actionID, buttonAction(value))
}

// SelectViewOption picks an option in a modal or Home tab view.
func (s *Server) SelectViewOption(ctx context.Context, user, viewID, actionID, optionValue string) (Ack, error) {
	return s.viewAction(ctx, user, viewID, actionID, selectAction(optionValue))
}

// ClickHomeButton clicks a button on the Home tab published for user.
func (s *Server) ClickHomeButton(ctx context.Context, user, actionID, value string) (Ack, error) {
	s.mu.Lock()
	id, found := s.homes[user]
	s.mu.Unlock()
	if !found {
		return Ack{}, fmt.Errorf("slackfake: no Home tab published for %s", user)
	}
	return s.ClickViewButton(ctx, user, id, actionID, value)
}

func actionState(fe foundElement, st map[string]any) map[string]any {
	if st == nil {
		return map[string]any{}
	}
	return map[string]any{fe.blockID: map[string]any{fe.actionID: st}}
}

func (s *Server) messageAction(ctx context.Context, user string, msg Message, actionID string, build actionBuilder) (Ack, error) {
	s.mu.Lock()
	u, err := s.lookupUserLocked(user)
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	cur := s.findMessageLocked(msg.Channel, msg.TS)
	if msg.Ephemeral {
		cur = s.findEphemeralLocked(msg.TS)
	}
	if cur == nil {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: no message %s at %s", msg.Channel, msg.TS)
	}
	blocks := decodeBlocks(cur.Blocks)
	fe, found := findElement(cur.TS, blocks, actionID)
	if !found {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: no element %q in message %s (have %v)", actionID, cur.TS, actionIDs(blocks))
	}
	action, st, err := build(fe)
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	action["action_id"], action["block_id"], action["action_ts"] = fe.actionID, fe.blockID, s.nextTSLocked()
	ch, _ := s.resolveChannelLocked(cur.Channel)
	container := map[string]any{"type": "message", "message_ts": cur.TS, "channel_id": cur.Channel, "is_ephemeral": cur.Ephemeral}
	if cur.ThreadTS != "" {
		container["thread_ts"] = cur.ThreadTS
	}
	payload := map[string]any{
		"type":                  "block_actions",
		"user":                  s.userRef(u),
		"api_app_id":            s.AppID,
		"token":                 s.VerificationToken,
		"container":             container,
		"trigger_id":            s.issueTriggerLocked(user),
		"team":                  s.teamRef(),
		"enterprise":            nil,
		"is_enterprise_install": false,
		"channel":               map[string]any{"id": ch.id, "name": ch.displayName()},
		"state":                 map[string]any{"values": actionState(fe, st)},
		"response_url":          s.issueResponseURLLocked("actions", user, cur.Channel, cur.TS, cur.Ephemeral),
		"actions":               []any{action},
	}
	if !cur.Ephemeral {
		payload["message"] = s.messageJSON(cur, true)
	}
	s.mu.Unlock()
	data, _ := json.Marshal(payload)
	return s.send(ctx, &pending{typ: EnvelopeInteractive, payload: data, accepts: true,
		kind: kindBlockActions, user: user, channel: cur.Channel})
}

func (s *Server) viewAction(ctx context.Context, user, viewID, actionID string, build actionBuilder) (Ack, error) {
	s.mu.Lock()
	u, v, err := s.userViewLocked(user, viewID)
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	blocks := decodeBlocks(v.Blocks)
	fe, found := findElement(v.ID, blocks, actionID)
	if !found {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: no element %q in view %s (have %v)", actionID, v.ID, actionIDs(blocks))
	}
	action, st, err := build(fe)
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	action["action_id"], action["block_id"], action["action_ts"] = fe.actionID, fe.blockID, s.nextTSLocked()
	view := s.viewJSON(v)
	view["state"] = map[string]any{"values": actionState(fe, st)}
	payload := map[string]any{
		"type":                  "block_actions",
		"user":                  s.userRef(u),
		"api_app_id":            s.AppID,
		"token":                 s.VerificationToken,
		"container":             map[string]any{"type": "view", "view_id": v.ID},
		"trigger_id":            s.issueTriggerLocked(user),
		"team":                  s.teamRef(),
		"enterprise":            nil,
		"is_enterprise_install": false,
		"view":                  view,
		"actions":               []any{action},
	}
	s.mu.Unlock()
	data, _ := json.Marshal(payload)
	return s.send(ctx, &pending{typ: EnvelopeInteractive, payload: data, accepts: true,
		kind: kindBlockActions, user: user, viewID: v.ID})
}

// userViewLocked finds a view user can act on: their Home tab or an open
// modal of theirs.
func (s *Server) userViewLocked(user, viewID string) (*User, *View, error) {
	u, err := s.lookupUserLocked(user)
	if err != nil {
		return nil, nil, err
	}
	v, found := s.views[viewID]
	switch {
	case !found:
		return nil, nil, fmt.Errorf("slackfake: no view %s", viewID)
	case v.User != user:
		return nil, nil, fmt.Errorf("slackfake: view %s belongs to %s, not %s", viewID, v.User, user)
	case v.Type == "modal" && !v.Open:
		return nil, nil, fmt.Errorf("slackfake: modal %s is closed", viewID)
	}
	return u, v, nil
}

// OpenAppHome has user open the app's Home tab: an app_home_opened event,
// carrying the published Home view if there is one.
func (s *Server) OpenAppHome(ctx context.Context, user string) (Ack, error) {
	s.mu.Lock()
	if _, err := s.lookupUserLocked(user); err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	ch, _ := s.openConvLocked([]string{user})
	event := map[string]any{
		"type":     "app_home_opened",
		"user":     user,
		"channel":  ch.id,
		"tab":      "home",
		"event_ts": s.nextTSLocked(),
	}
	if id, found := s.homes[user]; found {
		event["view"] = s.viewJSON(s.views[id])
	}
	s.mu.Unlock()
	return s.SendEvent(ctx, event)
}

// SendEvent wraps an inner Events API event (anything that marshals to an
// object with a "type") in an event_callback and delivers it as an
// events_api envelope.
func (s *Server) SendEvent(ctx context.Context, event any) (Ack, error) {
	inner, err := json.Marshal(event)
	if err != nil {
		return Ack{}, err
	}
	s.mu.Lock()
	eventID := s.nextIDLocked("Ev")
	ctxJSON, _ := json.Marshal(map[string]string{"id": eventID})
	outer := map[string]any{
		"token":      s.VerificationToken,
		"team_id":    s.TeamID,
		"api_app_id": s.AppID,
		"event":      json.RawMessage(inner),
		"type":       "event_callback",
		"event_id":   eventID,
		"event_time": s.clock().Unix(),
		"authorizations": []any{map[string]any{
			"enterprise_id": nil, "team_id": s.TeamID, "user_id": s.BotUserID,
			"is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context":         "4-" + base64.RawURLEncoding.EncodeToString(ctxJSON),
	}
	s.mu.Unlock()
	data, _ := json.Marshal(outer)
	return s.send(ctx, &pending{typ: EnvelopeEventsAPI, payload: data, kind: kindEvent})
}
