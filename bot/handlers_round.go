package bot

import (
	"context"
	"errors"
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

// access says who may press a session's buttons: missing is what a click
// on a session that does not exist hears, allowed refuses anyone else.
type access struct {
	missing error
	allowed func(s pairing.Session, user string) error
}

// participant is the access of the round buttons: a person who takes part
// in the session, unless it is a /pair log session (those have their own
// buttons).
var participant = access{missing: errNoSession, allowed: func(s pairing.Session, user string) error {
	if !s.Has(user) {
		return errNotYours
	}
	if s.LoggedBy != "" {
		return errLoggedSession
	}
	return nil
}}

// loadSessionFor reads a session for one of its participants. The session
// "does not exist" only when the store says so; any other error reading
// it is returned as it is, for the usual apology.
func loadSessionFor(r store.Reader, id, user string) (pairing.Session, error) {
	s, err := r.Session(id)
	if errors.Is(err, pairing.ErrNotFound) {
		return s, participant.missing
	}
	if err != nil {
		return s, err
	}
	return s, participant.allowed(s, user)
}

// updateSessionFor runs decide on the session id for user in one store
// operation, once who allows them (see access). decide is pure: it
// changes the session and returns what else to write, or
// store.ErrUnchanged for a click that changes nothing. The operation runs
// even when ctx is done: Slack has had its ack for the click, so a
// shutdown that began meanwhile (Run waits for the handlers in flight)
// must not lose it.
func (b *Bot) updateSessionFor(ctx context.Context, id, user string, who access,
	decide func(s *pairing.Session, r store.Reader) (store.Change, error)) (pairing.Session, error) {
	loaded := false
	s, err := b.db.UpdateSession(context.WithoutCancel(ctx), id, func(s *pairing.Session, r store.Reader) (store.Change, error) {
		loaded = true
		if err := who.allowed(*s, user); err != nil {
			return store.Change{}, err
		}
		return decide(s, r)
	})
	if !loaded && errors.Is(err, pairing.ErrNotFound) {
		return s, who.missing
	}
	return s, err
}

// clickOnSession runs a click's decision on its session (see
// updateSessionFor). It answers the two outcomes every session button
// shares: an error (a refusal or an apology) and a click that changes
// nothing (worded by unchanged). It reports whether there is more for the
// caller to do.
func (b *Bot) clickOnSession(ctx context.Context, k click, id string, who access,
	decide func(s *pairing.Session, r store.Reader) (store.Change, error),
	unchanged func(s pairing.Session) string) (pairing.Session, bool) {
	s, err := b.updateSessionFor(ctx, id, k.User, who, decide)
	switch {
	case errors.Is(err, store.ErrUnchanged):
		b.tell(ctx, k, text(unchanged(s)))
		return s, false
	case err != nil:
		b.tell(ctx, k, b.userError(err, "user", k.User))
		return s, false
	}
	return s, true
}

// changed turns what a pairing.Session method says (whether it changed the
// session) into a decision's result.
func changed(ok bool, err error) (store.Change, error) {
	if err == nil && !ok {
		return store.Change{}, store.ErrUnchanged
	}
	return store.Change{}, err
}

// accept records one participant's Accept; the session is accepted once
// everyone has, and the proposal shows who has so far.
func (b *Bot) accept(ctx context.Context, k click) {
	now := b.now()
	s, ok := b.clickOnSession(ctx, k, k.Value, participant,
		func(s *pairing.Session, _ store.Reader) (store.Change, error) { return changed(s.Accept(k.User, now)) },
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

// peopleOf reads the people with these IDs; one the store does not know
// is left out (the caller sees fewer people than IDs).
func peopleOf(r store.Reader, ids []string) ([]pairing.Person, error) {
	var people []pairing.Person
	for _, id := range ids {
		p, err := r.Person(id)
		if errors.Is(err, pairing.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		people = append(people, p)
	}
	return people, nil
}

// participants is a team of just the session's people, read in one
// snapshot: enough to name them and show times in their zones.
func (b *Bot) participants(ctx context.Context, s pairing.Session) (team, error) {
	var t team
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) { t.people, err = peopleOf(r, s.Participants()); return err })
	return t, err
}

// sendCalendar puts the accepted session's .ics in the proposal's thread.
func (b *Bot) sendCalendar(ctx context.Context, k click, s pairing.Session, note string) {
	t, err := b.participants(ctx, s)
	if err != nil {
		b.log.Error("calendar file not sent: reading the participants", "session", s.ID, "err", err)
		return
	}
	ics := calendarEvent(s, t, b.now()).ICS()
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
			return withWayOut(b.proposalMessage(s, ""), s.Rotation), true
		}
		t, err := b.loadTeam(ctx)
		if err != nil {
			b.log.Error("refresh proposal", "session", s.ID, "err", err)
			return message{}, false
		}
		return withWayOut(b.roundProposal(s, t), s.Rotation), true
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
	var repaired *pairing.Session
	decide := b.declineDecision(k.User, b.now(), store.NewID, func(made *pairing.Session) { repaired = made })
	s, ok := b.clickOnSession(ctx, k, k.Value, participant, decide,
		func(s pairing.Session) string { return fmt.Sprintf("Nothing to change: this session is %s.", s.State) })
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

// declineDecision is the decision of user's decline at now: a trio goes on
// as a pair; otherwise the session is skipped and, in a round, its other
// people are re-paired in the same commit (see repair), the new session
// told to made. IDs come from newID.
func (b *Bot) declineDecision(user string, now time.Time, newID func() string,
	made func(*pairing.Session)) func(*pairing.Session, store.Reader) (store.Change, error) {
	return func(s *pairing.Session, r store.Reader) (store.Change, error) {
		made(nil)
		if s.State != pairing.Proposed && s.State != pairing.Accepted {
			return store.Change{}, store.ErrUnchanged
		}
		if s.State == pairing.Accepted && !s.Slot.IsZero() && !now.Before(s.Slot) {
			return store.Change{}, errStarted
		}
		s.Respond(user) // a decline is an answer: not a ghost
		if len(s.Learners) == 2 && s.Host != user {
			// A trio loses one learner and goes on as a pair.
			s.Note = notePrefixLeft + user
			return store.Change{}, s.RemoveLearner(user, now)
		}
		if err := s.Transition(pairing.Skipped, now); err != nil {
			return store.Change{}, err
		}
		s.Note = notePrefixDeclined + user
		if s.Round == "" {
			return store.Change{}, nil
		}
		repaired, c, err := b.repair(r, *s, user, now, newID)
		made(repaired)
		return c, err
	}
}

// repair decides a new session for the declined session's remaining
// people with someone free in the same round (pairing.Repair decides):
// the round as it stands after, and the new session with its proposal
// queued, if any.
func (b *Bot) repair(r store.Reader, s pairing.Session, decliner string, now time.Time, newID func() string) (*pairing.Session, store.Change, error) {
	round, err := r.Round(s.Round)
	if errors.Is(err, pairing.ErrNotFound) {
		return nil, store.Change{}, nil // an old round without a record: nothing to re-pair from
	}
	if err != nil {
		return nil, store.Change{}, err
	}
	t, err := b.teamIn(r)
	if err != nil {
		return nil, store.Change{}, err
	}
	round, made := pairing.Repair(pairing.RepairInput{
		Round: round, Declined: s, Decliner: decliner, People: t.people, Projects: t.projects, Knowledge: t.knowledge,
		At: now, Target: t.settings.TargetBusFactor, Length: t.settings.SessionLength, Location: locate, NewID: newID,
	})
	c := store.Change{Rounds: []pairing.Round{round}}
	if made != nil {
		c.Sessions = []pairing.Session{*made}
		c.Outbox = []outbox.Item{{ID: newID(), Kind: outbox.Proposal, SessionID: made.ID, Round: s.Round,
			Users: made.Participants(), CreatedAt: now}}
	}
	return made, c, nil
}

func locate(tz string) (*time.Location, error) { return pairing.LoadZone(tz) }
