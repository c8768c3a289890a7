package slackfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// TokenKind says which token a call carried.
type TokenKind string

// Token kinds recorded on each Call.
const (
	TokenNone    TokenKind = "none"
	TokenBot     TokenKind = "bot"
	TokenApp     TokenKind = "app"
	TokenInvalid TokenKind = "invalid"
)

// apiRequest is one parsed Web API call.
type apiRequest struct {
	ctx    context.Context
	method string
	params map[string]string
	token  TokenKind
}

// apiResponse is what a handler answers; serveAPI writes and records it.
type apiResponse struct {
	status     int
	retryAfter string
	rawBody    string // used instead of body for 5xx
	body       map[string]any
}

func (r apiResponse) errorCode() string {
	if r.body == nil {
		return ""
	}
	code, _ := r.body["error"].(string)
	return code
}

// ok answers {"ok":true, ...fields}.
func ok(fields map[string]any) apiResponse {
	body := map[string]any{"ok": true}
	for k, v := range fields {
		body[k] = v
	}
	return apiResponse{status: http.StatusOK, body: body}
}

// fail answers {"ok":false,"error":code}.
func fail(code string) apiResponse {
	return apiResponse{status: http.StatusOK, body: map[string]any{"ok": false, "error": code}}
}

// failBlocks answers invalid_blocks the way Slack does, with the messages in
// both errors and response_metadata.messages.
func failBlocks(code string, errs []string) apiResponse {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = "[ERROR] " + e
	}
	r := fail(code)
	r.body["errors"] = errs
	r.body["response_metadata"] = map[string]any{"messages": msgs}
	return r
}

type methodSpec struct {
	fn  func(*Server, *apiRequest) apiResponse
	app bool // wants the app-level token
}

// methods is the Web API method table.
var methods = map[string]methodSpec{
	"auth.test":                    {fn: (*Server).apiAuthTest},
	"apps.connections.open":        {fn: (*Server).apiConnectionsOpen, app: true},
	"users.info":                   {fn: (*Server).apiUsersInfo},
	"users.list":                   {fn: (*Server).apiUsersList},
	"users.lookupByEmail":          {fn: (*Server).apiUsersLookupByEmail},
	"conversations.open":           {fn: (*Server).apiConversationsOpen},
	"conversations.history":        {fn: (*Server).apiConversationsHistory},
	"conversations.info":           {fn: (*Server).apiConversationsInfo},
	"conversations.members":        {fn: (*Server).apiConversationsMembers},
	"chat.postMessage":             {fn: (*Server).apiChatPostMessage},
	"chat.postEphemeral":           {fn: (*Server).apiChatPostEphemeral},
	"chat.update":                  {fn: (*Server).apiChatUpdate},
	"views.open":                   {fn: (*Server).apiViewsOpen},
	"views.push":                   {fn: (*Server).apiViewsPush},
	"views.update":                 {fn: (*Server).apiViewsUpdate},
	"views.publish":                {fn: (*Server).apiViewsPublish},
	"files.getUploadURLExternal":   {fn: (*Server).apiFilesGetUploadURLExternal},
	"files.completeUploadExternal": {fn: (*Server).apiFilesCompleteUploadExternal},
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	params, token, perr := parseParams(r)
	kind := s.tokenKind(token)
	call := Call{Method: method, Params: params, TokenKind: kind, Time: s.clock()}
	resp := s.dispatch(r.Context(), method, params, kind, perr, &call)
	call.Status = resp.status
	call.Error = resp.errorCode()
	call.OK = resp.status == http.StatusOK && call.Error == ""
	call.Duration = time.Since(start)
	s.recordCall(call)
	writeResponse(w, resp)
}

func (s *Server) dispatch(ctx context.Context, method string, params map[string]string, kind TokenKind, perr error, call *Call) apiResponse {
	spec, found := methods[method]
	if !found {
		return fail("unknown_method")
	}
	if perr != nil {
		return fail("invalid_form_data")
	}
	switch {
	case kind == TokenNone:
		return fail("not_authed")
	case kind == TokenInvalid:
		return fail("invalid_auth")
	case spec.app != (kind == TokenApp):
		return fail("not_allowed_token_type")
	}
	if resp, handled := s.applyFault(ctx, method, call); handled {
		return resp
	}
	return spec.fn(s, &apiRequest{ctx: ctx, method: method, params: params, token: kind})
}

func (s *Server) tokenKind(token string) TokenKind {
	switch token {
	case "":
		return TokenNone
	case s.BotToken:
		return TokenBot
	case s.AppToken:
		return TokenApp
	default:
		return TokenInvalid
	}
}

// parseParams reads form, multipart or JSON bodies (plus the query string)
// into flat string parameters. JSON values that are not strings keep their
// JSON text. The token is returned separately, from the Authorization header
// or the token field.
func parseParams(r *http.Request) (map[string]string, string, error) {
	params := map[string]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch ct {
	case "application/json":
		err = parseJSONParams(r.Body, params)
	case "multipart/form-data":
		err = r.ParseMultipartForm(32 << 20)
	default:
		err = r.ParseForm()
	}
	for k, v := range r.Form {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	token := params["token"]
	delete(params, "token")
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		token = strings.TrimPrefix(h, "Bearer ")
	}
	return params, token, err
}

func parseJSONParams(body io.Reader, params map[string]string) error {
	data, err := io.ReadAll(io.LimitReader(body, 32<<20))
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("json body: %w", err)
	}
	for k, v := range m {
		var str string
		if json.Unmarshal(v, &str) == nil {
			params[k] = str
		} else {
			params[k] = string(v)
		}
	}
	return nil
}

func writeResponse(w http.ResponseWriter, resp apiResponse) {
	if resp.retryAfter != "" {
		w.Header().Set("Retry-After", resp.retryAfter)
	}
	if resp.body == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(resp.status)
		_, _ = io.WriteString(w, resp.rawBody)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(resp.status)
	_ = json.NewEncoder(w).Encode(resp.body)
}

// apiAuthTest answers auth.test for the bot token.
func (s *Server) apiAuthTest(*apiRequest) apiResponse {
	return ok(map[string]any{
		"url":                   "https://" + s.TeamDomain + ".slack.com/",
		"team":                  s.TeamName,
		"user":                  s.BotName,
		"team_id":               s.TeamID,
		"user_id":               s.BotUserID,
		"bot_id":                s.BotID,
		"is_enterprise_install": false,
	})
}

// apiConnectionsOpen issues a single-use WebSocket ticket.
func (s *Server) apiConnectionsOpen(*apiRequest) apiResponse {
	s.mu.Lock()
	s.connOpens++
	ticket := fmt.Sprintf("%x-%08x", s.clock().UnixNano(), s.seq+1)
	s.seq++
	s.tickets[ticket] = true
	s.notifyLocked()
	s.mu.Unlock()
	u := "ws" + strings.TrimPrefix(s.hs.URL, "http") + "/link/?ticket=" + ticket + "&app_id=" + s.AppID
	return ok(map[string]any{"url": u})
}
