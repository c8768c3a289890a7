package slackfake

import (
	"encoding/json"
	"fmt"
	"maps"
)

// routeAckLocked applies an ack payload the way Slack does for the kind of
// envelope acked.
func (s *Server) routeAckLocked(p *pending, ack *Ack) {
	switch p.kind {
	case kindSlash:
		s.ackSlashLocked(p, ack)
	case kindViewSubmission:
		s.ackViewSubmissionLocked(p, ack)
	}
}

// ackSlashLocked shows a slash command ack payload as a reply: ephemeral to
// the user by default, in the channel for response_type "in_channel".
func (s *Server) ackSlashLocked(p *pending, ack *Ack) {
	if len(ack.Payload) == 0 {
		return
	}
	where := "ack " + p.command
	var msg struct {
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		ResponseType string          `json:"response_type"`
		ThreadTS     string          `json:"thread_ts"`
	}
	if err := json.Unmarshal(ack.Payload, &msg); err != nil {
		s.violationLocked(where, "payload is not a message: "+err.Error())
		return
	}
	if string(msg.Blocks) == "null" {
		msg.Blocks = nil
	}
	_, blocks, err := parseBlocksParam(string(msg.Blocks))
	if err != nil {
		s.violationLocked(where, "blocks: "+err.Error())
		return
	}
	if code, errs := checkMessage(msg.Text, blocks); code != "" {
		s.violationLocked(where, errs...)
		return
	}
	if msg.Text == "" && len(blocks) == 0 {
		return
	}
	m := &Message{Channel: p.channel, TS: s.nextTSLocked(), ThreadTS: msg.ThreadTS, Text: msg.Text,
		Blocks: msg.Blocks, FromAck: true, Time: s.clock()}
	if msg.ResponseType == "in_channel" {
		s.messages[p.channel] = append(s.messages[p.channel], m)
	} else {
		m.User, m.Ephemeral = p.user, true
		s.ephemerals = append(s.ephemerals, m)
	}
	cp := m.copy()
	ack.Message = &cp
}

// ackViewSubmissionLocked applies a view_submission response_action:
// errors, update, push or clear; an empty ack closes the view.
func (s *Server) ackViewSubmissionLocked(p *pending, ack *Ack) {
	v := s.views[p.viewID]
	if v == nil {
		return
	}
	where := "ack view_submission " + v.CallbackID
	var r struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
		View           map[string]any    `json:"view"`
	}
	if len(ack.Payload) > 0 {
		if err := json.Unmarshal(ack.Payload, &r); err != nil {
			s.violationLocked(where, "payload: "+err.Error())
			return
		}
	}
	ack.ResponseAction = r.ResponseAction
	switch r.ResponseAction {
	case "":
		v.Open = false
	case "errors":
		ack.Errors = maps.Clone(r.Errors)
		v.Errors = maps.Clone(r.Errors)
		if len(r.Errors) == 0 {
			s.violationLocked(where, "response_action errors without errors")
		}
		inputs := s.inputBlockIDs(v)
		for k := range r.Errors {
			if !inputs[k] {
				s.violationLocked(where, fmt.Sprintf("errors key %q is not the block_id of an input block; Slack ignores it", k))
			}
		}
	case "update", "push":
		if r.View == nil || r.View["type"] != "modal" {
			s.violationLocked(where, "response_action "+r.ResponseAction+" needs a modal view")
			return
		}
		if errs := checkView(r.View); len(errs) > 0 {
			s.violationLocked(where, errs...)
			return
		}
		target := v
		if r.ResponseAction == "update" {
			s.applySpecLocked(v, r.View)
			v.Updates++
			v.Errors = nil
		} else {
			target = s.newViewLocked(r.View, v.User)
			target.Open, target.RootViewID, target.PreviousViewID = true, v.RootViewID, v.ID
		}
		cp := target.copy()
		ack.View = &cp
	case "clear":
		for _, other := range s.views {
			if other.User == v.User && other.RootViewID == v.RootViewID {
				other.Open = false
			}
		}
	default:
		s.violationLocked(where, fmt.Sprintf("unknown response_action %q", r.ResponseAction))
	}
	s.notifyLocked()
}

// inputBlockIDs returns the block_id of every input block of v.
func (s *Server) inputBlockIDs(v *View) map[string]bool {
	ids := map[string]bool{}
	for i, b := range decodeBlocks(v.Blocks) {
		if b["type"] == "input" {
			ids[blockID(v.ID, i, b)] = true
		}
	}
	return ids
}
