package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// caller is who ran a command and where.
type caller struct {
	ID        string
	Channel   string
	TriggerID string
}

type commandHandler func(ctx context.Context, c caller, cmd Command) message

func (b *Bot) commandHandlers() map[Verb]commandHandler {
	return map[Verb]commandHandler{
		VerbHelp:          b.help,
		VerbJoin:          b.join,
		VerbLeave:         b.leave,
		VerbSkip:          b.skip,
		VerbResume:        b.resume,
		VerbHours:         b.hours,
		VerbKnow:          b.know,
		VerbMe:            b.me,
		VerbWho:           b.who,
		VerbProjects:      b.projects,
		VerbProjectAdd:    b.projectAdd,
		VerbProjectRemove: b.projectRemove,
		VerbProjectSync:   b.projectSync,
		VerbNow:           b.now_,
		VerbReview:        b.review,
		VerbLog:           b.logSession,
		VerbStats:         b.stats,
		VerbHistory:       b.history,
		VerbExport:        b.export,
		VerbConfig:        b.config,
		VerbWhy:           b.why,
		VerbAvoid:         b.avoid,
		VerbUnavoid:       b.unavoid,
		VerbRoster:        b.roster,
		VerbRoundNow:      b.roundNow,
	}
}

// handleSlashCommand reads like a sentence: parse, check the caller, run.
func (b *Bot) handleSlashCommand(ctx context.Context, sc slack.SlashCommand) message {
	cmd, m := b.runCommand(ctx, sc)
	outcome := m.outcome
	if outcome == "" {
		outcome = "ok"
	}
	name := string(cmd.Verb)
	if name == "" {
		name = "unknown"
	}
	b.observer.CommandDone(name, outcome)
	return m
}

func (b *Bot) runCommand(ctx context.Context, sc slack.SlashCommand) (Command, message) {
	if err := b.checkTeam(ctx, sc.TeamID); err != nil {
		return Command{}, b.userError(err, "user", sc.UserID, "team", clip(sc.TeamID, 20))
	}
	cmd, err := Parse(sc.Text)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			m := refusal(pe.Reason, pe.Usage)
			m.outcome = "invalid"
			return cmd, m
		}
		return cmd, b.userError(err)
	}
	c := caller{ID: sc.UserID, Channel: sc.ChannelID, TriggerID: sc.TriggerID}
	if !guestsMay(cmd, c.ID) {
		guest, err := b.isGuest(ctx, c.ID)
		if err != nil {
			return cmd, b.userError(err, "user", c.ID)
		}
		if guest {
			return cmd, guestRefusal(cmd)
		}
	}
	if cmd.Verb.IsAdmin() {
		ok, err := b.isAdmin(ctx, c.ID)
		if err != nil {
			return cmd, b.userError(err, "user", c.ID)
		}
		if !ok {
			m := text(fmt.Sprintf("Only admins can use `%s`. Admins are the workspace's admins and owners, and the people named with `/pair config admins`.", escape(Usage(cmd.Verb))))
			m.outcome = "refused"
			return cmd, m
		}
	}
	h, ok := b.commandHandlers()[cmd.Verb]
	if !ok {
		return cmd, refusal("that command is not known", Usage(VerbHelp))
	}
	b.log.Debug("command", "user", c.ID, "verb", string(cmd.Verb))
	return cmd, h(ctx, c, cmd)
}

// refusal is the one-line answer to bad input: what was wrong, what works.
func refusal(reason, usage string) message {
	end := "."
	if strings.HasSuffix(reason, "?") || strings.HasSuffix(reason, ".") {
		end = ""
	}
	return text(escape(upperFirst(reason)) + end + "\nTry: `" + escape(usage) + "`")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (b *Bot) help(context.Context, caller, Command) message { return helpMessage }

// helpMessage never changes, so it is built once.
var helpMessage = buildHelp()

func buildHelp() message {
	var sb strings.Builder
	sb.WriteString("*Pollen* proposes pair and review sessions that spread knowledge of our codebases.\n\n*Everyone*\n")
	for _, admin := range []bool{false, true} {
		if admin {
			sb.WriteString("\n*Admins*\n")
		}
		for _, u := range usages {
			if u.admin == admin {
				fmt.Fprintf(&sb, "• `%s` — %s\n", escape(u.form), u.what)
			}
		}
	}
	sb.WriteString("\nYou can also write *help*, *skip*, *pause* or *stop* to me in a DM.")
	return text(strings.TrimSpace(sb.String()))
}

// isAdmin: workspace admins and owners (from users.info, cached), and the
// people the team named in /pair config admins.
func (b *Bot) isAdmin(ctx context.Context, id string) (bool, error) {
	var settings pairing.TeamSettings
	if err := b.db.View(func(tx *store.Tx) (err error) { settings, err = tx.Settings(); return err }); err != nil {
		return false, err
	}
	if settings.IsAdmin(id) {
		return true, nil
	}
	u, err := b.users.get(ctx, id)
	if err != nil {
		return false, err
	}
	return u.IsAdmin || u.IsOwner || u.IsPrimaryOwner, nil
}

// team is a consistent snapshot of everything a reply may need.
type team struct {
	people    []pairing.Person
	projects  []pairing.Project
	events    []pairing.Event
	knowledge *pairing.Knowledge
	settings  pairing.TeamSettings
	rounds    rounds // loaded only where skips and pauses are shown
}

// busFactorAt is a project's bus factor as it stood at a past instant.
func (t team) busFactorAt(project string, at time.Time) int {
	return pairing.ReplayUntil(t.knowledge.Model(), t.events, at).BusFactor(project, t.people, at)
}

func (b *Bot) loadTeam(tx *store.Tx) (team, error) {
	var t team
	var err error
	if t.people, err = tx.People(); err != nil {
		return t, err
	}
	if t.projects, err = tx.Projects(); err != nil {
		return t, err
	}
	if t.events, err = tx.Events(); err != nil {
		return t, err
	}
	t.knowledge = pairing.Replay(b.model, t.events)
	t.settings, err = tx.Settings()
	return t, err
}

// loadTeamAndSessions is loadTeam plus every session, in one read.
func (b *Bot) loadTeamAndSessions() (team, []pairing.Session, error) {
	var t team
	var sessions []pairing.Session
	err := b.db.View(func(tx *store.Tx) (err error) {
		if t, err = b.loadTeam(tx); err != nil {
			return err
		}
		if t.rounds, err = loadRounds(tx, t.settings); err != nil {
			return err
		}
		sessions, err = tx.Sessions()
		return err
	})
	return t, sessions, err
}

func (t team) person(id string) (pairing.Person, bool) {
	for _, p := range t.people {
		if p.ID == id {
			return p, true
		}
	}
	return pairing.Person{}, false
}

func (t team) project(name string) (pairing.Project, bool) {
	for _, p := range t.projects {
		if p.Name == name {
			return p, true
		}
	}
	return pairing.Project{}, false
}

// errNotInRoster is the refusal for commands that need a roster entry.
var errNotInRoster = pairing.Errorf(pairing.CodeNotFound, "You're not in the rotation yet. Join with `/pair join` (or `/pair join biweekly`).")

func errNoProject(name string) error {
	return pairing.Errorf(pairing.CodeNotFound, "There is no project named %s. `/pair projects` lists them.", name)
}

// nextRound is when the team's next round is planned after t.
func nextRound(s pairing.TeamSettings, t time.Time) (time.Time, *time.Location, bool) {
	sched, err := pairing.ParseSchedule(s.Schedule, s.TimeZone)
	if err != nil {
		return time.Time{}, time.UTC, false
	}
	return sched.Next(t), sched.Location(), true
}

// when formats an instant for people: "Monday 30 November, 09:00 (Europe/Berlin)".
func when(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Monday 2 January, 15:04") + " (" + loc.String() + ")"
}

func loadLocation(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		return loc
	}
	return time.UTC
}
