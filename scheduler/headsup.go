package scheduler

import (
	"context"
	"errors"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

func headsUpKey(rot, round, person string) string {
	return rotationJob(rot, "headsup", round+"/"+person)
}

// workingDayBefore is the weekday before t's date in loc (Friday for a
// Monday), as a date.
func workingDayBefore(t time.Time, loc *time.Location) (int, time.Month, int) {
	d := t.In(loc).AddDate(0, 0, -1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d.Date()
}

// headsUps queues, the working day before the next round, a DM to each
// person who will be planned, within their own working hours that day,
// with a button to skip that round only. Not for a holiday's round, not
// for people paused or already skipping it, not for a biweekly person
// whose off week it is (the planner's own rule, pairing.OffWeek), and not
// for someone the planner will leave out for ignoring their proposals.
// Each candidate is decided once: a heads-up, or a run record saying why
// not, so a later tick does not read the history again for them.
func (l *Loop) headsUps(ctx context.Context, sched pairing.Schedule, settings pairing.TeamSettings, now time.Time) (int, error) {
	if settings.NoHeadsUp {
		return 0, nil
	}
	next := sched.Next(now)
	if next.IsZero() {
		return 0, nil
	}
	if _, ok := settings.Holiday(next, sched.Location()); ok {
		return 0, nil
	}
	var jobs []store.Job
	err := l.db.Snapshot(ctx, func(r store.Reader) (err error) {
		jobs, err = l.decideHeadsUps(r, store.RotationOf(ctx), sched, settings, next, now)
		return err
	})
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	return l.db.QueueOnce(ctx, jobs)
}

// decideHeadsUps is who gets a heads-up for the round at next, and why
// the other candidates do not, as jobs keyed by round and person; the IDs
// of the items are new, the rest is read from r.
func (l *Loop) decideHeadsUps(r store.Reader, rot string, sched pairing.Schedule, settings pairing.TeamSettings, next, now time.Time) ([]store.Job, error) {
	id := pairing.RoundID(next.In(sched.Location()))
	if r.Done(roundKey(rot, id)) {
		return nil, nil
	}
	people, err := r.People()
	if err != nil {
		return nil, err
	}
	y, m, d := workingDayBefore(next, sched.Location())
	var candidates []pairing.Person
	for _, p := range people {
		if !p.ActiveAt(next) || p.SkipsRound(id) || r.Done(headsUpKey(rot, id, p.ID)) {
			continue
		}
		loc, err := l.location(p.TZ)
		if err != nil {
			loc = time.UTC
		}
		start := time.Date(y, m, d, 0, p.Hours.Start, 0, 0, loc)
		end := time.Date(y, m, d, 0, p.Hours.End, 0, 0, loc)
		if now.Before(start) || !now.Before(end) {
			continue // only inside their working hours that day; a missed day is not made up on a weekend
		}
		candidates = append(candidates, p)
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	off, err := offWeek(r, id)
	if err != nil {
		return nil, err
	}
	// The planner leaves out whoever ignored their last proposals (and
	// asks them whether to stay): promise them nothing.
	var sessions []pairing.Session
	if settings.Ghosting() > 0 {
		if sessions, err = r.Sessions(); err != nil {
			return nil, err
		}
	}
	jobs := make([]store.Job, 0, len(candidates))
	for _, p := range candidates {
		job := store.Job{Run: store.Run{Key: headsUpKey(rot, id, p.ID), At: now}}
		switch n := settings.Ghosting(); {
		case p.Cadence == pairing.Biweekly && off[p.ID]:
			job.Run.Result = "no heads-up: biweekly off week"
		case n > 0 && pairing.IgnoredInARow(p, sessions, now) >= n:
			job.Run.Result = "no heads-up: ignored their last proposals"
		default:
			job.Item = &outbox.Item{ID: store.NewID(), Kind: outbox.HeadsUp, Rotation: rotationName(rot), Round: id, Users: []string{p.ID}, At: next, CreatedAt: now}
		}
		jobs = append(jobs, job)
	}
	return jobs, nil
}

// offWeek reads the sessions of the latest round before round that had
// any and says who had one (pairing.OffWeek, which likewise looks at the
// latest round with sessions), without decoding every session ever held.
func offWeek(r store.Reader, round string) (map[string]bool, error) {
	rounds, err := r.Rounds()
	if err != nil {
		return nil, err
	}
	var prev *pairing.Round
	for i := range rounds {
		if rounds[i].ID < round && len(rounds[i].SessionIDs) > 0 && (prev == nil || rounds[i].ID > prev.ID) {
			prev = &rounds[i]
		}
	}
	if prev == nil {
		return nil, nil
	}
	sessions := make([]pairing.Session, 0, len(prev.SessionIDs))
	for _, sid := range prev.SessionIDs {
		s, err := r.Session(sid)
		if errors.Is(err, pairing.ErrNotFound) {
			continue // set aside as damaged (see store.BadRecord): one lost session must not stop every heads-up
		}
		if err != nil {
			return nil, err
		}
		sessions = append(sessions, s)
	}
	return pairing.OffWeek(round, sessions), nil
}
