package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// projectAdd creates a project; its owners start at f = 1 through owner
// events, written in the same transaction.
func (b *Bot) projectAdd(ctx context.Context, c caller, cmd Command) message {
	proj := pairing.Project{Name: cmd.Project, RepoURL: cmd.Repo, Owners: cmd.Users, Since: b.now()}
	owners := make([]pairing.Event, len(cmd.Users))
	for i, owner := range cmd.Users {
		owners[i] = pairing.Event{ID: store.NewID(), At: proj.Since, Kind: pairing.EventOwner, Project: proj.Name, Person: owner}
	}
	_, err := b.db.Apply(ctx, func(r store.Reader) (store.Change, error) { return addProject(r, proj, owners) })
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	ownedBy := "no owners yet: people declare what they know with `/pair know " + cmd.Project + " expert`"
	if len(cmd.Users) > 0 {
		ids := make([]string, len(cmd.Users))
		for i, id := range cmd.Users {
			ids[i] = who(id)
		}
		ownedBy = "owned by " + strings.Join(ids, ", ")
	}
	added := fmt.Sprintf("Added *%s*, %s.", cmd.Project, ownedBy)
	if cmd.Repo != "" && b.callbacks.SyncProject != nil {
		b.syncInBackground(ctx, c.ID, cmd.Project)
		added += " I'm importing its repository's history and will DM you the result."
	}
	return text(added)
}

// addProject creates the project (or brings a retired one back as new)
// with its owners' events; a live project of that name is a conflict.
func addProject(r store.Reader, proj pairing.Project, owners []pairing.Event) (store.Change, error) {
	old, err := r.Project(proj.Name)
	switch {
	case err == nil && !old.Retired:
		return store.Change{}, pairing.Errorf(pairing.CodeConflict, "There is already a project named %s.", proj.Name)
	case err != nil && !errors.Is(err, pairing.ErrNotFound):
		return store.Change{}, err
	}
	return store.Change{Projects: []pairing.Project{proj}, Events: owners}, nil
}

// projectSync imports the new commits of a project's repository in the
// background; the admin hears the one-line result in a DM.
func (b *Bot) projectSync(ctx context.Context, c caller, cmd Command) message {
	if b.callbacks.SyncProject == nil {
		return text("Repository sync is not set up on this Pollen.")
	}
	p, err := b.db.Project(ctx, cmd.Project)
	if errors.Is(err, pairing.ErrNotFound) {
		err = errNoProject(cmd.Project)
	}
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	if p.RepoURL == "" {
		return text(fmt.Sprintf("*%s* has no repository to sync (`pollen import-git` imports a local clone).", cmd.Project))
	}
	b.syncInBackground(ctx, c.ID, cmd.Project)
	return text(fmt.Sprintf("Syncing *%s* from its repository; I'll DM you the result.", cmd.Project))
}

// syncInBackground runs SyncProject after the answer and DMs the admin its
// one-line result, success or failure; the log gets the same line. Run
// waits for it on the way out (the sync stops with ctx).
func (b *Bot) syncInBackground(ctx context.Context, admin, project string) {
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		line, err := b.callbacks.SyncProject(ctx, project)
		if err != nil {
			b.log.Error("repository sync failed", "project", project, "err", err)
			line = "Sync failed, the project's knowledge is unchanged: " + err.Error()
		} else {
			b.log.Info("repository synced", "project", project, "result", line)
		}
		if ctx.Err() != nil {
			return
		}
		if err := b.sendDM(ctx, []string{admin}, text(escape(line)), ""); err != nil {
			b.log.Error("sync result DM failed", "project", project, "err", err)
		}
	}()
}

func (b *Bot) projectRemove(ctx context.Context, c caller, cmd Command) message {
	called := false
	_, err := b.db.UpdateProject(ctx, cmd.Project, func(p *pairing.Project, _ store.Reader) (store.Change, error) {
		called = true
		return store.Change{}, retire(p)
	})
	if !called && errors.Is(err, pairing.ErrNotFound) {
		err = errNoProject(cmd.Project)
	}
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	return text(fmt.Sprintf("Retired *%s*: no new sessions on it; its history is kept.", cmd.Project))
}

// retire takes a project out of new sessions; its history stays.
func retire(p *pairing.Project) error {
	if p.Retired {
		return pairing.Errorf(pairing.CodeConflict, "%s is already retired.", p.Name)
	}
	p.Retired = true
	return nil
}

// config changes one team setting after validating it.
func (b *Bot) config(ctx context.Context, c caller, cmd Command) message {
	now := b.now()
	if cmd.Setting == "" { // /pair config alone: show, change nothing
		s, err := b.db.Settings(ctx)
		if err != nil {
			return b.userError(err, "user", c.ID)
		}
		return text(strings.Replace(describeSettings(s, now), "*Team settings saved.*", "*Team settings*", 1) +
			"\n• " + describeHolidays(s) + "\nChange one with `" + escape(Usage(VerbConfig)) + "`")
	}
	var changed bool
	s, err := b.db.UpdateSettings(ctx, func(s *pairing.TeamSettings, r store.Reader) (c store.Change, err error) {
		if cmd.Setting == "roster" {
			if err := rosterFromChannelAllowed(r, store.RotationOf(ctx)); err != nil {
				return c, err
			}
		}
		changed, err = changeSetting(s, cmd, now)
		if err == nil && cmd.Setting == "holiday" && !changed {
			err = store.ErrUnchanged // holiday list, or a holiday already set
		}
		return c, err
	})
	if errors.Is(err, store.ErrUnchanged) {
		err = nil
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		m := refusal(pe.Reason, pe.Usage)
		m.outcome = "invalid"
		return m
	}
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	if cmd.Setting == "holiday" {
		return text(holidayReply(cmd, s, changed))
	}
	if b.callbacks.SettingsChanged != nil {
		b.callbacks.SettingsChanged() // a new schedule takes effect without a restart
	}
	m := text(describeSettings(s, now))
	if cmd.Setting == "roster" && changed && s.Roster == pairing.RosterChannel {
		m.Text += "\nI'm adding the channel's members to the rotation now; each gets a DM with a way out."
		channel := store.RotationOf(ctx) // a team channel's own rotation (rosterFromChannelAllowed)
		m.then = func(ctx context.Context) { b.adoptChannelMembers(ctx, channel) }
	}
	return m
}

// changeSetting applies /pair config's change to s, and says whether a
// holiday was added or removed.
func changeSetting(s *pairing.TeamSettings, cmd Command, now time.Time) (changed bool, err error) {
	switch cmd.Setting {
	case "schedule":
		if _, err := pairing.ParseWeeklySchedule(cmd.Value, s.TimeZone, now); err != nil {
			return false, badSetting(err)
		}
		s.Schedule = cmd.Value
	case "timezone":
		if _, err := pairing.ParseSchedule(s.Schedule, cmd.Value); err != nil {
			return false, badSetting(err)
		}
		s.TimeZone = cmd.Value
	case "length":
		n, err := strconv.Atoi(cmd.Value)
		if err != nil { // the parser lets only whole minutes through
			return false, fmt.Errorf("session length %q: %w", cmd.Value, err)
		}
		s.SessionLength = time.Duration(n) * time.Minute
	case "channel":
		s.Channel = cmd.Value
	case "admins":
		s.Admins = cmd.Users
	case "holiday":
		return changeHolidays(s, cmd)
	case "roster":
		was := s.Roster
		s.Roster = pairing.RosterOptIn
		if cmd.Value == pairing.RosterChannel {
			s.Roster = pairing.RosterChannel
		}
		return s.Roster != was, nil
	}
	return false, nil
}

// changeHolidays adds or removes the holiday cmd names (list changes
// nothing).
func changeHolidays(s *pairing.TeamSettings, cmd Command) (bool, error) {
	switch cmd.Value {
	case "add":
		if slices.Contains(s.Holidays, cmd.Range) {
			return false, nil
		}
		s.Holidays = append(s.Holidays, cmd.Range)
		return true, nil
	case "remove":
		i := slices.Index(s.Holidays, cmd.Range)
		if i < 0 {
			return false, pairing.Errorf(pairing.CodeNotFound, "There is no holiday %s. `/pair config holiday list` shows them.", cmd.Range)
		}
		s.Holidays = slices.Delete(s.Holidays, i, i+1)
		return true, nil
	}
	return false, nil
}

// badSetting turns the scheduler's verdict on a value (a cron expression
// or a time zone the parser could not check alone) into a refusal with the
// correct form, like every other bad input; other errors pass through.
func badSetting(err error) error {
	var de *pairing.Error
	if errors.As(err, &de) && de.Code == pairing.CodeInvalid {
		return &ParseError{Reason: de.Message, Usage: Usage(VerbConfig)}
	}
	return err
}

// holidayReply confirms a holiday change in words, then lists what is set.
func holidayReply(cmd Command, s pairing.TeamSettings, changed bool) string {
	switch {
	case cmd.Value == "add" && changed:
		return fmt.Sprintf("Added the holiday %s: no rounds on those dates. ", cmd.Range) + describeHolidays(s)
	case cmd.Value == "add":
		return fmt.Sprintf("The holiday %s was already set; nothing changed. ", cmd.Range) + describeHolidays(s)
	case cmd.Value == "remove" && len(s.Holidays) == 0:
		return fmt.Sprintf("Removed the holiday %s: rounds run on those dates again. No holidays are left.", cmd.Range)
	case cmd.Value == "remove":
		return fmt.Sprintf("Removed the holiday %s: rounds run on those dates again. ", cmd.Range) + describeHolidays(s)
	}
	return describeHolidays(s)
}

func describeHolidays(s pairing.TeamSettings) string {
	if len(s.Holidays) == 0 {
		return "No holidays set. `/pair config holiday 2026-12-24..2027-01-02` skips the rounds in that range."
	}
	var hs []string
	for _, h := range s.Holidays {
		hs = append(hs, h.String())
	}
	return "*Holidays* (no rounds on these dates, in " + escape(s.TimeZone) + "): " + strings.Join(hs, ", ")
}

func describeSettings(s pairing.TeamSettings, now time.Time) string {
	var sb strings.Builder
	sb.WriteString("*Team settings saved.*\n")
	fmt.Fprintf(&sb, "• Schedule: `%s` in %s", escape(s.Schedule), escape(s.TimeZone))
	if next, loc, ok := nextRound(s, now); ok {
		fmt.Fprintf(&sb, " (next round %s)", when(next, loc))
	}
	fmt.Fprintf(&sb, "\n• Session length: %d minutes\n", int(s.SessionLength.Minutes()))
	channel := "not set"
	if s.Channel != "" {
		channel = "<#" + s.Channel + "> (invite me there with `/invite @Pollen` so I can post)"
	}
	fmt.Fprintf(&sb, "• Digest channel: %s\n", channel)
	admins := make([]string, len(s.Admins))
	for i, id := range s.Admins {
		admins[i] = who(id)
	}
	fmt.Fprintf(&sb, "• Admins besides workspace admins: %s", listOr(admins, "none"))
	if s.Roster == pairing.RosterChannel {
		sb.WriteString("\n• Roster: the channel's members (who joins the channel joins the rotation; who leaves it is asked)")
	}
	return sb.String()
}

// RoundNowFunc plans this week's round at once; the scheduler's
// Loop.RoundNow is one.
type RoundNowFunc func(ctx context.Context) (pairing.RoundResult, error)

// roundNow is /pair round now: this week's round, planned and queued by
// the scheduler exactly as the cron would, without waiting for it.
func (b *Bot) roundNow(ctx context.Context, c caller, _ Command) message {
	if b.callbacks.RoundNow == nil {
		return b.userError(pairing.Errorf(pairing.CodeConflict, "Rounds can't be planned from here: this Pollen runs without its scheduler."), "user", c.ID)
	}
	r, err := b.callbacks.RoundNow(ctx)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	b.log.Info("round planned on demand", "round", r.Round, "user", c.ID, "sessions", r.Sessions)
	if r.Sessions == 0 {
		return text(fmt.Sprintf("Round %s is planned, but with no session: nobody in the rotation could be paired this week (`/pair roster` says why). The next round comes with the schedule.", r.Round))
	}
	return text(fmt.Sprintf("Round %s is planned: %s. The proposals are on their way as DMs; this week's scheduled round will not run again.", r.Round, sessionCount(r.Sessions)))
}

func sessionCount(n int) string {
	if n == 1 {
		return "1 session"
	}
	return fmt.Sprintf("%d sessions", n)
}
