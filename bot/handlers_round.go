package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/pollen-team/pollen/internal/report"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Callbacks the scheduler gives the bot: Wake the outbox sender after
// queueing messages; SettingsChanged reloads the schedule.
type Callbacks struct {
	Wake            func()
	SettingsChanged func()
	// RoundNow plans this week's round at once (/pair round now) through
	// the scheduler's own path; nil refuses the command.
	RoundNow RoundNowFunc
	// SyncProject imports the new commits of a project's repository
	// (internal/reposync) and says in one line what it did; nil refuses
	// /pair project sync and leaves project add to record the repository.
	SyncProject func(ctx context.Context, project string) (string, error)
}

// errNoSession is what a click on a session that does not exist hears.
var errNoSession = pairing.Errorf(pairing.CodeNotFound, "That session does not exist (any more).")

// errLoggedSession is what a round button on a /pair log session hears:
// such a session counts only once the other person answers its own
// buttons, so the one who logged it cannot complete it alone (accept,
// reschedule, then "We paired" on the retro).
var errLoggedSession = pairing.Errorf(pairing.CodeConflict, "This session was logged with `/pair log`: it counts only once the person named in it confirms it.")

// loadSessionFor loads a session and checks the clicker takes part in it
// and that it is not a /pair log session (those have their own buttons).
func loadSessionFor(tx *store.Tx, id, user string) (pairing.Session, error) {
	s, err := tx.Session(id)
	if err != nil {
		return s, errNoSession
	}
	if !s.Has(user) {
		return s, errNotYours
	}
	if s.LoggedBy != "" {
		return s, errLoggedSession
	}
	return s, nil
}

// clickOnSession runs a click's change on its session in one transaction
// and saves the session if change reports a change. It answers the two
// outcomes every session button shares: an error (a refusal or an
// apology) and a click that changes nothing (worded by unchanged). It
// reports whether there is more for the caller to do.
func (b *Bot) clickOnSession(ctx context.Context, k click,
	load func(tx *store.Tx) (pairing.Session, error),
	change func(tx *store.Tx, s *pairing.Session) (bool, error),
	unchanged func(s pairing.Session) string) (pairing.Session, bool) {
	var s pairing.Session
	var changed bool
	err := b.bolt.Update(func(tx *store.Tx) error {
		var err error
		if s, err = load(tx); err != nil {
			return err
		}
		if changed, err = change(tx, &s); err != nil || !changed {
			return err
		}
		return tx.PutSession(s)
	})
	if err != nil {
		b.tell(ctx, k, b.userError(err, "user", k.User))
		return s, false
	}
	if !changed {
		b.tell(ctx, k, text(unchanged(s)))
		return s, false
	}
	return s, true
}

// participantOf loads the clicked session for one of its participants.
func participantOf(k click) func(tx *store.Tx) (pairing.Session, error) {
	return func(tx *store.Tx) (pairing.Session, error) { return loadSessionFor(tx, k.Value, k.User) }
}

// accept records one participant's Accept; the session is accepted once
// everyone has, and the proposal shows who has so far.
func (b *Bot) accept(ctx context.Context, k click) {
	now := b.now()
	s, ok := b.clickOnSession(ctx, k, participantOf(k),
		func(_ *store.Tx, s *pairing.Session) (bool, error) { return s.Accept(k.User, now) },
		func(s pairing.Session) string {
			return fmt.Sprintf("Nothing to change: this session is %s and you already answered.", s.State)
		})
	if !ok {
		return
	}
	b.refreshProposal(ctx, k, s)
	if s.State == pairing.Accepted && !s.Slot.IsZero() {
		b.sendCalendar(ctx, k, s, "Everyone accepted: here it is for your calendar.")
	}
}

// participants is a team of just the session's people, read in one
// transaction: enough to name them and show times in their zones.
func (b *Bot) participants(s pairing.Session) team {
	var t team
	b.bolt.View(func(tx *store.Tx) error {
		for _, id := range s.Participants() {
			if p, err := tx.Person(id); err == nil {
				t.people = append(t.people, p)
			}
		}
		return nil
	})
	return t
}

// sendCalendar puts the accepted session's .ics in the proposal's thread.
func (b *Bot) sendCalendar(ctx context.Context, k click, s pairing.Session, note string) {
	ics := calendarEvent(s, b.participants(s), b.now()).ICS()
	f := report.File{Name: "pollen-" + s.Project + ".ics", Title: "Pollen session: " + s.Project, Data: ics}
	if err := b.sendFiles(ctx, k.Channel, k.MessageTS, text(note), []report.File{f}); err != nil {
		b.log.Warn("calendar file not sent", "session", s.ID, "err", err)
	}
}

// refreshProposal redraws the clicked proposal from the session's latest
// state (see redraw: another participant may have clicked since).
func (b *Bot) refreshProposal(ctx context.Context, k click, s pairing.Session) {
	b.redraw(ctx, k, s.ID, func(s pairing.Session) (message, bool) {
		if s.Round == "" {
			return withWayOut(b.proposalMessage(s, "")), true
		}
		t, err := b.loadTeam(ctx)
		if err != nil {
			b.log.Error("refresh proposal", "session", s.ID, "err", err)
			return message{}, false
		}
		return withWayOut(b.roundProposal(s, t)), true
	})
}

// Notes the decline leaves on a session, read back by acceptStatus to say
// who is out.
const (
	notePrefixDeclined = "declined by "
	notePrefixLeft     = "left by "
)

// errStarted is what a decline after the slot began hears.
var errStarted = pairing.Errorf(pairing.CodeConflict, "Too late to call it off: the session has begun. After it, the retro asks how it went.")

// decline releases the clicker from the session: Can't this week on a
// proposal, or Can't make it after all on an accepted session before its
// slot. Pollen tries to re-pair the partner with someone free in the same
// round (people who sat out or were released); if nobody fits, the session
// is skipped and the partner becomes free for the next decline.
func (b *Bot) decline(ctx context.Context, k click) {
	now := b.now()
	var repaired *pairing.Session
	s, ok := b.clickOnSession(ctx, k, participantOf(k), func(tx *store.Tx, s *pairing.Session) (bool, error) {
		if s.State != pairing.Proposed && s.State != pairing.Accepted {
			return false, nil
		}
		if s.State == pairing.Accepted && !s.Slot.IsZero() && !now.Before(s.Slot) {
			return false, errStarted
		}
		s.Respond(k.User) // a decline is an answer: not a ghost
		if len(s.Learners) == 2 && s.Host != k.User {
			// A trio loses one learner and goes on as a pair.
			s.Note = notePrefixLeft + k.User
			return true, s.RemoveLearner(k.User, now)
		}
		if err := s.Transition(pairing.Skipped, now); err != nil {
			return false, err
		}
		s.Note = notePrefixDeclined + k.User
		if s.Round == "" {
			return true, nil
		}
		var err error
		repaired, err = b.repair(tx, *s, k.User, now)
		return true, err
	}, func(s pairing.Session) string { return fmt.Sprintf("Nothing to change: this session is %s.", s.State) })
	if !ok {
		return
	}
	if repaired != nil && b.callbacks.Wake != nil {
		b.callbacks.Wake()
	}
	b.refreshProposal(ctx, k, s)
	if s.State == pairing.Accepted && !s.Slot.IsZero() {
		b.sendCalendar(ctx, k, s, "Everyone accepted: here it is for your calendar.") // the pair left had both accepted already
	}
	switch {
	case s.State == pairing.Proposed || s.State == pairing.Accepted:
		b.tell(ctx, k, text("Understood: you're out of this one; the others go ahead without you."))
	case repaired != nil:
		b.tell(ctx, k, text(fmt.Sprintf("Understood. I've found %s someone else this week.", others(s, k.User))))
	default:
		b.tell(ctx, k, text("Understood: this session is off for this week."))
	}
}

// repair proposes a new session for the declined session's remaining
// people with someone free in the same round (pairing.Repair decides), in
// the same transaction as the decline.
func (b *Bot) repair(tx *store.Tx, s pairing.Session, decliner string, now time.Time) (*pairing.Session, error) {
	round, err := tx.Round(s.Round)
	if err != nil {
		return nil, nil // an old round without a record: nothing to re-pair from
	}
	t, err := b.teamIn(tx)
	if err != nil {
		return nil, err
	}
	round, made := pairing.Repair(pairing.RepairInput{
		Round: round, Declined: s, Decliner: decliner, People: t.people, Projects: t.projects, Knowledge: t.knowledge,
		At: now, Target: t.settings.TargetBusFactor, Length: t.settings.SessionLength, Location: locate, NewID: store.NewID,
	})
	if made != nil {
		if err := tx.PutSession(*made); err != nil {
			return nil, err
		}
		if err := tx.PutOutbox(outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: made.ID, Round: s.Round,
			Users: made.Participants(), CreatedAt: now}); err != nil {
			return nil, err
		}
	}
	return made, tx.PutRound(round)
}

func locate(tz string) (*time.Location, error) { return time.LoadLocation(tz) }
