package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// SubmitView has user submit the open modal viewID with values given as
// values[block_id][action_id]. Text inputs take the string as their value;
// static_select and radio_buttons take an option value; checkboxes and
// multi selects take comma-separated option values; datepicker, timepicker,
// users_select, conversations_select and channels_select take the ID or
// date. Input blocks left out keep their initial value (or null), as in
// Slack. The ack's response_action is applied and returned in Ack.
func (s *Server) SubmitView(ctx context.Context, user, viewID string, values map[string]map[string]string) (Ack, error) {
	s.mu.Lock()
	u, v, err := s.userViewLocked(user, viewID)
	if err == nil && v.Type != "modal" {
		err = fmt.Errorf("slackfake: view %s is a %s, not a modal", viewID, v.Type)
	}
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	state, err := buildState(v, values)
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	v.state = state
	payload := map[string]any{
		"type":                  "view_submission",
		"team":                  s.teamRef(),
		"user":                  s.userRef(u),
		"api_app_id":            s.AppID,
		"token":                 s.VerificationToken,
		"trigger_id":            s.issueTriggerLocked(user),
		"view":                  s.viewJSON(v),
		"response_urls":         []any{},
		"is_enterprise_install": false,
		"enterprise":            nil,
	}
	s.mu.Unlock()
	data, _ := json.Marshal(payload)
	return s.send(ctx, &pending{typ: EnvelopeInteractive, payload: data, accepts: true,
		kind: kindViewSubmission, user: user, viewID: viewID})
}

// buildState makes state.values for a submission of v.
func buildState(v *View, values map[string]map[string]string) (map[string]map[string]any, error) {
	state := map[string]map[string]any{}
	used := map[string]bool{}
	for i, b := range decodeBlocks(v.Blocks) {
		if b["type"] != "input" && b["type"] != "actions" {
			continue
		}
		bid := blockID(v.ID, i, b)
		for j, el := range elementsOf(b) {
			aid, _ := el["action_id"].(string)
			if aid == "" {
				aid = autoBlockID(bid, j)
			}
			given, has := values[bid][aid]
			if b["type"] == "actions" && !has {
				continue
			}
			entry, err := stateEntry(el, given, has)
			if err != nil {
				return nil, fmt.Errorf("slackfake: %s/%s: %w", bid, aid, err)
			}
			if state[bid] == nil {
				state[bid] = map[string]any{}
			}
			state[bid][aid] = entry
			used[bid+"/"+aid] = has
		}
	}
	var unknown []string
	for bid, acts := range values {
		for aid := range acts {
			if !used[bid+"/"+aid] {
				unknown = append(unknown, bid+"/"+aid)
			}
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, fmt.Errorf("slackfake: view %s has no input %v", v.ID, unknown)
	}
	return state, nil
}

// stateEntry is the state.values entry of one element.
func stateEntry(el map[string]any, given string, has bool) (map[string]any, error) {
	typ, _ := el["type"].(string)
	e := map[string]any{"type": typ}
	pick := func(key, initKey string) {
		switch {
		case has:
			e[key] = given
		case el[initKey] != nil:
			e[key] = el[initKey]
		default:
			e[key] = nil
		}
	}
	switch typ {
	case "static_select", "radio_buttons":
		if !has {
			e["selected_option"] = el["initial_option"]
			return e, nil
		}
		opt, found := findOption(el, given)
		if !found {
			return nil, fmt.Errorf("no option with value %q", given)
		}
		e["selected_option"] = opt
	case "external_select":
		e["selected_option"] = nil
		if has {
			e["selected_option"] = map[string]any{"text": map[string]any{"type": "plain_text", "text": given}, "value": given}
		}
	case "checkboxes", "multi_static_select":
		opts := []any{}
		if !has {
			if init, ok := el["initial_options"].([]any); ok {
				opts = init
			}
		}
		for _, val := range splitList(given) {
			opt, found := findOption(el, val)
			if !found {
				return nil, fmt.Errorf("no option with value %q", val)
			}
			opts = append(opts, opt)
		}
		e["selected_options"] = opts
	case "datepicker":
		pick("selected_date", "initial_date")
	case "timepicker":
		pick("selected_time", "initial_time")
	case "users_select":
		pick("selected_user", "initial_user")
	case "conversations_select":
		pick("selected_conversation", "initial_conversation")
	case "channels_select":
		pick("selected_channel", "initial_channel")
	case "multi_users_select":
		e["selected_users"] = splitList(given)
	case "multi_conversations_select":
		e["selected_conversations"] = splitList(given)
	default: // plain_text_input, number_input, email_text_input, url_text_input
		pick("value", "initial_value")
	}
	return e, nil
}

func splitList(s string) []string {
	out := []string{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
