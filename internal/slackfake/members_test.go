package slackfake_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// conversations.members pages through a channel's members through
// slack-go's own call, and hides a private channel the bot is not in.
func TestConversationsMembers(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	members := []string{srv.BotUserID}
	for i := range 7 {
		members = append(members, "U"+string(rune('A'+i)))
	}
	srv.AddChannel(slackfake.Channel{ID: "CBIG", Name: "big", Members: members})
	srv.AddChannel(slackfake.Channel{ID: "CSECRET", Name: "secret", IsPrivate: true, Members: []string{"UALICE"}})
	var got []string
	cursor, pages := "", 0
	for {
		page, next, err := api.GetUsersInConversationContext(testCtx(t), &slack.GetUsersInConversationParameters{ChannelID: "CBIG", Cursor: cursor, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		got, cursor, pages = append(got, page...), next, pages+1
		if cursor == "" {
			break
		}
	}
	if !slices.Equal(got, members) || pages != 3 {
		t.Errorf("members in %d pages: %v, want %v in 3", pages, got, members)
	}
	for _, tt := range []struct{ channel, cursor, err string }{
		{"CSECRET", "", "channel_not_found"},
		{"CNONE", "", "channel_not_found"},
		{"CBIG", "bm9wZQ==", "invalid_cursor"},
	} {
		_, _, err := api.GetUsersInConversationContext(testCtx(t), &slack.GetUsersInConversationParameters{ChannelID: tt.channel, Cursor: tt.cursor})
		assertSlackError(t, err, tt.err)
	}
}

// conversations.info says whether the bot is in a channel, and hides a
// private channel it is not in, as Slack does.
func TestConversationsInfo(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	srv.AddChannel(slackfake.Channel{ID: "CIN", Name: "in", Members: []string{srv.BotUserID, "UALICE"}})
	srv.AddChannel(slackfake.Channel{ID: "COUT", Name: "out", Members: []string{"UALICE"}})
	srv.AddChannel(slackfake.Channel{ID: "CSECRET", Name: "secret", IsPrivate: true, Members: []string{"UALICE"}})
	tests := []struct {
		channel, err string
		member       bool
	}{
		{"CIN", "", true},
		{"COUT", "", false},
		{"CSECRET", "channel_not_found", false},
		{"CNONE", "channel_not_found", false},
	}
	for _, tt := range tests {
		c, err := api.GetConversationInfoContext(testCtx(t), &slack.GetConversationInfoInput{ChannelID: tt.channel})
		if tt.err != "" {
			assertSlackError(t, err, tt.err)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.channel, err)
		}
		if c.ID != tt.channel || c.IsMember != tt.member || !c.IsChannel {
			t.Errorf("%s: %+v, want is_member %v", tt.channel, c, tt.member)
		}
	}
}

// JoinChannel and LeaveChannel change a channel's members and send the
// bot member_joined_channel and member_left_channel as Events API
// envelopes slack-go reads, only for channels the bot is in.
func TestMemberJoinedAndLeftChannelEvents(t *testing.T) {
	srv := newServer(t)
	var mu sync.Mutex
	var got []any
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			mu.Lock()
			got = append(got, ev.InnerEvent.Data)
			mu.Unlock()
		}
		return false
	})
	srv.AddChannel(slackfake.Channel{ID: "CIN", Name: "in", Members: []string{srv.BotUserID}})
	srv.AddChannel(slackfake.Channel{ID: "COUT", Name: "out"})
	if _, err := srv.JoinChannel(testCtx(t), "UBOB", "CIN", "UALICE"); err != nil {
		t.Fatal(err)
	}
	if ack, err := srv.JoinChannel(testCtx(t), "UBOB", "COUT", ""); err != nil || ack.EnvelopeID != "" {
		t.Fatalf("a join in a channel the bot is not in sent an event: %+v, %v", ack, err)
	}
	if ack, err := srv.JoinChannel(testCtx(t), "UBOB", "CIN", ""); err != nil || ack.EnvelopeID != "" {
		t.Fatalf("a second join sent an event: %+v, %v", ack, err)
	}
	if _, err := srv.LeaveChannel(testCtx(t), "UBOB", "CIN"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("events %+v, want a join and a leave", got)
	}
	j, ok := got[0].(*slackevents.MemberJoinedChannelEvent)
	if !ok || j.User != "UBOB" || j.Channel != "CIN" || j.ChannelType != "C" || j.Inviter != "UALICE" || j.Team != srv.TeamID {
		t.Errorf("join event %+v", got[0])
	}
	l, ok := got[1].(*slackevents.MemberLeftChannelEvent)
	if !ok || l.User != "UBOB" || l.Channel != "CIN" || l.ChannelType != "C" {
		t.Errorf("leave event %+v", got[1])
	}
}
