package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// retro handles the buttons of the retro message. The first answer
// decides whether the session happened; after "We paired" the message
// stays open for ratings: everyone who has not rated yet can, and it shows
// who has.
func (b *Bot) retro(ctx context.Context, k click, triggerID string) {
	if k.ActionID == actionRetroRate {
		b.rateButton(ctx, k, triggerID)
		return
	}
	s, ok := b.clickOnSession(ctx, k, k.Value, participant, retroDecision(k.User, k.ActionID, b.now()), func(s pairing.Session) string {
		if s.State == pairing.Done && len(s.Unrated()) > 0 {
			return fmt.Sprintf("Already recorded: this session is %s. To rate it, use *Rate it* on the message.", s.State)
		}
		return fmt.Sprintf("Already recorded: this session is %s.", s.State)
	})
	if !ok {
		return
	}
	switch k.ActionID {
	case actionRetroDone:
		b.redraw(ctx, k, s.ID, func(s pairing.Session) (message, bool) { return withWayOut(b.retroMessage(s), s.Rotation), true })
		b.openRating(ctx, k, triggerID, s)
	case actionRetroMissed:
		b.updateMessage(ctx, k, withWayOut(text(fmt.Sprintf("Noted: the %s session on *%s* did not happen.", s.Kind, s.Project)), s.Rotation))
	case actionRetroReschedule:
		b.updateMessage(ctx, k, withWayOut(rescheduledMessage(s, k.User), s.Rotation))
	}
}

// retroDecision is the decision of user's answer (the retro button
// action) at now; a second answer after the first changes nothing.
func retroDecision(user, action string, now time.Time) func(*pairing.Session, store.Reader) (store.Change, error) {
	return func(s *pairing.Session, r store.Reader) (store.Change, error) {
		if s.State.Final() {
			return store.Change{}, store.ErrUnchanged
		}
		s.Respond(user)
		switch action {
		case actionRetroDone:
			if err := s.Transition(pairing.Done, now); err != nil {
				return store.Change{}, err
			}
			return store.Change{Events: []pairing.Event{pairing.SessionEvent(*s)}}, nil
		case actionRetroMissed:
			if err := s.Transition(pairing.Skipped, now); err != nil {
				return store.Change{}, err
			}
			s.Note = "did not happen"
		case actionRetroReschedule:
			slot, err := rescheduleSlot(r, *s, now)
			if err != nil {
				return store.Change{}, err
			}
			s.Slot, s.UpdatedAt = slot, now
		}
		return store.Change{}, nil
	}
}

// rescheduledMessage replaces the retro when someone moved the session:
// who moved it, and when it now is.
func rescheduledMessage(s pairing.Session, by string) message {
	return text(fmt.Sprintf("%s moved the %s session on *%s* to %s. I'll ask how it went after that.", who(by), s.Kind, s.Project, slotWhen(s)))
}

// rescheduleSlot is a new slot inside everyone's hours from two days on;
// the retro is asked again after it.
func rescheduleSlot(r store.Reader, s pairing.Session, now time.Time) (time.Time, error) {
	people, err := peopleOf(r, s.Participants())
	if err != nil {
		return time.Time{}, err
	}
	slot, ok := pairing.FirstSlot(people, now.Add(48*time.Hour), s.Length, locate)
	if !ok {
		slot = now.Add(48 * time.Hour)
	}
	return slot, nil
}

// rateButton opens the rating modal for a participant of a done session
// who has not rated it yet; anyone else is told why not.
func (b *Bot) rateButton(ctx context.Context, k click, triggerID string) {
	var s pairing.Session
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) { s, err = loadSessionFor(r, k.Value, k.User); return err })
	if err != nil {
		b.tell(ctx, k, b.userError(err, "user", k.User))
		return
	}
	if r, ok := s.RatingOf(k.User); ok {
		b.tell(ctx, k, text(fmt.Sprintf("Already rated: you gave this session %d. Thanks!", r.Rating)))
		return
	}
	if s.State != pairing.Done {
		b.tell(ctx, k, text(fmt.Sprintf("Nothing to rate: this session is %s.", s.State)))
		return
	}
	b.openRating(ctx, k, triggerID, s)
}

// openRating opens the rating modal for the clicker, who takes part in s,
// unless they rated already.
func (b *Bot) openRating(ctx context.Context, k click, triggerID string, s pairing.Session) {
	if _, rated := s.RatingOf(k.User); rated || triggerID == "" {
		return
	}
	if _, err := b.api.OpenViewContext(ctx, triggerID, ratingModal(s, k.User, k.Channel, k.MessageTS)); err != nil {
		b.log.Warn("views.open failed", "session", s.ID, "err", err)
	}
}

// ratingRef is what the rating modal carries in its private metadata: the
// session, and the retro message to redraw once the rating is saved.
type ratingRef struct{ session, channel, ts string }

func (r ratingRef) String() string { return strings.Join([]string{r.session, r.channel, r.ts}, "|") }

// parseRatingRef reads private metadata; a bare session ID (a modal opened
// before the retro message was named in it) is a ref without a message.
func parseRatingRef(s string) ratingRef {
	parts := strings.SplitN(s, "|", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return ratingRef{parts[0], parts[1], parts[2]}
}

// rate saves the rating modal: the participant's own rating and note, and
// a rated event naming them, so a learner's rating scales that learner's
// gain (the host's is kept as feedback). Once the view is acknowledged,
// after redraws the retro message to show who has rated.
func (b *Bot) rate(ctx context.Context, cb slack.InteractionCallback) (payload any, after func()) {
	values := cb.View.State.Values
	r, err := strconv.Atoi(values[blockRating][actionRatingValue].SelectedOption.Value)
	if err != nil || r < 1 || r > 5 {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{blockRating: "Pick a number from 1 to 5."}), nil
	}
	note := strings.TrimSpace(values[blockNote][actionNoteValue].Value)
	ref := parseRatingRef(cb.View.PrivateMetadata)
	now := b.now()
	rated := pairing.Event{ID: store.NewID(), At: now, Kind: pairing.EventRated, SessionID: ref.session, Person: cb.User.ID, Rating: r}
	s, err := b.updateSessionFor(ctx, ref.session, cb.User.ID, participant, func(s *pairing.Session, _ store.Reader) (store.Change, error) {
		if err := s.Rate(cb.User.ID, r, cut(note, 1000), now); err != nil {
			return store.Change{}, err
		}
		return store.Change{Events: []pairing.Event{rated}}, nil
	})
	if err != nil {
		if !errors.As(err, new(*pairing.Error)) {
			b.log.Error("rating not saved", "session", ref.session, "user", cb.User.ID, "err", err)
		}
		return slack.NewErrorsViewSubmissionResponse(map[string]string{blockRating: cut(pairing.ErrorMessage(err), 150)}), nil
	}
	return nil, func() {
		// redraw reads again: another participant's rating may have been
		// saved since, and the last redraw must show it too.
		b.redraw(ctx, click{User: cb.User.ID, Channel: ref.channel, MessageTS: ref.ts}, s.ID,
			func(s pairing.Session) (message, bool) { return withWayOut(b.retroMessage(s), s.Rotation), true })
	}
}
