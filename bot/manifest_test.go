package bot

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// scopeOf is the bot scope each Web API method we call needs
// (docs.slack.dev/reference/methods). Methods that need no scope map to "".
var scopeOf = map[string]string{
	"auth.test":                    "",
	"apps.connections.open":        "", // app-level token, connections:write
	"users.info":                   "users:read",
	"users.list":                   "users:read",       // the away check of a team over awayListFrom people
	"users.lookupByEmail":          "users:read.email", // pollen import-git maps commit emails to people
	"conversations.open":           "mpim:write",       // im:write for one person; both listed
	"chat.postMessage":             "chat:write",
	"conversations.info":           "channels:read", // groups:read too, for a private channel's rotation
	"conversations.history":        "im:history",    // mpim:history, channels:history and groups:history too: group DMs, the digest channel (public or private)
	"chat.postEphemeral":           "chat:write",
	"chat.update":                  "chat:write",
	"views.publish":                "",
	"files.getUploadURLExternal":   "files:write",
	"files.completeUploadExternal": "files:write",
	"upload":                       "", // the upload URL files.getUploadURLExternal hands out
	"views.open":                   "",
	"response_url":                 "",
}

// manifestScopes reads the bot scopes from manifest.yml.
func manifestScopes(t *testing.T) (scopes []string, manifest string) {
	t.Helper()
	return manifestList(t, "bot:")
}

// manifestList reads the "- item" lines under a key of manifest.yml (trailing
// comments dropped), and the whole manifest.
func manifestList(t *testing.T, key string) (items []string, manifest string) {
	t.Helper()
	data, err := os.ReadFile("../manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == key:
			in = true
		case in && strings.HasPrefix(trimmed, "- "):
			item, _, _ := strings.Cut(strings.TrimPrefix(trimmed, "- "), "#")
			items = append(items, strings.TrimSpace(item))
		case in && trimmed != "":
			in = false
		}
	}
	return items, string(data)
}

// TestManifestHasExactlyTheScopesUsed runs the flows that touch every Slack
// method the bot calls and checks the manifest asks for what they need and
// nothing more.
func TestManifestHasExactlyTheScopesUsed(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.run("UCY", "now churn-model")
	h.run("UCY", "log <@UBO|bo> etl")
	h.run("UCY", "stats")
	// A rotation's start checks Pollen is in its channel (conversations.info).
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{h.fake.BotUserID, "UANA"}})
	h.runIn("UANA", "CFORE", "rotation start")
	if _, err := h.fake.WaitForCall(h.ctx(), "files.completeUploadExternal", 4); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.OpenAppHome(h.ctx(), "UCY"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitForCall(h.ctx(), "views.publish", 1); err != nil {
		t.Fatal(err)
	}
	// A large team's away check reads users.list instead of users.info.
	many := make([]string, awayListFrom+1)
	for i := range many {
		many[i] = fmt.Sprintf("UMANY%03d", i)
	}
	h.bot.AwayNow(h.ctx(), many, pairing.DefaultAwayEmoji)
	if len(h.fake.Calls("users.list")) == 0 {
		t.Error("the away check of a large team did not call users.list")
	}
	if _, err := LookupEmails(h.ctx(), h.fake.BotToken, h.fake.APIURL(), []string{"nobody@example.com"}); err != nil {
		t.Fatal(err)
	}
	// A repeat delivery looks in the conversation's history first.
	if _, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"UCY"},
		Text: "hello again", Attempts: 2}); err != nil {
		t.Fatal(err)
	}
	// the slash command; DMs to one person; history of group DMs and of the digest channel
	need := []string{"commands", "im:write", "mpim:history", "channels:history", "groups:history", "groups:read"}
	for _, c := range h.fake.Calls("") {
		scope, known := scopeOf[c.Method]
		if !known {
			t.Errorf("the bot called %s: add its scope to scopeOf and the manifest", c.Method)
		}
		if scope != "" && !slices.Contains(need, scope) {
			need = append(need, scope)
		}
	}
	have, manifest := manifestScopes(t)
	slices.Sort(need)
	slices.Sort(have)
	if !slices.Equal(need, have) {
		t.Errorf("manifest bot scopes %v, the bot needs %v", have, need)
	}
	for _, want := range []string{"command: /pair", "should_escape: true", "socket_mode_enabled: true", "home_tab_enabled: true",
		"messages_tab_enabled: true", "messages_tab_read_only_enabled: false", "is_enabled: true"} {
		if !strings.Contains(manifest, want) {
			t.Errorf("manifest lacks %q", want)
		}
	}
}

// eventScope is the bot scope each event we subscribe to needs
// (docs.slack.dev/reference/events): message.im needs im:history.
var eventScope = map[string]string{
	"app_home_opened": "",
	"message.im":      "im:history",
	// only for the channels Pollen is in; groups:read for private ones
	"member_joined_channel": "channels:read",
	"member_left_channel":   "channels:read",
}

// manifestEvents reads the bot events from manifest.yml.
func manifestEvents(t *testing.T) []string {
	t.Helper()
	events, _ := manifestList(t, "bot_events:")
	return events
}

// TestManifestSubscribesToTheEventsHandled: the manifest subscribes to
// exactly the events the bot answers (the App Home, and DMs, which
// TestPollenAnswersDMs delivers as Slack does), each with its scope.
func TestManifestSubscribesToTheEventsHandled(t *testing.T) {
	events := manifestEvents(t)
	want := []string{"app_home_opened", "member_joined_channel", "member_left_channel", "message.im"}
	slices.Sort(events)
	if !slices.Equal(events, want) {
		t.Errorf("manifest bot events %v, the bot handles %v", events, want)
	}
	scopes, _ := manifestScopes(t)
	for _, ev := range events {
		if s := eventScope[ev]; s != "" && !slices.Contains(scopes, s) {
			t.Errorf("the event %s needs the scope %s, which the manifest lacks", ev, s)
		}
	}
}
