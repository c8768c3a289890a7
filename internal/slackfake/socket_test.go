package slackfake_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/pollen-team/pollen/internal/slackfake"
)

func TestHelloAndSlashCommandAck(t *testing.T) {
	srv := newServer(t)
	got := make(chan slack.SlashCommand, 1)
	b := startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		if evt.Type != socketmode.EventTypeSlashCommand {
			return false
		}
		cmd := evt.Data.(slack.SlashCommand)
		got <- cmd
		_ = sm.Ack(*evt.Request, map[string]any{
			"response_type": "ephemeral",
			"text":          "You joined, <@" + cmd.UserID + ">",
			"blocks":        mustBlocks(t, `[{"type":"section","text":{"type":"mrkdwn","text":"Joined :tada:"}}]`),
		})
		return true
	})
	ctx := testCtx(t)
	if err := srv.WaitFor(ctx, func() bool { return b.seen(socketmode.EventTypeHello) == 1 }); err != nil {
		t.Fatal("no hello:", err)
	}
	ack, err := srv.SlashCommand(ctx, alice.ID, "CGENERAL", "/pair", "join")
	if err != nil {
		t.Fatal(err)
	}
	cmd := <-got
	if cmd.Command != "/pair" || cmd.Text != "join" || cmd.UserID != alice.ID || cmd.UserName != "alice" ||
		cmd.ChannelID != "CGENERAL" || cmd.TeamID != "T0FAKE" || cmd.APIAppID != srv.AppID ||
		cmd.TriggerID == "" || !strings.HasPrefix(cmd.ResponseURL, srv.URL()) {
		t.Fatalf("slash command = %+v", cmd)
	}
	if ack.Latency <= 0 || ack.Type != "slash_commands" || ack.Message == nil || !ack.Message.FromAck {
		t.Fatalf("ack = %+v", ack)
	}
	eph := srv.Ephemerals(alice.ID)
	if len(eph) != 1 || eph[0].Text != "You joined, <@UALICE>" || eph[0].Channel != "CGENERAL" ||
		!strings.Contains(eph[0].AllText(), "Joined :tada:") {
		t.Fatalf("ephemerals = %+v", eph)
	}
	frames := srv.Frames()
	if !strings.Contains(string(frames[0].Data), `"type":"hello"`) || !frames[0].Outgoing {
		t.Fatalf("first frame = %s", frames[0].Data)
	}
}

func TestBlockActions(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	got := make(chan slack.InteractionCallback, 4)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		if evt.Type == socketmode.EventTypeInteractive {
			got <- evt.Data.(slack.InteractionCallback)
		}
		return false
	})
	ctx := testCtx(t)
	dm := openDM(t, api, alice.ID)
	_, ts, err := api.PostMessageContext(ctx, dm, slack.MsgOptionText("Retro", false), slack.MsgOptionBlocks(mustBlocks(t, `[
		{"type":"actions","block_id":"retro","elements":[
			{"type":"button","action_id":"retro_yes","text":{"type":"plain_text","text":"Yes"},"value":"r1:yes","style":"primary"},
			{"type":"overflow","action_id":"more","options":[
				{"text":{"type":"plain_text","text":"Skip"},"value":"skip"},
				{"text":{"type":"plain_text","text":"Snooze"},"value":"snooze"}]},
			{"type":"static_select","action_id":"pick","placeholder":{"type":"plain_text","text":"Pick"},"options":[
				{"text":{"type":"plain_text","text":"One"},"value":"1"}]}]}]`)...))
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := srv.Message(dm, ts)

	if _, err := srv.ClickButton(ctx, alice.ID, msg, "retro_yes", ""); err != nil {
		t.Fatal(err)
	}
	cb := <-got
	act := cb.ActionCallback.BlockActions[0]
	if cb.Type != slack.InteractionTypeBlockActions || act.ActionID != "retro_yes" || act.BlockID != "retro" ||
		act.Value != "r1:yes" || cb.User.ID != alice.ID || cb.Container.Type != "message" ||
		cb.Container.ChannelID != dm || cb.Container.MessageTs != ts || cb.Message.Timestamp != ts ||
		cb.TriggerID == "" || cb.ResponseURL == "" || cb.Channel.ID != dm {
		t.Fatalf("callback = %+v / action %+v", cb, act)
	}

	tests := []struct{ action, value, wantType string }{
		{"more", "snooze", "overflow"},
		{"pick", "1", "static_select"},
	}
	for _, tt := range tests {
		if _, err := srv.SelectOption(ctx, alice.ID, msg, tt.action, tt.value); err != nil {
			t.Fatal(err)
		}
		act := (<-got).ActionCallback.BlockActions[0]
		if string(act.Type) != tt.wantType || act.SelectedOption.Value != tt.value {
			t.Fatalf("%s: action = %+v", tt.action, act)
		}
	}
	if _, err := srv.ClickButton(ctx, alice.ID, msg, "nope", ""); err == nil {
		t.Fatal("clicking a missing button should fail")
	}

	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: mustBlocks(t,
		`[{"type":"actions","elements":[{"type":"button","action_id":"home_skip","text":{"type":"plain_text","text":"Skip"},"value":"s"}]}]`)}}
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: alice.ID, View: home}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ClickHomeButton(ctx, alice.ID, "home_skip", ""); err != nil {
		t.Fatal(err)
	}
	cb = <-got
	if cb.Container.Type != "view" || cb.View.Type != slack.VTHomeTab || cb.ActionCallback.BlockActions[0].Value != "s" {
		t.Fatalf("home click = %+v", cb)
	}
}

func TestViewsAndSubmission(t *testing.T) {
	clock := slackfake.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	srv := newServer(t, slackfake.WithClock(clock.Now))
	api := newAPI(srv)
	modal := slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: "review", PrivateMetadata: "round=7",
		Title:  slack.NewTextBlockObject("plain_text", "Review", false, false),
		Submit: slack.NewTextBlockObject("plain_text", "Send", false, false),
		Blocks: slack.Blocks{BlockSet: mustBlocks(t, `[
			{"type":"input","block_id":"notes","label":{"type":"plain_text","text":"Notes"},
			 "element":{"type":"plain_text_input","action_id":"notes_in"}},
			{"type":"input","block_id":"mood","label":{"type":"plain_text","text":"Mood"},
			 "element":{"type":"static_select","action_id":"mood_in","options":[
				{"text":{"type":"plain_text","text":"Good"},"value":"good"}]}}]`)},
	}
	subs := make(chan slack.InteractionCallback, 4)
	triggers := make(chan string, 4)
	responses := []any{
		slack.NewErrorsViewSubmissionResponse(map[string]string{"notes": "Too short"}),
		slack.NewUpdateViewSubmissionResponse(&modal),
		slack.NewClearViewSubmissionResponse(),
	}
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		switch evt.Type {
		case socketmode.EventTypeSlashCommand:
			triggers <- evt.Data.(slack.SlashCommand).TriggerID
		case socketmode.EventTypeInteractive:
			subs <- evt.Data.(slack.InteractionCallback)
			_ = sm.Ack(*evt.Request, responses[0])
			responses = responses[1:]
			return true
		}
		return false
	})
	ctx := testCtx(t)
	nextTrigger := func() string {
		t.Helper()
		if _, err := srv.SlashCommand(ctx, alice.ID, "", "/pair", "review"); err != nil {
			t.Fatal(err)
		}
		return <-triggers
	}

	trig := nextTrigger()
	view, err := api.OpenViewContext(ctx, trig, modal)
	if err != nil {
		t.Fatal(err)
	}
	_, err = api.OpenViewContext(ctx, trig, modal)
	assertSlackError(t, err, "exchanged_trigger_id")
	stale := nextTrigger()
	clock.Advance(4 * time.Second)
	_, err = api.OpenViewContext(ctx, stale, modal)
	assertSlackError(t, err, "expired_trigger_id")

	modal.Title = slack.NewTextBlockObject("plain_text", strings.Repeat("t", 25), false, false)
	_, err = api.OpenViewContext(ctx, nextTrigger(), modal)
	assertSlackError(t, err, "invalid_blocks")
	modal.Title = slack.NewTextBlockObject("plain_text", "Review (edited)", false, false)

	if _, err := api.UpdateViewContext(ctx, modal, "", "1.stale", view.ID); err == nil || err.Error() != "hash_conflict" {
		t.Fatalf("stale hash: %v", err)
	}

	values := map[string]map[string]string{"notes": {"notes_in": "ok"}, "mood": {"mood_in": "good"}}
	ack, err := srv.SubmitView(ctx, alice.ID, view.ID, values)
	if err != nil {
		t.Fatal(err)
	}
	cb := <-subs
	if cb.Type != slack.InteractionTypeViewSubmission || cb.View.CallbackID != "review" || cb.View.PrivateMetadata != "round=7" ||
		cb.View.State.Values["notes"]["notes_in"].Value != "ok" || cb.View.State.Values["mood"]["mood_in"].SelectedOption.Value != "good" {
		t.Fatalf("submission = %+v", cb.View)
	}
	if ack.ResponseAction != "errors" || ack.Errors["notes"] != "Too short" {
		t.Fatalf("ack = %+v", ack)
	}
	if v, _ := srv.View(view.ID); !v.Open || v.Errors["notes"] != "Too short" {
		t.Fatalf("view after errors = %+v", v)
	}

	if ack, err = srv.SubmitView(ctx, alice.ID, view.ID, values); err != nil || ack.ResponseAction != "update" || ack.View.Title != "Review (edited)" {
		t.Fatalf("update ack = %+v, %v", ack, err)
	}
	<-subs
	if ack, err = srv.SubmitView(ctx, alice.ID, view.ID, nil); err != nil || ack.ResponseAction != "clear" {
		t.Fatalf("clear ack = %+v, %v", ack, err)
	}
	<-subs
	if v, _ := srv.View(view.ID); v.Open {
		t.Fatalf("view still open after clear")
	}
	if _, err := srv.SubmitView(ctx, alice.ID, view.ID, nil); err == nil {
		t.Fatal("submitting a closed modal should fail")
	}
	if len(srv.Violations()) != 1 { // the 25-character title
		t.Fatalf("violations = %v", srv.Violations())
	}
}

func TestAppHomeOpened(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	got := make(chan *slackevents.AppHomeOpenedEvent, 2)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		if evt.Type == socketmode.EventTypeEventsAPI {
			ev := evt.Data.(slackevents.EventsAPIEvent)
			if home, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok {
				got <- home
			}
		}
		return false
	})
	ctx := testCtx(t)
	if _, err := srv.OpenAppHome(ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	ev := <-got
	if ev.User != alice.ID || ev.Tab != "home" || ev.View != nil || !strings.HasPrefix(ev.Channel, "D") {
		t.Fatalf("event = %+v", ev)
	}
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, CallbackID: "home",
		Blocks: slack.Blocks{BlockSet: mustBlocks(t, `[{"type":"section","text":{"type":"mrkdwn","text":"Hi"}}]`)}}
	resp, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: alice.ID, View: home})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.OpenAppHome(ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	if ev := <-got; ev.View == nil || ev.View.ID != resp.View.ID || ev.View.CallbackID != "home" {
		t.Fatalf("event view = %+v", ev.View)
	}
	hv, ok := srv.HomeView(alice.ID)
	if !ok || hv.ID != resp.View.ID || !strings.Contains(hv.AllText(), "Hi") {
		t.Fatalf("home view = %+v", hv)
	}
	_, err = api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "UNOBODY", View: home})
	assertSlackError(t, err, "user_not_found")
	stale := "1.0"
	_, err = api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: alice.ID, View: home, Hash: &stale})
	assertSlackError(t, err, "hash_conflict")
}

func TestResponseURL(t *testing.T) {
	srv := newServer(t)
	urls := make(chan string, 1)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		if evt.Type == socketmode.EventTypeSlashCommand {
			urls <- evt.Data.(slack.SlashCommand).ResponseURL
		}
		return false
	})
	ctx := testCtx(t)
	if _, err := srv.SlashCommand(ctx, bob.ID, "", "/pair", "status"); err != nil {
		t.Fatal(err)
	}
	u := <-urls
	api := newAPI(srv)
	for i := range 6 {
		_, _, err := api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(u, slack.ResponseTypeEphemeral),
			slack.MsgOptionText("later", false))
		if i < 5 && err != nil {
			t.Fatalf("use %d: %v", i+1, err)
		}
		if i == 5 {
			assertSlackError(t, err, "used_url")
		}
	}
	eph := srv.Ephemerals(bob.ID)
	if len(eph) != 5 || !eph[0].FromResponseURL || eph[0].Text != "later" {
		t.Fatalf("ephemerals = %+v", eph)
	}
}

func TestRawEnvelopesAndRedelivery(t *testing.T) {
	srv := newServer(t)
	b := startBot(t, srv, nil)
	ctx := testCtx(t)
	payload := json.RawMessage(`{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","user":"UALICE","text":"hi","ts":"1.000001","channel":"C1","event_ts":"1.000001"}}`)
	for range 2 { // the same envelope ID twice, as Slack may do
		ack, err := srv.SendRaw(ctx, slackfake.EnvelopeEventsAPI, payload, "dup-1")
		if err != nil || ack.EnvelopeID != "dup-1" {
			t.Fatalf("ack %+v, %v", ack, err)
		}
	}
	if err := srv.Redeliver("dup-1"); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitFor(ctx, func() bool { return len(srv.Acks()) == 3 }); err != nil {
		t.Fatal(err)
	}
	if last := srv.Acks()[2]; last.Attempt != 1 || last.Unexpected {
		t.Fatalf("redelivery ack = %+v", last)
	}
	tests := []struct {
		name    string
		payload string
		want    socketmode.EventType
	}{
		{"frame is not JSON", `{not json`, socketmode.EventTypeIncomingError},
		{"payload of the wrong shape", `[1,2]`, socketmode.EventTypeErrorBadMessage},
	}
	for _, tt := range tests {
		short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		_, err := srv.SendRaw(short, slackfake.EnvelopeSlashCommands, json.RawMessage(tt.payload), "")
		cancel()
		if err == nil {
			t.Fatalf("%s: a malformed envelope cannot be acked", tt.name)
		}
		if err := srv.WaitFor(ctx, func() bool { return b.seen(tt.want) == 1 }); err != nil {
			t.Fatalf("%s: no %s event: %v", tt.name, tt.want, err)
		}
	}
	if srv.Connections() != 1 || srv.ConnectionOpens() != 1 {
		t.Fatalf("malformed frames must not cost the connection")
	}
}

func TestEventRedeliveryWhenAckIsLate(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackfake.WithEventRedelivery(200*time.Millisecond, 3))
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		// Never ack the first delivery; the default acks the retry.
		return evt.Request != nil && evt.Type == socketmode.EventTypeEventsAPI && evt.Request.RetryAttempt == 0
	})
	ack, err := srv.OpenAppHome(testCtx(t), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Attempt < 1 { // 1, or later when the retry's ack took over 200 ms
		t.Fatalf("ack = %+v, want a retry acked", ack)
	}
	var retry string
	for _, f := range srv.Frames() {
		if strings.Contains(string(f.Data), `"retry_attempt":1`) {
			retry = string(f.Data)
		}
	}
	if !strings.Contains(retry, `"retry_reason":"timeout"`) {
		t.Fatalf("retry frame = %s", retry)
	}
}
