package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
)

// Deliverer sends one outbox item to Slack and says where it went. The bot
// implements it. When item.Attempts > 1 an earlier attempt may have reached
// Slack before a crash, so the deliverer must look for the message first
// (Pollen marks every message with its outbox ID) and return it instead of
// sending it again.
type Deliverer interface {
	Deliver(ctx context.Context, item outbox.Item) (outbox.MessageRef, error)
}

// RetryAfterError is an error that says when to try again, such as Slack's
// HTTP 429 with Retry-After. The deliverer returns it; the sender honours it.
type RetryAfterError interface {
	error
	RetryAfter() time.Duration
}

// PermanentError is a delivery error that no retry can fix (a channel that
// is gone, a bot not invited, a message that cannot be rendered because its
// session is gone): the item is dropped, loudly.
type PermanentError interface {
	error
	Permanent() bool
}

// Sender drains the outbox: each item is delivered at least once and, with
// the deliverer's check before a repeat, exactly once. An item that fails
// stays in the outbox and is retried with exponential backoff (or after
// Slack's Retry-After). Only an item that can never be sent leaves without
// being sent: one that fails with a PermanentError is dropped, and a record
// that does not decode is set aside (engine.DB.ClaimDue); each is logged
// once at error level and counted (OnDropped).
type Sender struct {
	db      Outbox
	deliver Deliverer
	now     func() time.Time
	log     *slog.Logger
	wake    chan struct{}
	// MaxBackoff caps the wait between retries of one item.
	MaxBackoff time.Duration
	// Idle is how long a sender with nothing due waits, unless woken,
	// before it looks at the outbox again: a minute by default. Where
	// other processes queue items, or give back the ones they claimed as
	// they stop (several replicas on PostgreSQL), nobody wakes this one for
	// those, so it must look more often.
	Idle time.Duration
	// OnRateLimited, when set, is told each Retry-After the outbox obeys.
	OnRateLimited func(wait time.Duration)
	// OnDropped, when set, is told of each item dropped for a permanent
	// error, and of each record set aside because it does not decode (kind
	// "undecodable"); each is also logged once at error level.
	OnDropped func(kind string)
}

// NewSender builds a sender; Run starts it.
func NewSender(db Outbox, d Deliverer, now func() time.Time, log *slog.Logger) *Sender {
	return &Sender{db: db, deliver: d, now: now, log: log, wake: make(chan struct{}, 1), MaxBackoff: 5 * time.Minute, Idle: time.Minute}
}

// Wake makes a running sender look at the outbox now.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run drains the outbox until ctx ends, waking when told to or when the
// earliest waiting item is due. The delivery in progress when ctx ends is
// finished and recorded, so a shutdown loses nothing.
func (s *Sender) Run(ctx context.Context) {
	for {
		next, err := s.Drain(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("outbox: drain failed", "err", err)
			next = s.now().Add(time.Second)
		}
		wait := s.Idle
		if wait <= 0 {
			wait = time.Minute
		}
		if !next.IsZero() {
			wait = min(max(next.Sub(s.now()), 10*time.Millisecond), wait)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-s.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// deliverTimeout bounds one delivery (its Slack calls and retries).
const deliverTimeout = 30 * time.Second

// holdMargin is the last moment a delivery may start under a claim made at
// claimedAt and held until heldUntil (zero: no hold, no limit): a
// delivery's length before the hold runs out, or the last quarter of a
// hold shorter than four deliveries (tests and ClaimHold settings).
func holdMargin(claimedAt, heldUntil time.Time) time.Time {
	if heldUntil.IsZero() {
		return time.Time{}
	}
	return heldUntil.Add(-min(deliverTimeout, heldUntil.Sub(claimedAt)/4))
}

// batchSize is how many items one transaction marks as attempted and one
// transaction records as sent: two fsyncs per batch instead of per item.
const batchSize = 50

// Drain delivers every item that is due now, oldest first, and returns when
// the earliest item still waiting is due (zero when the outbox is empty).
// After a 429 it stops and returns Slack's Retry-After: Slack's limits are
// per method and workspace, so the other items would be refused too.
func (s *Sender) Drain(ctx context.Context) (next time.Time, err error) {
	for ctx.Err() == nil {
		claimedAt := s.now()
		claim, err := s.db.ClaimDue(ctx, claimedAt, batchSize)
		if err != nil {
			return time.Time{}, err
		}
		s.reportSetAside(claim.SetAside)
		if len(claim.Items) == 0 {
			return claim.Next, nil
		}
		retryAt, limited, err := s.sendBatch(ctx, claim.Items, holdMargin(claimedAt, claim.HeldUntil))
		if err != nil {
			return time.Time{}, err
		}
		if limited {
			return retryAt, nil
		}
	}
	return time.Time{}, nil
}

// reportSetAside logs and counts, once each, the outbox records that did
// not decode and were set aside (their bytes stay in the database), so the
// rest of the outbox keeps moving.
func (s *Sender) reportSetAside(bad []store.BadRecord) {
	for _, br := range bad {
		s.log.Error("outbox: set aside a message that does not decode; it will not be sent", "record", br.Error())
		if s.OnDropped != nil {
			s.OnDropped("undecodable")
		}
	}
}

// sendBatch delivers claimed items one by one (their attempts were
// committed by ClaimDue before the first goes out, so after a crash each
// knows to look in Slack before sending again) and settles the outcomes in
// one transaction after. An item left untried after a 429 gets its attempt
// back.
//
// On PostgreSQL the claim is held for this replica until a time (stopBy is
// that time less a delivery's length): a delivery is started only before
// stopBy, so that no other replica can claim, and send, an item while this
// one still sends it (Slack slow). The items left when stopBy passes are
// given back like those after a 429, and Drain claims them again with a
// new hold. The first item always goes, so a batch always moves.
func (s *Sender) sendBatch(ctx context.Context, due []outbox.Item, stopBy time.Time) (retryAt time.Time, limited bool, err error) {
	refs := make([]*outbox.MessageRef, len(due))
	tried := 0
	for i, item := range due {
		if ctx.Err() != nil {
			break // shutting down: the rest get their attempt back below
		}
		if i > 0 && !stopBy.IsZero() && s.now().After(stopBy) {
			break // the hold could run out during the next delivery
		}
		// The delivery in progress finishes even during a shutdown.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deliverTimeout)
		ref, derr := s.deliver.Deliver(dctx, item)
		cancel()
		tried++
		now := s.now()
		if derr == nil {
			ref.SentAt = now
			refs[i] = &ref
			continue
		}
		var pe PermanentError
		if errors.As(derr, &pe) && pe.Permanent() {
			s.log.Error("outbox: dropping a message Slack will never accept", "item", item.ID, "kind", string(item.Kind),
				"session", item.SessionID, "channel", item.Channel, "users", item.Users, "err", derr)
			if s.OnDropped != nil {
				s.OnDropped(string(item.Kind))
			}
			refs[i] = &outbox.MessageRef{}
			continue
		}
		wait := s.backoff(item.Attempts)
		var ra RetryAfterError
		if errors.As(derr, &ra) {
			limited, wait = true, max(ra.RetryAfter(), time.Second)
			if s.OnRateLimited != nil {
				s.OnRateLimited(wait)
			}
		}
		due[i].NotBefore, due[i].LastError = now.Add(wait), derr.Error()
		s.log.Warn("outbox: delivery failed; will retry", "item", item.ID, "kind", string(item.Kind),
			"session", item.SessionID, "attempt", item.Attempts, "retry_in", wait.String(), "err", derr)
		if limited {
			retryAt = due[i].NotBefore
			break
		}
	}
	// Recorded even when shutting down: what went out must not go again.
	err = s.db.Settle(context.WithoutCancel(ctx), settlement(due, refs, tried, retryAt))
	return retryAt, limited, err
}

// settlement is how a batch ended, for the store: the first tried items
// with a reference leave the outbox (sent, or dropped with an empty one),
// the other tried ones wait for their retry, and those never tried after a
// 429 get their attempt back and wait for retryAt.
func settlement(due []outbox.Item, refs []*outbox.MessageRef, tried int, retryAt time.Time) store.Settlement {
	var st store.Settlement
	for i, item := range due {
		switch {
		case i >= tried: // not tried after a 429: as it was
			item.Attempts--
			item.NotBefore = retryAt
			st.Retry = append(st.Retry, item)
		case refs[i] != nil:
			st.Sent = append(st.Sent, store.Delivered{Item: item, Ref: *refs[i]})
		default:
			st.Retry = append(st.Retry, item)
		}
	}
	return st
}

// backoff is 1 s, 2 s, 4 s, … up to MaxBackoff.
func (s *Sender) backoff(attempt int) time.Duration {
	d := time.Second << min(max(attempt-1, 0), 20)
	return min(d, s.MaxBackoff)
}
