package sim

import (
	"slices"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Bound is the lower bound on the rounds any policy needs before every
// project has bus factor K, for one seed's team, churn and attendance
// draws (see the package documentation for the derivation). A run of any
// policy on that seed cannot get there sooner.
type Bound struct {
	K int `json:"k"`
	// Rounds is max(CapacityRounds, LatencyRounds, HostRounds), or -1 when
	// no policy can get there (a project nobody knows).
	Rounds int `json:"rounds"`
	// SessionsToKnow is the model's number of sessions that turn a newcomer
	// into a knower (replayed through pairing's knowledge model).
	SessionsToKnow int `json:"sessions_to_know"`
	// NewKnowers is Σ_j max(0, K − bf_j), and Sessions the learner
	// sessions they need at the least (the people closest to knowing first).
	NewKnowers int `json:"new_knowers"`
	Sessions   int `json:"sessions"`
	// PerRound is the most learner sessions a round can hold with everyone
	// attending: max over h hosts of min(2h, N − h) (pairs and trios).
	PerRound int `json:"per_round"`
	// CapacityRounds is the first round by which the rounds' capacities,
	// with this seed's missed sessions and only knowers hosting, add up to
	// Sessions.
	CapacityRounds int `json:"capacity_rounds"`
	// LatencyRounds is the slowest project's fastest schedule on its own:
	// a learner has one session a round, a knower hosts one a round.
	LatencyRounds int `json:"latency_rounds"`
	// HostRounds is what the busiest sole knower needs: they alone can
	// teach their projects until someone else knows them, one session a
	// round; HostSessions is how many sessions that is.
	HostRounds   int `json:"host_rounds"`
	HostSessions int `json:"host_sessions"`
}

// boundTeam is what the bound needs of a team at its start.
type boundTeam struct {
	knowers  [][]string // per project: the active people who know it
	learners [][]int    // per project: sessions each active part-way person needs, ascending
	fresh    int        // sessions a newcomer needs
	people   int        // active people
	hosts    int        // active people who know at least one project
}

// roundSupply says what round r (1-based) can hold: n people taking part,
// and whether its i-th proposed session (0-based) would happen.
type roundSupply func(r int) (n int, happens func(i int) bool)

// maxBoundRounds is how far the bound looks before it says "never".
const maxBoundRounds = 20_000

// lowerBound computes the bound for bus factor k.
func lowerBound(bt boundTeam, k int, supply roundSupply) Bound {
	b := Bound{K: k, SessionsToKnow: bt.fresh}
	host := map[string]int{} // sole knower -> sessions they must host
	fastest := bt.fresh      // the fewest sessions any learner needs
	for j, knowers := range bt.knowers {
		need := max(0, k-len(knowers))
		if need == 0 {
			continue
		}
		if len(knowers) == 0 {
			b.Rounds = -1
			return b
		}
		// The cheapest learners: part-way people first, then newcomers
		// (people on the team or joining later).
		learners := slices.Clone(bt.learners[j])
		for len(learners) < need {
			learners = append(learners, bt.fresh)
		}
		b.NewKnowers += need
		for _, s := range learners[:need] {
			b.Sessions += s
		}
		fastest = min(fastest, learners[0])
		lat := learners[need-1] // one session a round
		if learners[0] == bt.fresh {
			lat = max(lat, latency(len(knowers), need, bt.fresh, true))
		}
		b.LatencyRounds = max(b.LatencyRounds, lat)
		if len(knowers) == 1 {
			host[knowers[0]] += learners[0]
		}
	}
	for _, s := range host {
		b.HostSessions = max(b.HostSessions, s)
	}
	for h := 0; 3*h <= 2*bt.people+2; h++ {
		b.PerRound = max(b.PerRound, min(2*h, bt.people-h))
	}
	// Latency and hosting count rounds in which a session can happen.
	b.LatencyRounds = nthUsefulRound(supply, b.LatencyRounds)
	b.HostRounds = nthUsefulRound(supply, b.HostSessions)
	b.CapacityRounds = capacityRounds(bt, supply, b.Sessions, fastest)
	if b.CapacityRounds < 0 || b.LatencyRounds < 0 || b.HostRounds < 0 {
		b.Rounds = -1
		return b
	}
	b.Rounds = max(b.CapacityRounds, b.LatencyRounds, b.HostRounds)
	return b
}

// capacityRounds is the first round by which the learner sessions rounds
// can hold add up to sessions. Round r holds at most
//
//	max over m proposed sessions of min(2·min(h, D), N − 2m + h)
//
// learner sessions, where h of the m happen (this seed's draws), a
// happened session has one host and at most two learners, a missed one
// still takes at least two people, and at most D people can host: those
// who knew something at the start plus one per `fastest` learner sessions
// held so far.
func capacityRounds(bt boundTeam, supply roundSupply, sessions, fastest int) int {
	if sessions == 0 {
		return 0
	}
	held := 0
	for r := 1; r <= maxBoundRounds; r++ {
		n, happens := supply(r)
		hosts := bt.hosts // a new knower can host from round fastest+1
		if r > fastest {
			hosts = min(n, bt.hosts+held/max(fastest, 1))
		}
		best, h := 0, 0
		for m := 1; 2*m <= n; m++ {
			if happens(m - 1) {
				h++
			}
			best = max(best, min(2*min(h, hosts), n-2*m+h))
		}
		if held += best; held >= sessions {
			return r
		}
	}
	return -1
}

// nthUsefulRound is the round by which t rounds have had room for at least
// one session that happens.
func nthUsefulRound(supply roundSupply, t int) int {
	if t == 0 {
		return 0
	}
	seen := 0
	for r := 1; r <= maxBoundRounds; r++ {
		n, happens := supply(r)
		for i := 0; 2*(i+1) <= n; i++ {
			if happens(i) {
				seen++
				break
			}
		}
		if seen >= t {
			return r
		}
	}
	return -1
}

// sessionsToKnow is the number of done sessions that take a learner from
// familiarity f to counting towards a project's bus factor, found by
// replaying pairing's own knowledge model (the cheapest kind of session,
// unrated as the simulator applies them, no fading in between), so the
// bound follows the model when it changes.
func sessionsToKnow(m pairing.Model, f float64) int {
	at := time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC)
	learner := []pairing.Person{pairing.NewPerson("learner", "learner", "UTC", at.AddDate(0, 0, -1))}
	best := -1
	for _, kind := range []pairing.Kind{pairing.Pair, pairing.Review} {
		k := pairing.NewKnowledge(m)
		if f > 0 {
			k.Apply(pairing.Event{ID: "start", At: at, Kind: pairing.EventDeclared, Person: "learner", Project: "p", Level: f})
		}
		for s := 0; s <= 1000; s++ {
			if k.BusFactor("p", learner, at) > 0 {
				if best < 0 || s < best {
					best = s
				}
				break
			}
			k.Apply(pairing.Event{
				ID: "s", At: at, Kind: pairing.EventSession, SessionKind: kind, Project: "p",
				Host: "host", Learners: []string{"learner"},
			})
		}
	}
	if best < 0 {
		return 1000 // the model never turns a learner into a knower
	}
	return best
}

// latency is the fewest rounds in which one project with b knowers gains
// need new knowers from newcomers who need L sessions each, when each
// knower hosts at most one session a round (a trio teaches two learners
// when trio is set, otherwise one) and each learner has at most one
// session a round. It searches every schedule, breadth first.
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
				slots *= 2
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
