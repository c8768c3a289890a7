package pairing

import (
	"slices"
	"time"
)

// IgnoredInARow counts the person's latest round proposals, newest first,
// that they let pass without a click (no Accept, no decline, no retro),
// stopping at the first they answered or that happened: a session marked
// done means they paired, whoever clicked *We paired* (the first click
// closes the retro for everyone). A session someone else called off before
// its slot neither counts nor stops the count: the person had no chance to
// answer it. Only proposals made after they last chose to stay in count,
// and only once their slot is over or the session has ended, so a proposal
// still waiting for an answer is not held against anyone.
func IgnoredInARow(p Person, sessions []Session, now time.Time) int {
	var theirs []Session
	for _, s := range sessions {
		if s.Round == "" || !s.Has(p.ID) || !s.CreatedAt.After(p.StayedInAt) {
			continue
		}
		if !s.State.Final() && (s.Slot.IsZero() || now.Before(s.Slot.Add(s.Length))) {
			continue
		}
		theirs = append(theirs, s)
	}
	slices.SortFunc(theirs, func(a, b Session) int { return b.CreatedAt.Compare(a.CreatedAt) })
	n := 0
	for _, s := range theirs {
		answered := slices.Contains(s.Responded, p.ID) || slices.Contains(s.Accepted, p.ID)
		if answered || s.State == Done {
			break
		}
		if calledOffEarly(s) {
			continue
		}
		n++
	}
	return n
}

// calledOffEarly reports whether the session was skipped or cancelled
// before its slot began: by a participant's *Can't this week*, not by a
// retro saying it did not happen.
func calledOffEarly(s Session) bool {
	return (s.State == Skipped || s.State == Cancelled) && !s.Slot.IsZero() && s.UpdatedAt.Before(s.Slot)
}

// AvoidPairs lists every private exclusion of the roster as pairs for the
// planner.
func AvoidPairs(people []Person) [][2]string {
	var pairs [][2]string
	for _, p := range people {
		for _, other := range p.Avoid {
			pairs = append(pairs, [2]string{p.ID, other})
		}
	}
	return pairs
}
