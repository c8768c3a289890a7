package scheduler

import (
	"context"
	"errors"
	"fmt"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// RoundNow plans this week's round at once, for an admin who does not want
// to wait for the schedule. It takes the cron's path: the same planner, the
// same single transaction of round, sessions, outbox and the round's key,
// so the scheduled instant later this week finds the round done and plans
// nothing twice. It refuses, with a sentence for people, when this week's
// round is already planned or skipped, and on a holiday.
func (l *Loop) RoundNow(ctx context.Context) (pairing.RoundResult, error) {
	l.mu.Lock() // wait for a running Tick rather than race it
	defer l.mu.Unlock()
	now := l.now()
	settings, err := l.db.Settings(ctx)
	if err != nil {
		return pairing.RoundResult{}, err
	}
	sched, err := pairing.ParseSchedule(settings.Schedule, settings.TimeZone)
	if err != nil {
		return pairing.RoundResult{}, pairing.Errorf(pairing.CodeConflict, "The team schedule is invalid (%v); fix it with `/pair config schedule` first.", err)
	}
	id := pairing.RoundID(now.In(sched.Location()))
	var done bool
	var round pairing.Round
	var planned bool
	if err := l.db.Snapshot(ctx, func(r store.Reader) error {
		done = r.Done(roundKey(store.RotationOf(ctx), id))
		var err error
		round, err = r.Round(id)
		switch {
		case errors.Is(err, pairing.ErrNotFound):
			return nil
		case err != nil:
			return fmt.Errorf("read round %s: %w", id, err)
		}
		planned = true
		return nil
	}); err != nil {
		return pairing.RoundResult{}, err
	}
	switch {
	case planned:
		return pairing.RoundResult{Round: id}, pairing.Errorf(pairing.CodeConflict, "This week's round (%s) already exists: it was planned %s. The next one comes with the schedule.", id, round.PlannedAt.In(sched.Location()).Format("Monday 2 January, 15:04"))
	case done:
		return pairing.RoundResult{Round: id}, pairing.Errorf(pairing.CodeConflict, "This week's round (%s) was already settled (skipped, for a holiday or while Pollen was down). The next one comes with the schedule.", id)
	}
	if h, ok := settings.Holiday(now, sched.Location()); ok {
		return pairing.RoundResult{Round: id}, pairing.Errorf(pairing.CodeConflict, "This week is a holiday (%s): no round. `/pair config holiday remove %s` lifts it.", h, h)
	}
	queued, err := l.planRound(ctx, id, settings, now)
	if err != nil {
		return pairing.RoundResult{Round: id}, fmt.Errorf("plan round %s now: %w", id, err)
	}
	var sessions int
	if err := l.db.Snapshot(ctx, func(r store.Reader) error {
		round, err := r.Round(id)
		sessions = len(round.SessionIDs)
		return err
	}); err != nil {
		return pairing.RoundResult{Round: id}, err
	}
	if queued > 0 && l.sender != nil {
		l.sender.Wake()
	}
	return pairing.RoundResult{Round: id, Sessions: sessions, Queued: queued}, nil
}
