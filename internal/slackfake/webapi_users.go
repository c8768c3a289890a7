package slackfake

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// User is a workspace member registered by the test with AddUser.
type User struct {
	ID          string
	Name        string // user name (handle)
	RealName    string
	DisplayName string
	TZ          string // IANA zone, e.g. "Europe/Berlin"
	TZLabel     string // defaults to the zone's abbreviation
	TZOffset    int    // seconds east of UTC; computed from TZ when 0
	IsAdmin     bool
	IsOwner     bool
	// IsRestricted marks a guest: a multi-channel guest has is_restricted,
	// a single-channel guest (IsUltraRestricted) has both set, as Slack's
	// user object documents (api.slack.com/types/user).
	IsRestricted      bool
	IsUltraRestricted bool
	IsBot             bool
	Deleted           bool
	Email             string
	StatusEmoji       string
	StatusText        string
}

// AddUser registers (or replaces) a user.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addUserLocked(u)
	s.notifyLocked()
}

func (s *Server) addUserLocked(u User) {
	if _, exists := s.users[u.ID]; !exists {
		s.userOrder = append(s.userOrder, u.ID)
	}
	s.users[u.ID] = &u
}

// userJSON renders a user the way users.info does.
func (s *Server) userJSON(u *User) map[string]any {
	offset, label := u.TZOffset, u.TZLabel
	if u.TZ != "" {
		if loc, err := time.LoadLocation(u.TZ); err == nil {
			abbr, off := s.clock().In(loc).Zone()
			if offset == 0 {
				offset = off
			}
			if label == "" {
				label = abbr
			}
		}
	}
	display := u.DisplayName
	profile := map[string]any{
		"real_name":               u.RealName,
		"real_name_normalized":    u.RealName,
		"display_name":            display,
		"display_name_normalized": display,
		"status_text":             u.StatusText,
		"status_emoji":            u.StatusEmoji,
		"status_expiration":       0,
		"avatar_hash":             "g" + strings.ToLower(u.ID),
		"image_48":                "https://secure.gravatar.com/avatar/" + u.ID + ".jpg?s=48",
		"image_72":                "https://secure.gravatar.com/avatar/" + u.ID + ".jpg?s=72",
		"team":                    s.TeamID,
	}
	if u.Email != "" {
		profile["email"] = u.Email
	}
	if u.IsBot {
		profile["bot_id"] = s.BotID
		profile["api_app_id"] = s.AppID
		profile["always_active"] = true
	}
	out := map[string]any{
		"id":                  u.ID,
		"team_id":             s.TeamID,
		"name":                u.Name,
		"deleted":             u.Deleted,
		"color":               "9f69e7",
		"real_name":           u.RealName,
		"tz_label":            label,
		"tz_offset":           offset,
		"profile":             profile,
		"is_admin":            u.IsAdmin,
		"is_owner":            u.IsOwner,
		"is_primary_owner":    u.IsOwner,
		"is_restricted":       u.IsRestricted || u.IsUltraRestricted,
		"is_ultra_restricted": u.IsUltraRestricted,
		"is_bot":              u.IsBot,
		"is_app_user":         false,
		"is_email_confirmed":  u.Email != "",
		"updated":             s.clock().Unix(),
		"locale":              "en-US",
	}
	if u.TZ != "" {
		out["tz"] = u.TZ
	}
	return out
}

func (s *Server) apiUsersInfo(req *apiRequest) apiResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, found := s.users[req.params["user"]]
	if !found {
		return fail("user_not_found")
	}
	return ok(map[string]any{"user": s.userJSON(u)})
}

func (s *Server) apiUsersLookupByEmail(req *apiRequest) apiResponse {
	email := strings.ToLower(strings.TrimSpace(req.params["email"]))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.userOrder {
		if u := s.users[id]; email != "" && strings.ToLower(u.Email) == email {
			return ok(map[string]any{"user": s.userJSON(u)})
		}
	}
	return fail("users_not_found")
}

// apiUsersList pages through every user, deleted ones and bots included.
// Cursors look like Slack's: base64 of "user:<next user ID>".
func (s *Server) apiUsersList(req *apiRequest) apiResponse {
	limit, _ := strconv.Atoi(req.params["limit"])
	s.mu.Lock()
	defer s.mu.Unlock()
	start := 0
	if c := req.params["cursor"]; c != "" {
		dec, err := base64.StdEncoding.DecodeString(c)
		id, found := strings.CutPrefix(string(dec), "user:")
		if err != nil || !found {
			return fail("invalid_cursor")
		}
		start = -1
		for i, uid := range s.userOrder {
			if uid == id {
				start = i
			}
		}
		if start < 0 {
			return fail("invalid_cursor")
		}
	}
	end := len(s.userOrder)
	if limit > 0 && start+limit < end {
		end = start + limit
	}
	members := make([]map[string]any, 0, end-start)
	for _, id := range s.userOrder[start:end] {
		members = append(members, s.userJSON(s.users[id]))
	}
	next := ""
	if end < len(s.userOrder) {
		next = base64.StdEncoding.EncodeToString([]byte("user:" + s.userOrder[end]))
	}
	return ok(map[string]any{
		"members":           members,
		"cache_ts":          s.clock().Unix(),
		"response_metadata": map[string]any{"next_cursor": next},
	})
}
