package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Action IDs of the people-first buttons.
const (
	actionRoundSkip  = "round_skip"
	actionGhostStay  = "ghost_stay"
	actionGhostPause = "ghost_pause"
	actionGhostLeave = "ghost_leave"
	actionWayOut     = "way_out" // the overflow menu on every DM
	optionPause      = "pause4"
	optionLeave      = "leave"
)

// withWayOut puts a small overflow menu, Pause 4 weeks and Leave the
// rotation, on the first section of a message to a person: nobody should
// have to be rude to get out. The message belongs to rotation (a session's,
// an outbox item's; "" for none): each option names it after the option
// unless it is the default one ("leave|C123"), so a person in several
// rotations leaves the one the message is about (see personAction).
func withWayOut(m message, rotation string) message {
	pause, leave := optionPause, optionLeave
	if rotation != "" && rotation != pairing.DefaultRotation {
		pause, leave = pause+"|"+rotation, leave+"|"+rotation
	}
	for _, blk := range m.Blocks {
		if sec, ok := blk.(*slack.SectionBlock); ok && sec.Accessory == nil {
			sec.Accessory = slack.NewAccessory(slack.NewOverflowBlockElement(actionWayOut,
				slack.NewOptionBlockObject(pause, slack.NewTextBlockObject(slack.PlainTextType, "Pause 4 weeks", false, false), nil),
				slack.NewOptionBlockObject(leave, slack.NewTextBlockObject(slack.PlainTextType, "Leave the rotation", false, false), nil)))
			return m
		}
	}
	return m
}

// noticeMessage words the scheduler's notices: sit-outs, away, holidays,
// heads-ups and the ghost question.
func (b *Bot) noticeMessage(ctx context.Context, item outbox.Item) (message, error) {
	var settings pairing.TeamSettings
	var person pairing.Person
	if err := b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		settings, person, err = noticeReader(r, item.Users)
		return err
	}); err != nil {
		return message{}, err
	}
	next := ""
	if n, loc, ok := nextRound(settings, item.CreatedAt); ok {
		next = ", on " + n.In(loc).Format("Monday 2 January")
	}
	switch {
	case item.Kind == outbox.HeadsUp:
		day, _ := pairing.FirstSlot([]pairing.Person{person, person}, item.At.Add(planLead), settings.SessionLength, locate)
		return withWayOut(headsUpMessage(item.Round, item.Rotation, day, loadLocation(person.TZ)), item.Rotation), nil
	case item.Kind == outbox.Ghost:
		// Its own buttons already pause or leave; the menu is there too, as
		// on every message to a person, so the way out is always in one place.
		return withWayOut(ghostMessage(fmt.Sprintf("You let your last %d proposals pass without a word, so I left you out of round %s rather than pester you, and I'll keep you out until you tell me.", settings.Ghosting(), item.Round), item.Rotation), item.Rotation), nil
	case item.Notice == outbox.NoticeSatOut:
		return withWayOut(text(escape(fmt.Sprintf("No session for you in round %s. %s You're first in line next round%s.", item.Round, item.Text, next))), item.Rotation), nil
	case item.Notice == outbox.NoticeAway:
		return withWayOut(text(escape(fmt.Sprintf("%s, so I left you out of round %s. You're back in next round%s.", item.Text, item.Round, next))), item.Rotation), nil
	case item.Notice == outbox.NoticeWelcome:
		return withWayOut(welcomeMessage(person, next), item.Rotation), nil
	case item.Notice == outbox.NoticeHoliday:
		return text(escape(fmt.Sprintf("No pairing round this week (%s): holiday %s. See you next round!", item.Round, item.Text))), nil
	}
	m := text(escape(item.Text)) // a plain notice
	if len(item.Users) > 0 {
		m = withWayOut(m, item.Rotation)
	}
	return m, nil
}

// noticeReader reads what a notice is worded from: the team settings, and
// the one person it is for (someone not on the roster, or a notice to
// several, is worded in the team's time zone).
func noticeReader(r store.Reader, users []string) (pairing.TeamSettings, pairing.Person, error) {
	settings, err := r.Settings()
	if err != nil {
		return settings, pairing.Person{}, err
	}
	person := pairing.Person{Profile: pairing.Profile{TZ: settings.TimeZone}}
	if len(users) != 1 {
		return settings, person, nil
	}
	p, err := r.Person(users[0])
	switch {
	case err == nil:
		return settings, p, nil
	case errors.Is(err, pairing.ErrNotFound):
		return settings, person, nil
	}
	return settings, person, err
}

// welcomeMessage is the one welcome a person gets the first time they are
// in the roster: what Pollen is, how to set hours and what they know, how
// to leave.
func welcomeMessage(p pairing.Person, next string) message {
	tz := p.TZ
	if tz == "" {
		tz = "UTC"
	}
	hours := p.Hours
	if hours == (pairing.WorkingHours{}) {
		hours = pairing.DefaultHours
	}
	round := ""
	if next != "" {
		round = " The next round is" + strings.TrimPrefix(next, ",") + "."
	}
	body := fmt.Sprintf("*Welcome to Pollen!* Every week I propose a pair or review session with a teammate, so that what each of us knows spreads: you host the codebases you know and learn the ones you don't.%s\n"+
		"• *Your hours:* %s in %s. Different? `/pair hours 10:00-18:00`\n"+
		"• *What you know:* `/pair know &lt;project&gt; expert` or `some`; `/pair projects` lists them\n"+
		"• *A busy week:* `/pair skip next`. *Leave* any time: `/pair leave`, or the menu on this message\n"+
		"Write *help* here or type `/pair help` for everything else.", round, hours, escape(tz))
	return message{Text: fallback("Welcome to Pollen! Every week I propose a pair or review session with a teammate." + round), Blocks: []slack.Block{markdown(body)}}
}

// headsUpMessage tells a person the day before that a round is coming,
// with a button to skip that round only: of rotation, which the button
// names after the round unless it is the default one ("2026-W49|C123").
//
// The heads-up names the day the session will be on, not the planning
// time: the day of the person's earliest slot once the round is planned.
func headsUpMessage(round, rotation string, day time.Time, loc *time.Location) message {
	value := round
	if rotation != "" && rotation != pairing.DefaultRotation {
		value += "|" + rotation
	}
	when, plain := "this week", "this week"
	if !day.IsZero() {
		plain = day.In(loc).Format("Monday 2 January")
		when = "on *" + slackDate(day, "{date_long_pretty}", plain) + "* or later that week"
		plain = "on " + plain + " or later that week"
	}
	return message{
		Text: fallback(fmt.Sprintf("Heads-up: your next Pollen session (round %s) will be %s.", escape(round), plain)),
		Blocks: []slack.Block{
			markdown(fmt.Sprintf("Heads-up: your next Pollen session (round %s) will be %s, in your working hours. Busy then? Skip this round; you stay in the rotation.", escape(round), when)),
			actions("headsup_"+round, button(actionRoundSkip, "Skip this round", value, "")),
		},
	}
}

// planLead is how long after planning the first slot of a round may be
// (the scheduler's Lead).
const planLead = 2 * time.Hour

// ghostMessage asks someone who let their last proposals pass what they
// want, instead of pestering them. Its buttons name the rotation it is
// about unless it is the default one ("pause|C123"), as the way-out menu
// does.
func ghostMessage(text, rotation string) message {
	value := func(v string) string {
		if rotation != "" && rotation != pairing.DefaultRotation {
			v += "|" + rotation
		}
		return v
	}
	return message{
		Text: fallback(escape(text)),
		Blocks: []slack.Block{
			markdown(escape(text) + " What would you like?"),
			actions("ghost",
				button(actionGhostStay, "Stay in", value("stay"), slack.StylePrimary),
				button(actionGhostPause, "Pause 4 weeks", value("pause"), ""),
				button(actionGhostLeave, "Leave", value("leave"), slack.StyleDanger)),
		},
	}
}

// personAction handles the heads-up, ghost and way-out buttons: each
// changes only the clicker's own roster entry.
func (b *Bot) personAction(ctx context.Context, k click) {
	switch value, rotation, ok := strings.Cut(k.Value, "|"); {
	case ok:
		// A heads-up, ghost question or way-out menu of another rotation
		// than the default one ("value|C123"): it acts on the clicker's
		// membership of that rotation only.
		// The value comes from Slack: a rotation the clicker is not in
		// (or none at all) finds no member and writes nothing.
		ctx, k.Value = store.WithRotation(ctx, rotation), value
	case k.ActionID != actionRoundSkip:
		ctx = b.homeRotation(ctx, k.User) // the default rotation's, and older messages: the person's only rotation
	}
	now := b.now()
	var reply string
	_, err := b.updatePerson(ctx, k.User, func(p *pairing.Person, s pairing.TeamSettings, r store.Reader) error {
		switch {
		case k.ActionID == actionRoundSkip:
			if _, err := pairing.ParseRoundID(k.Value); err != nil {
				return pairing.Errorf(pairing.CodeInvalid, "That button names no round.")
			}
			// Checked in the transaction that records the skip: the
			// scheduler saves a round only if no person record changed
			// since it read them, so either this skip is in the plan or
			// the person is told it came too late, never "Done" for a
			// round already planned without it.
			switch _, err := r.Round(k.Value); {
			case err == nil:
				return pairing.Errorf(pairing.CodeConflict, "Round %s is already planned: if you can't make your session, press *Can't this week* on its proposal, so your partner is told.", k.Value)
			case !errors.Is(err, pairing.ErrNotFound):
				return err
			}
			if p.SkipsRound(k.Value) {
				reply = fmt.Sprintf("You're already skipping round %s; nothing changed.", k.Value)
				return nil
			}
			p.SkipRounds = append(p.SkipRounds, k.Value)
			reply = fmt.Sprintf("Done: you skip round %s.", k.Value)
			if next, loc, ok := nextRoundAfter(s, k.Value); ok {
				reply += fmt.Sprintf(" Your next round is %s, on %s.", pairing.RoundID(next.In(loc)), when(next, loc))
			}
		case k.ActionID == actionGhostStay:
			p.StayedInAt, p.Status, p.PausedUntil = now, pairing.Active, time.Time{}
			reply = "Great, you're in: you'll get a proposal next round."
		case k.ActionID == actionGhostPause || (k.ActionID == actionWayOut && k.Value == optionPause):
			p.Status, p.PausedUntil, p.StayedInAt = pairing.Paused, now.AddDate(0, 0, 28), now
			reply = fmt.Sprintf("Paused until %s. `/pair resume` brings you back sooner.", when(p.PausedUntil, loadLocation(p.TZ)))
		case k.ActionID == actionGhostLeave || (k.ActionID == actionWayOut && k.Value == optionLeave):
			p.Status, p.PausedUntil = pairing.Left, time.Time{}
			reply = "You've left the rotation; your history is kept. `/pair join` brings you back."
		default:
			return pairing.Errorf(pairing.CodeInvalid, "I don't know that option.")
		}
		return nil
	})
	if err != nil {
		b.tell(ctx, k, b.userError(err, "user", k.User))
		return
	}
	b.tell(ctx, k, text(reply))
}

// nextRoundAfter is the first scheduled round whose ISO week comes after
// the given round's.
func nextRoundAfter(s pairing.TeamSettings, round string) (time.Time, *time.Location, bool) {
	monday, err := pairing.ParseRoundID(round)
	if err != nil {
		return time.Time{}, time.UTC, false
	}
	return nextRound(s, monday.AddDate(0, 0, 7).Add(-time.Minute))
}

// AwayNow says which of the people are out of office according to their
// Slack status right now: a status emoji in the team's list, or a status
// text saying out of office, OOO or vacation. It asks users.info without
// the cache, since statuses change by the hour; a failed lookup counts as
// not away.
func (b *Bot) AwayNow(ctx context.Context, people []string, emoji []string) map[string]string {
	away := map[string]string{}
	check := func(u *slack.User) {
		status := strings.ToLower(u.Profile.StatusText)
		if slices.Contains(emoji, u.Profile.StatusEmoji) || strings.Contains(status, "out of office") ||
			strings.Contains(status, "ooo") || strings.Contains(status, "vacation") {
			away[u.ID] = "Your Slack status says you're away"
		}
	}
	if len(people) > awayListFrom {
		// users.list reads 200 people a call (Tier 2); users.info one (Tier
		// 4): for a large team the list is minutes faster.
		users, err := b.api.GetUsersContext(ctx)
		if err != nil {
			b.log.Warn("away check failed; treating everyone as present", "err", err)
			return away
		}
		for i := range users {
			if slices.Contains(people, users[i].ID) {
				check(&users[i])
			}
		}
		return away
	}
	for _, id := range people {
		u, err := b.api.GetUserInfoContext(ctx, id)
		if err != nil {
			b.log.Warn("away check failed; treating as present", "user", id, "err", err)
			continue
		}
		check(u)
	}
	return away
}

// awayListFrom is the team size from which the away check reads users.list
// instead of users.info per person.
const awayListFrom = 40
