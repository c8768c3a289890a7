package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// join adds the caller to the rotation, or changes their cadence and brings
// them back if they had left or paused. Name and time zone come from Slack.
func (b *Bot) join(ctx context.Context, c caller, cmd Command) message {
	u, err := b.users.get(ctx, c.ID)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	if u.IsBot || u.Deleted {
		return text("Only people can join the rotation.")
	}
	name := u.Profile.DisplayName
	if name == "" {
		name = u.RealName
	}
	if name == "" {
		name = u.Name
	}
	tz := u.TZ
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		tz = "UTC"
	}
	now := b.now()
	var settings pairing.TeamSettings
	var was pairing.Person
	var existed, welcomed bool
	err = b.bolt.Update(func(tx *store.Tx) error {
		if settings, err = tx.Settings(); err != nil {
			return err
		}
		p, err := tx.Person(c.ID)
		existed = err == nil
		if !existed {
			p = pairing.NewPerson(c.ID, name, tz, now)
		}
		was = p
		p.Name, p.TZ, p.Cadence, p.Status, p.PausedUntil = name, tz, cmd.Cadence, pairing.Active, time.Time{}
		if err := tx.PutPerson(p); err != nil {
			return err
		}
		if !existed {
			welcomed, err = tx.WelcomeOnce(c.ID, now)
		}
		return err
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	if welcomed && b.callbacks.Wake != nil {
		b.callbacks.Wake() // the welcome DM goes out through the outbox
	}
	first := ""
	if next, loc, ok := nextRound(settings, now); ok {
		first = fmt.Sprintf(" The next round is planned on %s.", when(next, loc))
	}
	switch {
	case !existed:
		return text(fmt.Sprintf("Welcome to the rotation! You'll get a %s session proposal.%s Tell me what you know with `/pair know &lt;project&gt; expert|some`, and your hours with `/pair hours 09:00-17:00` (now %s, %s).",
			cmd.Cadence, first, pairing.DefaultHours, escape(tz)))
	case was.Status == pairing.Active && was.Cadence == cmd.Cadence:
		return text(fmt.Sprintf("You're already in the rotation, %s.%s", cmd.Cadence, first))
	default:
		return text(fmt.Sprintf("You're in the rotation, %s.%s", cmd.Cadence, first))
	}
}

// updatePerson loads the caller, lets change modify them, and saves them
// in one transaction; people not in the roster get errNotInRoster.
func (b *Bot) updatePerson(id string, change func(p *pairing.Person, settings pairing.TeamSettings) error) (pairing.Person, pairing.TeamSettings, error) {
	return b.updatePersonTx(id, func(_ *store.Tx, p *pairing.Person, s pairing.TeamSettings) error { return change(p, s) })
}

// updatePersonTx is updatePerson for a change that must also read other
// records in the same transaction.
func (b *Bot) updatePersonTx(id string, change func(tx *store.Tx, p *pairing.Person, settings pairing.TeamSettings) error) (pairing.Person, pairing.TeamSettings, error) {
	var p pairing.Person
	var settings pairing.TeamSettings
	err := b.bolt.Update(func(tx *store.Tx) error {
		var err error
		if settings, err = tx.Settings(); err != nil {
			return err
		}
		if p, err = tx.Person(id); err != nil || p.Status == pairing.Left {
			return errNotInRoster
		}
		if err := change(tx, &p, settings); err != nil {
			return err
		}
		return tx.PutPerson(p)
	})
	return p, settings, err
}

func (b *Bot) leave(_ context.Context, c caller, _ Command) message {
	_, _, err := b.updatePerson(c.ID, func(p *pairing.Person, _ pairing.TeamSettings) error {
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
func (b *Bot) skip(_ context.Context, c caller, cmd Command) message {
	now := b.now()
	var r rounds
	if err := b.bolt.View(func(tx *store.Tx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		r, err = loadRounds(tx, s)
		return err
	}); err != nil {
		return b.userError(err, "user", c.ID)
	}
	p, _, err := b.updatePerson(c.ID, func(p *pairing.Person, s pairing.TeamSettings) error {
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

func (b *Bot) resume(_ context.Context, c caller, _ Command) message {
	p, _, err := b.updatePerson(c.ID, func(p *pairing.Person, _ pairing.TeamSettings) error {
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

func (b *Bot) hours(_ context.Context, c caller, cmd Command) message {
	p, _, err := b.updatePerson(c.ID, func(p *pairing.Person, _ pairing.TeamSettings) error {
		p.Hours = cmd.Hours
		return nil
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	return text(fmt.Sprintf("Your working hours are now %s (%s). Sessions are proposed inside them.", p.Hours, escape(p.TZ)))
}
