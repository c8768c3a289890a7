package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// The fuzz targets of this file feed arbitrary user text to every Block Kit
// builder, every /pair command and every interaction handler, and check
// what would go to Slack: within Slack's limits (slackfake's table), user
// text always escaped, and never a panic. CI runs each for a bounded number
// of executions (.ci/run has the budgets):
//
//	go test -run XXX -fuzz '^FuzzBlockBuilders$' -fuzztime 8000x ./bot/
//
// and a longer local run is the same line with -fuzztime 10m.

// ourMarkup is the only mrkdwn markup Pollen writes itself: mentions of
// users and channels, links without a label (a label would let a user
// dress up a link as another), and date tokens with a fallback of our own
// (Slack's date formatting, slotWhen).
var ourMarkup = regexp.MustCompile(`^<(?:@[UW][A-Z0-9]{1,20}|#C[A-Z0-9]{1,20}|https?://[^|<>]*|!date\^[0-9]{1,12}\^[a-z_{} ]{1,60}\|[A-Za-z0-9 :]{1,40})>`)

// markupProblems reports mrkdwn that Slack would read as markup Pollen did
// not write: a raw '<' or '>' (a forged mention, link or <!channel>) or an
// '&' that does not start one of the three entities (half an entity left
// by a cut).
func markupProblems(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			m := ourMarkup.FindString(s[i:])
			if m == "" {
				out = append(out, fmt.Sprintf("raw '<' at %d: %.40q", i, s[i:]))
				continue
			}
			i += len(m) - 1
		case '>':
			out = append(out, fmt.Sprintf("raw '>' at %d: %.40q", i, s[max(0, i-20):]))
		case '&':
			rest := s[i:]
			if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
				out = append(out, fmt.Sprintf("raw '&' at %d: %.20q", i, rest))
			}
		}
	}
	return out
}

// surfaceCheck collects what Slack would refuse in a message or a view,
// using slackfake's limit table; it also checks the escaping of mrkdwn.
type surfaceCheck struct {
	lim      slackfake.LimitTable
	problems []string
}

func newSurfaceCheck() *surfaceCheck { return &surfaceCheck{lim: slackfake.Limits()} }

func (c *surfaceCheck) addf(path, format string, args ...any) {
	c.problems = append(c.problems, path+": "+fmt.Sprintf(format, args...))
}

func (c *surfaceCheck) length(path, s string, minN, maxN int) {
	if n := utf8.RuneCountInString(s); n < minN || n > maxN {
		c.addf(path, "%d characters, want %d..%d", n, minN, maxN)
	}
}

// message checks a message's fallback text and blocks (as JSON).
func (c *surfaceCheck) message(where, text string, blocks json.RawMessage) {
	if text == "" && (len(blocks) == 0 || string(blocks) == "null") {
		c.addf(where, "no text and no blocks")
	}
	c.length(where+"/text", text, 0, maxMessageText)
	for _, p := range markupProblems(text) {
		c.addf(where+"/text", "%s", p)
	}
	c.blocksJSON(where+"/blocks", blocks, c.lim.MessageBlocks)
}

func (c *surfaceCheck) blocksJSON(path string, raw json.RawMessage, maxBlocks int) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	var blocks []any
	if err := json.Unmarshal(raw, &blocks); err != nil {
		c.addf(path, "not a blocks array: %v", err)
		return
	}
	c.blocks(path, blocks, maxBlocks)
}

func (c *surfaceCheck) blocks(path string, blocks []any, maxBlocks int) {
	if len(blocks) > maxBlocks {
		c.addf(path, "%d blocks, at most %d", len(blocks), maxBlocks)
	}
	ids := map[string]bool{}
	for i, b := range blocks {
		bp := fmt.Sprintf("%s/%d", path, i)
		block, ok := b.(map[string]any)
		if !ok {
			c.addf(bp, "not an object")
			continue
		}
		if id, ok := block["block_id"].(string); ok {
			c.length(bp+"/block_id", id, 1, c.lim.BlockID)
			if ids[id] {
				c.addf(bp, "duplicate block_id %q", id)
			}
			ids[id] = true
		}
		c.block(bp, block)
	}
}

func (c *surfaceCheck) block(path string, b map[string]any) {
	switch b["type"] {
	case "section":
		fields, _ := b["fields"].([]any)
		if b["text"] == nil && len(fields) == 0 {
			c.addf(path, "section without text or fields")
		}
		if b["text"] != nil {
			c.text(path+"/text", b["text"], c.lim.SectionText, false)
		}
		if len(fields) > c.lim.SectionFields {
			c.addf(path+"/fields", "%d fields", len(fields))
		}
		for i, f := range fields {
			c.text(fmt.Sprintf("%s/fields/%d", path, i), f, c.lim.SectionFieldText, false)
		}
		if acc, ok := b["accessory"].(map[string]any); ok {
			c.element(path+"/accessory", acc)
		}
	case "header":
		c.text(path+"/text", b["text"], c.lim.HeaderText, true)
	case "context":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > c.lim.ContextElements {
			c.addf(path+"/elements", "%d elements", len(els))
		}
		for i, e := range els {
			if m, ok := e.(map[string]any); ok && m["type"] != "image" {
				c.text(fmt.Sprintf("%s/elements/%d", path, i), e, c.lim.ContextText, false)
			}
		}
	case "actions":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > c.lim.ActionsElements {
			c.addf(path+"/elements", "%d elements", len(els))
		}
		for i, e := range els {
			if m, ok := e.(map[string]any); ok {
				c.element(fmt.Sprintf("%s/elements/%d", path, i), m)
			}
		}
	case "input":
		c.text(path+"/label", b["label"], c.lim.InputLabel, true)
		if el, ok := b["element"].(map[string]any); ok {
			c.element(path+"/element", el)
		}
	case "image":
		u, _ := b["image_url"].(string)
		alt, _ := b["alt_text"].(string)
		c.length(path+"/image_url", u, 0, c.lim.ImageURL)
		c.length(path+"/alt_text", alt, 1, c.lim.ImageAltText)
	}
}

func (c *surfaceCheck) element(path string, el map[string]any) {
	if id, ok := el["action_id"].(string); ok {
		c.length(path+"/action_id", id, 1, c.lim.ActionID)
	}
	switch el["type"] {
	case "button":
		c.text(path+"/text", el["text"], c.lim.ButtonText, true)
		v, _ := el["value"].(string)
		c.length(path+"/value", v, 0, c.lim.ButtonValue)
		u, _ := el["url"].(string)
		c.length(path+"/url", u, 0, c.lim.ButtonURL)
		if st, ok := el["style"].(string); ok && st != "primary" && st != "danger" {
			c.addf(path+"/style", "%q", st)
		}
	case "overflow":
		opts, _ := el["options"].([]any)
		if len(opts) < 2 || len(opts) > c.lim.OverflowOptions {
			c.addf(path+"/options", "%d options", len(opts))
		}
		for i, o := range opts {
			om, _ := o.(map[string]any)
			c.text(fmt.Sprintf("%s/options/%d/text", path, i), om["text"], c.lim.OptionText, true)
			v, _ := om["value"].(string)
			c.length(fmt.Sprintf("%s/options/%d/value", path, i), v, 1, c.lim.OptionValue)
		}
	case "static_select":
		opts, _ := el["options"].([]any)
		if len(opts) == 0 || len(opts) > c.lim.SelectOptions {
			c.addf(path+"/options", "%d options", len(opts))
		}
		for i, o := range opts {
			om, _ := o.(map[string]any)
			c.text(fmt.Sprintf("%s/options/%d/text", path, i), om["text"], c.lim.OptionText, true)
			v, _ := om["value"].(string)
			c.length(fmt.Sprintf("%s/options/%d/value", path, i), v, 1, c.lim.OptionValue)
		}
		if el["placeholder"] != nil {
			c.text(path+"/placeholder", el["placeholder"], c.lim.Placeholder, true)
		}
	case "plain_text_input":
		if n, ok := el["max_length"].(float64); ok && int(n) > c.lim.TextInputMax {
			c.addf(path+"/max_length", "%v", n)
		}
	}
}

// text checks a text object: its type, its length, and, for mrkdwn, that
// only Pollen's own markup is in it.
func (c *surfaceCheck) text(path string, v any, maxN int, plainOnly bool) {
	t, ok := v.(map[string]any)
	if !ok {
		c.addf(path, "not a text object")
		return
	}
	s, _ := t["text"].(string)
	c.length(path, s, 1, maxN)
	switch t["type"] {
	case "plain_text":
	case "mrkdwn":
		if plainOnly {
			c.addf(path, "mrkdwn where Slack wants plain_text")
		}
		for _, p := range markupProblems(s) {
			c.addf(path, "%s", p)
		}
	default:
		c.addf(path, "text type %v", t["type"])
	}
}

// view checks a modal or Home tab as sent to views.*.
func (c *surfaceCheck) view(where string, raw json.RawMessage) {
	if len(raw) > c.lim.ViewBytes {
		c.addf(where, "view is %d bytes", len(raw))
	}
	var v struct {
		Type            string          `json:"type"`
		Title           json.RawMessage `json:"title"`
		Submit          json.RawMessage `json:"submit"`
		Close           json.RawMessage `json:"close"`
		CallbackID      string          `json:"callback_id"`
		PrivateMetadata string          `json:"private_metadata"`
		Blocks          json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		c.addf(where, "not a view: %v", err)
		return
	}
	for _, f := range []struct {
		name string
		raw  json.RawMessage
	}{{"title", v.Title}, {"submit", v.Submit}, {"close", v.Close}} {
		if len(f.raw) > 0 && string(f.raw) != "null" {
			var obj any
			_ = json.Unmarshal(f.raw, &obj)
			c.text(where+"/"+f.name, obj, c.lim.ViewTitle, true)
		}
	}
	c.length(where+"/callback_id", v.CallbackID, 0, c.lim.ViewCallbackID)
	c.length(where+"/private_metadata", v.PrivateMetadata, 0, c.lim.ViewPrivateMetadata)
	c.blocksJSON(where+"/blocks", v.Blocks, c.lim.SurfaceBlocks)
}

// checkMessage fails t with everything Slack would refuse in m.
func checkMessage(t testing.TB, where string, m message) {
	t.Helper()
	blocks, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatalf("%s: marshal blocks: %v", where, err)
	}
	c := newSurfaceCheck()
	c.message(where, m.Text, blocks)
	reportProblems(t, c.problems)
}

// checkAck fails t when a slash command's ack payload would not reach the
// user: too big for a Socket Mode frame, or refused as a message.
func checkAck(t testing.TB, where string, p ephemeralPayload) {
	t.Helper()
	frame, err := json.Marshal(socketmode.Response{EnvelopeID: "00000000-0000-4000-8000-000000000000", Payload: p})
	if err != nil {
		t.Fatalf("%s: marshal ack: %v", where, err)
	}
	if len(frame) >= slackfake.Limits().AckBytes {
		t.Errorf("%s: ack frame is %d bytes; Slack drops frames of %d bytes or more", where, len(frame), slackfake.Limits().AckBytes)
	}
	if p.ResponseType != "ephemeral" {
		t.Errorf("%s: reply is %q, want ephemeral", where, p.ResponseType)
	}
	checkMessage(t, where, message{Text: p.Text, Blocks: p.Blocks})
}

func reportProblems(t testing.TB, problems []string) {
	t.Helper()
	for i, p := range problems {
		if i == 10 {
			t.Errorf("…and %d more", len(problems)-10)
			break
		}
		t.Error(p)
	}
}

// Fixed UUID v7s name the sessions the fuzzer's payloads click on.
const (
	fuzzRoundSession  = "0193a1b2-c3d4-7e5f-8a6b-000000000001"
	fuzzLoggedSession = "0193a1b2-c3d4-7e5f-8a6b-000000000002"
	fuzzDoneSession   = "0193a1b2-c3d4-7e5f-8a6b-000000000003"
	fuzzTrioSession   = "0193a1b2-c3d4-7e5f-8a6b-000000000004"
)

// fuzzBot is a bot on a real database whose Slack is a canned transport:
// no network, nothing recorded, and every message, view and private reply
// the bot sends is checked as it goes out.
type fuzzBot struct {
	bot *Bot
	db  *engine.DB

	mu       sync.Mutex
	problems []string
}

func newFuzzBot(tb testing.TB) *fuzzBot {
	tb.Helper()
	db, err := engine.Open(filepath.Join(tb.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	fb := &fuzzBot{db: db}
	clk := &clock{t: start}
	fb.bot = New(Config{AppToken: "xapp-fuzz", BotToken: "xoxb-fuzz", APIURL: "http://slack.invalid/api/", DB: db,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clk.Now,
		HTTPClient: &http.Client{Transport: fb}})
	seed := seedFuzzTeam(start)
	if _, err := db.Apply(context.Background(), func(store.Reader) (store.Change, error) { return seed, nil }); err != nil {
		tb.Fatal(err)
	}
	return fb
}

// seedFuzzTeam is three people, two projects and a session in each
// state the buttons act on.
func seedFuzzTeam(now time.Time) store.Change {
	var c store.Change
	for _, id := range []string{"UANA", "UBO", "UCY"} {
		c.People = append(c.People, pairing.NewPerson(id, strings.ToLower(id[1:]), "Europe/Berlin", now))
	}
	for _, p := range []pairing.Project{{Name: "etl", Owners: []string{"UANA"}}, {Name: "churn-model", Owners: []string{"UBO"}}} {
		c.Projects = append(c.Projects, p)
		c.Events = append(c.Events, pairing.Event{ID: store.NewID(), At: now, Kind: pairing.EventOwner, Project: p.Name, Person: p.Owners[0]})
	}
	c.Sessions = []pairing.Session{
		{ID: fuzzRoundSession, Kind: pairing.Pair, Project: "etl", Host: "UANA", Learners: []string{"UBO"}, Round: "2026-W48",
			Slot: now.Add(time.Hour), Length: time.Hour, State: pairing.Proposed, Reason: "Bo <b>is</b> learning etl", CreatedAt: now, UpdatedAt: now},
		{ID: fuzzLoggedSession, Kind: pairing.Review, Project: "etl", Host: "UANA", Learners: []string{"UCY"}, LoggedBy: "UCY",
			State: pairing.Proposed, CreatedAt: now, UpdatedAt: now},
		{ID: fuzzDoneSession, Kind: pairing.Pair, Project: "churn-model", Host: "UBO", Learners: []string{"UCY"},
			State: pairing.Done, CreatedAt: now, UpdatedAt: now, DoneAt: now},
		{ID: fuzzTrioSession, Kind: pairing.Pair, Project: "churn-model", Host: "UBO", Learners: []string{"UANA", "UCY"}, Round: "2026-W48",
			State: pairing.Accepted, Accepted: []string{"UBO", "UANA", "UCY"}, CreatedAt: now, UpdatedAt: now},
	}
	return c
}

func (fb *fuzzBot) problem(format string, args ...any) {
	fb.mu.Lock()
	fb.problems = append(fb.problems, fmt.Sprintf(format, args...))
	fb.mu.Unlock()
}

func (fb *fuzzBot) problemsOf(c *surfaceCheck) {
	for _, p := range c.problems {
		fb.problem("%s", p)
	}
}

// takeProblems returns and forgets what the transport found.
func (fb *fuzzBot) takeProblems() []string {
	fb.mu.Lock()
	defer fb.mu.Unlock()
	p := fb.problems
	fb.problems = nil
	return p
}

// RoundTrip answers the Web API and response URLs as Slack would, and
// checks every message and view the bot sends.
func (fb *fuzzBot) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	method, isAPI := strings.CutPrefix(r.URL.Path, "/api/")
	if !isAPI || r.URL.Host != "slack.invalid" {
		// A response URL: a private reply to a click.
		var msg struct {
			Text   string          `json:"text"`
			Blocks json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(body, &msg); err != nil {
			fb.problem("response_url: %v", err)
		}
		c := newSurfaceCheck()
		c.message("response_url", msg.Text, msg.Blocks)
		fb.problemsOf(c)
		return jsonResponse(`{"ok":true}`), nil
	}
	form, _ := url.ParseQuery(string(body))
	switch method {
	case "auth.test":
		return jsonResponse(`{"ok":true,"team_id":"` + slackfake.DefaultTeamID + `","user_id":"U0FAKEBOT"}`), nil
	case "users.info":
		id := form.Get("user")
		if strings.HasPrefix(id, "UX") {
			return jsonResponse(`{"ok":false,"error":"user_not_found"}`), nil
		}
		u := map[string]any{"id": id, "name": strings.ToLower(id), "tz": "Europe/Berlin", "is_admin": id == "UANA",
			"is_bot": id == "UBOT", "profile": map[string]any{"display_name": "<!channel> " + id}}
		data, _ := json.Marshal(map[string]any{"ok": true, "user": u})
		return jsonResponse(string(data)), nil
	case "conversations.open":
		return jsonResponse(`{"ok":true,"channel":{"id":"D0FUZZ"}}`), nil
	case "chat.postMessage", "chat.update", "chat.postEphemeral":
		c := newSurfaceCheck()
		c.message(method, form.Get("text"), json.RawMessage(form.Get("blocks")))
		fb.problemsOf(c)
		return jsonResponse(`{"ok":true,"channel":"D0FUZZ","ts":"1700000000.000100","message_ts":"1700000000.000100"}`), nil
	case "views.open", "views.publish", "views.update", "views.push":
		var req struct {
			View json.RawMessage `json:"view"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			fb.problem("%s: %v", method, err)
		}
		c := newSurfaceCheck()
		c.view(method, req.View)
		fb.problemsOf(c)
		return jsonResponse(`{"ok":true,"view":{"id":"V0FUZZ"}}`), nil
	case "conversations.history":
		return jsonResponse(`{"ok":true,"messages":[],"has_more":false}`), nil
	}
	return jsonResponse(`{"ok":false,"error":"unknown_method"}`), nil
}

func jsonResponse(body string) *http.Response {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body))}
}

// sessionsByID reads every session, to compare before and after.
func (fb *fuzzBot) sessionsByID(tb testing.TB) map[string]pairing.Session {
	tb.Helper()
	out := map[string]pairing.Session{}
	err := fb.db.Snapshot(context.Background(), func(r store.Reader) error {
		ss, err := r.Sessions()
		for _, s := range ss {
			out[s.ID] = s
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// fuzzSeeds are user texts that have broken chat bots before: markup,
// entities, mentions, long and multi-byte text, control characters.
var fuzzSeeds = []string{
	"", "etl", "<!channel> hi", "<@UANA>", "<@UANA|ana>", "<#C1|general>", "<https://evil.example|click me>",
	"a & b < c > d", "&lt;@UANA&gt;", "&amp;", "*bold* _it_ ~s~ `code`", "```x```",
	"\u2028\u2029", "\x00\x01\x7f", "😀👩‍👩‍👧‍👦", strings.Repeat("<", 4000), strings.Repeat("&", 3001),
	strings.Repeat("é", 5000), strings.Repeat("\u2028", 1333), "https://x.example/a?b=1&c=2",
	"https://ok.example|https://github.com/org/repo/pull/1", "UANA", "W0ABC", "U" + strings.Repeat("A", 30), "2026-W48",
}

// FuzzBlockBuilders feeds arbitrary text to every builder of what Pollen
// says, through the fields a person controls.
func FuzzBlockBuilders(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i+3)%len(fuzzSeeds)], fuzzSeeds[(i+7)%len(fuzzSeeds)], fuzzSeeds[(i+11)%len(fuzzSeeds)])
	}
	fb := newFuzzBot(f)
	b := fb.bot
	f.Fuzz(func(t *testing.T, userText, project, link, user string) {
		// A project name only in a form the store accepts, and a link only
		// as /pair review takes one: production never holds others.
		name, err := pairing.ProjectName(project)
		if err != nil {
			name = "etl"
		}
		if link = linkArg(link); !strings.HasPrefix(link, "https://") && !strings.HasPrefix(link, "http://") {
			link = ""
		}
		host := user
		if host == "" {
			host = "UANA"
		}
		h := len(userText) + len(project) + len(link)
		s := pairing.Session{ID: fuzzRoundSession, Kind: []pairing.Kind{pairing.Pair, pairing.Review}[h%2], Project: name,
			Host: host, Learners: []string{"UBO"}, Round: "2026-W48", Length: time.Hour, State: pairing.States[h%len(pairing.States)],
			Reason: userText, Note: userText, CreatedAt: start, UpdatedAt: start}
		if h%3 == 0 {
			s.Learners = append(s.Learners, "U"+strings.ToUpper(fmt.Sprintf("%x", h)))
			s.Slot = start.Add(time.Duration(h%200) * time.Hour)
			s.Accepted = []string{host}
		}
		tm := team{
			people: []pairing.Person{
				{Profile: pairing.Profile{ID: host, TZ: userText, Hours: pairing.DefaultHours}, Membership: pairing.Membership{Cadence: pairing.Weekly, Status: pairing.Active}},
				{Profile: pairing.Profile{ID: "UBO", TZ: link, Hours: pairing.DefaultHours}, Membership: pairing.Membership{Cadence: pairing.Weekly, Status: pairing.Paused, PausedUntil: start.AddDate(0, 0, h%30)}},
			},
			projects:  []pairing.Project{{Name: name}, {Name: "etl"}, {Name: strings.Repeat("p", pairing.MaxProjectNameLen)}},
			knowledge: pairing.Replay(b.model, nil),
			settings:  pairing.DefaultTeamSettings(),
		}
		tm.settings.TimeZone = project // arbitrary: loadLocation falls back to UTC

		checkMessage(t, "text", text(escape(userText)+"."))
		checkMessage(t, "refusal", refusal(userText, link))
		checkMessage(t, "userError", b.userError(pairing.Errorf(pairing.CodeInvalid, "%s.", userText)))
		checkMessage(t, "proposalMessage", b.proposalMessage(s, link))
		checkMessage(t, "roundProposal", b.roundProposal(s, tm))
		checkMessage(t, "reminder", b.reminderMessage(s, tm))
		checkMessage(t, "retro", b.retroMessage(s))
		checkMessage(t, "describePerson", text(b.describePerson(tm, tm.people[h%2], []pairing.Session{s})))
		checkMessage(t, "home", message{Text: "home", Blocks: b.homeBlocks(tm, host, []pairing.Session{s}, true)})
		checkMessage(t, "header", message{Text: "x", Blocks: []slack.Block{header(userText + "x")}})
		checkMessage(t, "button", message{Text: "x", Blocks: []slack.Block{actions("a", button("a", userText+"x", link, ""))}})
		checkMessage(t, "context", message{Text: "x", Blocks: []slack.Block{contextLine(escape(userText) + "x")}})
		if m, err := b.digestMessage(context.Background(), userText); err == nil {
			checkMessage(t, "digest", m)
		}
		// What the scheduler's notices say: the sit-out reason and the away
		// text (a Slack status) are user text, and so is anything a plain
		// notice or a holiday carries.
		for _, item := range []outbox.Item{
			{Kind: outbox.Notice, Notice: outbox.NoticeSatOut, Text: userText},
			{Kind: outbox.Notice, Notice: outbox.NoticeAway, Text: userText},
			{Kind: outbox.Notice, Notice: outbox.NoticeHoliday, Text: userText},
			{Kind: outbox.Notice, Text: userText + "x"}, // a plain notice is never queued empty
			{Kind: outbox.HeadsUp, At: start.Add(time.Duration(h%200) * time.Hour)},
			{Kind: outbox.Ghost},
		} {
			item.Round, item.Users, item.CreatedAt = "2026-W48", []string{host}, start
			m, err := b.noticeMessage(context.Background(), item)
			if err != nil {
				t.Fatalf("noticeMessage(%s %s): %v", item.Kind, item.Notice, err)
			}
			checkMessage(t, fmt.Sprintf("notice/%s/%s", item.Kind, item.Notice), m)
		}
		checkMessage(t, "headsUp", headsUpMessage("2026-W48", "", start, time.UTC))
		checkMessage(t, "ghost", ghostMessage(userText, "C123"))
		checkMessage(t, "logAnswer", logAnswerMessage(s))

		c := newSurfaceCheck()
		for _, user := range s.Participants() {
			modal, err := json.Marshal(ratingModal(s, user, "D0123456789", "1700000000.000100"))
			if err != nil {
				t.Fatal(err)
			}
			c.view("ratingModal", modal)
		}
		reportProblems(t, c.problems)

		over := make([]slack.Block, 50+h%20)
		for i := range over {
			over[i] = markdown("x")
		}
		checkMessage(t, "capBlocks", message{Text: "x", Blocks: capBlocks(over, maxBlocksMessage)})
		reportProblems(t, fb.takeProblems())
	})
}

// FuzzSlashCommand runs every /pair command, as any user, through the
// handler that answers Slack: the reply always fits in an ack, within
// Slack's limits, escaped; so does every DM it sends; nothing panics.
func FuzzSlashCommand(f *testing.F) {
	for _, s := range []string{"", "help", "join", "join biweekly", "me", "who etl", "projects", "stats", "history",
		"history <@UBO|bo>", "know etl expert", "now", "now etl", "review etl <https://git.example/pr/1>",
		"review etl https://a.example|https://b.example", "log <@UANA|ana> etl", "project add x <@UBO>",
		"project remove churn-model", `config schedule "0 9 * * MON"`, "config timezone Mars/Base",
		"config channel <#C1|x>", "config admins <@UCY>", "export", "skip next", "skip until 2027-01-04", "resume",
		"hours 09:00-17:00", "leave", `config schedule "` + strings.Repeat("<", 3990) + ` * * * *"`,
		"jion", strings.Repeat("é", 3000), "rotation start", "rotation start biweekly friday 09:30",
		"rotation start across <#C1|a> <#C2|b>", "rotation start across <#C1|a>", "rotation stop", "rotation list", "rotation",
		"rotation projects", "rotation projects add churn-model ETL", "rotation projects remove etl", "rotation projects set all",
		"rotation projects set", "rotation projects frob x", "rotation projects add <b>x</b>",
		"stats all", "stats all rotations", "stats everything"} {
		for _, u := range []string{"UANA", "UBO", "UXNOBODY"} {
			f.Add(u, s)
		}
	}
	fb := newFuzzBot(f)
	f.Fuzz(func(t *testing.T, user, cmd string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sc := slack.SlashCommand{Command: "/pair", Text: cmd, UserID: user, ChannelID: "D0FUZZ", TeamID: slackfake.DefaultTeamID,
			TriggerID: "1.2.3", ResponseURL: "https://hooks.slack.invalid/commands/1"}
		p := ephemeral(fb.bot.handleSlashCommand(ctx, sc)) // what the ack carries; slow follow-up work is not run
		if p.Text == "" {
			t.Errorf("/pair %q by %q: empty reply", cmd, user)
		}
		checkAck(t, "/pair "+clip(cmd, 40), p)
		reportProblems(t, fb.takeProblems())
	})
}

// FuzzInteraction decodes arbitrary bytes as slack-go's Socket Mode client
// decodes an interactive payload and hands the result to the handlers:
// truncated JSON and wrong types never reach them (slack-go drops those),
// unknown actions are ignored, and whatever arrives, no session changes
// unless the clicker takes part in it, every session stays valid, every
// reply fits Slack's limits, and nothing panics.
func FuzzInteraction(f *testing.F) {
	for _, seed := range interactionSeeds() {
		f.Add(seed)
	}
	fb := newFuzzBot(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var cb slack.InteractionCallback
		if err := json.Unmarshal(data, &cb); err != nil {
			return // slack-go reports error_bad_message; the bot never sees it
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		before := fb.sessionsByID(t)
		if cb.Type == slack.InteractionTypeViewSubmission {
			resp, after := fb.bot.handleViewSubmission(ctx, cb)
			if after != nil {
				after()
			}
			if frame, err := json.Marshal(socketmode.Response{EnvelopeID: "e", Payload: resp}); err != nil || len(frame) >= slackfake.Limits().AckBytes {
				t.Errorf("view_submission ack: %d bytes, %v", len(frame), err)
			}
		} else {
			fb.bot.handleInteraction(ctx, cb)
		}
		after := fb.sessionsByID(t)
		for id, s := range after {
			if err := s.Validate(); err != nil {
				t.Errorf("session %s is not valid after the interaction: %v", id, err)
			}
			old, existed := before[id]
			if !existed {
				t.Errorf("an interaction created session %s", id)
				continue
			}
			if !sameSession(old, s) && !old.Has(cb.User.ID) {
				t.Errorf("%q changed session %s, which is not theirs:\nbefore %+v\nafter  %+v", cb.User.ID, id, old, s)
			}
		}
		reportProblems(t, fb.takeProblems())
	})
}

// linkArg is what the /pair parser makes of a link the user typed.
func linkArg(s string) string { return link(s) }

func sameSession(a, b pairing.Session) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// interactionSeeds are block_actions and view_submission payloads shaped
// like Slack's, for each button and session, plus broken variants.
func interactionSeeds() [][]byte {
	click := func(user, action, value, team string) []byte {
		p := map[string]any{
			"type": "block_actions", "team": map[string]any{"id": team}, "user": map[string]any{"id": user},
			"container":  map[string]any{"type": "message", "message_ts": "1700000000.000100", "channel_id": "D0FUZZ"},
			"trigger_id": "1.2.3", "response_url": "https://hooks.slack.invalid/actions/1",
			"actions":    []any{map[string]any{"action_id": action, "block_id": "b", "value": value, "type": "button"}},
			"channel":    map[string]any{"id": "D0FUZZ"},
			"api_app_id": slackfake.DefaultAppID,
			"message":    map[string]any{"type": "message", "ts": "1700000000.000100", "text": "x"},
		}
		data, _ := json.Marshal(p)
		return data
	}
	// pick chooses an option of the way-out menu: "leave|C123" names the
	// rotation of the message it is on.
	pick := func(user, value string) []byte {
		var p map[string]any
		_ = json.Unmarshal(click(user, actionWayOut, "", slackfake.DefaultTeamID), &p)
		p["actions"] = []any{map[string]any{"action_id": actionWayOut, "block_id": "b", "type": "overflow",
			"selected_option": map[string]any{"value": value, "text": map[string]any{"type": "plain_text", "text": "Leave the rotation"}}}}
		data, _ := json.Marshal(p)
		return data
	}
	var out [][]byte
	for _, a := range []string{actionAccept, actionDecline, actionRetroDone, actionRetroMissed, actionRetroReschedule,
		actionLogConfirm, actionLogReject, actionHomeJoin, actionHomeSkip, actionHomeLeave, "no_such_action"} {
		for _, s := range []string{fuzzRoundSession, fuzzLoggedSession, fuzzDoneSession, fuzzTrioSession} {
			out = append(out, click("UBO", a, s, slackfake.DefaultTeamID), click("UEVE", a, s, "TOTHER"))
		}
	}
	out = append(out,
		click("UANA", actionAccept, "not-a-uuid", slackfake.DefaultTeamID),
		click("UANA", actionAccept, "", slackfake.DefaultTeamID),
		click("UANA", actionAccept, strings.Repeat("9", 100000), slackfake.DefaultTeamID),
		click("", actionDecline, fuzzRoundSession, ""),
		click("UBO", actionRotationLeave, "CNOROT", slackfake.DefaultTeamID),
		click("UBO", actionRotationStay, pairing.DefaultRotation, slackfake.DefaultTeamID),
		click("UBO", actionRotationLeave, strings.Repeat("C", 3000), slackfake.DefaultTeamID),
		click("UBO", actionRotationJoin, pairing.DefaultRotation+"|biweekly", slackfake.DefaultTeamID),
		click("UBO", actionRotationJoin, "|", slackfake.DefaultTeamID),
		pick("UBO", optionLeave+"|CNOROT"), pick("UBO", optionPause+"|"+pairing.DefaultRotation), pick("UBO", optionLeave+"|"),
		pick("UBO", "|"+optionLeave), pick("UANA", optionPause+"|"+strings.Repeat("C", 3000)),
		click("UBO", actionGhostLeave, "leave|CNOROT", slackfake.DefaultTeamID), click("UBO", actionGhostPause, "pause|", slackfake.DefaultTeamID),
		[]byte(`{"type":"block_actions","actions":"not a list"}`),
		[]byte(`{"type":"block_actions","user":{"id":5}}`),
		[]byte(`{"type":"block_actions","actions":[{"action_id":"session_accept","value":`),
		[]byte(`{"type":"view_submission","user":{"id":"UCY"},"view":{"callback_id":"retro_rating","private_metadata":"`+fuzzDoneSession+
			`","state":{"values":{"rating":{"rating_value":{"type":"static_select","selected_option":{"value":"5"}}},"note":{"note_value":{"type":"plain_text_input","value":"<!channel>"}}}}}}`),
		[]byte(`{"type":"view_submission","user":{"id":"UBO"},"view":{"callback_id":"retro_rating","private_metadata":"`+fuzzDoneSession+
			`","state":{"values":{"rating":{"rating_value":{"selected_option":{"value":"99"}}}}}}}`),
		[]byte(`{"type":"view_submission","view":{"callback_id":"unknown"}}`),
		[]byte(`null`), []byte(`[]`), []byte(`{}`),
	)
	return out
}
