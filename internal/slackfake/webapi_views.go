package slackfake

import (
	"encoding/json"
	"fmt"
	"time"
)

type trigger struct {
	user   string
	issued time.Time
	used   bool
}

// issueTriggerLocked makes a trigger_id for user, valid for
// limits.TriggerSeconds of server clock and usable once.
func (s *Server) issueTriggerLocked(user string) string {
	s.seq++
	id := fmt.Sprintf("%d.%d.%016x", s.clock().Unix(), 26768298162+s.seq, s.seq*0x9e3779b97f4a7c15)
	s.triggers[id] = &trigger{user: user, issued: s.clock()}
	return id
}

// useTriggerLocked exchanges a trigger_id; it answers the user who made it or
// a Slack error code.
func (s *Server) useTriggerLocked(id string) (string, string) {
	t, found := s.triggers[id]
	switch {
	case id == "" || !found:
		return "", "invalid_trigger_id"
	case t.used:
		return "", "exchanged_trigger_id"
	case s.clock().Sub(t.issued) > time.Duration(limits.TriggerSeconds)*time.Second:
		return "", "expired_trigger_id"
	}
	t.used = true
	return t.user, ""
}

// parseView decodes and validates the view parameter. wantType "" accepts
// modal and home.
func (s *Server) parseView(req *apiRequest, wantType string) (map[string]any, *apiResponse) {
	raw := req.params["view"]
	var spec map[string]any
	if raw == "" || json.Unmarshal([]byte(raw), &spec) != nil || spec == nil {
		r := fail("invalid_arguments")
		return nil, &r
	}
	typ, _ := spec["type"].(string)
	if (wantType != "" && typ != wantType) || (typ != "modal" && typ != "home") {
		r := failBlocks("invalid_arguments", []string{"must be a valid enum value [json-pointer:/view/type]"})
		return nil, &r
	}
	if len(raw) > limits.ViewBytes {
		s.mu.Lock()
		s.violationLocked(req.method, fmt.Sprintf("view is %d bytes, more than %d", len(raw), limits.ViewBytes))
		s.mu.Unlock()
		r := fail("view_too_large")
		return nil, &r
	}
	if errs := checkView(spec); len(errs) > 0 {
		s.mu.Lock()
		s.violationLocked(req.method, errs...)
		s.mu.Unlock()
		r := failBlocks("invalid_blocks", errs)
		return nil, &r
	}
	return spec, nil
}

// newViewLocked stores a new view made from spec.
func (s *Server) newViewLocked(spec map[string]any, user string) *View {
	v := &View{ID: s.nextIDLocked("V"), User: user}
	v.RootViewID = v.ID
	s.applySpecLocked(v, spec)
	s.views[v.ID] = v
	s.viewOrder = append(s.viewOrder, v.ID)
	return v
}

// applySpecLocked replaces a view's content with spec and rehashes it.
func (s *Server) applySpecLocked(v *View, spec map[string]any) {
	str := func(k string) string { x, _ := spec[k].(string); return x }
	v.spec = spec
	v.Type = str("type")
	v.CallbackID = str("callback_id")
	v.PrivateMetadata = str("private_metadata")
	v.ExternalID = str("external_id")
	v.Title, v.Submit, v.Close = textOf(spec["title"]), textOf(spec["submit"]), textOf(spec["close"])
	v.Blocks, _ = json.Marshal(spec["blocks"])
	s.seq++
	v.Hash = fmt.Sprintf("%d.%08x", s.clock().Unix(), s.seq)
	s.notifyLocked()
}

// viewJSON renders a view the way views.* and payloads carry it.
func (s *Server) viewJSON(v *View) map[string]any {
	values := map[string]any{}
	for k, m := range v.state {
		values[k] = m
	}
	var prev any
	if v.PreviousViewID != "" {
		prev = v.PreviousViewID
	}
	blocks := json.RawMessage(v.Blocks)
	if len(blocks) == 0 || string(blocks) == "null" {
		blocks = json.RawMessage("[]")
	}
	bools := func(k string) bool { b, _ := v.spec[k].(bool); return b }
	return map[string]any{
		"id":                    v.ID,
		"team_id":               s.TeamID,
		"type":                  v.Type,
		"blocks":                blocks,
		"private_metadata":      v.PrivateMetadata,
		"callback_id":           v.CallbackID,
		"state":                 map[string]any{"values": values},
		"hash":                  v.Hash,
		"title":                 v.spec["title"],
		"clear_on_close":        bools("clear_on_close"),
		"notify_on_close":       bools("notify_on_close"),
		"close":                 v.spec["close"],
		"submit":                v.spec["submit"],
		"previous_view_id":      prev,
		"root_view_id":          v.RootViewID,
		"app_id":                s.AppID,
		"external_id":           v.ExternalID,
		"app_installed_team_id": s.TeamID,
		"bot_id":                s.BotID,
	}
}

func (s *Server) externalTakenLocked(ext, except string) bool {
	if ext == "" {
		return false
	}
	for id, v := range s.views {
		if id != except && v.ExternalID == ext {
			return true
		}
	}
	return false
}

func (s *Server) apiViewsOpen(req *apiRequest) apiResponse {
	spec, bad := s.parseView(req, "modal")
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	user, code := s.useTriggerLocked(req.params["trigger_id"])
	if code != "" {
		return fail(code)
	}
	if ext, _ := spec["external_id"].(string); s.externalTakenLocked(ext, "") {
		return fail("duplicate_external_id")
	}
	v := s.newViewLocked(spec, user)
	v.Open = true
	return ok(map[string]any{"view": s.viewJSON(v)})
}

func (s *Server) apiViewsPush(req *apiRequest) apiResponse {
	spec, bad := s.parseView(req, "modal")
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	user, code := s.useTriggerLocked(req.params["trigger_id"])
	if code != "" {
		return fail(code)
	}
	var top *View
	depth := 0
	for _, id := range s.viewOrder {
		if v := s.views[id]; v.Type == "modal" && v.Open && v.User == user {
			top = v
			depth++
		}
	}
	switch {
	case top == nil:
		return fail("not_found")
	case depth >= 3:
		return fail("push_limit_reached")
	}
	v := s.newViewLocked(spec, user)
	v.Open, v.RootViewID, v.PreviousViewID = true, top.RootViewID, top.ID
	return ok(map[string]any{"view": s.viewJSON(v)})
}

func (s *Server) apiViewsUpdate(req *apiRequest) apiResponse {
	spec, bad := s.parseView(req, "")
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var v *View
	if id := req.params["view_id"]; id != "" {
		v = s.views[id]
	} else if ext := req.params["external_id"]; ext != "" {
		for _, cand := range s.views {
			if cand.ExternalID == ext {
				v = cand
			}
		}
	} else {
		return fail("invalid_arguments")
	}
	switch {
	case v == nil || (v.Type == "modal" && !v.Open):
		return fail("not_found")
	case spec["type"] != v.Type:
		return fail("invalid_arguments")
	case req.params["hash"] != "" && req.params["hash"] != v.Hash:
		return fail("hash_conflict")
	}
	if ext, _ := spec["external_id"].(string); s.externalTakenLocked(ext, v.ID) {
		return fail("duplicate_external_id")
	}
	s.applySpecLocked(v, spec)
	v.Updates++
	v.Errors = nil
	return ok(map[string]any{"view": s.viewJSON(v)})
}

func (s *Server) apiViewsPublish(req *apiRequest) apiResponse {
	spec, bad := s.parseView(req, "home")
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	user := req.params["user_id"]
	if _, found := s.users[user]; !found {
		return fail("user_not_found")
	}
	if id, found := s.homes[user]; found {
		v := s.views[id]
		if h := req.params["hash"]; h != "" && h != v.Hash {
			return fail("hash_conflict")
		}
		s.applySpecLocked(v, spec)
		v.Updates++
		return ok(map[string]any{"view": s.viewJSON(v)})
	}
	v := s.newViewLocked(spec, user)
	s.homes[user] = v.ID
	return ok(map[string]any{"view": s.viewJSON(v)})
}
