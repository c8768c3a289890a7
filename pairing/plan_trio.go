package pairing

import (
	"cmp"
	"slices"
)

// Deliberate trios. The matching pairs people, so a host teaches one
// learner; but while a project's owner is its only knower, a trio (the
// owner and two learners) advances two learners with one host's time. With
// many more learners than hosts it is the cheapest progress there is, and
// since a session happens or not as a whole, a trio costs no more
// attendance than a pair. formTrios therefore looks, after the matching,
// for pair sessions whose two people are worth more as the second learner
// of two other sessions, dissolves them one at a time and reseats their
// people with addTrios, keeping a dissolution only when the round's total
// value grows. The value model decides the mix: a project that nobody has
// started yet weighs more (see projInfo.urgency), so the planner still
// opens every project rather than piling trios onto a few.
const (
	trioCandidates  = 3  // dissolutions tried per step, best estimates first
	trioMaxSessions = 64 // larger rounds skip the search: its cost grows with the square of the sessions
)

// formTrios returns the round's sessions with leftovers seated (addTrios)
// and, on rounds of up to trioMaxSessions sessions, the pair sessions worth
// dissolving into trios dissolved.
func (p *planner) formTrios(g *candGraph, sessions []planned) []planned {
	best := p.addTrios(g, clonePlanned(sessions))
	if len(sessions) > trioMaxSessions {
		return best
	}
	bestV := totalValue(best)
	for {
		var next []planned
		for _, i := range p.dissolveOrder(sessions, trioCandidates) {
			rest := slices.Delete(clonePlanned(sessions), i, i+1)
			got := p.addTrios(g, clonePlanned(rest))
			if v := totalValue(got); v > bestV {
				next, best, bestV = rest, got, v
				break // the first that helps: the estimates are good enough
			}
		}
		if next == nil {
			return best
		}
		sessions = next
	}
}

// dissolveOrder lists up to n pair sessions worth trying to dissolve, best
// first, by an estimate of the gain: each member's best seat as a second
// learner elsewhere, minus the session's own value.
func (p *planner) dissolveOrder(sessions []planned, n int) []int {
	used := map[quotaSlot]int{}
	for _, s := range sessions {
		if s.quota != quotaNone {
			used[quotaSlot{s.proj, s.quota}]++
		}
	}
	type cand struct {
		i    int
		gain int64
	}
	var cands []cand
	for i := range sessions {
		s := &sessions[i]
		if len(s.learners) != 1 {
			continue
		}
		var seat [2]int64
		for k, x := range [2]int32{s.host, s.learners[0]} {
			for si := range sessions {
				if si == i {
					continue
				}
				if v, ok := p.seatValue(&sessions[si], x, used, false); ok && v > seat[k] {
					seat[k] = v
				}
			}
		}
		if gain := seat[0] + seat[1] - s.value; seat[0] > 0 && seat[1] > 0 && gain > 0 {
			cands = append(cands, cand{i, gain})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.gain, a.gain) })
	out := make([]int, 0, min(n, len(cands)))
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.i)
	}
	return out
}

func clonePlanned(ss []planned) []planned {
	out := make([]planned, len(ss))
	for i, s := range ss {
		out[i] = s
		out[i].learners = slices.Clone(s.learners)
	}
	return out
}

func totalValue(ss []planned) int64 {
	var v int64
	for _, s := range ss {
		v += s.value
	}
	return v
}
