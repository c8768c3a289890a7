package bot

import (
	"fmt"
	"slices"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// rounds says when the team's rounds run: the schedule's instants, less the
// weeks whose round is already settled (planned, or skipped for a holiday)
// and the holidays. It is what a skip or a pause is measured against, so
// "back for the round of …" names a round that will actually run.
type rounds struct {
	settings pairing.TeamSettings
	settled  func(id string) bool
}

// loadRounds reads which rounds exist, for the skip and pause lines.
func loadRounds(r store.Reader, s pairing.TeamSettings) (rounds, error) {
	rs, err := r.Rounds()
	if err != nil {
		return rounds{}, err
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return rounds{settings: s, settled: func(id string) bool { return slices.Contains(ids, id) }}, nil
}

// next is the first round after t that will run: its instant and ID.
func (r rounds) next(t time.Time) (time.Time, string, *time.Location, bool) {
	at := t
	for range 60 {
		n, loc, ok := nextRound(r.settings, at)
		if !ok || n.IsZero() {
			return time.Time{}, "", time.UTC, false
		}
		id := pairing.RoundID(n.In(loc))
		_, holiday := r.settings.Holiday(n, loc)
		if !holiday && (r.settled == nil || !r.settled(id)) {
			return n, id, loc, true
		}
		at = n
	}
	return time.Time{}, "", time.UTC, false
}

// skipped is the first round after now that the person skips by its ID
// (the heads-up's button, or a resolved "skip next") and that has not run
// yet, with its instant.
func (r rounds) skipped(p pairing.Person, now time.Time) (time.Time, string, *time.Location, bool) {
	at := now
	for range 8 {
		n, id, loc, ok := r.next(at)
		if !ok {
			break
		}
		if slices.Contains(p.SkipRounds, id) {
			return n, id, loc, true
		}
		at = n
	}
	return time.Time{}, "", time.UTC, false
}

// away says, for a person, what they sit out and when they are back, in
// their own words ("You're …") or an admin's (third person, short); "" when
// they are simply in the rotation.
func (r rounds) away(p pairing.Person, now time.Time, short bool) string {
	switch {
	case p.Status == pairing.Paused && !p.ActiveAt(now):
		back := ""
		if n, id, loc, ok := r.next(p.PausedUntil.Add(-time.Nanosecond)); ok {
			back = fmt.Sprintf("back for round %s on %s", id, when(n, loc))
			if short {
				back = fmt.Sprintf("back for %s (%s)", id, n.In(loc).Format("Mon 2 Jan"))
			}
		}
		if short {
			return fmt.Sprintf("paused until %s, %s", p.PausedUntil.Format("2006-01-02"), back)
		}
		return fmt.Sprintf("You're paused until %s; %s. `/pair resume` brings you back sooner.", p.PausedUntil.In(loadLocation(r.settings.TimeZone)).Format("Monday 2 January 2006"), back)
	case p.Status == pairing.Left:
		return ""
	case p.SkipNext:
		return r.skipLine("the next round", p, now, short, r.next)
	}
	if _, _, _, ok := r.skipped(p, now); ok {
		return r.skipLine("", p, now, short, func(t time.Time) (time.Time, string, *time.Location, bool) { return r.skipped(p, t) })
	}
	return ""
}

// skipLine words a skip of one round: which, when, and the round after.
func (r rounds) skipLine(what string, p pairing.Person, now time.Time, short bool,
	find func(time.Time) (time.Time, string, *time.Location, bool)) string {
	n, id, loc, ok := find(now)
	if !ok {
		if short {
			return "skips the next round"
		}
		return "You're skipping the next round. `/pair resume` undoes this."
	}
	after, afterID, _, ok2 := r.next(n)
	if short {
		s := fmt.Sprintf("skips %s (%s)", id, n.In(loc).Format("Mon 2 Jan"))
		if ok2 {
			s += fmt.Sprintf(", back for %s", afterID)
		}
		return s
	}
	s := fmt.Sprintf("You're skipping round %s on %s.", id, when(n, loc))
	if what != "" {
		s = fmt.Sprintf("You're skipping %s that runs, even if the schedule changes: as it stands, round %s on %s.", what, id, when(n, loc))
	}
	if ok2 {
		s += fmt.Sprintf(" You're back for round %s on %s.", afterID, when(after, loc))
	}
	return s + " `/pair resume` undoes this."
}
