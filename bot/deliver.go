package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// retryAfter is a Slack rate limit, told to the scheduler without Slack
// types: it implements scheduler.RetryAfterError.
type retryAfter struct {
	wait time.Duration
	err  error
}

func (e *retryAfter) Error() string             { return e.err.Error() }
func (e *retryAfter) Unwrap() error             { return e.err }
func (e *retryAfter) RetryAfter() time.Duration { return e.wait }

// permanent is a Slack error that no retry can fix: it implements
// scheduler.PermanentError.
type permanent struct{ err error }

func (e *permanent) Error() string   { return e.err.Error() }
func (e *permanent) Unwrap() error   { return e.err }
func (e *permanent) Permanent() bool { return true }

// permanentCodes are Slack errors that a retry cannot fix: the channel or
// person is gone, or the bot was not invited.
var permanentCodes = map[string]bool{
	"channel_not_found": true, "not_in_channel": true, "is_archived": true, "user_not_found": true,
	"user_disabled": true, "account_inactive": true, "cannot_dm_bot": true, "invalid_blocks": true, "msg_too_long": true,
}

// unreadableCodes are conversations.history errors that say the bot may
// not read the conversation (the app lacks a scope, such as groups:history
// for a private channel, or the token is of the wrong type): asking again
// cannot help until the app is reinstalled.
var unreadableCodes = map[string]bool{
	"missing_scope": true, "not_allowed_token_type": true, "no_permission": true, "access_denied": true,
	"ekm_access_denied": true, "team_access_not_granted": true, "method_not_supported_for_channel_type": true,
}

// errHistoryUnreadable marks a lookup that failed with an unreadableCodes
// error.
var errHistoryUnreadable = errors.New("the bot may not read this conversation's history")

// notSent marks a delivery error after which Slack certainly has no copy
// of the message: nothing reached chat.postMessage, or Slack refused the
// post with a 429. Its text, which the sender keeps as the item's
// LastError, names the attempt, so the next attempt can trust it and a
// crash in between (which leaves the older text) cannot be mistaken for it.
type notSent struct {
	attempt int
	err     error
}

func (e *notSent) Error() string { return notSentPrefix(e.attempt) + e.err.Error() }
func (e *notSent) Unwrap() error { return e.err }

func notSentPrefix(attempt int) string { return fmt.Sprintf("not sent (attempt %d): ", attempt) }

// neverSent reports whether no earlier attempt of the item can have
// reached Slack: it is the first, or the one before ended in a notSent.
func neverSent(item outbox.Item) bool {
	return item.Attempts <= 1 || strings.HasPrefix(item.LastError, notSentPrefix(item.Attempts-1))
}

func slackErr(what string, err error) error {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return &retryAfter{wait: rl.RetryAfter, err: fmt.Errorf("%s: %w", what, err)}
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && permanentCodes[se.Err] || permanentCodes[err.Error()] {
		return &permanent{fmt.Errorf("%s: %w", what, err)}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Deliver sends one outbox item (the scheduler's Deliverer). Every message
// carries its outbox ID in Slack message metadata; when an earlier attempt
// may have reached Slack (Attempts > 1), Deliver looks for that ID in the
// conversation first and returns the message it finds instead of posting
// it again.
//
// When the bot may not read that history (errHistoryUnreadable), it sends
// only if no earlier attempt can have reached Slack (neverSent); otherwise
// the item is dropped as permanent, loudly: a retry would fail the same
// way forever, and posting could show the message twice.
func (b *Bot) Deliver(ctx context.Context, item outbox.Item) (outbox.MessageRef, error) {
	if item.Rotation != "" {
		ctx = store.WithRotation(ctx, item.Rotation) // its round, roster, settings and digest
	}
	unsent := neverSent(item)
	stillUnsent := func(err error) error {
		if unsent {
			return &notSent{attempt: item.Attempts, err: err}
		}
		return err
	}
	m, skip, err := b.render(ctx, item)
	if err != nil {
		if renderFailsForGood(err) {
			err = &permanent{err}
		}
		return outbox.MessageRef{}, stillUnsent(err)
	}
	if skip {
		return outbox.MessageRef{}, nil
	}
	channel := item.Channel
	if len(item.Users) > 0 {
		ch, _, _, err := b.outbox.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: item.Users, ReturnIM: true})
		if err != nil {
			return outbox.MessageRef{}, stillUnsent(slackErr("conversations.open", err))
		}
		channel = ch.ID
	}
	if item.Attempts > 1 {
		ts, found, err := b.findSent(ctx, channel, item.ID)
		switch {
		case errors.Is(err, errHistoryUnreadable) && unsent:
			b.log.Warn("outbox: cannot look for an earlier copy, but no earlier attempt reached Slack; sending",
				"item", item.ID, "kind", string(item.Kind), "channel", channel, "err", err)
		case errors.Is(err, errHistoryUnreadable):
			return outbox.MessageRef{}, &permanent{fmt.Errorf("outbox item %s may already be in %s and the bot cannot check, so it is not sent again: %w",
				item.ID, channel, err)}
		case err != nil:
			return outbox.MessageRef{}, stillUnsent(err)
		case found:
			b.log.Info("outbox: message was already sent before a restart", "item", item.ID, "session", item.SessionID)
			return outbox.MessageRef{Channel: channel, TS: ts}, nil
		}
	}
	payload := map[string]any{"outbox_id": item.ID, "kind": string(item.Kind)}
	if item.SessionID != "" {
		payload["session_id"] = item.SessionID
	}
	if item.Round != "" {
		payload["round"] = item.Round
	}
	_, ts, err := b.outbox.PostMessageContext(ctx, channel, slack.MsgOptionText(m.Text, false),
		slack.MsgOptionBlocks(capBlocks(m.Blocks, maxBlocksMessage)...),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataEventType, EventPayload: payload}))
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		// A 429 is a refusal: Slack has no copy. Every path here knew it
		// had none before (first attempt, a lookup that found nothing, or
		// neverSent), so the next attempt may trust this one.
		return outbox.MessageRef{}, &notSent{attempt: item.Attempts, err: slackErr("chat.postMessage", err)}
	}
	if err != nil {
		return outbox.MessageRef{}, slackErr("chat.postMessage", err)
	}
	if item.Kind == outbox.Digest {
		b.digestChart(ctx, channel, ts)
	}
	return outbox.MessageRef{Channel: channel, TS: ts}, nil
}

// digestChart adds the bus factor chart to the digest, in its thread. The
// chart is a courtesy: a failure is logged and the digest stays sent.
func (b *Bot) digestChart(ctx context.Context, channel, ts string) {
	files, err := b.digestCharts(ctx)
	if err == nil {
		err = b.upload(ctx, channel, ts, files, "")
	}
	if err != nil {
		b.log.Warn("digest: charts not attached", "channel", channel, "err", err)
	}
}

// findSent looks through the conversation's recent history for a message
// carrying the outbox ID.
func (b *Bot) findSent(ctx context.Context, channel, outboxID string) (string, bool, error) {
	params := &slack.GetConversationHistoryParameters{ChannelID: channel, Limit: 200, IncludeAllMetadata: true}
	for range 5 { // 1,000 messages back is far more than one outbox item's lifetime
		resp, err := b.outbox.GetConversationHistoryContext(ctx, params)
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && unreadableCodes[se.Err] || err != nil && unreadableCodes[err.Error()] {
			return "", false, fmt.Errorf("conversations.history: %w: %w", errHistoryUnreadable, err)
		}
		if err != nil {
			return "", false, slackErr("conversations.history", err)
		}
		for _, msg := range resp.Messages {
			if msg.Metadata.EventType == metadataEventType && msg.Metadata.EventPayload["outbox_id"] == outboxID {
				return msg.Timestamp, true, nil
			}
		}
		if !resp.HasMore || resp.ResponseMetaData.NextCursor == "" {
			break
		}
		params.Cursor = resp.ResponseMetaData.NextCursor
	}
	return "", false, nil
}

// render builds the message for an outbox item from the current state. A
// follow-up about a session that has meanwhile ended is skipped.
func (b *Bot) render(ctx context.Context, item outbox.Item) (m message, skip bool, err error) {
	switch item.Kind {
	case outbox.Notice, outbox.HeadsUp, outbox.Ghost:
		m, err := b.noticeMessage(ctx, item)
		return m, false, err
	case outbox.Digest:
		m, err = b.digestMessage(ctx, item.Round)
		return m, false, err
	}
	var s pairing.Session
	var t team // only the session's people: rendering a round must not replay the log per message
	err = b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if s, err = r.Session(item.SessionID); err != nil {
			return err
		}
		t.people, err = peopleOf(r, s.Participants())
		return err
	})
	if err != nil {
		return m, false, fmt.Errorf("render %s for session %s: %w", item.Kind, item.SessionID, err)
	}
	switch item.Kind {
	case outbox.Proposal:
		return withWayOut(b.roundProposal(s, t), s.Rotation), s.State.Final(), nil
	case outbox.Reminder:
		return withWayOut(b.reminderMessage(s, t), s.Rotation), s.State.Final(), nil
	case outbox.Retro:
		return withWayOut(b.retroMessage(s), s.Rotation), s.State.Final(), nil
	}
	return m, false, fmt.Errorf("unknown outbox kind %q: %w", item.Kind, pairing.ErrInvalid)
}

// renderFailsForGood reports whether a render error will come back on every
// retry: the session is gone, a record it needs does not decode, or the item
// itself makes no sense. The sender drops such an item loudly instead of
// retrying it forever.
func renderFailsForGood(err error) bool {
	return errors.Is(err, pairing.ErrNotFound) || errors.Is(err, pairing.ErrInvalid) || errors.Is(err, store.ErrBadRecord)
}
