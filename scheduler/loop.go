package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Loop decides what is due and turns it into records and outbox items:
// the weekly round, retros after sessions, reminders on the morning of a
// session, and the weekly digest. Every job is keyed by what it produces
// and writes its key in the transaction that saves its result, so a job
// that is already done does nothing, however often Tick runs.
type Loop struct {
	db     Store
	now    func() time.Time
	log    *slog.Logger
	sender interface{ Wake() }
	model  pairing.Model
	// away says which of the people are out of office now (by their Slack
	// status), with a sentence for each; nil asks nobody.
	away Away
	// roundPlanned, when set, is told the size of each planned round.
	roundPlanned func(sessions int)

	// Grace is how late a missed round may still be planned (24 h).
	Grace time.Duration
	// RetroDelay is how long after a session's end the retro is asked (15 min).
	RetroDelay time.Duration
	// Lead is how long after planning the earliest slot may start (2 h), so
	// nobody is proposed a session that begins as the DM arrives.
	Lead time.Duration
	// ReminderHour is the local hour (team time zone) of the morning reminder.
	ReminderHour int
	// Seed varies the planner's tie-breaks.
	Seed int64

	mu        sync.Mutex      // one Tick at a time
	shared    *workspaceReads // the running Tick's (under mu); nil outside a Tick
	locations sync.Map        // IANA name → *time.Location
}

// Away says which of the people are out of office now, with a sentence
// for each, given the status emoji that mean away. The bot provides it
// (bot.Bot.AwayNow, from Slack statuses).
type Away func(ctx context.Context, people []string, emoji []string) map[string]string

// Option sets one of the loop's optional collaborators.
type Option func(*Loop)

// WithAway makes the loop leave out of a round whoever away says is out of
// office, and tell them why.
func WithAway(away Away) Option { return func(l *Loop) { l.away = away } }

// WithRoundPlanned has the loop tell observe the size of each round it
// plans (for metrics).
func WithRoundPlanned(observe func(sessions int)) Option {
	return func(l *Loop) { l.roundPlanned = observe }
}

// NewLoop builds the loop; sender is woken when Tick queues messages.
func NewLoop(db Store, sender interface{ Wake() }, now func() time.Time, log *slog.Logger, opts ...Option) *Loop {
	l := &Loop{db: db, now: now, log: log, sender: sender, model: pairing.DefaultModel(),
		Grace: 24 * time.Hour, RetroDelay: 15 * time.Minute, Lead: 2 * time.Hour, ReminderHour: 8}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Key names of the jobs' idempotency records. A rotation's rounds, digests
// and heads-ups are keyed by its ID too ("round/C0123/2026-W48"); the
// default rotation's keep the names they had before rotations
// ("round/2026-W48"), so an upgraded database plans nothing twice.
func rotationJob(rot, job, rest string) string {
	if rot != "" && rot != pairing.DefaultRotation {
		return job + "/" + rot + "/" + rest
	}
	return job + "/" + rest
}

func roundKey(rot, id string) string { return rotationJob(rot, "round", id) }

// Retros and reminders are keyed by slot too: a rescheduled session gets
// asked again after its new slot.
func retroKey(id string, slot time.Time) string {
	return fmt.Sprintf("retro/%s/%d", id, slot.Unix())
}

func reminderKey(id string, slot time.Time) string {
	return fmt.Sprintf("reminder/%s/%d", id, slot.Unix())
}
func digestKey(rot, week string) string { return rotationJob(rot, "digest", week) }

// rotationField is the rotation ctx is about as records name it: empty
// for the default rotation, as before rotations.
func rotationField(ctx context.Context) string { return rotationName(store.RotationOf(ctx)) }

func rotationName(rot string) string {
	if rot == pairing.DefaultRotation {
		return ""
	}
	return rot
}

// sessionRotation is the rotation a session belongs to.
func sessionRotation(s pairing.Session) string {
	if s.Rotation == "" {
		return pairing.DefaultRotation
	}
	return s.Rotation
}

const epochKey = "scheduler/epoch"

// Tick runs everything that is due at the loop's now. It is safe to call at
// any time and as often as wanted; a Tick that finds another one running
// returns at once rather than running the same jobs twice at once.
func (l *Loop) Tick(ctx context.Context) error {
	if !l.mu.TryLock() {
		l.log.Debug("tick skipped: the previous one is still running")
		return nil
	}
	defer l.mu.Unlock()
	l.shared = &workspaceReads{}
	defer func() { l.shared = nil }()
	now := l.now()
	epoch, rotations, err := l.epoch(ctx, now)
	if err != nil {
		return err
	}
	// The rotations and their steps are independent: one that fails does
	// not stop the others.
	queued := 0
	var errs []error
	for _, rot := range rotations {
		n, err := l.tickRotation(store.WithRotation(ctx, rot.ID), rot, epoch, now)
		queued += n
		if err != nil {
			errs = append(errs, fmt.Errorf("rotation %s: %w", rot.ID, err))
		}
	}
	if queued > 0 && l.sender != nil {
		l.sender.Wake()
	}
	return errors.Join(errs...)
}

// tickRotation runs what is due in one rotation (ctx names it): its round
// and heads-ups, its sessions' reminders and retros, and its digest. A
// stopped rotation plans no more rounds, heads-ups or digests, but the
// sessions it planned still get their reminders and retros.
func (l *Loop) tickRotation(ctx context.Context, rot pairing.Rotation, epoch, now time.Time) (int, error) {
	settings, err := l.db.Settings(ctx)
	if err != nil {
		return 0, err
	}
	queued := 0
	var errs []error
	step := func(name string, n int, err error) {
		queued += n
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	if rot.Active() {
		if sched, err := pairing.ParseSchedule(settings.Schedule, settings.TimeZone); err != nil {
			l.log.Error("team schedule is invalid; no rounds until it is fixed", "rotation", rot.ID, "schedule", settings.Schedule, "err", err)
		} else {
			n, err := l.round(ctx, sched, settings, epoch, now)
			step("round", n, err)
			n, err = l.headsUps(ctx, sched, settings, now)
			step("heads-up", n, err)
		}
	}
	n, err := l.sessionFollowUps(ctx, settings, now)
	step("follow-ups", n, err)
	if rot.Active() {
		n, err = l.digest(ctx, settings, epoch, now)
		step("digest", n, err)
	}
	return queued, errors.Join(errs...)
}

// epoch is when the scheduler first ran on this database: nothing scheduled
// before it is caught up, so installing Pollen does not fire last week's
// round. It is read with the list of rotations, in one snapshot.
func (l *Loop) epoch(ctx context.Context, now time.Time) (time.Time, []pairing.Rotation, error) {
	var run store.Run
	var found bool
	var rotations []pairing.Rotation
	err := l.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if found, err = r.Setting(epochKey, &run); err != nil {
			return err
		}
		rotations, err = r.Rotations()
		return err
	})
	if err != nil || found {
		return run.At, rotations, err // the usual case: no write transaction every minute
	}
	_, err = l.db.Apply(ctx, func(r store.Reader) (store.Change, error) {
		ok, err := r.Setting(epochKey, &run)
		if err != nil {
			return store.Change{}, err
		}
		if ok {
			return store.Change{}, store.ErrUnchanged // set meanwhile
		}
		run = store.Run{Key: epochKey, At: now}
		return store.Change{Values: map[string]any{epochKey: run}}, nil
	})
	if errors.Is(err, store.ErrUnchanged) {
		err = nil
	}
	return run.At, rotations, err
}

// LastDue is the latest scheduled instant in (from, now], if any.
func LastDue(s pairing.Schedule, from, now time.Time) (time.Time, bool) {
	var last time.Time
	for t := s.Next(from); !t.IsZero() && !t.After(now); t = s.Next(t) {
		last = t
	}
	return last, !last.IsZero()
}

// lookback bounds how far back Tick looks for a missed instant.
const lookback = 8 * 24 * time.Hour

func since(epoch, now time.Time) time.Time {
	from := now.Add(-lookback)
	if epoch.After(from) {
		from = epoch.Add(-time.Nanosecond) // an instant exactly at the epoch counts
	}
	return from
}

// round plans the round of the latest scheduled instant if it is not done:
// at once when on time or missed by less than Grace; a round missed by more
// is recorded as skipped and logged, not planned late.
func (l *Loop) round(ctx context.Context, sched pairing.Schedule, settings pairing.TeamSettings, epoch, now time.Time) (int, error) {
	last, ok := LastDue(sched, since(epoch, now), now)
	if !ok {
		return 0, nil
	}
	id := pairing.RoundID(last.In(sched.Location()))
	var done bool
	if err := l.db.Snapshot(ctx, func(r store.Reader) error { done = r.Done(roundKey(store.RotationOf(ctx), id)); return nil }); err != nil || done {
		return 0, err
	}
	if h, ok := settings.Holiday(last, sched.Location()); ok {
		l.log.Info("no round: holiday", "round", id, "holiday", h.String())
		job := store.Job{Run: store.Run{Key: roundKey(store.RotationOf(ctx), id), At: now, Result: "skipped: holiday " + h.String()}}
		if settings.Channel != "" {
			job.Item = &outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Rotation: rotationField(ctx), Round: id, Channel: settings.Channel,
				Notice: outbox.NoticeHoliday, Text: h.String(), CreatedAt: now}
		}
		if _, err := l.db.QueueOnce(ctx, []store.Job{job}); err != nil {
			return 0, err
		}
		return 1, nil
	}
	if late := now.Sub(last); late > l.Grace {
		l.log.Warn("round missed while Pollen was down; skipping it", "round", id, "due", last, "late", late.Round(time.Minute).String())
		_, err := l.db.QueueOnce(ctx, []store.Job{{Run: store.Run{Key: roundKey(store.RotationOf(ctx), id), At: now,
			Result: fmt.Sprintf("skipped: missed by %s", late.Round(time.Minute))}}})
		return 0, err
	}
	return l.planRound(ctx, id, settings, now)
}

func (l *Loop) location(tz string) (*time.Location, error) {
	if loc, ok := l.locations.Load(tz); ok {
		return loc.(*time.Location), nil
	}
	loc, err := pairing.LoadZone(tz)
	if err != nil {
		return nil, err
	}
	l.locations.Store(tz, loc)
	return loc, nil
}
