package slackfake_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/slackfake"
)

func TestAPIURLHasTrailingSlash(t *testing.T) {
	srv := newServer(t)
	if !strings.HasPrefix(srv.APIURL(), "http://127.0.0.1:") || !strings.HasSuffix(srv.APIURL(), "/api/") {
		t.Fatalf("APIURL = %q", srv.APIURL())
	}
}

func TestAuthTest(t *testing.T) {
	srv := newServer(t)
	resp, err := newAPI(srv).AuthTestContext(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if resp.TeamID != "T0FAKE" || resp.UserID != srv.BotUserID || resp.BotID != srv.BotID {
		t.Fatalf("auth.test = %+v", resp)
	}
	calls := srv.Calls("auth.test")
	if len(calls) != 1 || calls[0].TokenKind != slackfake.TokenBot || !calls[0].OK {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestTokenChecks(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name   string
		method string
		token  string // form token
		bearer string
		want   string
	}{
		{"missing token", "auth.test", "", "", "not_authed"},
		{"wrong token", "auth.test", "xoxb-nope", "", "invalid_auth"},
		{"app token on bot method", "chat.postMessage", srv.AppToken, "", "not_allowed_token_type"},
		{"bot token on connections.open", "apps.connections.open", "", srv.BotToken, "not_allowed_token_type"},
		{"bearer bot token works", "auth.test", "", srv.BotToken, ""},
		{"unknown method", "chat.frobnicate", srv.BotToken, "", "unknown_method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{}
			if tt.token != "" {
				form.Set("token", tt.token)
			}
			status, body := rawCall(t, srv, tt.method, form, tt.bearer)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			got, _ := body["error"].(string)
			if got != tt.want || body["ok"] != (tt.want == "") {
				t.Fatalf("body = %v, want error %q", body, tt.want)
			}
		})
	}
}

func TestConnectionsOpenWithBotTokenFailsInSlackGo(t *testing.T) {
	srv := newServer(t)
	api := slack.New(srv.BotToken, slack.OptionAppLevelToken(srv.BotToken), slack.OptionAPIURL(srv.APIURL()))
	_, _, err := api.StartSocketModeContext(testCtx(t))
	assertSlackError(t, err, "not_allowed_token_type")
}

func TestUsersInfo(t *testing.T) {
	clock := slackfake.NewManualClock(time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC))
	srv := newServer(t, slackfake.WithClock(clock.Now))
	api := newAPI(srv)
	u, err := api.GetUserInfoContext(testCtx(t), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "alice" || u.RealName != alice.RealName || u.TZ != "Europe/Berlin" || u.TZOffset != 3600 ||
		!u.IsAdmin || u.Profile.Email != alice.Email || u.Profile.StatusEmoji != ":palm_tree:" ||
		u.Profile.StatusText != "on holiday" {
		t.Fatalf("user = %+v", u)
	}
	g, err := api.GetUserInfoContext(testCtx(t), gone.ID)
	if err != nil || !g.Deleted {
		t.Fatalf("deleted user = %+v, %v", g, err)
	}
	_, err = api.GetUserInfoContext(testCtx(t), "UNOBODY")
	assertSlackError(t, err, "user_not_found")
}

func TestUsersListPaginates(t *testing.T) {
	srv := newServer(t)
	users, err := newAPI(srv).GetUsersContext(testCtx(t), slack.GetUsersOptionLimit(2))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	want := []string{srv.BotUserID, alice.ID, bob.ID, carol.ID, gone.ID}
	if !slices.Equal(ids, want) {
		t.Fatalf("ids = %v, want %v", ids, want)
	}
	if n := len(srv.Calls("users.list")); n != 3 {
		t.Fatalf("users.list calls = %d, want 3 pages", n)
	}
	_, body := rawCall(t, srv, "users.list", url.Values{"token": {srv.BotToken}, "cursor": {"bogus"}}, "")
	if body["error"] != "invalid_cursor" {
		t.Fatalf("bad cursor: %v", body)
	}
}

func TestUsersLookupByEmail(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	u, err := api.GetUserByEmailContext(testCtx(t), "BOB@example.com")
	if err != nil || u.ID != bob.ID {
		t.Fatalf("lookup = %+v, %v", u, err)
	}
	_, err = api.GetUserByEmailContext(testCtx(t), "nobody@example.com")
	assertSlackError(t, err, "users_not_found")
}

func TestConversationsOpen(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	im := openDM(t, api, alice.ID)
	tests := []struct {
		name     string
		users    []string
		wantErr  string
		wantID   string
		prefix   string
		wantOpen bool
	}{
		{name: "same IM again", users: []string{alice.ID}, wantID: im, wantOpen: true},
		{name: "bot is left out", users: []string{srv.BotUserID, alice.ID}, wantID: im, wantOpen: true},
		{name: "new IM", users: []string{bob.ID}, prefix: "D"},
		{name: "MPIM", users: []string{alice.ID, bob.ID}, prefix: "G"},
		{name: "only the bot", users: []string{srv.BotUserID}, wantErr: "not_enough_users"},
		{name: "nine users", users: strings.Split("U1,U2,U3,U4,U5,U6,U7,U8,U9", ","), wantErr: "too_many_users"},
		{name: "unknown user", users: []string{"UNOBODY"}, wantErr: "user_not_found"},
		{name: "deleted user", users: []string{gone.ID}, wantErr: "user_disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, _, open, err := api.OpenConversationContext(testCtx(t), &slack.OpenConversationParameters{Users: tt.users})
			if tt.wantErr != "" {
				assertSlackError(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (tt.wantID != "" && ch.ID != tt.wantID) || !strings.HasPrefix(ch.ID, tt.prefix) || open != tt.wantOpen {
				t.Fatalf("channel %s already_open=%v", ch.ID, open)
			}
		})
	}
	mpim1, _ := srv.DMChannel(bob.ID, alice.ID)
	mpim2 := openDM(t, api, bob.ID, alice.ID)
	if mpim1 == "" || mpim1 != mpim2 {
		t.Fatalf("MPIM ids %q %q differ", mpim1, mpim2)
	}
}

func TestPostMessageAndHistory(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	ctx := testCtx(t)
	dm := openDM(t, api, alice.ID)
	blocks := mustBlocks(t, `[{"type":"section","block_id":"intro","text":{"type":"mrkdwn","text":"Hello *Alice*"}}]`)
	meta := slack.SlackMetadata{EventType: "pollen_pair", EventPayload: map[string]any{"round": "r1"}}
	var tss []string
	for i, text := range []string{"first", "second", "third"} {
		opts := []slack.MsgOption{slack.MsgOptionText(text, false), slack.MsgOptionMetadata(meta)}
		if i == 0 {
			opts = append(opts, slack.MsgOptionBlocks(blocks...))
		}
		ch, ts, err := api.PostMessageContext(ctx, alice.ID, opts...) // a user ID posts to the IM
		if err != nil || ch != dm {
			t.Fatalf("post %d: channel %s, %v", i, ch, err)
		}
		if len(tss) > 0 && ts <= tss[len(tss)-1] {
			t.Fatalf("ts %s not after %s", ts, tss[len(tss)-1])
		}
		tss = append(tss, ts)
	}
	msgs := srv.Messages(dm)
	if len(msgs) != 3 || msgs[0].BlockList[0]["block_id"] != "intro" || msgs[0].Metadata.EventType != "pollen_pair" {
		t.Fatalf("messages = %+v", msgs)
	}
	if !strings.Contains(msgs[0].AllText(), "Hello *Alice*") {
		t.Fatalf("AllText = %q", msgs[0].AllText())
	}
	hist, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: dm, Limit: 2, IncludeAllMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Messages) != 2 || !hist.HasMore || hist.Messages[0].Timestamp != tss[2] ||
		hist.Messages[0].Metadata.EventType != "pollen_pair" || hist.Messages[0].Metadata.EventPayload["round"] != "r1" {
		t.Fatalf("history = %+v", hist)
	}
	older, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: dm, Oldest: tss[0]})
	if err != nil || len(older.Messages) != 2 || older.Messages[1].Timestamp != tss[1] || older.Messages[0].Metadata.EventType != "" {
		t.Fatalf("oldest-filtered history = %+v, %v", older, err)
	}
	_, _, err = api.PostMessageContext(ctx, "CNOWHERE", slack.MsgOptionText("x", false))
	assertSlackError(t, err, "channel_not_found")
	_, err = api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "CNOWHERE"})
	assertSlackError(t, err, "channel_not_found")
}

// The bot posts only in channels it is a member of (no chat:write.public):
// elsewhere Slack answers not_in_channel, to messages and uploads alike.
func TestPostingNeedsMembership(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	ctx := testCtx(t)
	srv.AddChannel(slackfake.Channel{ID: "COUT", Name: "outside", Members: []string{alice.ID}})
	srv.AddChannel(slackfake.Channel{ID: "CIN", Name: "inside", Members: []string{alice.ID, srv.BotUserID}})
	_, _, err := api.PostMessageContext(ctx, "COUT", slack.MsgOptionText("x", false))
	assertSlackError(t, err, "not_in_channel")
	_, err = api.UploadFileContext(ctx, slack.UploadFileParameters{Reader: strings.NewReader("png"), FileSize: 3, Filename: "a.png", Channel: "COUT"})
	if err == nil || !strings.HasSuffix(err.Error(), ": not_in_channel") { // slack-go prefixes the step
		t.Fatalf("upload to a channel without the bot: %v, want not_in_channel", err)
	}
	srv.AddChannel(slackfake.Channel{ID: "GSECRET", Name: "secret", IsPrivate: true, Members: []string{alice.ID}})
	_, _, err = api.PostMessageContext(ctx, "GSECRET", slack.MsgOptionText("x", false))
	assertSlackError(t, err, "channel_not_found")
	if _, _, err := api.PostMessageContext(ctx, "CIN", slack.MsgOptionText("x", false)); err != nil {
		t.Fatal(err)
	}
	if _, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Reader: strings.NewReader("png"), FileSize: 3, Filename: "a.png", Channel: "CIN"}); err != nil {
		t.Fatal(err)
	}
}

func TestPostEphemeral(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	dm := openDM(t, api, alice.ID)
	ts, err := api.PostEphemeralContext(testCtx(t), dm, alice.ID, slack.MsgOptionText("psst", false))
	if err != nil || ts == "" {
		t.Fatalf("ephemeral: %q, %v", ts, err)
	}
	eph := srv.Ephemerals(alice.ID)
	if len(eph) != 1 || eph[0].Text != "psst" || !eph[0].Ephemeral || eph[0].Channel != dm || eph[0].TS != ts {
		t.Fatalf("ephemerals = %+v", eph)
	}
	_, err = api.PostEphemeralContext(testCtx(t), dm, bob.ID, slack.MsgOptionText("psst", false))
	assertSlackError(t, err, "user_not_in_channel")
}

func TestUpdateMessage(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	ctx := testCtx(t)
	dm := openDM(t, api, alice.ID)
	_, ts, err := api.PostMessageContext(ctx, dm, slack.MsgOptionText("v1", false),
		slack.MsgOptionBlocks(mustBlocks(t, `[{"type":"divider"}]`)...))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, text, err := api.UpdateMessageContext(ctx, dm, ts, slack.MsgOptionText("v2", false)); err != nil || text != "v2" {
		t.Fatalf("update: %q, %v", text, err)
	}
	m, _ := srv.Message(dm, ts)
	if m.Text != "v2" || m.Blocks != nil || m.Updates != 1 {
		t.Fatalf("message = %+v", m)
	}
	_, _, _, err = api.UpdateMessageContext(ctx, dm, "1.000001", slack.MsgOptionText("v3", false))
	assertSlackError(t, err, "message_not_found")
}
