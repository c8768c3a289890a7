package bot

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// The refusals a click can get, word for word.
const (
	refusedNotYours    = "This session is not yours, so your click changes nothing."
	refusedNotInLog    = "Only the person named in this log can confirm it."
	refusedNoSession   = "That session does not exist (any more)."
	refusedLogNotFound = "That session no longer exists."
	refusedOtherTeam   = "This came from another Slack workspace, so it changes nothing here."
	refusedNotInRoster = "You're not in the rotation yet. Join with `/pair join` (or `/pair join biweekly`)."
	refusedLogged      = "This session was logged with `/pair log`: it counts only once the person named in it confirms it."
)

// authzWorld is a small team with one session of each kind a button acts
// on, and the messages that carry the buttons.
type authzWorld struct {
	*harness
	proposal, logged              pairing.Session // Ana hosts Cy; Bo hosts Cy, logged by Cy
	proposalMsg, logMsg, retroMsg slackfake.Message
}

func newAuthzWorld(t *testing.T) *authzWorld {
	t.Helper()
	h := newHarness(t)
	setupTeam(t, h)
	w := &authzWorld{harness: h}
	h.run("UCY", "now churn-model")
	h.run("UCY", "log <@UBO|bo> etl")
	for _, s := range h.sessions() {
		if s.LoggedBy != "" {
			w.logged = s
		} else {
			w.proposal = s
		}
	}
	if w.proposal.Host != "UANA" || w.logged.Host != "UBO" {
		t.Fatalf("unexpected sessions: %+v / %+v", w.proposal, w.logged)
	}
	w.proposalMsg = w.onlyMessage(w.proposal.Participants()...)
	w.logMsg = w.onlyMessage("UBO")
	ref, err := h.bot.Deliver(h.ctx(), outbox.Item{ID: store.NewID(), Kind: outbox.Retro, SessionID: w.proposal.ID,
		Users: w.proposal.Participants(), CreatedAt: start, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	var ok bool
	if w.retroMsg, ok = h.fake.Message(ref.Channel, ref.TS); !ok {
		t.Fatal("the retro message is not in Slack")
	}
	return w
}

// onlyMessage is the one message in the DM of users.
func (w *authzWorld) onlyMessage(users ...string) slackfake.Message {
	w.t.Helper()
	channel, ok := w.fake.DMChannel(users...)
	if !ok {
		w.t.Fatalf("no DM with %v", users)
	}
	msgs, err := w.fake.WaitForMessages(w.ctx(), channel, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	return msgs[0]
}

// clickReply clicks and returns the private reply the clicker gets.
func (w *authzWorld) clickReply(user string, msg slackfake.Message, action, value string) string {
	w.t.Helper()
	return w.nextEphemeral(user, func() {
		if _, err := w.fake.ClickButton(w.ctx(), user, msg, action, value); err != nil {
			w.t.Fatal(err)
		}
	})
}

// resend delivers a payload the fake sent before, changed by edit, as a
// new envelope (nil edit: an exact replay). It returns the private reply
// the owner of the payload's response URL gets.
func (h *harness) resend(envelopeID, replyTo string, edit func(p map[string]any)) string {
	h.t.Helper()
	var p map[string]any
	if err := json.Unmarshal(h.sentPayload(envelopeID), &p); err != nil {
		h.t.Fatal(err)
	}
	if edit != nil {
		edit(p)
	}
	data, err := json.Marshal(p)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.nextEphemeral(replyTo, func() {
		if _, err := h.fake.SendRaw(h.ctx(), slackfake.EnvelopeInteractive, data, ""); err != nil {
			h.t.Fatal(err)
		}
	})
}

func TestClicksOnOthersSessionsAreRefusedAndChangeNothing(t *testing.T) {
	w := newAuthzWorld(t)
	missing := store.NewID() // a well-formed ID no session has
	tests := []struct {
		name          string
		user          string
		msg           func() slackfake.Message
		action, value string // value "" is the button's own
		want          string
	}{
		{"accept on someone else's proposal", "UBO", func() slackfake.Message { return w.proposalMsg }, actionAccept, "", refusedNotYours},
		{"decline on someone else's proposal", "UBO", func() slackfake.Message { return w.proposalMsg }, actionDecline, "", refusedNotYours},
		{"retro done on someone else's session", "UBO", func() slackfake.Message { return w.retroMsg }, actionRetroDone, "", refusedNotYours},
		{"retro missed on someone else's session", "UBO", func() slackfake.Message { return w.retroMsg }, actionRetroMissed, "", refusedNotYours},
		{"retro reschedule on someone else's session", "UBO", func() slackfake.Message { return w.retroMsg }, actionRetroReschedule, "", refusedNotYours},
		{"log confirm by someone not in the log", "UANA", func() slackfake.Message { return w.logMsg }, actionLogConfirm, "", refusedNotInLog},
		{"log reject by someone not in the log", "UANA", func() slackfake.Message { return w.logMsg }, actionLogReject, "", refusedNotInLog},
		{"log confirm by the one who logged it", "UCY", func() slackfake.Message { return w.logMsg }, actionLogConfirm, "", refusedNotInLog},
		// The logger crafts round buttons naming the logged session: accept
		// it, reschedule it (a slot brings a retro), then "We paired".
		{"retro done on a log by the one who logged it", "UCY", func() slackfake.Message { return w.retroMsg }, actionRetroDone, w.logged.ID, refusedLogged},
		{"reschedule of a log by the one who logged it", "UCY", func() slackfake.Message { return w.retroMsg }, actionRetroReschedule, w.logged.ID, refusedLogged},
		{"accept of a log by the one who logged it", "UCY", func() slackfake.Message { return w.proposalMsg }, actionAccept, w.logged.ID, refusedLogged},
		{"retro done on a log by the one named in it", "UBO", func() slackfake.Message { return w.retroMsg }, actionRetroDone, w.logged.ID, refusedLogged},
		{"log confirm naming another session", "UBO", func() slackfake.Message { return w.logMsg }, actionLogConfirm, w.proposal.ID, refusedNotInLog},
		{"accept of a session that does not exist", "UCY", func() slackfake.Message { return w.proposalMsg }, actionAccept, missing, refusedNoSession},
		{"decline of a session that does not exist", "UCY", func() slackfake.Message { return w.proposalMsg }, actionDecline, missing, refusedNoSession},
		{"retro of a session that does not exist", "UCY", func() slackfake.Message { return w.retroMsg }, actionRetroDone, missing, refusedNoSession},
		{"log confirm of a session that does not exist", "UBO", func() slackfake.Message { return w.logMsg }, actionLogConfirm, missing, refusedLogNotFound},
		{"malformed session ID", "UCY", func() slackfake.Message { return w.proposalMsg }, actionAccept, "not-a-session", refusedNoSession},
		{"path in the session ID", "UCY", func() slackfake.Message { return w.retroMsg }, actionRetroDone, "../" + w.proposal.ID, refusedNoSession},
		{"huge session ID", "UCY", func() slackfake.Message { return w.proposalMsg }, actionDecline, strings.Repeat("f", 2000), refusedNoSession},
		{"nil UUID", "UBO", func() slackfake.Message { return w.logMsg }, actionLogReject, "00000000-0000-0000-0000-000000000000", refusedLogNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := w.snapshot()
			if got := w.clickReply(tt.user, tt.msg(), tt.action, tt.value); got != tt.want {
				t.Errorf("reply %q, want %q", got, tt.want)
			}
			if after := w.snapshot(); after != before {
				t.Errorf("the store changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// A click from another workspace is refused even when the user ID in it
// names a participant: Pollen's records belong to its own workspace.
func TestClickFromAnotherTeamIsRefused(t *testing.T) {
	w := newAuthzWorld(t)
	for _, tt := range []struct {
		name, action, user string
		msg                slackfake.Message
	}{
		{"accept", actionAccept, "UCY", w.proposalMsg},
		{"decline", actionDecline, "UCY", w.proposalMsg},
		{"retro done", actionRetroDone, "UCY", w.retroMsg},
		{"log confirm", actionLogConfirm, "UBO", w.logMsg},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// A stranger's click (refused, nothing changes) is the template;
			// its user becomes a participant and its team another one.
			var ack slackfake.Ack
			if got := w.nextEphemeral("UEVE", func() {
				var err error
				if ack, err = w.fake.ClickButton(w.ctx(), "UEVE", tt.msg, tt.action, ""); err != nil {
					t.Fatal(err)
				}
			}); !strings.HasPrefix(got, "This session is not yours") && !strings.HasPrefix(got, "Only the person") {
				t.Fatalf("the stranger's click answered %q", got)
			}
			before := w.snapshot()
			got := w.resend(ack.EnvelopeID, "UEVE", func(p map[string]any) {
				p["team"] = map[string]any{"id": "T0OTHER", "domain": "other"}
				p["user"] = map[string]any{"id": tt.user, "username": "x", "team_id": "T0OTHER"}
			})
			if got != refusedOtherTeam {
				t.Errorf("reply %q, want %q", got, refusedOtherTeam)
			}
			if after := w.snapshot(); after != before {
				t.Errorf("the store changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	t.Run("slash command", func(t *testing.T) {
		ack, err := w.fake.SlashCommand(w.ctx(), "UCY", "", "/pair", "know etl expert")
		if err != nil {
			t.Fatal(err)
		}
		var p map[string]any
		if err := json.Unmarshal(w.sentPayload(ack.EnvelopeID), &p); err != nil {
			t.Fatal(err)
		}
		p["team_id"], p["user_id"], p["text"] = "T0OTHER", "UANA", "project add stolen"
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		before := w.snapshot()
		raw, err := w.fake.SendRaw(w.ctx(), slackfake.EnvelopeSlashCommands, data, "")
		if err != nil {
			t.Fatal(err)
		}
		var reply struct{ Text string }
		if err := json.Unmarshal(raw.Payload, &reply); err != nil || reply.Text != refusedOtherTeam {
			t.Errorf("reply %s (%v), want %q", raw.Payload, err, refusedOtherTeam)
		}
		if after := w.snapshot(); after != before {
			t.Errorf("the store changed:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// The same click twice (Slack's retry, a double click, a replay): the
// second changes nothing and says so.
func TestReplayedClickChangesNothing(t *testing.T) {
	tests := []struct {
		name   string
		user   string
		msg    func(w *authzWorld) slackfake.Message
		action string
		want   string
	}{
		{"accept", "UCY", func(w *authzWorld) slackfake.Message { return w.proposalMsg }, actionAccept,
			"Nothing to change: this session is proposed and you already answered."},
		{"decline", "UCY", func(w *authzWorld) slackfake.Message { return w.proposalMsg }, actionDecline,
			"Nothing to change: this session is skipped."},
		{"retro done", "UANA", func(w *authzWorld) slackfake.Message { return w.retroMsg }, actionRetroDone,
			"Already recorded: this session is done. To rate it, use *Rate it* on the message."},
		{"retro missed", "UCY", func(w *authzWorld) slackfake.Message { return w.retroMsg }, actionRetroMissed,
			"Already recorded: this session is skipped."},
		{"log confirm", "UBO", func(w *authzWorld) slackfake.Message { return w.logMsg }, actionLogConfirm,
			"You already answered: this session is done."},
		{"log reject", "UBO", func(w *authzWorld) slackfake.Message { return w.logMsg }, actionLogReject,
			"You already answered: this session is cancelled."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newAuthzWorld(t)
			msg := tt.msg(w)
			updates := func() int { m, _ := w.fake.Message(msg.Channel, msg.TS); return m.Updates }
			// The first click is done once it has updated the message and,
			// for a decline, told the decliner.
			told := len(w.fake.Ephemerals(tt.user))
			ack, err := w.fake.ClickButton(w.ctx(), tt.user, msg, tt.action, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := w.fake.WaitFor(w.ctx(), func() bool {
				return updates() > 0 && (tt.action != actionDecline || len(w.fake.Ephemerals(tt.user)) > told)
			}); err != nil {
				t.Fatalf("the first click did not finish: %v", err)
			}
			before, n := w.snapshot(), updates()
			if got := w.resend(ack.EnvelopeID, tt.user, nil); got != tt.want {
				t.Errorf("replay answered %q, want %q", got, tt.want)
			}
			if after := w.snapshot(); after != before {
				t.Errorf("the replay changed the store:\nbefore %s\nafter  %s", before, after)
			}
			if updates() != n {
				t.Errorf("the replay updated the message again")
			}
		})
	}
}

// adminRefusal is what anyone but an admin hears for an admin command.
func adminRefusal(v Verb) string {
	return fmt.Sprintf("Only admins can use `%s`. Admins are the workspace's admins and owners, and the people named with `/pair config admins`.", escape(Usage(v)))
}

// adminCommands is a well-formed use of every admin command.
var adminCommands = map[Verb][]string{
	VerbProjectAdd:       {"project add secret-plans", "project add etl2 <https://git.example/etl2> <@UBO|bo>"},
	VerbProjectRemove:    {"project remove etl"},
	VerbProjectSync:      {"project sync etl"},
	VerbExport:           {"export"},
	VerbRoster:           {"roster"},
	VerbRoundNow:         {"round now"},
	VerbRotationStart:    {"rotation start", "rotation start across <#C0A|a> <#C0B|b>"},
	VerbRotationStop:     {"rotation stop"},
	VerbRotationProjects: {"rotation projects", "rotation projects set etl"},
	VerbConfig: {`config schedule "0 9 * * FRI"`, "config timezone Europe/Paris", "config length 30",
		"config channel <#C0DATA|data>", "config admins <@UBO|bo>",
		"config holiday 2026-12-24..2027-01-02", "config holiday list", "config holiday remove 2026-12-24..2027-01-02",
		"config roster channel"},
}

// configSettings are the settings the /pair config usage names: the word
// after "config " or "| " ("holiday [list | remove] …" gives holiday).
func configSettings() []string {
	var names []string
	for _, m := range regexp.MustCompile(`(?:config |\| )([a-z]+) `).FindAllStringSubmatch(Usage(VerbConfig), -1) {
		names = append(names, m[1])
	}
	return names
}

func TestNonAdminIsRefusedEveryAdminCommand(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	for _, u := range commands {
		if u.who == admins && len(adminCommands[u.verb]) == 0 {
			t.Errorf("no case for the admin command /pair %s: add one to adminCommands", u.verb)
		}
	}
	covered := map[string]bool{}
	for _, text := range adminCommands[VerbConfig] {
		if c, err := Parse(text); err == nil {
			covered[c.Setting] = true
		} else {
			t.Errorf("/pair %s does not parse: %v", text, err)
		}
	}
	settings := configSettings()
	if len(settings) < 6 {
		t.Errorf("read only the settings %v from the usage of /pair config", settings)
	}
	for _, name := range settings {
		if !covered[name] {
			t.Errorf("no case for /pair config %s: add one to adminCommands", name)
		}
	}
	before := h.snapshot()
	for _, user := range []string{"UBO", "UDI"} { // in the roster, and not
		for verb, texts := range adminCommands {
			if !verb.IsAdmin() {
				t.Errorf("/pair %s is not an admin command any more", verb)
			}
			for _, text := range texts {
				t.Run(user+" "+text, func(t *testing.T) {
					if got, want := h.run(user, text), adminRefusal(verb); got != want {
						t.Errorf("reply %q, want %q", got, want)
					}
				})
			}
		}
	}
	if after := h.snapshot(); after != before {
		t.Errorf("a refused admin command changed the store:\nbefore %s\nafter  %s", before, after)
	}
}

// Someone not in the roster may look around and join; every other command
// is refused with the way in, and nothing changes until they join.
func TestUserNotInRosterUsingEveryCommand(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.run("UANA", "now churn-model") // a session to look at
	tests := []struct {
		verb Verb
		text string
		want string // exact reply; "" means any answer that is not a refusal
	}{
		{VerbHelp, "help", ""},
		{VerbLeave, "leave", refusedNotInRoster},
		{VerbSkip, "skip next", refusedNotInRoster},
		{VerbSkip, "skip 2 weeks", refusedNotInRoster},
		{VerbResume, "resume", refusedNotInRoster},
		{VerbHours, "hours 10:00-18:00", refusedNotInRoster},
		{VerbKnow, "know etl expert", refusedNotInRoster},
		{VerbMe, "me", refusedNotInRoster},
		{VerbWho, "who etl", ""},
		{VerbProjects, "projects", ""},
		{VerbProjectAdd, "project add mine", adminRefusal(VerbProjectAdd)},
		{VerbProjectRemove, "project remove etl", adminRefusal(VerbProjectRemove)},
		{VerbNow, "now", refusedNotInRoster},
		{VerbNow, "now etl", refusedNotInRoster},
		{VerbReview, "review etl", refusedNotInRoster},
		{VerbLog, "log <@UBO|bo> etl", refusedNotInRoster},
		{VerbStats, "stats", ""},
		{VerbStatsAll, "stats all", "Only the workspace's admins and owners can use `/pair stats all`. It covers every rotation, so a rotation's own admins cannot."},
		{VerbHistory, "history", ""},
		{VerbHistory, "history <@UANA|ana>", ""},
		{VerbExport, "export", adminRefusal(VerbExport)},
		{VerbConfig, "config length 30", adminRefusal(VerbConfig)},
		{VerbRoster, "roster", adminRefusal(VerbRoster)},
		{VerbRoundNow, "round now", adminRefusal(VerbRoundNow)},
		{VerbProjectSync, "project sync etl", adminRefusal(VerbProjectSync)},
		{VerbWhy, "why", ""},
		{VerbWhy, "why <@UANA|ana>", ""},
		{VerbAvoid, "avoid", refusedNotInRoster},
		{VerbAvoid, "avoid <@UBO|bo>", refusedNotInRoster},
		{VerbUnavoid, "unavoid <@UBO|bo>", refusedNotInRoster},
		{VerbRotationStart, "rotation start", adminRefusal(VerbRotationStart)},
		{VerbRotationStop, "rotation stop", adminRefusal(VerbRotationStop)},
		{VerbRotationProjects, "rotation projects", adminRefusal(VerbRotationProjects)},
		{VerbRotationList, "rotation list", ""},
	}
	covered := map[Verb]bool{VerbJoin: true} // join is the way in: it is the last step
	for _, tt := range tests {
		covered[tt.verb] = true
	}
	for _, u := range commands {
		if !covered[u.verb] {
			t.Errorf("no case for /pair %s by someone not in the roster: add one", u.verb)
		}
	}
	before := h.snapshot()
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := h.run("UDI", tt.text)
			switch {
			case tt.want != "" && got != tt.want:
				t.Errorf("reply %q, want %q", got, tt.want)
			case tt.want == "" && (got == refusedNotInRoster || strings.HasPrefix(got, "Only admins") || strings.HasPrefix(got, "Sorry")):
				t.Errorf("a read-only command was refused: %q", got)
			}
		})
	}
	if after := h.snapshot(); after != before {
		t.Errorf("someone not in the roster changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if got := h.run("UDI", "join"); !strings.HasPrefix(got, "Welcome to the rotation!") {
		t.Errorf("join answered %q", got)
	}
	if p, err := h.person("UDI"); err != nil || p.Status != pairing.Active {
		t.Errorf("after join: %+v, %v", p, err)
	}
}
