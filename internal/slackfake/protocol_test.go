package slackfake_test

import (
	"io"
	"log"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func TestTicketIsSingleUse(t *testing.T) {
	srv := newServer(t)
	_, wsURL, err := newAPI(srv).StartSocketModeContext(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	header := http.Header{"Origin": {"https://api.slack.com"}}
	conn, _, err := websocket.DefaultDialer.DialContext(testCtx(t), wsURL, header)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var hello map[string]any
	if err := conn.ReadJSON(&hello); err != nil || hello["type"] != "hello" {
		t.Fatalf("hello = %v, %v", hello, err)
	}
	_, resp, err := websocket.DefaultDialer.DialContext(testCtx(t), wsURL, header)
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("second dial with the same ticket: %v", err)
	}
}

func TestDebugReconnectsQueryIsIgnored(t *testing.T) {
	srv := newServer(t)
	quiet := log.New(io.Discard, "", 0)
	api := slack.New(srv.BotToken, slack.OptionAppLevelToken(srv.AppToken), slack.OptionAPIURL(srv.APIURL()),
		slack.OptionDebug(true), slack.OptionLog(quiet))
	sm := socketmode.New(api, socketmode.OptionPingInterval(2*time.Second), socketmode.OptionLog(quiet))
	ctx := testCtx(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = sm.RunContext(ctx)
	}()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-sm.Events:
			}
		}
	}()
	if err := srv.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { <-done })
}

func TestAckPayloadsAreChecked(t *testing.T) {
	srv := newServer(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		if evt.Type == socketmode.EventTypeSlashCommand {
			modal := slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject("plain_text", "Help", false, false),
				Submit: slack.NewTextBlockObject("plain_text", "OK", false, false),
				Blocks: slack.Blocks{BlockSet: mustBlocks(t, `[{"type":"input","block_id":"q","label":{"type":"plain_text","text":"Q"},"element":{"type":"plain_text_input","action_id":"a"}}]`)}}
			if _, err := sm.OpenView(evt.Data.(slack.SlashCommand).TriggerID, modal); err != nil {
				t.Error(err)
			}
			_ = sm.Ack(*evt.Request, map[string]any{"blocks": []map[string]any{
				{"type": "header", "text": map[string]any{"type": "plain_text", "text": strings.Repeat("h", 151)}}}})
			return true
		}
		if evt.Type == socketmode.EventTypeInteractive {
			_ = sm.Ack(*evt.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"not_an_input": "bad"}))
			return true
		}
		return false
	})
	ctx := testCtx(t)
	ack, err := srv.SlashCommand(ctx, alice.ID, "", "/pair", "help")
	if err != nil || ack.Message != nil || len(srv.Ephemerals(alice.ID)) != 0 {
		t.Fatalf("ack %+v, %v: an over-long reply must not be shown", ack, err)
	}
	views := srv.Views()
	if len(views) != 1 {
		t.Fatalf("views = %+v", views)
	}
	ack, err = srv.SubmitView(ctx, alice.ID, views[0].ID, map[string]map[string]string{"q": {"a": "why?"}})
	if err != nil || ack.ResponseAction != "errors" {
		t.Fatalf("ack %+v, %v", ack, err)
	}
	v := strings.Join(srv.Violations(), "\n")
	for _, want := range []string{
		"ack /pair: must be less than 151 characters [json-pointer:/blocks/0/text/text]",
		`errors key "not_an_input" is not the block_id of an input block`,
	} {
		if !strings.Contains(v, want) {
			t.Fatalf("violations %s\ndo not mention %s", v, want)
		}
	}
	rec := &recorder{}
	srv.CheckViolations(rec)
	if rec.n != 2 {
		t.Fatalf("CheckViolations reported %d, want 2", rec.n)
	}
}

type recorder struct{ n int }

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.n++ }
