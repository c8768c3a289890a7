package metrics

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

func TestAnswerOf(t *testing.T) {
	bigHistory := `{"ok":true,"messages":[` + strings.Repeat(`{"type":"message","text":"error"},`, 200) + `{}],"has_more":false}`
	bigPost := `{"channel":"C1","message":{"text":"` + strings.Repeat("x", answerPeek) + `"},"ok":true}` // keys sorted, as slackfake writes them
	for _, tc := range []struct {
		name, body, want string
		cut              bool
	}{
		{"ok", `{"ok":true,"channel":"C1"}`, "ok", false},
		{"slack error", `{"ok":false,"error":"invalid_auth"}`, "invalid_auth", false},
		{"error before ok", `{"error":"missing_scope","needed":"groups:history","ok":false}`, "missing_scope", false},
		{"nested error and ok are not the answer", `{"response_metadata":{"ok":true,"error":"nested"},"ok":false,"error":"not_in_channel"}`, "not_in_channel", false},
		{"warnings beside ok", `{"ok":true,"warning":"superfluous_charset","error":"x"}`, "ok", false},
		{"ok false without a code", `{"ok":false}`, "unknown_error", false},
		{"odd code", `{"ok":false,"error":"<script>"}`, "unknown_error", false},
		{"cut off after ok", bigHistory[:answerPeek], "ok", true},
		{"cut off before ok", bigPost[:answerPeek], "ok", true},
		{"cut off error", `{"ok":false,"error":"invalid_bl`, "unknown_error", true},
		{"cut off, not JSON", strings.Repeat("x", answerPeek), answerNone, true},
		{"not an object", `[1,2]`, answerNone, false},
		{"not JSON", `<html>502</html>`, answerNone, false},
		{"empty", ``, answerNone, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := answerOf([]byte(tc.body), tc.cut); got != tc.want {
				t.Errorf("answerOf(%.60q) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}

// fakeSlack answers each method with a fixed status, content type and body.
func fakeSlack(t *testing.T, answers map[string][3]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[strings.TrimPrefix(r.URL.Path, "/api/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a[1])
		var code int
		fmt.Sscan(a[0], &code)
		w.WriteHeader(code)
		io.WriteString(w, a[2])
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The transport labels calls with Slack's answer and leaves every body
// whole for slack-go: errors, small answers and answers longer than the
// peek all decode as without it.
func TestTransportLabelsSlackErrorsAndLeavesTheBodyWhole(t *testing.T) {
	var msgs []string
	for i := range 300 {
		msgs = append(msgs, fmt.Sprintf(`{"type":"message","ts":"1700000000.%06d","text":"message %d"}`, i, i))
	}
	history := `{"ok":true,"messages":[` + strings.Join(msgs, ",") + `],"has_more":false}`
	if len(history) < 4*answerPeek {
		t.Fatalf("the history body (%d bytes) must be longer than the peek", len(history))
	}
	const jsonType = "application/json; charset=utf-8"
	srv := fakeSlack(t, map[string][3]string{
		"auth.test":             {"200", jsonType, `{"ok":false,"error":"invalid_auth"}`},
		"conversations.history": {"200", jsonType, history},
		"users.info":            {"503", "text/html", `<html><body>Service Unavailable</body></html>`},
	})
	m := New(func() (Snapshot, error) { return Snapshot{}, nil })
	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/api/"),
		slack.OptionHTTPClient(&http.Client{Transport: m.Transport(nil)}))
	ctx := context.Background()

	if _, err := api.AuthTestContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("auth.test: err = %v, want invalid_auth as slack-go reads it", err)
	}
	resp, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1"})
	if err != nil || len(resp.Messages) != 300 || resp.Messages[299].Text != "message 299" {
		t.Errorf("conversations.history through the transport: %d messages, err %v; want all 300", len(resp.Messages), err)
	}
	if _, err := api.GetUserInfoContext(ctx, "U1"); err == nil {
		t.Error("users.info: no error for a 503")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`pollen_slack_api_calls_total{error="invalid_auth",method="auth.test",status="200"} 1`,
		`pollen_slack_api_calls_total{error="ok",method="conversations.history",status="200"} 1`,
		`pollen_slack_api_calls_total{error="n/a",method="users.info",status="503"} 1`,
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", rec.Body.String())
	}
}
