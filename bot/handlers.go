package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	if m, refused := b.guestCheck(ctx, c, cmd); refused {
		return cmd, m
	}
	ctx, ask, err := b.route(ctx, sc, cmd)
	if err != nil {
		return cmd, b.userError(err, "user", c.ID)
	}
	if ask != nil {
		return cmd, *ask
	}
	return cmd, b.execute(ctx, c, cmd)
}

// guestCheck refuses a guest a command guests may not run.
func (b *Bot) guestCheck(ctx context.Context, c caller, cmd Command) (message, bool) {
	if guestsMay(cmd, c.ID) {
		return message{}, false
	}
	guest, err := b.isGuest(ctx, c.ID)
	if err != nil {
		return b.userError(err, "user", c.ID), true
	}
	if guest {
		return guestRefusal(cmd), true
	}
	return message{}, false
}

// execute runs a parsed command in the rotation ctx names, once the
// caller may: admin commands are for the rotation's admins, and what
// covers every rotation for the workspace's.
func (b *Bot) execute(ctx context.Context, c caller, cmd Command) message {
	entry, ok := lookup(cmd.Verb)
	if !ok {
		return refusal("that command is not known", Usage(VerbHelp))
	}
	refuse := func(who, why string) message {
		m := text(fmt.Sprintf("Only %s can use `%s`. %s", who, escape(entry.form), why))
		m.outcome = "refused"
		return m
	}
	switch entry.who {
	case admins:
		ok, err := b.isAdmin(ctx, c.ID)
		if err != nil {
			return b.userError(err, "user", c.ID)
		}
		if !ok {
			return refuse("admins", "Admins are the workspace's admins and owners, and the people named with `/pair config admins`.")
		}
	case workspaceAdmins:
		ok, err := b.isWorkspaceAdmin(ctx, c.ID)
		if err != nil {
			return b.userError(err, "user", c.ID)
		}
		if !ok {
			return refuse("the workspace's admins and owners", "It covers every rotation, so a rotation's own admins cannot.")
		}
	}
	b.log.Debug("command", "user", c.ID, "verb", string(cmd.Verb))
	return entry.run(b, ctx, c, cmd)
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

// isAdmin: workspace admins and owners (from users.info, cached), and the
// people the team named in /pair config admins.
func (b *Bot) isAdmin(ctx context.Context, id string) (bool, error) {
	settings, err := b.db.Settings(ctx)
	if err != nil {
		return false, err
	}
	if settings.IsAdmin(id) {
		return true, nil
	}
	return b.isWorkspaceAdmin(ctx, id)
}

// isWorkspaceAdmin: the workspace's admins and owners (from users.info,
// cached), and nobody else.
func (b *Bot) isWorkspaceAdmin(ctx context.Context, id string) (bool, error) {
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

// teamOf is the team as the store read it, with what it knows replayed
// from the knowledge log. It is pure: decisions call it on what their
// store.Reader read.
func (b *Bot) teamOf(st store.Team) team {
	return team{
		people:    st.People,
		projects:  st.Projects,
		events:    st.Events,
		knowledge: pairing.Replay(b.model, st.Events),
		settings:  st.Settings,
	}
}

// loadTeam reads the team in one snapshot.
func (b *Bot) loadTeam(ctx context.Context) (team, error) {
	var st store.Team
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if st, err = r.Team(); err != nil {
			return err
		}
		return scope(ctx, r, &st)
	})
	if err != nil {
		return team{}, err
	}
	return b.teamOf(st), nil
}

// scope narrows st to the people and projects of ctx's rotation
// (pairing.Rotation.Scope): in a cross-team rotation's channel, its
// teams' people on the projects they share; in a rotation that lists its
// projects, those.
func scope(ctx context.Context, r store.Reader, st *store.Team) error {
	rotations, ok := routedRotations(ctx) // read by route for this command
	if !ok {
		var err error
		if rotations, err = r.Rotations(); err != nil {
			return err
		}
	}
	i := slices.IndexFunc(rotations, func(x pairing.Rotation) bool { return x.ID == store.RotationOf(ctx) })
	if i < 0 {
		return nil
	}
	s, err := rotations[i].Scope(rotations, st.People, st.Projects, r.PeopleIn)
	st.People, st.Projects = s.People, s.Projects
	return err
}

// teamIn reads the team through r, inside an operation's decision.
func (b *Bot) teamIn(r store.Reader) (team, error) {
	st, err := r.Team()
	if err != nil {
		return team{}, err
	}
	return b.teamOf(st), nil
}

// loadTeamAndSessions is loadTeam plus the rounds and every session, in
// one read.
func (b *Bot) loadTeamAndSessions(ctx context.Context) (team, []pairing.Session, error) {
	var t team
	var sessions []pairing.Session
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if t, err = b.teamIn(r); err != nil {
			return err
		}
		if t.rounds, err = loadRounds(r, t.settings); err != nil {
			return err
		}
		sessions, err = r.Sessions()
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
	if loc, err := pairing.LoadZone(tz); err == nil && tz != "" {
		return loc
	}
	return time.UTC
}
