package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// click is one button press, reduced to what handlers need.
type click struct {
	User      string
	Channel   string
	MessageTS string
	ActionID  string
	Value     string
	// ResponseURL answers the click privately, wherever it came from.
	ResponseURL string
}

// handleInteraction routes block actions by action ID. Unknown actions are
// logged and ignored: an old message may carry buttons we no longer have.
func (b *Bot) handleInteraction(ctx context.Context, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	a := cb.ActionCallback.BlockActions[0]
	k := click{User: cb.User.ID, Channel: cb.Container.ChannelID, MessageTS: cb.Container.MessageTs, ActionID: a.ActionID, Value: a.Value, ResponseURL: cb.ResponseURL}
	if k.Channel == "" {
		k.Channel = cb.Channel.ID
	}
	if err := b.checkTeam(ctx, cb.Team.ID); err != nil {
		b.tell(ctx, k, b.userError(err, "user", k.User, "team", clip(cb.Team.ID, 20)))
		return
	}
	if a.ActionID == actionRotationJoin {
		b.rotationJoin(ctx, k)
		return
	}
	if a.ActionID == actionRotationLeave || a.ActionID == actionRotationStay {
		b.rotationRosterAnswer(ctx, k)
		return
	}
	if strings.HasPrefix(a.ActionID, actionRotationPick+":") {
		b.pickRotation(ctx, k, cb.TriggerID)
		return
	}
	switch a.ActionID {
	case actionAccept, actionDecline, actionCallOff, actionMove, actionProposeTime,
		actionRetroDone, actionRetroMissed, actionRetroReschedule, actionRetroRate, actionLogConfirm, actionLogReject:
		id, _, _ := strings.Cut(k.Value, "|")
		if a.ActionID == actionProposeTime {
			id = strings.TrimPrefix(a.BlockID, "propose_")
		}
		ctx = b.sessionRotation(ctx, id)
	}
	switch a.ActionID {
	case actionAccept:
		b.accept(ctx, k)
	case actionDecline, actionCallOff:
		b.decline(ctx, k)
	case actionMove:
		b.move(ctx, k)
	case actionProposeTime:
		// A picker has no value: the session is in the block ID.
		k.Value = strings.TrimPrefix(a.BlockID, "propose_") + "|" + strconv.FormatInt(a.SelectedDateTime, 10)
		b.move(ctx, k)
	case actionRetroDone, actionRetroMissed, actionRetroReschedule, actionRetroRate:
		b.retro(ctx, k, cb.TriggerID)
	case actionLogConfirm, actionLogReject:
		b.logConfirmation(ctx, k)
	case actionRoundSkip, actionGhostStay, actionGhostPause, actionGhostLeave:
		b.personAction(ctx, k)
	case actionWayOut:
		k.Value = a.SelectedOption.Value
		b.personAction(ctx, k)
	case actionCalendar:
		// a link button: the browser opens the link, nothing to do here
	case actionHomeJoin, actionHomeSkip, actionHomeLeave:
		b.homeAction(ctx, k)
	default:
		b.log.Warn("unknown action", "action", clip(a.ActionID, 60), "user", k.User)
	}
}

// sessionRotation is ctx about the rotation of the session with this ID:
// what a click on the session reads (its people, its round) is that
// rotation's. A session that cannot be read leaves ctx as it is, and the
// handler reports the error when it reads the session itself.
func (b *Bot) sessionRotation(ctx context.Context, id string) context.Context {
	s, err := b.db.Session(ctx, id)
	if err != nil || s.Rotation == "" {
		return ctx
	}
	return store.WithRotation(ctx, s.Rotation)
}

// handleViewSubmission answers a submitted modal with the ack's payload,
// and what to do once the ack is sent (nil for nothing).
func (b *Bot) handleViewSubmission(ctx context.Context, cb slack.InteractionCallback) (any, func()) {
	if err := b.checkTeam(ctx, cb.Team.ID); err != nil {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{blockRating: cut(pairing.ErrorMessage(err), 150)}), nil
	}
	if cb.View.CallbackID == callbackRating {
		return b.rate(ctx, cb)
	}
	b.log.Warn("unknown view submitted", "callback", clip(cb.View.CallbackID, 60), "user", cb.User.ID)
	return nil, nil
}

func (b *Bot) handleEventsAPI(ctx context.Context, evt socketmode.Event) {
	ev, ok := evt.Data.(slackevents.EventsAPIEvent)
	if !ok {
		return
	}
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if inner.Tab == "home" {
			b.publishHome(ctx, inner.User)
		}
	case *slackevents.MessageEvent:
		b.handleDM(ctx, ev.TeamID, inner)
	case *slackevents.MemberJoinedChannelEvent:
		b.memberJoined(ctx, ev.TeamID, inner)
	case *slackevents.MemberLeftChannelEvent:
		b.memberLeft(ctx, ev.TeamID, inner)
	}
}

// tell answers a click privately through its response URL, which works
// even where chat.postEphemeral would not (the clicker not in the channel).
func (b *Bot) tell(ctx context.Context, k click, m message) {
	if k.ResponseURL == "" {
		return
	}
	msg := &slack.WebhookMessage{Text: m.Text, ResponseType: slack.ResponseTypeEphemeral}
	if len(m.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: m.Blocks}
	}
	if err := slack.PostWebhookCustomHTTPContext(ctx, k.ResponseURL, b.httpClient, msg); err != nil {
		b.log.Warn("private reply to a click failed", "user", k.User, "err", err)
	}
}

// errNotYours is what anyone but a session's participants hears on a click.
var errNotYours = pairing.Errorf(pairing.CodeConflict, "This session is not yours, so your click changes nothing.")

// namedInLog is the access of a /pair log confirmation: only the person
// the log names, not the one who logged it.
var namedInLog = access{
	missing: pairing.Errorf(pairing.CodeNotFound, "That session no longer exists."),
	allowed: func(s pairing.Session, user string) error {
		if !s.Has(user) || s.LoggedBy == user || s.LoggedBy == "" {
			return pairing.Errorf(pairing.CodeConflict, "Only the person named in this log can confirm it.")
		}
		return nil
	},
}

// logConfirmation handles the other side's answer to /pair log. Confirming
// marks the session done and appends its knowledge event in one
// transaction.
func (b *Bot) logConfirmation(ctx context.Context, k click) {
	s, ok := b.clickOnSession(ctx, k, k.Value, namedInLog, logAnswerDecision(k.ActionID != actionLogReject, b.now()),
		func(s pairing.Session) string {
			return fmt.Sprintf("You already answered: this session is %s.", s.State)
		})
	if !ok {
		return
	}
	b.updateMessage(ctx, k, logAnswerMessage(s))
}

// logAnswerDecision is the decision of the answer to a /pair log at now:
// confirmed, the session is done and its knowledge event appended;
// otherwise it is cancelled. A second answer changes nothing.
func logAnswerDecision(confirmed bool, now time.Time) func(*pairing.Session, store.Reader) (store.Change, error) {
	return func(s *pairing.Session, _ store.Reader) (store.Change, error) {
		if s.State.Final() {
			return store.Change{}, store.ErrUnchanged
		}
		next := pairing.Done
		if !confirmed {
			next = pairing.Cancelled
		}
		if err := s.Transition(next, now); err != nil {
			return store.Change{}, err
		}
		if next == pairing.Done {
			return store.Change{Events: []pairing.Event{pairing.SessionEvent(*s)}}, nil
		}
		return store.Change{}, nil
	}
}

// logAnswerMessage replaces the log confirmation once it is answered: what
// was recorded, and the way out that every message to a person carries.
func logAnswerMessage(s pairing.Session) message {
	status := fmt.Sprintf("Confirmed: the %s session on *%s* is recorded. Thanks!", s.Kind, escape(s.Project))
	if s.State == pairing.Cancelled {
		status = fmt.Sprintf("Understood: the %s session on *%s* is not recorded.", s.Kind, escape(s.Project))
	}
	return withWayOut(text(status), s.Rotation)
}

// updateMessage replaces the clicked message, so its buttons go away.
func (b *Bot) updateMessage(ctx context.Context, k click, m message) {
	if k.Channel == "" || k.MessageTS == "" {
		return
	}
	if _, _, _, err := b.api.UpdateMessageContext(ctx, k.Channel, k.MessageTS, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)); err != nil {
		b.log.Warn("chat.update failed", "channel", k.Channel, "err", err)
	}
}
