package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// setupTeam builds a small team through commands, as users would.
func setupTeam(t *testing.T, h *harness) {
	t.Helper()
	for _, step := range []struct{ user, text string }{
		{"UANA", "join"}, {"UBO", "join"}, {"UCY", "join"},
		{"UANA", "project add churn-model <@UANA|ana>"},
		{"UANA", "project add etl <@UBO|bo>"},
	} {
		if got := h.run(step.user, step.text); strings.Contains(got, "Sorry, something went wrong") {
			t.Fatalf("setup: /pair %s by %s failed: %q", step.text, step.user, got)
		}
	}
}

// snapshot is every record of every bucket, one line each, to prove a
// refusal wrote nothing anywhere: people, projects, sessions and their
// index, rounds, events, settings, and the outbox, job runs and message
// references too, so a refused click that queued a DM does not pass.
func (h *harness) snapshot() string {
	h.t.Helper()
	var sb strings.Builder
	err := h.db.EachRecord(h.ctx(), func(bucket string, key, value []byte) error {
		v := string(value)
		if !json.Valid(value) {
			v = fmt.Sprintf("%q", value)
		}
		fmt.Fprintf(&sb, "%s %q %s\n", bucket, key, v)
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return sb.String()
}

// The snapshot sees a write to any bucket, not only the domain's.
func TestSnapshotSeesEveryBucket(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "UBO", Learners: []string{"UCY"},
		Round: "2026-W48", State: pairing.Proposed, CreatedAt: start, UpdatedAt: start}
	for _, tt := range []struct {
		name  string
		write store.Change
	}{
		{"person", store.Change{People: []pairing.Person{pairing.NewPerson("UDI", "Di", "Asia/Tokyo", start)}}},
		{"session", store.Change{Sessions: []pairing.Session{s}}},
		{"round", store.Change{Rounds: []pairing.Round{{ID: "2026-W48", PlannedAt: start, SessionIDs: []string{s.ID}}}}},
		{"outbox", store.Change{Outbox: []outbox.Item{
			{ID: store.NewID(), Kind: outbox.Proposal, SessionID: s.ID, Users: s.Participants(), CreatedAt: start}}}},
		{"run", store.Change{Done: []store.Run{{Key: "round/2026-W48", At: start}}}},
		{"message", store.Change{Messages: []store.Message{
			{SessionID: s.ID, Kind: outbox.Proposal, Ref: outbox.MessageRef{Channel: "D1", TS: "1.1", SentAt: start}}}}},
		{"setting besides the team's", store.Change{Values: map[string]any{"scheduler/epoch": store.Run{At: start}}}},
	} {
		before := h.snapshot()
		if err := h.apply(tt.write); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if h.snapshot() == before {
			t.Errorf("the snapshot missed a new %s", tt.name)
		}
	}
}

func TestRefusalsChangeNothing(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	before := h.snapshot()
	for _, tc := range []struct{ user, text, want string }{
		{"UBO", "project add x", "Only admins can use"},
		{"UBO", "project remove etl", "Only admins can use"},
		{"UBO", "export", "Only admins can use"},
		{"UBO", `config schedule "0 9 * * FRI"`, "Only admins can use"},
		{"UBO", "config admins <@UBO|bo>", "Only admins can use"},
		{"UDI", "leave", "not in the rotation yet"},
		{"UDI", "skip next", "not in the rotation yet"},
		{"UDI", "resume", "not in the rotation yet"},
		{"UDI", "hours 10:00-18:00", "not in the rotation yet"},
		{"UDI", "know etl expert", "not in the rotation yet"},
		{"UDI", "me", "not in the rotation yet"},
		{"UDI", "now", "not in the rotation yet"},
		{"UDI", "review etl", "not in the rotation yet"},
		{"UDI", "log <@UBO|bo> etl", "not in the rotation yet"},
		{"UBO", "log <@UDI|di> etl", "not in the rotation"},
		{"UBO", "know etl <script>", "is not a level"},
		{"UANA", `config schedule "0 9 * * MON,THU"`, "runs more than once a week"},
		{"UANA", `config schedule "0 25 * * MON"`, "\nTry: `/pair config"},
		{"UANA", "config timezone Mars/Olympus", "\nTry: `/pair config"},
	} {
		if got := h.run(tc.user, tc.text); !strings.Contains(got, tc.want) {
			t.Errorf("%s /pair %s: %q, want ~%q", tc.user, tc.text, got, tc.want)
		}
	}
	if after := h.snapshot(); after != before {
		t.Errorf("a refused command changed the store:\nbefore %s\nafter  %s", before, after)
	}
}

func TestNowProposesInAGroupDMAndOnlyParticipantsCanAnswer(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	if got := h.run("UCY", "now churn-model"); !strings.Contains(got, "<@UANA> hosting <@UCY>") {
		t.Fatalf("reply = %q", got)
	}
	channel, ok := h.fake.DMChannel("UANA", "UCY")
	if !ok {
		t.Fatal("no group DM between Ana and Cy")
	}
	msgs, err := h.fake.WaitForMessages(h.ctx(), channel, 1)
	if err != nil {
		t.Fatal(err)
	}
	dm := msgs[0]
	sessions := h.sessions()
	if len(sessions) != 1 {
		t.Fatalf("%d sessions, want 1", len(sessions))
	}
	s := sessions[0]
	if dm.Metadata == nil || dm.Metadata.EventType != metadataEventType || dm.Metadata.EventPayload["session_id"] != s.ID {
		t.Errorf("DM metadata = %+v, want session %s", dm.Metadata, s.ID)
	}
	if !slices.Equal(dm.ActionIDs(), []string{actionWayOut, actionAccept, actionDecline}) || dm.Text == "" {
		t.Errorf("DM buttons %v, text %q", dm.ActionIDs(), dm.Text)
	}

	// Bo is not in the session: his click is refused and changes nothing.
	if got := h.nextEphemeral("UBO", func() { h.fake.ClickButton(h.ctx(), "UBO", dm, actionAccept, s.ID) }); !strings.Contains(got, "not yours") {
		t.Fatalf("forged click answered %q", got)
	}
	if got := h.sessions()[0].State; got != pairing.Proposed {
		t.Fatalf("after a forged click the session is %s", got)
	}

	// Cy accepts; the proposal says who is awaited; her replayed click
	// changes nothing; Ana's accept makes the session accepted.
	ack, err := h.fake.ClickButton(h.ctx(), "UCY", dm, actionAccept, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { m, _ := h.fake.Message(channel, dm.TS); return m.Updates == 1 }); err != nil {
		t.Fatal(err)
	}
	if m, _ := h.fake.Message(channel, dm.TS); !strings.Contains(m.AllText(), "Accepted: <@UCY>. Waiting for <@UANA>.") {
		t.Errorf("proposal after one accept:\n%s", m.AllText())
	}
	replay := h.sentPayload(ack.EnvelopeID)
	if got := h.nextEphemeral("UCY", func() { h.fake.SendRaw(h.ctx(), "interactive", replay, "replayed-click") }); !strings.Contains(got, "you already answered") {
		t.Fatalf("replayed click answered %q", got)
	}
	if got := h.sessions()[0].State; got != pairing.Proposed {
		t.Fatalf("session is %s after one of two accepts", got)
	}
	if _, err := h.fake.ClickButton(h.ctx(), "UANA", dm, actionAccept, s.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { m, _ := h.fake.Message(channel, dm.TS); return m.Updates == 2 }); err != nil {
		t.Fatal(err)
	}
	if got := h.sessions()[0].State; got != pairing.Accepted {
		t.Fatalf("session is %s, want accepted", got)
	}
	if m, _ := h.fake.Message(channel, dm.TS); !slices.Equal(m.ActionIDs(), []string{actionWayOut}) || !strings.Contains(m.AllText(), "Everyone accepted") {
		t.Errorf("accepted proposal still has buttons %v or lacks the status:\n%s", m.ActionIDs(), m.AllText())
	}
}

func TestLogCountsOnlyOnceTheOtherSideConfirms(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.run("UCY", "log <@UBO|bo> etl")
	channel, ok := h.fake.DMChannel("UBO")
	if !ok {
		t.Fatal("no DM to Bo")
	}
	msgs, err := h.fake.WaitForMessages(h.ctx(), channel, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := h.sessions()[0]
	if s.State != pairing.Proposed || s.Host != "UBO" || s.Learners[0] != "UCY" {
		t.Fatalf("logged session = %+v; want proposed, Bo (owner) hosting Cy", s)
	}
	eventsBefore := len(h.events())

	// Cy, who logged it, cannot confirm it herself.
	if got := h.nextEphemeral("UCY", func() { h.fake.ClickButton(h.ctx(), "UCY", msgs[0], actionLogConfirm, s.ID) }); !strings.Contains(got, "Only the person named") {
		t.Fatalf("self-confirmation answered %q", got)
	}
	if h.sessions()[0].State != pairing.Proposed {
		t.Fatal("the logger confirmed her own session")
	}
	// Bo confirms, twice: one done session, one knowledge event.
	ack, err := h.fake.ClickButton(h.ctx(), "UBO", msgs[0], actionLogConfirm, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { m, _ := h.fake.Message(channel, msgs[0].TS); return m.Updates > 0 }); err != nil {
		t.Fatal(err)
	}
	replay := h.sentPayload(ack.EnvelopeID)
	if got := h.nextEphemeral("UBO", func() { h.fake.SendRaw(h.ctx(), "interactive", replay, "replayed-confirm") }); !strings.Contains(got, "already answered") {
		t.Fatalf("replayed confirmation answered %q", got)
	}
	if got := h.sessions()[0].State; got != pairing.Done {
		t.Fatalf("session is %s, want done", got)
	}
	if got := len(h.events()) - eventsBefore; got != 1 {
		t.Fatalf("%d knowledge events added, want 1", got)
	}
	if got := h.run("UCY", "who etl"); !strings.Contains(got, "Learning it: <@UCY> (0.35, from 1 session)") {
		t.Errorf("who etl after the session: %q", got)
	}
}

func TestAppHome(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	if _, err := h.fake.OpenAppHome(h.ctx(), "UDI"); err != nil {
		t.Fatal(err)
	}
	var home slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool { var ok bool; home, ok = h.fake.HomeView("UDI"); return ok }); err != nil {
		t.Fatal(err)
	}
	text := home.AllText()
	for _, want := range []string{"not in the rotation yet", "Riskiest projects", "churn-model", "Join the rotation"} {
		if !strings.Contains(text, want) {
			t.Errorf("home lacks %q:\n%s", want, text)
		}
	}
	// The Join button joins and refreshes the Home.
	if _, err := h.fake.ClickHomeButton(h.ctx(), "UDI", actionHomeJoin, "weekly"); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		v, _ := h.fake.HomeView("UDI")
		return strings.Contains(v.AllText(), "Skip the next round")
	}); err != nil {
		t.Fatalf("home not refreshed after joining: %v", err)
	}
	if p, err := h.person("UDI"); err != nil || p.Status != pairing.Active {
		t.Fatalf("Di after Join: %+v, %v", p, err)
	}
}

func TestReconnectsAndAnswersTheNextCommand(t *testing.T) {
	h := newHarness(t)
	opens := h.fake.ConnectionOpens()
	h.fake.DropWebSockets()
	if err := h.fake.WaitFor(h.ctx(), func() bool { return h.fake.ConnectionOpens() > opens && h.fake.Connections() == 1 }); err != nil {
		t.Fatalf("no reconnect after a dropped socket: %v", err)
	}
	if got := h.run("UANA", "join"); !strings.Contains(got, "Welcome") {
		t.Fatalf("after the drop: %q", got)
	}
	opens = h.fake.ConnectionOpens()
	h.fake.Disconnect("refresh_requested")
	if err := h.fake.WaitFor(h.ctx(), func() bool { return h.fake.ConnectionOpens() > opens && h.fake.Connections() == 1 }); err != nil {
		t.Fatalf("no reconnect after disconnect: %v", err)
	}
	if got := h.run("UANA", "me"); !strings.Contains(got, "in the rotation") {
		t.Fatalf("after the disconnect: %q", got)
	}
	if !h.bot.Connected() {
		t.Error("bot says it is not connected")
	}
}

// A malformed frame is not a broken connection: slack-go keeps it, so the
// bot must still say it is connected (for /healthz) and keep answering.
func TestAMalformedFrameLeavesTheBotConnected(t *testing.T) {
	h := newHarness(t)
	opens := h.fake.ConnectionOpens()
	if err := h.fake.SendFrame(h.ctx(), []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	if got := h.run("UANA", "join"); !strings.Contains(got, "Welcome") {
		t.Fatalf("after a malformed frame: %q", got)
	}
	if !h.bot.Connected() || h.fake.ConnectionOpens() != opens {
		t.Errorf("connected %v, connection opens %d → %d; want still connected on the same connection", h.bot.Connected(), opens, h.fake.ConnectionOpens())
	}
}

func TestRedeliveredEnvelopeRunsOnce(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	ack, err := h.fake.SlashCommand(h.ctx(), "UCY", "", "/pair", "know etl expert")
	if err != nil {
		t.Fatal(err)
	}
	events := len(h.events())
	if err := h.fake.Redeliver(ack.EnvelopeID); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		n := 0
		for _, a := range h.fake.Acks() {
			if a.EnvelopeID == ack.EnvelopeID {
				n++
			}
		}
		return n >= 2
	}); err != nil {
		t.Fatalf("the redelivery was not acked: %v", err)
	}
	if got := len(h.events()); got != events {
		t.Fatalf("redelivery ran the command again: %d events, want %d", got, events)
	}
}

func TestRefusedTokenStopsWithAnError(t *testing.T) {
	fake := slackfake.New()
	defer fake.Close()
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := New(Config{AppToken: "xapp-revoked", BotToken: fake.BotToken, APIURL: fake.APIURL(), DB: db,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = b.Run(ctx)
	if !errors.Is(err, ErrFatalAuth) || ctx.Err() != nil {
		t.Fatalf("Run = %v, want ErrFatalAuth before the deadline", err)
	}
	if strings.Contains(err.Error(), "xapp-revoked") {
		t.Errorf("error leaks the token: %v", err)
	}
}

// A command that waits on a slow Slack call is acked in time with "Working
// on it…" and answered through its response URL once the work is done.
func TestSlowCommandAcksFirstAndAnswersLater(t *testing.T) {
	h := newHarness(t)
	h.fake.FailNext("users.info", 1, slackfake.Delay{D: ackBudget + time.Second})
	ack, err := h.fake.SlashCommand(h.ctx(), "UANA", "", "/pair", "join")
	if err != nil {
		t.Fatal(err)
	}
	if ack.Latency > 3*time.Second || ack.Message == nil || ack.Message.Text != "Working on it…" {
		t.Fatalf("ack after %v with %+v; want a quick 'Working on it…'", ack.Latency, ack.Message)
	}
	late, err := h.fake.LateReply(h.ctx(), "UANA", ack)
	if err != nil || !strings.Contains(late.Text, "Welcome to the rotation") {
		t.Fatalf("late answer %q, %v; want the welcome", late.Text, err)
	}
}

// /pair stats answers at once and then uploads the four charts to the
// caller's DM through the three-step external upload.
func TestStatsUploadsTheChartsThroughTheExternalUploadFlow(t *testing.T) {
	tests := []struct {
		name      string
		channel   string // where /pair stats is typed; "" is the caller's DM with Pollen
		private   bool
		members   []string
		refuse    string // a Slack error for the summary post, on top of membership
		inChannel bool   // the charts land there (else in the caller's DM)
	}{
		{name: "in the DM with Pollen", inChannel: true},
		{name: "in a channel Pollen is in", channel: "CDATA", members: []string{"UCY", slackfake.DefaultBotUserID}, inChannel: true},
		{name: "in a channel Pollen is not in", channel: "CQUIET", members: []string{"UCY"}},
		{name: "in a private channel Pollen is not in", channel: "GHUSH", private: true, members: []string{"UCY"}},
		{name: "in an announcement-only channel", channel: "CNEWS", members: []string{"UCY", slackfake.DefaultBotUserID}, refuse: "restricted_action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			setupTeam(t, h)
			if tt.channel != "" {
				h.fake.AddChannel(slackfake.Channel{ID: tt.channel, Name: strings.ToLower(tt.channel), IsPrivate: tt.private, Members: tt.members})
			}
			if tt.refuse != "" {
				h.fake.FailNext("chat.postMessage", 1, slackfake.SlackError{Code: tt.refuse})
			}
			ack, err := h.fake.SlashCommand(h.ctx(), "UCY", tt.channel, "/pair", "stats")
			if err != nil || ack.Message == nil {
				t.Fatalf("/pair stats: %+v, %v", ack, err)
			}
			if got := ack.Message.Text; !strings.Contains(got, "Mean bus factor: 1.00 over 2 projects") || !strings.Contains(got, "follow here") {
				t.Fatalf("stats reply: %q", got)
			}
			if _, err := h.fake.WaitForCall(h.ctx(), "files.completeUploadExternal", 4); err != nil {
				t.Fatal(err)
			}
			dm, _ := h.fake.DMChannel("UCY")
			want := dm
			if tt.channel != "" && tt.inChannel {
				want = tt.channel
			}
			// The files hang in the thread of one message in that conversation.
			msgs := h.fake.Messages(want)
			var head *slackfake.Message
			for i := range msgs {
				if msgs[i].ThreadTS == "" && strings.Contains(msgs[i].AllText(), "charts are in this thread") {
					head = &msgs[i]
				}
			}
			if head == nil {
				t.Fatalf("no message announcing the charts in %s: %+v", want, msgs)
			}
			if text := head.AllText(); want != dm && (!strings.Contains(text, "Mean bus factor") || !strings.Contains(text, "<@UCY>")) {
				t.Errorf("the shared report does not carry the figures and who asked: %q", text)
			} else if !tt.inChannel && !strings.Contains(text, "<#"+tt.channel+">") {
				t.Errorf("the DM does not say why the charts are not in %s: %q", tt.channel, text)
			}
			if strings.Contains(fmt.Sprint(head.BlockList), "way_out") {
				t.Errorf("a Pause / Leave menu on the charts' announcement, which answers what the person asked")
			}
			wantFiles := map[string]bool{"bus-factor.png": true, "familiarity.png": true, "sessions.png": true, "pairing-network.png": true}
			for _, u := range h.fake.Uploads() {
				if !u.Uploaded || !u.Completed || u.Channel != want || u.ThreadTS != head.TS || u.Length != len(u.Data) {
					t.Errorf("upload %s: uploaded %v, completed %v, channel %q thread %q (want %q, %q), %d of %d bytes",
						u.Filename, u.Uploaded, u.Completed, u.Channel, u.ThreadTS, want, head.TS, len(u.Data), u.Length)
				}
				if _, err := png.Decode(bytes.NewReader(u.Data)); err != nil {
					t.Errorf("%s is not a PNG: %v", u.Filename, err)
				}
				delete(wantFiles, u.Filename)
			}
			if len(wantFiles) > 0 {
				t.Errorf("charts not uploaded: %v", wantFiles)
			}
			for _, m := range []string{"files.getUploadURLExternal", "upload", "files.completeUploadExternal"} {
				if n := len(h.fake.Calls(m)); n != 4 {
					t.Errorf("%s called %d times, want 4", m, n)
				}
			}
		})
	}
}

// Once the summary is in the channel, a failed upload is logged, not sent
// again to the DM: the thread is where the caller looks.
func TestStatsDoesNotFallBackOnceTheSummaryIsPosted(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.fake.AddChannel(slackfake.Channel{ID: "CDATA", Name: "data", Members: []string{"UCY", slackfake.DefaultBotUserID}})
	h.fake.FailNext("files.completeUploadExternal", 1, slackfake.SlackError{Code: "not_in_channel"})
	if _, err := h.fake.SlashCommand(h.ctx(), "UCY", "CDATA", "/pair", "stats"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitForCall(h.ctx(), "files.completeUploadExternal", 1); err != nil {
		t.Fatal(err)
	}
	h.bot.inflight.Wait() // the stats follow-up has finished
	if dm, ok := h.fake.DMChannel("UCY"); ok && len(h.fake.Messages(dm)) > 0 {
		t.Errorf("the DM got %d messages after the summary was already in the channel", len(h.fake.Messages(dm)))
	}
	if n := len(h.fake.Messages("CDATA")); n != 1 {
		t.Errorf("%d messages in the channel, want the summary alone", n)
	}
}

func TestExportUploadsTheCSVsToTheAdmin(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	if got := h.run("UBO", "export"); !strings.Contains(got, "Only admins") {
		t.Fatalf("non-admin export: %q", got)
	}
	if got := h.run("UANA", "export"); !strings.Contains(got, "to your DM") {
		t.Fatalf("export reply: %q", got)
	}
	if _, err := h.fake.WaitForCall(h.ctx(), "files.completeUploadExternal", 5); err != nil {
		t.Fatal(err)
	}
	dm, _ := h.fake.DMChannel("UANA")
	got := map[string]string{}
	for _, u := range h.fake.Uploads() {
		if u.Channel == dm && u.Completed {
			got[u.Filename] = string(u.Data)
		}
	}
	for name, header := range map[string]string{
		"sessions.csv": "id,round,kind", "familiarity.csv": "person,project,f,knows",
		"bus_factor.csv": "project,week,bus_factor", "roster.csv": "kind,",
		"outcomes.csv": "project,sessions_done,followed_by_commit_30d,share",
	} {
		if !strings.HasPrefix(got[name], header) {
			t.Errorf("%s starts %q, want %q", name, clip(got[name], 40), header)
		}
	}
}

// The out-of-office check asks users.info for a few people and users.list
// for many, and reads the same statuses either way.
func TestAwayNowSmallAndLargeTeams(t *testing.T) {
	h := newHarness(t)
	h.fake.AddUser(slackfake.User{ID: "UOOO", Name: "ooo", StatusText: "OOO until Monday"})
	h.fake.AddUser(slackfake.User{ID: "UPALM", Name: "palm", StatusEmoji: ":palm_tree:"})
	small := []string{"UANA", "UOOO", "UPALM"}
	large := append([]string{}, small...)
	for i := range awayListFrom {
		large = append(large, fmt.Sprintf("UX%03d", i))
	}
	for name, people := range map[string][]string{"small": small, "large": large} {
		away := h.bot.AwayNow(h.ctx(), people, pairing.DefaultAwayEmoji)
		if len(away) != 2 || away["UOOO"] == "" || away["UPALM"] == "" {
			t.Errorf("%s team: away = %v", name, away)
		}
	}
	if len(h.fake.Calls("users.list")) == 0 {
		t.Error("the large team was not read with users.list")
	}
}
