package sim

import (
	"math"
	"slices"

	"github.com/pollen-team/pollen/pairing"
)

// Bound is the lower bound on the rounds any policy needs before every
// project has bus factor K (see the package documentation for the
// derivation).
type Bound struct {
	K int `json:"k"`
	// Rounds is max(CapacityRounds, LatencyRounds), or -1 when no policy
	// can get there (a project nobody knows, or a team too small).
	Rounds int `json:"rounds"`
	// NewKnowers is Σ_j max(0, K − bf_j), and Sessions the learner
	// sessions they need (s each from scratch, fewer for people part-way).
	NewKnowers int `json:"new_knowers"`
	Sessions   int `json:"sessions"`
	// PerRound is the learner sessions a round can hold: ⌈N/2⌉.
	PerRound int `json:"per_round"`
	// Attendance is the share of sessions that happen.
	Attendance float64 `json:"attendance"`
	// CapacityRounds is ⌈Sessions / (PerRound × Attendance)⌉.
	CapacityRounds int `json:"capacity_rounds"`
	// LatencyRounds is the fastest a single project can get there when
	// only its knowers can teach, one learner each per round.
	LatencyRounds int `json:"latency_rounds"`
	// TrioPerRound and TrioCapacityRounds are the capacity term when every
	// session may be a trio (one host, two learners), as Pollen's planner
	// forms them: ⌊2N/3⌋ learner sessions a round. The pair bound above is
	// not a bound on a policy that forms trios; this weaker term is.
	TrioPerRound       int `json:"trio_per_round"`
	TrioCapacityRounds int `json:"trio_capacity_rounds"`
}

// LowerBound computes the bound for a team of n people taking part, where
// fam[j] lists everyone's familiarity with project j (zeros may be left
// out, but the list must cover every knower), for bus factor k.
func LowerBound(m pairing.Model, n int, fam [][]float64, k int, attendance float64) Bound {
	b := Bound{K: k, PerRound: (n + 1) / 2, TrioPerRound: 2 * n / 3, Attendance: attendance}
	L := m.SessionsToKnow(pairing.Pair)
	unreachable := false
	for _, fs := range fam {
		var learners []int // sessions each non-knower needs
		knowers := 0
		for _, f := range fs {
			if f >= m.KnowsAt {
				knowers++
			} else {
				learners = append(learners, sessionsFrom(m, f))
			}
		}
		need := max(0, k-knowers)
		if need == 0 {
			continue
		}
		// People not listed have f = 0.
		for len(learners) < n-knowers {
			learners = append(learners, L)
		}
		if knowers == 0 || len(learners) < need {
			unreachable = true
			continue
		}
		slices.Sort(learners)
		b.NewKnowers += need
		lat := learners[need-1] // the need-th new knower's own sessions, one per round
		for _, s := range learners[:need] {
			b.Sessions += s
		}
		if learners[0] == L { // all newcomers: the exact single-project schedule
			lat = max(lat, latency(knowers, need, L, n%2 == 1))
		}
		b.LatencyRounds = max(b.LatencyRounds, lat)
	}
	if unreachable {
		b.Rounds = -1
		return b
	}
	if b.PerRound > 0 && b.Sessions > 0 {
		b.CapacityRounds = int(math.Ceil(float64(b.Sessions)/(float64(b.PerRound)*attendance) - 1e-9))
	}
	if b.TrioPerRound > 0 && b.Sessions > 0 {
		b.TrioCapacityRounds = int(math.Ceil(float64(b.Sessions)/(float64(b.TrioPerRound)*attendance) - 1e-9))
	}
	b.Rounds = max(b.CapacityRounds, b.LatencyRounds)
	return b
}

// sessionsFrom is the number of unrated pair sessions that take
// familiarity f to "knows".
func sessionsFrom(m pairing.Model, f float64) int {
	g := m.Gain(pairing.Pair, 0)
	s := 0
	for f < m.KnowsAt && s < 1000 {
		f += g * (1 - f)
		s++
	}
	return s
}

// latency is the fewest rounds in which one project with b knowers gains
// need new knowers from newcomers who need L sessions each, when each
// knower teaches at most one learner per round (two, for one knower per
// round, when a trio is allowed) and each learner has at most one session
// per round. It searches every schedule, breadth first.
func latency(b, need, L int, trio bool) int {
	type state struct {
		knowers  int
		progress string // sorted progress of learners part-way, one byte each
	}
	frontier := map[state]bool{{b, ""}: true}
	for round := 1; ; round++ {
		next := map[state]bool{}
		for st := range frontier {
			slots := st.knowers
			if trio {
				slots++
			}
			prog := []byte(st.progress)
			want := b + need - st.knowers // new knowers still wanted
			// Choose which part-way learners to teach (a subset) and how
			// many newcomers to start.
			for mask := 0; mask < 1<<len(prog); mask++ {
				taught := popcount(mask)
				if taught > slots {
					continue
				}
				for fresh := 0; taught+fresh <= slots && len(prog)+fresh <= want; fresh++ {
					kn := st.knowers
					var after []byte
					for i, p := range prog {
						if mask&(1<<i) != 0 {
							p++
						}
						if int(p) >= L {
							kn++
						} else {
							after = append(after, p)
						}
					}
					for range fresh {
						if L <= 1 {
							kn++
						} else {
							after = append(after, 1)
						}
					}
					if kn >= b+need {
						return round
					}
					slices.Sort(after)
					next[state{kn, string(after)}] = true
				}
			}
		}
		frontier = next
		if round > need*L+1 {
			return need * L // cannot happen: one learner at a time always works
		}
	}
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}
