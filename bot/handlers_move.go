package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// errNotAnOption is what a click on an alternative that no longer fits
// (hours changed, the day passed, the session moved since) hears.
var errNotAnOption = pairing.Errorf(pairing.CodeConflict, "That time is no longer one of this session's options; the proposal shows the current ones.")

// move puts a proposed or accepted session in one of the alternatives its
// proposal offers, before the session begins. The proposal is redrawn at
// the new time; an accepted session's calendar file is sent again with the
// same UID and a higher SEQUENCE, so calendars move the event; reminders
// and the retro are keyed by slot, so they follow.
func (b *Bot) move(ctx context.Context, k click) {
	now := b.now()
	id, unix, _ := strings.Cut(k.Value, "|")
	secs, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		b.tell(ctx, k, text(errNotAnOption.Error()))
		return
	}
	to := time.Unix(secs, 0).UTC()
	s, ok := b.clickOnSession(ctx, k, id, participant, moveDecision(k.User, k.ActionID == actionProposeTime, to, now),
		func(pairing.Session) string { return "Nothing to change: the session is already at that time." })
	if !ok {
		return
	}
	b.refreshProposal(ctx, k, s)
	if s.State == pairing.Accepted {
		b.sendCalendar(ctx, k, s, "Moved: here is the updated event for your calendar (it replaces the earlier one).")
	}
	b.tell(ctx, k, text("Moved: the session is now "+slotWhen(s)+". Everyone sees the new time on the proposal; the reminder and the retro follow it."))
}

// moveDecision is the decision of user's move of a session to the time to
// at now: one of its proposal's alternatives, or a time user proposed
// (proposed) that fits everyone.
func moveDecision(user string, proposed bool, to, now time.Time) func(*pairing.Session, store.Reader) (store.Change, error) {
	return func(s *pairing.Session, r store.Reader) (store.Change, error) {
		if s.Slot.Equal(to) {
			return store.Change{}, store.ErrUnchanged
		}
		people, err := peopleOf(r, s.Participants())
		if err != nil {
			return store.Change{}, err
		}
		if len(people) != len(s.Participants()) {
			return store.Change{}, errNotAnOption
		}
		if proposed {
			if err := fitsEveryone(*s, people, to, now); err != nil {
				return store.Change{}, err
			}
		} else if !isOption(*s, people, to, now) {
			return store.Change{}, errNotAnOption
		}
		s.Respond(user)
		s.Slot, s.UpdatedAt = to, now
		s.Moves++
		s.MovedBy = user
		return store.Change{}, nil
	}
}

// fitsEveryone checks a time a participant proposed: before the session,
// at least an hour from now, inside the round's week, and inside every
// participant's working hours (the earliest slot from it that fits them
// all is it).
func fitsEveryone(s pairing.Session, people []pairing.Person, to, now time.Time) error {
	monday, err := pairing.ParseRoundID(s.Round)
	open := s.State == pairing.Proposed || s.State == pairing.Accepted
	switch {
	case !open || err != nil || s.Slot.IsZero() || !now.Before(s.Slot):
		return pairing.Errorf(pairing.CodeConflict, "This session can no longer move.")
	case to.Before(now.Add(time.Hour)) || !to.Before(monday.AddDate(0, 0, 7)) || to.Add(s.Length).After(monday.AddDate(0, 0, 7)):
		return pairing.Errorf(pairing.CodeInvalid, "Pick a time at least an hour from now and within this round's week (until Sunday).")
	}
	if first, ok := pairing.FirstSlot(people, to, s.Length, locate); !ok || !first.Equal(to) {
		return pairing.Errorf(pairing.CodeInvalid, "That time is outside someone's working hours; the other times listed fit everyone.")
	}
	return nil
}

// isOption reports whether to is one of s's alternatives now.
func isOption(s pairing.Session, people []pairing.Person, to, now time.Time) bool {
	open := s.State == pairing.Proposed || s.State == pairing.Accepted
	monday, err := pairing.ParseRoundID(s.Round)
	if !open || err != nil || s.Slot.IsZero() || !now.Before(s.Slot) {
		return false
	}
	return pairing.IsOtherSlot(to, people, s.Slot, s.Length, monday, now.Add(time.Hour), maxOtherTimes, locate)
}
