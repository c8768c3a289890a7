package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// CronStore is what Cron reads: the rotations, and each one's settings
// (the context names the rotation).
type CronStore interface {
	Settings
	Rotations(ctx context.Context) ([]pairing.Rotation, error)
}

// Cron wakes the loop with robfig/cron: at each active rotation's round
// and digest schedules in its time zone, and every minute for retros,
// reminders and anything missed. The loop decides what is due, so an
// extra or a late wake-up is harmless.
type Cron struct {
	c    *cron.Cron
	db   CronStore
	loop *Loop
	log  *slog.Logger

	mu      sync.Mutex
	entries []cron.EntryID
	ctx     context.Context
}

// NewCron builds the waker. Jobs run through cron's Recover (a panic is
// logged, not fatal) and SkipIfStillRunning (a slow job is never run twice
// at once).
func NewCron(db CronStore, loop *Loop, log *slog.Logger) *Cron {
	l := cronLogger{log}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(l),
		cron.WithChain(cron.Recover(l), cron.SkipIfStillRunning(l)))
	return &Cron{c: c, db: db, loop: loop, log: log, ctx: context.Background()}
}

// Start runs one Tick at once (the catch-up of anything missed while
// Pollen was down), schedules the wake-ups and starts cron.
func (c *Cron) Start(ctx context.Context) error {
	c.mu.Lock()
	c.ctx = ctx
	c.mu.Unlock()
	c.tick()
	if err := c.Reload(); err != nil {
		return err
	}
	if _, err := c.c.AddFunc("@every 1m", c.tick); err != nil {
		return err
	}
	c.c.Start()
	return nil
}

// Reload reschedules the wake-ups from the saved settings of every active
// rotation: its rounds' and its digest's schedules, in its time zone. Call it
// whenever a schedule changes or a rotation starts or stops (the bot does
// after /pair config), so a new schedule needs no restart. Two rotations on the same schedule
// in the same zone share one wake-up: the loop runs every rotation that
// is due in the Tick it wakes.
func (c *Cron) Reload() error {
	// A reload asked for during a shutdown still reads the settings: the
	// read is short, and the answer to the /pair config was already given.
	ctx := context.WithoutCancel(c.context())
	rotations, err := c.db.Rotations(ctx)
	if err != nil {
		return err
	}
	var wakeups []wakeup
	for _, rot := range rotations {
		if !rot.Active() {
			continue
		}
		s, err := c.db.Settings(store.WithRotation(ctx, rot.ID))
		if err != nil {
			return fmt.Errorf("rotation %s: %w", rot.ID, err)
		}
		wakeups = append(wakeups, wakeup{rot.ID, s.Schedule, s.TimeZone}, wakeup{rot.ID, s.Digest, s.TimeZone})
		c.log.Info("schedule loaded", "rotation", rot.ID, "rounds", s.Schedule, "digest", s.Digest, "timezone", s.TimeZone)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range c.entries {
		c.c.Remove(id)
	}
	c.entries = c.entries[:0]
	seen := map[[2]string]bool{}
	for _, w := range wakeups {
		if seen[[2]string{w.spec, w.zone}] {
			continue
		}
		seen[[2]string{w.spec, w.zone}] = true
		sched, err := pairing.ParseSchedule(w.spec, w.zone)
		if err != nil {
			c.log.Error("schedule not set", "rotation", w.rotation, "spec", w.spec, "err", err)
			continue
		}
		c.entries = append(c.entries, c.c.Schedule(sched, cron.FuncJob(c.tick)))
	}
	return nil
}

// Wakeups are the times, sorted, the loop is woken next after t by the
// rotations' schedules as last loaded (the minute wake-up aside): what an
// operator, or a test, reads to see that a schedule took effect.
func (c *Cron) Wakeups(t time.Time) []time.Time {
	c.mu.Lock()
	ids := slices.Clone(c.entries)
	c.mu.Unlock()
	var out []time.Time
	for _, id := range ids {
		if e := c.c.Entry(id); e.Valid() {
			out = append(out, e.Schedule.Next(t).UTC())
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// wakeup is one schedule of a rotation to wake the loop at.
type wakeup struct{ rotation, spec, zone string }

// Daily runs job every day at midnight UTC with the context Start was
// given (the bot's repository sync). Like every job here it never runs
// twice at once, and Stop waits for it.
func (c *Cron) Daily(job func(context.Context)) error {
	_, err := c.c.AddFunc("@daily", func() { job(c.context()) })
	return err
}

// Stop stops the wake-ups and returns a context that is done when a
// running Tick has finished.
func (c *Cron) Stop() context.Context { return c.c.Stop() }

// context is the context Start was given (Background before).
func (c *Cron) context() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ctx
}

func (c *Cron) tick() {
	if err := c.loop.Tick(c.context()); err != nil {
		c.log.Error("scheduler tick failed", "err", err)
	}
}

// cronLogger adapts slog to cron's logger; cron's info lines are debug here.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
