package slackfake_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// repeat builds n blocks from one template with %d for the index.
func repeat(n int, tmpl string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(tmpl, i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestMessageLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	button := func(text, value, actionID string) string {
		return fmt.Sprintf(`{"type":"button","text":{"type":"plain_text","text":%q},"value":%q,"action_id":%q}`, text, value, actionID)
	}
	tests := []struct {
		name   string
		blocks string
		want   string // substring of the error message; "" for valid
	}{
		{"valid", `[{"type":"section","text":{"type":"mrkdwn","text":"ok"}}]`, ""},
		{"50 blocks ok", repeat(50, `{"type":"divider","block_id":"d%d"}`), ""},
		{"51 blocks", repeat(51, `{"type":"divider","block_id":"d%d"}`), "no more than 50 items allowed [json-pointer:/blocks]"},
		{"section text 3001", fmt.Sprintf(`[{"type":"section","text":{"type":"mrkdwn","text":%q}}]`, long(3001)), "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"},
		{"11 fields", `[{"type":"section","fields":` + repeat(11, `{"type":"mrkdwn","text":"f%d"}`) + `}]`, "[json-pointer:/blocks/0/fields]"},
		{"field 2001", fmt.Sprintf(`[{"type":"section","fields":[{"type":"mrkdwn","text":%q}]}]`, long(2001)), "/blocks/0/fields/0/text"},
		{"header 151", fmt.Sprintf(`[{"type":"header","text":{"type":"plain_text","text":%q}}]`, long(151)), "/blocks/0/text/text"},
		{"button text 76", `[{"type":"actions","elements":[` + button(long(76), "v", "a") + `]}]`, "/blocks/0/elements/0/text/text"},
		{"button value 2001", `[{"type":"actions","elements":[` + button("ok", long(2001), "a") + `]}]`, "/blocks/0/elements/0/value"},
		{"action_id 256", `[{"type":"actions","elements":[` + button("ok", "v", long(256)) + `]}]`, "/blocks/0/elements/0/action_id"},
		{"26 elements", `[{"type":"actions","elements":` + repeat(26, `{"type":"button","text":{"type":"plain_text","text":"b"},"action_id":"a%d"}`) + `}]`, "/blocks/0/elements]"},
		{"11 context elements", `[{"type":"context","elements":` + repeat(11, `{"type":"mrkdwn","text":"c%d"}`) + `}]`, "/blocks/0/elements]"},
		{"block_id 256", fmt.Sprintf(`[{"type":"divider","block_id":%q}]`, long(256)), "/blocks/0/block_id"},
		{"datetimepicker ok", `[{"type":"actions","elements":[{"type":"datetimepicker","action_id":"when","initial_date_time":1795701600}]}]`, ""},
		{"datetimepicker in milliseconds", `[{"type":"actions","elements":[{"type":"datetimepicker","action_id":"when","initial_date_time":1795701600000}]}]`, "/blocks/0/elements/0/initial_date_time"},
		{"duplicate block_id", `[{"type":"divider","block_id":"x"},{"type":"divider","block_id":"x"}]`, "already exists [json-pointer:/blocks/1/block_id]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			_, _, err := newAPI(srv).PostMessageContext(testCtx(t), alice.ID, slack.MsgOptionText("fallback", false),
				slack.MsgOptionBlocks(mustBlocks(t, tt.blocks)...))
			if tt.want == "" {
				if err != nil || len(srv.Violations()) != 0 {
					t.Fatalf("err %v, violations %v", err, srv.Violations())
				}
				return
			}
			se, ok := err.(slack.SlackErrorResponse)
			if !ok || se.Err != "invalid_blocks" || len(se.Errors) == 0 || len(se.ResponseMetadata.Messages) == 0 {
				t.Fatalf("err = %#v, want invalid_blocks with errors", err)
			}
			v := srv.Violations()
			if len(v) == 0 || !strings.Contains(strings.Join(v, "\n"), tt.want) || !strings.Contains(*se.Errors[0].Message, "json-pointer") {
				t.Fatalf("violations %q do not mention %q", v, tt.want)
			}
		})
	}
}

func TestMessageTextTooLong(t *testing.T) {
	srv := newServer(t)
	_, _, err := newAPI(srv).PostMessageContext(testCtx(t), alice.ID, slack.MsgOptionText(strings.Repeat("y", 40001), false))
	assertSlackError(t, err, "msg_too_long")
	if len(srv.Violations()) != 1 {
		t.Fatalf("violations = %v", srv.Violations())
	}
}

func TestViewLimits(t *testing.T) {
	tests := []struct {
		name string
		view string
		want string
	}{
		{"empty home ok", `{"type":"home","blocks":[]}`, ""},
		{"private_metadata 3001", fmt.Sprintf(`{"type":"home","private_metadata":%q,"blocks":[]}`, strings.Repeat("m", 3001)), "/view/private_metadata"},
		{"101 blocks", `{"type":"home","blocks":` + repeat(101, `{"type":"divider","block_id":"d%d"}`) + `}`, "no more than 100 items allowed [json-pointer:/view/blocks]"},
		{"100 blocks ok", `{"type":"home","blocks":` + repeat(100, `{"type":"divider","block_id":"d%d"}`) + `}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			var view slack.HomeTabViewRequest
			if err := json.Unmarshal([]byte(tt.view), &view); err != nil {
				t.Fatal(err)
			}
			_, err := newAPI(srv).PublishViewContext(testCtx(t), slack.PublishViewContextRequest{UserID: alice.ID, View: view})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err, srv.Violations())
				}
				return
			}
			assertSlackError(t, err, "invalid_blocks")
			if v := strings.Join(srv.Violations(), "\n"); !strings.Contains(v, tt.want) {
				t.Fatalf("violations %q do not mention %q", v, tt.want)
			}
		})
	}
}

func TestLimitsTable(t *testing.T) {
	l := slackfake.Limits()
	if l.MessageBlocks != 50 || l.SurfaceBlocks != 100 || l.SectionText != 3000 || l.HeaderText != 150 ||
		l.ButtonText != 75 || l.ViewTitle != 24 || l.ViewPrivateMetadata != 3000 || l.MessageText != 40000 {
		t.Fatalf("limits = %+v", l)
	}
}
