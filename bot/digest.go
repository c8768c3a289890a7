package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// digestMessage is the weekly post to the team channel: sessions done and
// skipped since the previous digest, projects whose bus factor changed
// this week, the riskiest now.
func (b *Bot) digestMessage(ctx context.Context, week string) (message, error) {
	var t team
	var sessions []pairing.Session
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if t, err = b.teamIn(r); err != nil {
			return err
		}
		sessions, err = r.Sessions()
		return err
	})
	if err != nil {
		return message{}, err
	}
	monday, err := pairing.ParseRoundID(week)
	if err != nil {
		return message{}, err
	}
	from, to := digestWindow(t.settings, monday)
	done, skipped := 0, 0
	for _, s := range sessions {
		// A session counts in the digest whose span holds the moment it
		// ended: a rating given later moves UpdatedAt, not EndTime.
		at := s.EndTime()
		if at.IsZero() || at.Before(from) || !at.Before(to) {
			continue
		}
		switch s.State {
		case pairing.Done:
			done++
		case pairing.Skipped, pairing.Cancelled:
			skipped++
		}
	}
	now := b.now()
	var changed []string
	starts := pairing.Starts(t.projects, t.events)
	for _, p := range t.projects {
		if p.Retired {
			continue
		}
		before, after := t.busFactorAt(p.Name, monday), t.knowledge.BusFactor(p.Name, t.people, now)
		if !starts[p.Name].Before(monday) {
			// A project that began this week did not drop from anything.
			changed = append(changed, fmt.Sprintf("%s new → %d", p.Name, after))
		} else if before != after {
			changed = append(changed, fmt.Sprintf("%s %d → %d", p.Name, before, after))
		}
	}
	var riskiest []string
	for i, r := range t.risks(now) {
		if i == 3 {
			break
		}
		riskiest = append(riskiest, fmt.Sprintf("%s (%d)", r.name, r.busFactor))
	}
	body := fmt.Sprintf("*Pollen digest, %s*\n• Sessions done: %d; skipped or cancelled: %d\n• Bus factor changes: %s\n• Riskiest now: %s",
		week, done, skipped, listOr(changed, "none this week"), listOr(riskiest, "no projects yet"))
	var taught []string
	for _, e := range pairing.TaughtBy(t.events) {
		// Dated at the commit: a commit synced after its digest went out
		// is not listed later.
		if !e.CommitAt.Before(from) && e.CommitAt.Before(to) {
			taught = append(taught, e.Project+": "+describeTaught(e))
		}
	}
	if len(taught) > 0 {
		body += "\n• First commits after sessions this week: " + strings.Join(taught, "; ")
	}
	return text(body), nil
}

// digestWindow is the span reported on by the digest of the week starting
// on monday (00:00 UTC, as pairing.ParseRoundID gives it): from the
// previous digest's instant up to this digest's, both read from the
// team's digest schedule, so every session that ends falls in exactly one
// digest, whenever the digest is actually sent. This digest's instant is
// the first one of its week (the scheduler sends one digest per week, at
// the first instant due); the previous is the first instant of the latest
// earlier week that has one. Without a usable schedule the span is the
// week itself, Monday to Monday in UTC.
func digestWindow(settings pairing.TeamSettings, monday time.Time) (from, to time.Time) {
	sched, err := pairing.ParseSchedule(settings.Digest, settings.TimeZone)
	if err != nil {
		return monday, monday.AddDate(0, 0, 7)
	}
	loc := sched.Location()
	start := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, loc)
	first := func(weekStart time.Time) time.Time { return sched.Next(weekStart.Add(-time.Second)) }
	to = first(start)
	if to.IsZero() || !to.Before(start.AddDate(0, 0, 7)) {
		to = start.AddDate(0, 0, 7) // the schedule changed since this digest was queued
	}
	for back := 1; back <= 53; back++ {
		if t := first(start.AddDate(0, 0, -7*back)); !t.IsZero() && t.Before(start) {
			return t, to
		}
	}
	return start.AddDate(0, 0, -7), to
}
