package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// responseURL is one response_url handed out with a slash command or a
// block action. It accepts limits.ResponseURLUses posts within
// limits.ResponseURLMinutes of server clock.
type responseURL struct {
	user      string
	channel   string
	messageTS string
	ephemeral bool
	issued    time.Time
	uses      int
}

func (s *Server) issueResponseURLLocked(kind, user, channel, messageTS string, ephemeral bool) string {
	s.seq++
	owner := s.TeamID
	if kind == "actions" {
		owner = s.AppID
	}
	path := fmt.Sprintf("/%s/%s/%d/%016x", kind, owner, 1000000000+s.seq, s.seq*0x9e3779b97f4a7c15)
	s.responseURLs[path] = &responseURL{user: user, channel: channel, messageTS: messageTS,
		ephemeral: ephemeral, issued: s.clock()}
	return s.hs.URL + path
}

// responseBody is what an app POSTs to a response_url.
type responseBody struct {
	Text            string          `json:"text"`
	Blocks          json.RawMessage `json:"blocks"`
	ResponseType    string          `json:"response_type"`
	ReplaceOriginal bool            `json:"replace_original"`
	DeleteOriginal  bool            `json:"delete_original"`
	ThreadTS        string          `json:"thread_ts"`
	Metadata        *Metadata       `json:"metadata"`
}

func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	call := Call{Method: MethodResponseURL, Params: map[string]string{"path": r.URL.Path}, TokenKind: TokenNone, Time: s.clock()}
	resp := s.respond(r, &call)
	call.Status, call.Error = resp.status, resp.errorCode()
	call.OK = resp.status == http.StatusOK && call.Error == ""
	call.Duration = time.Since(start)
	s.recordCall(call)
	writeResponse(w, resp)
}

func (s *Server) respond(r *http.Request, call *Call) apiResponse {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var body responseBody
	if err != nil || json.Unmarshal(data, &body) != nil {
		return fail("invalid_payload")
	}
	call.Params["body"] = string(data)
	s.mu.Lock()
	ru, found := s.responseURLs[r.URL.Path]
	switch {
	case !found:
		s.mu.Unlock()
		return apiResponse{status: http.StatusNotFound, body: map[string]any{"ok": false, "error": "no_such_url"}}
	case s.clock().Sub(ru.issued) > time.Duration(limits.ResponseURLMinutes)*time.Minute:
		s.mu.Unlock()
		return fail("expired_url")
	case ru.uses >= limits.ResponseURLUses:
		s.mu.Unlock()
		return fail("used_url")
	}
	ru.uses++
	s.mu.Unlock()
	if resp, handled := s.applyFault(r.Context(), MethodResponseURL, call); handled {
		return resp
	}
	if string(body.Blocks) == "null" {
		body.Blocks = nil
	}
	_, blocks, err := parseBlocksParam(string(body.Blocks))
	if err != nil {
		return fail("invalid_blocks_format")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !body.DeleteOriginal {
		if code, errs := checkMessage(body.Text, blocks); code != "" {
			s.violationLocked("response_url", errs...)
			return failBlocks(code, errs)
		}
	}
	orig := s.findMessageLocked(ru.channel, ru.messageTS)
	if ru.ephemeral {
		orig = s.findEphemeralLocked(ru.messageTS)
	}
	switch {
	case body.DeleteOriginal && orig != nil:
		orig.Deleted = true
	case body.ReplaceOriginal && orig != nil:
		orig.Text, orig.Blocks = body.Text, body.Blocks
		orig.Updates++
	default:
		m := &Message{Channel: ru.channel, TS: s.nextTSLocked(), ThreadTS: body.ThreadTS, Text: body.Text,
			Blocks: body.Blocks, Metadata: body.Metadata, FromResponseURL: true, ResponseURL: s.hs.URL + r.URL.Path, Time: s.clock()}
		if strings.EqualFold(body.ResponseType, "in_channel") {
			s.messages[ru.channel] = append(s.messages[ru.channel], m)
		} else {
			m.User, m.Ephemeral = ru.user, true
			s.ephemerals = append(s.ephemerals, m)
		}
	}
	s.notifyLocked()
	return ok(nil)
}
