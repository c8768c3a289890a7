package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// join adds the caller to the rotation, or changes their cadence and brings
// them back if they had left or paused. Name and time zone come from Slack.
func (b *Bot) join(ctx context.Context, c caller, cmd Command) message {
	m, _ := b.joinRotation(ctx, c, cmd)
	return m
}

// joinRotation is join, saying too whether the caller was a member (had
// not left) before it: someone a channel's roster adds twice at the same
// moment (their member_joined_channel event, and the channel's members
// adopted) is told once.
func (b *Bot) joinRotation(ctx context.Context, c caller, cmd Command) (m message, wasMember bool) {
	u, err := b.users.get(ctx, c.ID)
	if err != nil {
		return b.userError(err, "user", c.ID), false
	}
	if u.IsBot || u.Deleted {
		return text("Only people can join the rotation."), false
	}
	name := u.Profile.DisplayName
	if name == "" {
		name = u.RealName
	}
	if name == "" {
		name = u.Name
	}
	tz := u.TZ
	if _, err := pairing.LoadZone(tz); err != nil || tz == "" {
		tz = "UTC"
	}
	if m, refused, err := b.crossTeamJoin(ctx); err != nil || refused {
		if err != nil {
			return b.userError(err, "user", c.ID), false
		}
		return m, false
	}
	now := b.now()
	var d joined
	a, err := b.db.Apply(ctx, func(r store.Reader) (ch store.Change, err error) {
		d, ch, err = decideJoin(r, c.ID, name, tz, cmd.Cadence, now)
		return ch, err
	})
	if err != nil {
		return b.userError(err, "user", c.ID), false
	}
	if len(a.Welcomed) > 0 && b.callbacks.Wake != nil {
		b.callbacks.Wake() // the welcome DM goes out through the outbox
	}
	settings, existed, was := d.settings, d.existed, d.was
	wasMember = existed && was.Status != pairing.Left
	first := ""
	if next, loc, ok := nextRound(settings, now); ok {
		first = fmt.Sprintf(" The next round is planned on %s.", when(next, loc))
	}
	switch {
	case !existed:
		return text(fmt.Sprintf("Welcome to the rotation! You'll get a %s session proposal.%s Tell me what you know with `/pair know &lt;project&gt; expert|some`, and your hours with `/pair hours 09:00-17:00` (now %s, %s).",
			cmd.Cadence, first, pairing.DefaultHours, escape(tz))), wasMember
	case was.Status == pairing.Active && was.Cadence == cmd.Cadence:
		return text(fmt.Sprintf("You're already in the rotation, %s.%s", cmd.Cadence, first)), wasMember
	default:
		return text(fmt.Sprintf("You're in the rotation, %s.%s", cmd.Cadence, first)), wasMember
	}
}

// joined is what a join read: the settings and the person as they were.
type joined struct {
	settings pairing.TeamSettings
	was      pairing.Person
	existed  bool
}

// decideJoin puts the person in the rotation at this cadence, active, with
// the name and zone Slack gives; someone new is welcomed once.
func decideJoin(r store.Reader, id, name, tz string, cadence pairing.Cadence, now time.Time) (joined, store.Change, error) {
	var d joined
	var err error
	if d.settings, err = r.Settings(); err != nil {
		return d, store.Change{}, err
	}
	p, err := r.Person(id)
	switch {
	case err == nil:
		d.existed = true
	case errors.Is(err, pairing.ErrNotFound):
		p = pairing.NewPerson(id, name, tz, now)
	default:
		return d, store.Change{}, err
	}
	d.was = p
	p.Name, p.TZ, p.Cadence, p.Status, p.PausedUntil = name, tz, cadence, pairing.Active, time.Time{}
	c := store.Change{People: []pairing.Person{p}}
	if !d.existed {
		c.Welcome, c.At = []string{id}, now
	}
	return d, c, nil
}

// updatePerson loads someone on the roster, lets change modify them
// (knowing the team settings and whatever else r reads), and saves them in
// one transaction; people not on the roster, or who left it, get
// errNotInRoster.
func (b *Bot) updatePerson(ctx context.Context, id string, change func(p *pairing.Person, s pairing.TeamSettings, r store.Reader) error) (pairing.Person, error) {
	called := false
	p, err := b.db.UpdateMember(ctx, id, func(p *pairing.Person, r store.Reader) (store.Change, error) {
		called = true
		s, err := r.Settings()
		if err != nil {
			return store.Change{}, err
		}
		return store.Change{}, change(p, s, r)
	})
	if !called && errors.Is(err, pairing.ErrNotFound) {
		return p, errNotInRoster
	}
	return p, err
}

// member reads someone on the roster; people not on it, or who left it,
// get errNotInRoster.
func (b *Bot) member(ctx context.Context, id string) (pairing.Person, error) {
	p, err := b.db.Person(ctx, id)
	if errors.Is(err, pairing.ErrNotFound) || (err == nil && p.Status == pairing.Left) {
		return p, errNotInRoster
	}
	return p, err
}

func (b *Bot) leave(ctx context.Context, c caller, _ Command) message {
	_, err := b.updatePerson(ctx, c.ID, func(p *pairing.Person, _ pairing.TeamSettings, _ store.Reader) error {
		p.Status, p.PausedUntil = pairing.Left, time.Time{}
		return nil
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	return text("You've left the rotation. Your history and what you know are kept; `/pair join` brings you back any time.")
}

// skip pauses the caller: past the next round, for N weeks, or until a date
// (00:00 in the team's time zone).
func (b *Bot) skip(ctx context.Context, c caller, cmd Command) message {
	now := b.now()
	var r rounds
	if err := b.db.Snapshot(ctx, func(rd store.Reader) error {
		s, err := rd.Settings()
		if err != nil {
			return err
		}
		r, err = loadRounds(rd, s)
		return err
	}); err != nil {
		return b.userError(err, "user", c.ID)
	}
	p, err := b.updatePerson(ctx, c.ID, func(p *pairing.Person, s pairing.TeamSettings, _ store.Reader) error {
		if _, _, ok := nextRound(s, now); !ok {
			return pairing.Errorf(pairing.CodeConflict, "The team schedule is broken, so there is no next round to skip; ask an admin to fix it with `/pair config schedule`.")
		}
		switch cmd.Skip {
		case SkipNext:
			// The intent, not a week: whichever round runs next, also
			// after a schedule change, is the one skipped. The person
			// stays active for everything else.
			p.SkipNext = true
			return nil
		case SkipWeeks:
			p.Status, p.PausedUntil = pairing.Paused, now.AddDate(0, 0, 7*cmd.Weeks)
		case SkipUntil:
			back := time.Date(cmd.Until.Year(), cmd.Until.Month(), cmd.Until.Day(), 0, 0, 0, 0, loadLocation(s.TimeZone))
			if !back.After(now) {
				return pairing.Errorf(pairing.CodeInvalid, "%s is not in the future. Try: `%s`", cmd.Until.Format("2006-01-02"), Usage(VerbSkip))
			}
			p.Status, p.PausedUntil = pairing.Paused, back
		}
		return nil
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	return text(r.away(p, now, false))
}

func (b *Bot) resume(ctx context.Context, c caller, _ Command) message {
	p, err := b.updatePerson(ctx, c.ID, func(p *pairing.Person, _ pairing.TeamSettings, _ store.Reader) error {
		if p.Status == pairing.Active && len(p.SkipRounds) == 0 && !p.SkipNext {
			return pairing.Errorf(pairing.CodeConflict, "You're not skipping anything: you're in the rotation, %s.", p.Cadence)
		}
		p.Status, p.PausedUntil, p.SkipRounds, p.SkipNext = pairing.Active, time.Time{}, nil, false
		return nil
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	return text(fmt.Sprintf("Welcome back: you're in the rotation again, %s.", p.Cadence))
}

func (b *Bot) hours(ctx context.Context, c caller, cmd Command) message {
	p, err := b.updatePerson(ctx, c.ID, func(p *pairing.Person, _ pairing.TeamSettings, _ store.Reader) error {
		p.Hours = cmd.Hours
		return nil
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	return text(fmt.Sprintf("Your working hours are now %s (%s). Sessions are proposed inside them.", p.Hours, escape(p.TZ)))
}
