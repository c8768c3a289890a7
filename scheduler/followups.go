package scheduler

import (
	"context"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// sessionFollowUps queues, once per session and slot, the morning reminder
// on the day of its slot (unless it was proposed that same morning) and the
// retro once it has ended.
func (l *Loop) sessionFollowUps(ctx context.Context, settings pairing.TeamSettings, now time.Time) (int, error) {
	loc, err := l.location(settings.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	var jobs []store.Job
	rot := store.RotationOf(ctx)
	err = l.db.Snapshot(ctx, func(r store.Reader) error {
		open, err := l.shared.openSessions(r, rot)
		if err != nil {
			return err
		}
		jobs = l.decideFollowUps(r, open, loc, now)
		return nil
	})
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	return l.db.QueueOnce(ctx, jobs)
}

// decideFollowUps is the reminders and retros due at now for the open
// sessions of a rotation that r says were not queued yet, as jobs keyed
// by session and slot.
func (l *Loop) decideFollowUps(r store.Reader, open []pairing.Session, loc *time.Location, now time.Time) []store.Job {
	var jobs []store.Job
	for _, s := range open {
		if s.Slot.IsZero() {
			continue
		}
		remind := reminderAt(s.Slot, loc, l.ReminderHour)
		key, kind := "", outbox.Kind("")
		switch end := s.Slot.Add(s.Length); {
		case !now.Before(end.Add(l.RetroDelay)):
			key, kind = retroKey(s.ID, s.Slot), outbox.Retro
		case now.Before(s.Slot) && !now.Before(remind) && s.CreatedAt.Before(remind): // a proposal made after it needs no reminder
			key, kind = reminderKey(s.ID, s.Slot), outbox.Reminder
		default:
			continue
		}
		if !r.Done(key) {
			jobs = append(jobs, store.Job{Run: store.Run{Key: key, At: now}, Item: &outbox.Item{ID: store.NewID(),
				Kind: kind, Rotation: s.Rotation, SessionID: s.ID, Round: s.Round, Users: s.Participants(), CreatedAt: now}})
		}
	}
	return jobs
}

// reminderAt is when the reminder for a session at slot goes out: hour:00
// in loc on the day of the slot, or an hour before the slot when it starts
// by then (an 08:00 session would otherwise never be reminded of).
func reminderAt(slot time.Time, loc *time.Location, hour int) time.Time {
	y, m, d := slot.In(loc).Date()
	morning := time.Date(y, m, d, hour, 0, 0, 0, loc)
	if slot.After(morning) {
		return morning
	}
	return slot.Add(-time.Hour)
}

// digest queues the weekly digest to the team channel at the digest
// schedule's instants; without a channel it records that it had nowhere to go.
func (l *Loop) digest(ctx context.Context, settings pairing.TeamSettings, epoch, now time.Time) (int, error) {
	sched, err := pairing.ParseSchedule(settings.Digest, settings.TimeZone)
	if err != nil {
		return 0, nil // an old database without a digest schedule, or a bad one: no digest
	}
	last, ok := LastDue(sched, since(epoch, now), now)
	if !ok || now.Sub(last) > l.Grace {
		return 0, nil
	}
	week := pairing.RoundID(last.In(sched.Location()))
	var done bool
	if err := l.db.Snapshot(ctx, func(r store.Reader) error { done = r.Done(digestKey(store.RotationOf(ctx), week)); return nil }); err != nil || done {
		return 0, err
	}
	job := store.Job{Run: store.Run{Key: digestKey(store.RotationOf(ctx), week), At: now, Result: "no channel set"}}
	if settings.Channel != "" {
		job.Run.Result = ""
		job.Item = &outbox.Item{ID: store.NewID(), Kind: outbox.Digest, Rotation: rotationField(ctx), Round: week, Channel: settings.Channel, CreatedAt: now}
	}
	return l.db.QueueOnce(ctx, []store.Job{job})
}
