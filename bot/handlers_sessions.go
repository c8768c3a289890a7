package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Action IDs of the buttons on session messages.
const (
	actionAccept     = "session_accept"
	actionDecline    = "session_decline"
	actionLogConfirm = "log_confirm"
	actionLogReject  = "log_reject"
)

// metadataEventType marks Pollen's session messages, so the conversation
// history shows which session a message proposed.
const metadataEventType = "pollen_session"

// now_ finds a partner for a session right now (named with a trailing
// underscore so it does not read as the clock).
func (b *Bot) now_(ctx context.Context, c caller, cmd Command) message {
	return b.adHoc(ctx, c, cmd, pairing.SuggestPartner)
}

func (b *Bot) review(ctx context.Context, c caller, cmd Command) message {
	return b.adHoc(ctx, c, cmd, pairing.SuggestReviewer)
}

// adHoc plans one session outside the round, saves it and proposes it in a
// group DM with everyone involved.
func (b *Bot) adHoc(ctx context.Context, c caller, cmd Command, suggest func(pairing.AdHoc) (pairing.Session, error)) message {
	now, id := b.now(), store.NewID()
	var s pairing.Session
	_, err := b.db.Apply(ctx, func(r store.Reader) (change store.Change, err error) {
		s, change, err = b.adHocDecision(r, c, cmd, suggest, now, id)
		return change, err
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	audience := s.Participants()
	if !slices.Contains(audience, c.ID) {
		audience = append(audience, c.ID) // the author of a change under review
	}
	if err := b.sendDM(ctx, audience, b.proposalMessage(s, cmd.Link), s.ID); err != nil {
		b.log.Error("proposal DM failed", "session", s.ID, "err", err)
		b.callOff(ctx, s.ID)
		return text("I could not send the group DM, so I've called the session off; it has been logged. Please try again in a minute.")
	}
	return text(fmt.Sprintf("Proposed: %s on *%s*, %s hosting %s. I've sent you a group DM.", s.Kind, s.Project, who(s.Host), who(s.Learners[0])))
}

// adHocDecision plans the session c asked for with suggest at now, named
// id, from the team and sessions r reads.
func (b *Bot) adHocDecision(r store.Reader, c caller, cmd Command, suggest func(pairing.AdHoc) (pairing.Session, error),
	now time.Time, id string) (pairing.Session, store.Change, error) {
	t, err := b.teamIn(r)
	if err != nil {
		return pairing.Session{}, store.Change{}, err
	}
	if p, ok := t.person(c.ID); !ok || p.Status == pairing.Left {
		return pairing.Session{}, store.Change{}, errNotInRoster
	}
	if cmd.Project != "" {
		if p, ok := t.project(cmd.Project); !ok || p.Retired {
			return pairing.Session{}, store.Change{}, errNoProject(cmd.Project)
		}
	}
	sessions, err := r.Sessions()
	if err != nil {
		return pairing.Session{}, store.Change{}, err
	}
	// Only people who share a slot with the caller: the slot dates the
	// retro, so the session can be done and counted like a round's.
	s, err := suggest(pairing.AdHoc{Caller: c.ID, Project: cmd.Project, People: t.people, Projects: t.projects,
		Knowledge: t.knowledge, At: now, Target: t.settings.TargetBusFactor, Length: t.settings.SessionLength, Location: locate,
		Saturated: pairing.Saturated(sessions, t.people, now)})
	if err != nil {
		return pairing.Session{}, store.Change{}, err
	}
	s.ID, s.CreatedAt, s.UpdatedAt, s.Length, s.RequestedBy = id, now, now, t.settings.SessionLength, c.ID
	return s, store.Change{Sessions: []pairing.Session{s}}, nil
}

// sendDM opens the group conversation of the people (the bot excluded) and
// posts the message, with the session in its metadata when there is one.
// Its way-out menu is about the rotation ctx names (store.RotationOf).
func (b *Bot) sendDM(ctx context.Context, users []string, m message, sessionID string) error {
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: users, ReturnIM: true})
	if err != nil {
		return fmt.Errorf("conversations.open: %w", err)
	}
	m = withWayOut(m, store.RotationOf(ctx))
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(capBlocks(m.Blocks, maxBlocksMessage)...)}
	if sessionID != "" {
		opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataEventType, EventPayload: map[string]any{"session_id": sessionID}}))
	}
	_, _, err = b.api.PostMessageContext(ctx, ch.ID, opts...)
	if err != nil {
		return fmt.Errorf("chat.postMessage: %w", err)
	}
	return nil
}

// proposalMessage is the group DM that proposes a session.
func (b *Bot) proposalMessage(s pairing.Session, link string) message {
	learners := make([]string, len(s.Learners))
	for i, l := range s.Learners {
		learners[i] = who(l)
	}
	body := fmt.Sprintf("*%s session on %s*\n*Host:* %s   *Learning:* %s%s", upperFirst(string(s.Kind)), s.Project,
		who(s.Host), listOr(learners, ""), whyLine(s))
	if link != "" {
		// '|' would start a label that dresses the link up as another.
		body += "\n*Change:* <" + strings.ReplaceAll(escape(link), "|", "%7C") + ">"
	}
	when := "whenever suits you both this week"
	if !s.Slot.IsZero() {
		when = slotWhen(s)
	}
	body += "\n*When:* " + when
	blocks := append([]slack.Block{markdown(body)}, proposalControls(s, b.now())...)
	return message{
		Text:   fallback(fmt.Sprintf("Pollen proposes a %s session on %s with %s hosting.", s.Kind, s.Project, who(s.Host))),
		Blocks: blocks,
	}
}

// errOtherNotInRoster is a sentinel: the reply mentions the person, which
// a domain message (plain text, escaped on display) cannot.
var errOtherNotInRoster = errors.New("the other person is not in the roster")

// errCannotAsk is a sentinel for a person the caller may not ask to
// confirm a log (see pairing.CanAsk). The reply does not say why: it must
// not tell the caller that the other person avoids them.
var errCannotAsk = errors.New("the other person cannot be asked")

// logSession records a session held outside the schedule. It counts only
// once the other person confirms it, with a button in a DM.
func (b *Bot) logSession(ctx context.Context, c caller, cmd Command) message {
	other := cmd.Users[0]
	if other == c.ID {
		return text("A session needs two people: name the person you paired with.")
	}
	now, id := b.now(), store.NewID()
	var s pairing.Session
	_, err := b.db.Apply(ctx, func(r store.Reader) (change store.Change, err error) {
		s, change, err = b.logDecision(r, c, other, cmd, now, id)
		return change, err
	})
	if errors.Is(err, errCannotAsk) {
		return text(fmt.Sprintf("I can't log a session with %s, so nothing is recorded and they have not been asked.", who(other)))
	}
	if errors.Is(err, errOtherNotInRoster) {
		return text(fmt.Sprintf("%s is not in the rotation, so I can't record a session with them.", who(other)))
	}
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	m := message{
		Text: fallback(fmt.Sprintf("%s says you held a %s session on %s together. Did you?", who(c.ID), s.Kind, s.Project)),
		Blocks: []slack.Block{
			markdown(fmt.Sprintf("%s says you held a *%s* session on *%s* together. It counts once you confirm.", who(c.ID), s.Kind, s.Project)),
			actions("log_"+s.ID, button(actionLogConfirm, "Yes, we did", s.ID, slack.StylePrimary), button(actionLogReject, "No", s.ID, "")),
		},
	}
	if err := b.sendDM(ctx, []string{other}, m, s.ID); err != nil {
		b.log.Error("log confirmation DM failed", "session", s.ID, "err", err)
		b.callOff(ctx, s.ID)
		return text("I could not ask for confirmation, so nothing is recorded; it has been logged. Please try again in a minute.")
	}
	return text(fmt.Sprintf("Thanks! I've asked %s to confirm the %s session on *%s*; it counts once they do.", who(other), s.Kind, s.Project))
}

// logDecision records the session c says they held with other, named
// id, waiting for other to confirm it, from the team and sessions r reads.
func (b *Bot) logDecision(r store.Reader, c caller, other string, cmd Command, now time.Time, id string) (pairing.Session, store.Change, error) {
	t, err := b.teamIn(r)
	if err != nil {
		return pairing.Session{}, store.Change{}, err
	}
	me, ok := t.person(c.ID)
	if !ok || me.Status == pairing.Left {
		return pairing.Session{}, store.Change{}, errNotInRoster
	}
	them, ok := t.person(other)
	if !ok {
		return pairing.Session{}, store.Change{}, errOtherNotInRoster
	}
	sessions, err := r.Sessions()
	if err != nil {
		return pairing.Session{}, store.Change{}, err
	}
	if !pairing.CanAsk(me, them, sessions, now) {
		return pairing.Session{}, store.Change{}, errCannotAsk
	}
	if p, ok := t.project(cmd.Project); !ok || p.Retired {
		return pairing.Session{}, store.Change{}, errNoProject(cmd.Project)
	}
	host, learner := c.ID, other // the one who knows it better hosts
	if t.knowledge.F(other, cmd.Project, now) > t.knowledge.F(c.ID, cmd.Project, now) {
		host, learner = other, c.ID
	}
	s := pairing.Session{ID: id, Kind: cmd.Kind, Project: cmd.Project, Host: host, Learners: []string{learner},
		State: pairing.Proposed, CreatedAt: now, UpdatedAt: now, LoggedBy: c.ID,
		Reason: "logged by " + c.ID + ", waiting for " + other + " to confirm"}
	return s, store.Change{Sessions: []pairing.Session{s}}, nil
}

// callOff cancels a session whose DM could not be sent: nobody was told of
// it and the caller is asked to try again, so it must not linger as planned
// (it would show as their next session, and a retry would plan another).
// It runs even when ctx is done (the DM may have failed for that reason).
func (b *Bot) callOff(ctx context.Context, id string) {
	now := b.now()
	_, err := b.db.UpdateSession(context.WithoutCancel(ctx), id, func(s *pairing.Session, _ store.Reader) (store.Change, error) {
		if s.State.Final() {
			return store.Change{}, store.ErrUnchanged
		}
		if err := s.Transition(pairing.Cancelled, now); err != nil {
			return store.Change{}, err
		}
		s.Note = "the DM could not be sent"
		return store.Change{}, nil
	})
	if err != nil && !errors.Is(err, store.ErrUnchanged) {
		b.log.Error("call off an unsent session", "session", id, "err", err)
	}
}
