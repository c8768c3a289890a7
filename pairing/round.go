package pairing

import (
	"fmt"
	"time"
)

// Round is one scheduled batch of sessions, named after the ISO week it
// belongs to, e.g. "2026-W48".
type Round struct {
	ID         string    `json:"id"`
	PlannedAt  time.Time `json:"planned_at"`
	SessionIDs []string  `json:"session_ids"`
	// SatOut says, for everyone on the roster without a session, why.
	SatOut []SitOut `json:"sat_out,omitempty"`
	// Free lists people of this round who are without a partner after a
	// decline, so the next decline's partner can be re-paired with them.
	Free []string `json:"free,omitempty"`
}

// Priority lists the people who sat out this round through no choice of
// their own; the next round prefers them.
func (r Round) Priority() []string {
	var ids []string
	for _, s := range r.SatOut {
		if s.Code.Priority() {
			ids = append(ids, s.Person)
		}
	}
	return ids
}

// RoundID names the round of the ISO week that contains t, in t's location.
func RoundID(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// ParseRoundID checks an ID of the form YYYY-Www and returns the Monday
// 00:00 UTC that starts that ISO week.
func ParseRoundID(id string) (time.Time, error) {
	var y, w int
	if n, err := fmt.Sscanf(id, "%4d-W%2d", &y, &w); err != nil || n != 2 || len(id) != 8 || w < 1 || w > 53 {
		return time.Time{}, Errorf(CodeInvalid, "%q is not a round ID: use YYYY-Www, e.g. 2026-W48", id)
	}
	// ISO week 1 contains January 4th.
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
	if RoundID(monday) != id {
		return time.Time{}, Errorf(CodeInvalid, "%d has no ISO week %d", y, w)
	}
	return monday, nil
}

// RoundResult is what planning a round on demand (/pair round now) did.
type RoundResult struct {
	Round    string // the round's ID, YYYY-Www
	Sessions int    // proposals queued
	Queued   int    // outbox items queued: proposals and sit-out notices
}
