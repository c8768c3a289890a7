package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// why explains last round for the caller (with the planner's figures), or
// for someone else only what the channel could see anyway: who they were
// paired with, not why.
func (b *Bot) why(ctx context.Context, c caller, cmd Command) message {
	subject := c.ID
	if len(cmd.Users) == 1 {
		subject = cmd.Users[0]
	}
	self := subject == c.ID
	var round pairing.Round
	var session *pairing.Session
	err := b.db.Snapshot(ctx, func(r store.Reader) error {
		rounds, err := r.Rounds()
		if err != nil || len(rounds) == 0 {
			return err
		}
		round = rounds[len(rounds)-1]
		for _, id := range round.SessionIDs {
			s, err := r.Session(id)
			switch {
			case errors.Is(err, pairing.ErrNotFound):
				continue // a round may name a session since set aside
			case err != nil:
				return err
			case s.Has(subject):
				session = &s
			}
		}
		return nil
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	if round.ID == "" {
		return text("No round has been planned yet.")
	}
	if session == nil {
		if !self {
			return text(fmt.Sprintf("%s had no session in round %s.", who(subject), round.ID))
		}
		for _, so := range round.SatOut {
			if so.Person == subject {
				return text(fmt.Sprintf("You had no session in round %s: %s", round.ID, escape(so.Reason)))
			}
		}
		return text(fmt.Sprintf("You were not in the rotation when round %s was planned.", round.ID))
	}
	s := *session
	if !self {
		return text(fmt.Sprintf("In round %s, %s had a %s session on *%s* with %s.", round.ID, who(subject), s.Kind, s.Project, others(s, subject)))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "In round %s you had a %s session on *%s* with %s.\n_Why:_ %s", round.ID, s.Kind, s.Project, others(s, subject), escape(s.Reason))
	if s.Value > 0 {
		fmt.Fprintf(&sb, "\nThe planner valued it at %.2f points", float64(s.Value)/pairing.ValueUnit)
		if i := slices.IndexFunc(s.Alternatives, func(a pairing.Alternative) bool { return a.Person == subject }); i >= 0 && s.Alternatives[i].Partner != "" {
			a := s.Alternatives[i]
			fmt.Fprintf(&sb, "; your best alternative was a %s session on *%s* with %s, worth %.2f", a.Kind, a.Project, who(a.Partner), float64(a.Value)/pairing.ValueUnit)
		} else {
			sb.WriteString("; you had no other candidate this round")
		}
		sb.WriteString(".")
	}
	return text(sb.String())
}

// avoid adds a private exclusion, or lists the caller's. Nobody else ever
// learns of it.
func (b *Bot) avoid(ctx context.Context, c caller, cmd Command) message {
	if len(cmd.Users) == 0 {
		p, err := b.member(ctx, c.ID)
		if err != nil {
			return b.userError(err, "user", c.ID)
		}
		if len(p.Avoid) == 0 {
			return text("You avoid nobody. `/pair avoid @someone` keeps you from ever being paired with them; only you will know.")
		}
		ids := make([]string, len(p.Avoid))
		for i, id := range p.Avoid {
			ids[i] = who(id)
		}
		return text(fmt.Sprintf("You're never paired with: %s. Only you can see this list.", strings.Join(ids, ", ")))
	}
	other := cmd.Users[0]
	if other == c.ID {
		return text("You can't avoid yourself.")
	}
	already := false
	_, err := b.updatePerson(ctx, c.ID, func(p *pairing.Person, _ pairing.TeamSettings, _ store.Reader) error {
		if already = slices.Contains(p.Avoid, other); already {
			return nil
		}
		if len(p.Avoid) >= pairing.MaxAvoid {
			return pairing.Errorf(pairing.CodeConflict, "You already avoid %d people, the most Pollen allows so the rotation still works. `/pair unavoid @someone` first.", pairing.MaxAvoid)
		}
		p.Avoid = append(p.Avoid, other)
		return nil
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	if already {
		return text(fmt.Sprintf("You already avoid %s; nothing changed.", who(other)))
	}
	return text(fmt.Sprintf("Done: you'll never be paired with %s. Nobody else is told.", who(other)))
}

func (b *Bot) unavoid(ctx context.Context, c caller, cmd Command) message {
	other := cmd.Users[0]
	changed := false
	_, err := b.updatePerson(ctx, c.ID, func(p *pairing.Person, _ pairing.TeamSettings, _ store.Reader) error {
		before := len(p.Avoid)
		p.Avoid = slices.DeleteFunc(p.Avoid, func(id string) bool { return id == other })
		changed = len(p.Avoid) != before
		return nil
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	if !changed {
		return text(fmt.Sprintf("You weren't avoiding %s.", who(other)))
	}
	return text(fmt.Sprintf("Done: %s can be your partner again.", who(other)))
}

// roster (admins) lists everyone with status, cadence, hours, time zone,
// last session, and why anyone is currently left out. Those left out come
// first, so a long roster never hides them; the list is split into as many
// sections as Slack allows, and anyone who still does not fit is counted
// at the end, never dropped in silence.
func (b *Bot) roster(ctx context.Context, c caller, _ Command) message {
	var t team
	var sessions []pairing.Session
	var rounds []pairing.Round
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if t, err = b.teamIn(r); err != nil {
			return err
		}
		if t.rounds, err = loadRounds(r, t.settings); err != nil {
			return err
		}
		if sessions, err = r.Sessions(); err != nil {
			return err
		}
		rounds, err = r.Rounds()
		return err
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	if len(t.people) == 0 {
		return text("Nobody has joined yet.")
	}
	now := b.now()
	satOut := map[string]string{}
	if len(rounds) > 0 {
		for _, so := range rounds[len(rounds)-1].SatOut {
			satOut[so.Person] = thirdPerson(so)
		}
	}
	var out, in []string
	for _, p := range t.people {
		line := rosterLine(p, sessions, t.rounds.away(p, now, true))
		switch n := pairing.IgnoredInARow(p, sessions, now); {
		case t.settings.Ghosting() > 0 && n >= t.settings.Ghosting():
			out = append(out, fmt.Sprintf("%s — left out: ignored the last %d proposals", line, n))
		case satOut[p.ID] != "":
			out = append(out, line+" — left out: sat out last round: "+satOut[p.ID])
		default:
			in = append(in, line)
		}
	}
	head := fmt.Sprintf("*Roster* (%d people)", len(t.people))
	if len(out) > 0 {
		head = fmt.Sprintf("*Roster* (%d people; %d left out, listed first)", len(t.people), len(out))
	}
	lines := append(append([]string{head}, out...), in...)
	m := message{Text: fallback(strings.Join(lines, "\n"))}
	m.Blocks = sections(lines, maxBlocksMessage, maxReplyBytes-jsonSize(m.Text), func(left int) string {
		return fmt.Sprintf("…and %d more people not shown: the roster is cut to fit in Slack.", left)
	})
	return m
}

// thirdPerson words why someone sat out for an admin reading the roster:
// the planner's reason is written to the person ("Your working hours…").
func thirdPerson(so pairing.SitOut) string {
	switch so.Code {
	case pairing.SitOutPaused:
		return "paused"
	case pairing.SitOutSkipped:
		return "asked to skip that round"
	case pairing.SitOutCadence:
		return "biweekly, and had a session the round before"
	case pairing.SitOutOdd:
		return "the odd one out: their possible partners were all in more useful sessions"
	case pairing.SitOutNoOverlap:
		return "no working hours shared with anyone suitable"
	case pairing.SitOutNothingToLearn:
		return "nobody available to learn from or teach"
	case pairing.SitOutNoZone:
		return "their time zone could not be read"
	case pairing.SitOutNoPartner:
		return "nobody suitable was free"
	}
	return escape(so.Reason)
}

// rosterLine is one person's roster entry, without why they are left out.
func rosterLine(p pairing.Person, sessions []pairing.Session, away string) string {
	last := "never"
	for i := len(sessions) - 1; i >= 0; i-- {
		if s := sessions[i]; s.Has(p.ID) && s.State == pairing.Done {
			last = s.DoneAt.Format("2006-01-02")
			break
		}
	}
	status := string(p.Status)
	switch {
	case away != "" && p.Status == pairing.Paused:
		status = away
	case away != "":
		status += ", " + away
	case p.Status == pairing.Paused:
		status = "active again (paused until " + p.PausedUntil.Format("2006-01-02") + ")"
	}
	return fmt.Sprintf("• %s: %s, %s, %s %s, last session %s", who(p.ID), status, p.Cadence, p.Hours, escape(p.TZ), last)
}
