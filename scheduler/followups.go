package scheduler

import (
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// sessionFollowUps queues, once per session and slot, the morning reminder
// on the day of its slot (unless it was proposed that same morning) and the
// retro once it has ended.
func (l *Loop) sessionFollowUps(settings pairing.TeamSettings, now time.Time) (int, error) {
	loc, err := l.location(settings.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	type due struct {
		key  string
		item outbox.Item
	}
	var todo []due
	err = l.db.View(func(tx *store.Tx) error {
		sessions, err := tx.OpenSessions()
		if err != nil {
			return err
		}
		for _, s := range sessions {
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
			if !tx.Done(key) {
				todo = append(todo, due{key, outbox.Item{ID: store.NewID(), Kind: kind, SessionID: s.ID, Round: s.Round,
					Users: s.Participants(), CreatedAt: now}})
			}
		}
		return nil
	})
	if err != nil || len(todo) == 0 {
		return 0, err
	}
	queued := 0
	err = l.db.Update(func(tx *store.Tx) error {
		for _, d := range todo {
			if tx.Done(d.key) {
				continue // queued meanwhile
			}
			if err := tx.PutOutbox(d.item); err != nil {
				return err
			}
			if err := tx.MarkDone(store.Run{Key: d.key, At: now}); err != nil {
				return err
			}
			queued++
		}
		return nil
	})
	return queued, err
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
func (l *Loop) digest(settings pairing.TeamSettings, epoch, now time.Time) (int, error) {
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
	if err := l.db.View(func(tx *store.Tx) error { done = tx.Done(digestKey(week)); return nil }); err != nil || done {
		return 0, err
	}
	queued := 0
	err = l.db.Update(func(tx *store.Tx) error {
		if tx.Done(digestKey(week)) {
			return nil
		}
		if settings.Channel == "" {
			return tx.MarkDone(store.Run{Key: digestKey(week), At: now, Result: "no channel set"})
		}
		if err := tx.PutOutbox(outbox.Item{ID: store.NewID(), Kind: outbox.Digest, Round: week,
			Channel: settings.Channel, CreatedAt: now}); err != nil {
			return err
		}
		queued++
		return tx.MarkDone(store.Run{Key: digestKey(week), At: now})
	})
	return queued, err
}
