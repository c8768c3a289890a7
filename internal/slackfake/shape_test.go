package slackfake_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// shapeDiff lists where got lacks a key of sample, has a key of another JSON
// kind, or has a key the sample lacks (unless extra or open allows it). An
// empty sample object or a null sample value matches anything.
func shapeDiff(path string, sample, got any, extra, open map[string]bool) []string {
	key := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch sv := sample.(type) {
	case nil:
		return nil
	case map[string]any:
		gv, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want object, got %T", path, got)}
		}
		if len(sv) == 0 {
			return nil
		}
		var diffs []string
		for k, v := range sv {
			g, has := gv[k]
			if !has {
				diffs = append(diffs, "missing "+key(k))
				continue
			}
			diffs = append(diffs, shapeDiff(key(k), v, g, extra, open)...)
		}
		for k := range gv {
			if _, has := sv[k]; !has && !extra[key(k)] && !open[path] {
				diffs = append(diffs, "unexpected "+key(k))
			}
		}
		return diffs
	case []any:
		ga, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want array, got %T", path, got)}
		}
		if len(sv) == 0 || len(ga) == 0 {
			return nil
		}
		return shapeDiff(path+"[]", sv[0], ga[0], extra, open)
	default:
		if fmt.Sprintf("%T", sample) != fmt.Sprintf("%T", got) {
			return []string{fmt.Sprintf("%s: want %T, got %T", path, sample, got)}
		}
		return nil
	}
}

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// TestFramesMatchSlackSamples drives every kind of frame through a real
// client and compares it with Slack's documented samples in testdata.
func TestFramesMatchSlackSamples(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	triggers := make(chan string, 1)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		if evt.Type == socketmode.EventTypeSlashCommand {
			triggers <- evt.Data.(slack.SlashCommand).TriggerID
		}
		return false
	})
	ctx := testCtx(t)

	srv.AddChannel(slackfake.Channel{ID: "CGENERAL", Name: "general", Members: []string{alice.ID, srv.BotUserID}})
	if _, err := srv.SlashCommand(ctx, alice.ID, "CGENERAL", "/pair", ""); err != nil {
		t.Fatal(err)
	}
	modal := slack.ModalViewRequest{Type: slack.VTModal, CallbackID: "modal-with-inputs", PrivateMetadata: "shhh-its-secret",
		Title:  slack.NewTextBlockObject("plain_text", "Poem", false, false),
		Submit: slack.NewTextBlockObject("plain_text", "Send", false, false),
		Blocks: slack.Blocks{BlockSet: mustBlocks(t, `[{"type":"input","block_id":"multi-line","label":{"type":"plain_text","text":"Poem"},
			"element":{"type":"plain_text_input","multiline":true,"action_id":"ml-value"}}]`)}}
	view, err := api.OpenViewContext(ctx, <-triggers, modal)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SubmitView(ctx, alice.ID, view.ID, map[string]map[string]string{"multi-line": {"ml-value": "Archaic torso of Apollo"}}); err != nil {
		t.Fatal(err)
	}
	_, ts, err := api.PostMessageContext(ctx, "CGENERAL", slack.MsgOptionText("Pick", false), slack.MsgOptionBlocks(mustBlocks(t,
		`[{"type":"actions","elements":[{"type":"button","action_id":"WaXA","text":{"type":"plain_text","text":"View"},"value":"click_me_123"}]}]`)...))
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := srv.Message("CGENERAL", ts)
	if _, err := srv.ClickButton(ctx, alice.ID, msg, "WaXA", ""); err != nil {
		t.Fatal(err)
	}
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: mustBlocks(t, `[{"type":"divider"}]`)}}
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: alice.ID, View: home}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.OpenAppHome(ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	srv.Disconnect("warning")

	frames := map[string]any{}
	for _, f := range srv.Frames() {
		var m map[string]any
		if !f.Outgoing || json.Unmarshal(f.Data, &m) != nil {
			continue
		}
		name, _ := m["type"].(string)
		if p, ok := m["payload"].(map[string]any); ok && name == "interactive" {
			name, _ = p["type"].(string)
		}
		if _, seen := frames[name]; !seen {
			frames[name] = m
		}
	}

	tests := []struct {
		sample, frame string
		extra, open   map[string]bool
	}{
		{"hello.json", "hello", nil, nil},
		{"disconnect.json", "disconnect", nil, nil},
		{"slash_command.json", "slash_commands", set("payload.api_app_id", "payload.is_enterprise_install"), nil},
		{"block_actions.json", "block_actions", set("payload.token", "payload.enterprise", "payload.is_enterprise_install",
			"payload.state", "payload.user.name", "payload.channel.name"), set("payload.message")},
		{"view_submission.json", "view_submission", set("payload.api_app_id", "payload.token", "payload.trigger_id",
			"payload.response_urls", "payload.is_enterprise_install", "payload.enterprise"), set("payload.view")},
		{"app_home_opened.json", "events_api", nil, set("payload.event.view")},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.sample))
			if err != nil {
				t.Fatal(err)
			}
			var sample any
			if err := json.Unmarshal(data, &sample); err != nil {
				t.Fatal(err)
			}
			got, found := frames[tt.frame]
			if !found {
				t.Fatalf("no %s frame was sent", tt.frame)
			}
			if diffs := shapeDiff("", sample, got, tt.extra, tt.open); len(diffs) > 0 {
				slices.Sort(diffs)
				t.Fatalf("frame differs from Slack's sample:\n%v\nframe: %v", diffs, got)
			}
		})
	}
}
