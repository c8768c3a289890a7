package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/pollen-team/pollen/store"
)

// Deliverer sends one outbox item to Slack and says where it went. The bot
// implements it. When item.Attempts > 1 an earlier attempt may have reached
// Slack before a crash, so the deliverer must look for the message first
// (Pollen marks every message with its outbox ID) and return it instead of
// sending it again.
type Deliverer interface {
	Deliver(ctx context.Context, item store.OutboxItem) (store.MessageRef, error)
}

// RetryAfterError is an error that says when to try again, such as Slack's
// HTTP 429 with Retry-After. The deliverer returns it; the sender honours it.
type RetryAfterError interface {
	error
	RetryAfter() time.Duration
}

// Sender drains the outbox: each item is delivered at least once and, with
// the deliverer's check before a repeat, exactly once. An item that fails
// stays in the outbox and is retried with exponential backoff (or after
// Slack's Retry-After); nothing is dropped.
type Sender struct {
	db      *store.DB
	deliver Deliverer
	now     func() time.Time
	log     *slog.Logger
	wake    chan struct{}
	// MaxBackoff caps the wait between retries of one item.
	MaxBackoff time.Duration
}

// NewSender builds a sender; Run starts it.
func NewSender(db *store.DB, d Deliverer, now func() time.Time, log *slog.Logger) *Sender {
	return &Sender{db: db, deliver: d, now: now, log: log, wake: make(chan struct{}, 1), MaxBackoff: 5 * time.Minute}
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
		wait := time.Minute
		if !next.IsZero() {
			wait = max(next.Sub(s.now()), 10*time.Millisecond)
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

// Drain delivers every item that is due now, oldest first, and returns when
// the earliest item still waiting is due (zero when the outbox is empty).
func (s *Sender) Drain(ctx context.Context) (next time.Time, err error) {
	var items []store.OutboxItem
	if err := s.db.View(func(tx *store.Tx) (err error) { items, err = tx.Outbox(); return err }); err != nil {
		return time.Time{}, err
	}
	for _, item := range items {
		if ctx.Err() != nil {
			return time.Time{}, nil
		}
		if now := s.now(); item.NotBefore.After(now) {
			if next.IsZero() || item.NotBefore.Before(next) {
				next = item.NotBefore
			}
			continue
		}
		retryAt, err := s.send(context.WithoutCancel(ctx), item.ID)
		if err != nil {
			return time.Time{}, err
		}
		if !retryAt.IsZero() && (next.IsZero() || retryAt.Before(next)) {
			next = retryAt
		}
	}
	return next, nil
}

// send makes one attempt at one item. The attempt is recorded before the
// message goes out, so after a crash the next attempt knows to look first.
// It returns when to retry if the attempt failed.
func (s *Sender) send(ctx context.Context, id string) (retryAt time.Time, err error) {
	var item store.OutboxItem
	var ok bool
	err = s.db.Update(func(tx *store.Tx) error {
		if item, ok, err = tx.OutboxItem(id); err != nil || !ok {
			return err
		}
		item.Attempts++
		return tx.PutOutbox(item)
	})
	if err != nil || !ok {
		return time.Time{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	ref, derr := s.deliver.Deliver(ctx, item)
	now := s.now()
	if derr == nil {
		return time.Time{}, s.db.Update(func(tx *store.Tx) error {
			if item.SessionID != "" {
				ref.SentAt = now
				if err := tx.PutMessage(item.SessionID, item.Kind, ref); err != nil {
					return err
				}
			}
			return tx.DeleteOutbox(item.ID)
		})
	}
	wait := s.backoff(item.Attempts)
	var ra RetryAfterError
	if errors.As(derr, &ra) {
		wait = max(ra.RetryAfter(), time.Second)
	}
	retryAt = now.Add(wait)
	s.log.Warn("outbox: delivery failed; will retry", "item", item.ID, "kind", string(item.Kind),
		"session", item.SessionID, "attempt", item.Attempts, "retry_in", wait.String(), "err", derr)
	item.NotBefore, item.LastError = retryAt, derr.Error()
	return retryAt, s.db.Update(func(tx *store.Tx) error { return tx.PutOutbox(item) })
}

// backoff is 1 s, 2 s, 4 s, … up to MaxBackoff.
func (s *Sender) backoff(attempt int) time.Duration {
	d := time.Second << min(max(attempt-1, 0), 20)
	return min(d, s.MaxBackoff)
}
