package pairing

import "time"

// MaxRequestsPerDay is how many ad-hoc requests from others one person
// gets in any 24 hours: a /pair log to confirm, or a /pair now or /pair
// review proposal that names them. Past it, nobody can involve them until
// the oldest request is a day old, so no colleague, however keen, fills a
// person's DMs. Three leaves room for a busy day of real sessions.
const MaxRequestsPerDay = 3

// RequestWindow is the span MaxRequestsPerDay counts over.
const RequestWindow = 24 * time.Hour

// requester is who asked for an ad-hoc session, or "" for a round's.
func (s Session) requester() string {
	if s.LoggedBy != "" {
		return s.LoggedBy
	}
	return s.RequestedBy
}

// RequestsFor counts the ad-hoc sessions that someone else asked for with
// person in the RequestWindow up to now. Every request counts, answered or
// not: each was a message to them.
func RequestsFor(sessions []Session, person string, now time.Time) int {
	n := 0
	for _, s := range sessions {
		by := s.requester()
		if by != "" && by != person && s.Has(person) && s.CreatedAt.After(now.Add(-RequestWindow)) && !s.CreatedAt.After(now) {
			n++
		}
	}
	return n
}

// Saturated lists the people who have had MaxRequestsPerDay requests from
// others in the window up to now: AdHoc.Saturated.
func Saturated(sessions []Session, people []Person, now time.Time) []string {
	var out []string
	for _, p := range people {
		if RequestsFor(sessions, p.ID, now) >= MaxRequestsPerDay {
			out = append(out, p.ID)
		}
	}
	return out
}

// CanAsk reports whether caller may ask other for a session now (a log
// to confirm, an ad-hoc proposal): other is active, neither avoids the
// other, and other is under the daily limit. The reason is not given:
// the caller must not learn that someone avoids them.
func CanAsk(caller, other Person, sessions []Session, now time.Time) bool {
	return other.ActiveAt(now) && !Avoiding(caller, other) && RequestsFor(sessions, other.ID, now) < MaxRequestsPerDay
}
