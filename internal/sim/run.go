package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Result is what Run measured: the bound and, per policy, the figures over
// all seeds.
type Result struct {
	Config Config  `json:"config"`
	Bounds []Bound `json:"bounds"` // for bus factor 2 and 3: the seed whose bound is the median
	// SeedBounds are each seed's bounds for bus factor 2 and 3, in seed
	// order: no run of any policy on that seed gets there sooner.
	SeedBounds [][]Bound      `json:"seed_bounds"`
	Policies   []PolicyResult `json:"policies"`
}

// PolicyResult summarises one policy over the seeds. Rounds-to figures
// count a run that never got there as Rounds+1 (Censored says how many).
// Bus factors are pairing's BusFactor and TruckFactor, the definition
// Pollen shows everywhere (pairing/doc.go). RoundsToKnowers count rounds
// until every project has 2 (3) knowers (f ≥ KnowsAt): the conservative
// measure the lower bound is derived for, and the one that catches a
// policy spreading shallow sessions (the bus factor is never below it).
type PolicyResult struct {
	Policy      string `json:"policy"`
	RoundsToBF2 Stat   `json:"rounds_to_bf2"`
	RoundsToBF3 Stat   `json:"rounds_to_bf3"`
	// RoundsToKnowers2 and 3: rounds until every project has 2 (3) knowers.
	RoundsToKnowers2 Stat        `json:"rounds_to_knowers2"`
	RoundsToKnowers3 Stat        `json:"rounds_to_knowers3"`
	MeanBF12         Stat        `json:"mean_bf_12"` // mean bus factor over projects after round 12
	MeanBF26         Stat        `json:"mean_bf_26"`
	TruckFactor26    Stat        `json:"truck_factor_26"`
	SessionsMean     Stat        `json:"sessions_mean"`  // done sessions per person over the run
	SessionsStdev    Stat        `json:"sessions_stdev"` // their standard deviation over people
	RepeatRate       Stat        `json:"repeat_rate"`    // done sessions whose pair also met in the 4 rounds before
	Runs             []RunResult `json:"runs"`
}

// Stat is the median and interquartile range of a figure over seeds.
type Stat struct {
	Median   float64 `json:"median"`
	Q1       float64 `json:"q1"`
	Q3       float64 `json:"q3"`
	Censored int     `json:"censored,omitempty"`
}

// RunResult is one seed's run of one policy.
type RunResult struct {
	Seed        int64 `json:"seed"`
	RoundsToBF2 int   `json:"rounds_to_bf2"` // first round with bus factor 2 on every project; 0: not within the run
	RoundsToBF3 int   `json:"rounds_to_bf3"`
	// RoundsToKnowers2 and 3 are the first rounds with 2 (3) knowers on
	// every project; 0: not within the run.
	RoundsToKnowers2 int     `json:"rounds_to_knowers2"`
	RoundsToKnowers3 int     `json:"rounds_to_knowers3"`
	MeanBF12         float64 `json:"mean_bf_12"`
	MeanBF26         float64 `json:"mean_bf_26"`
	TruckFactor26    int     `json:"truck_factor_26"`
	SessionsMean     float64 `json:"sessions_mean"`
	SessionsStdev    float64 `json:"sessions_stdev"`
	RepeatRate       float64 `json:"repeat_rate"`
	Proposed         int     `json:"proposed"`
	Done             int     `json:"done"`
	// MinBF is the smallest bus factor over projects at the end of each
	// round, for charts.
	MinBF []int `json:"min_bf"`
	// MeanBF is the mean bus factor over projects at the end of each round.
	MeanBF []float64 `json:"mean_bf"`
}

// WorstCurves are, per round, the median and quartiles over seeds of the
// bus factor of the worst project (MinBF), for charts.
func (pr PolicyResult) WorstCurves() (median, q1, q3 []float64) {
	for r := 0; ; r++ {
		var xs []float64
		for _, run := range pr.Runs {
			if r < len(run.MinBF) {
				xs = append(xs, float64(run.MinBF[r]))
			}
		}
		if len(xs) == 0 {
			return median, q1, q3
		}
		st := stat(xs, 0)
		median, q1, q3 = append(median, st.Median), append(q1, st.Q1), append(q3, st.Q3)
	}
}

// Checkpoints for the mean bus factor and the truck factor.
const (
	earlyRound = 12
	lateRound  = 26
	repeatSpan = 4
)

// Run simulates every policy on every seed and summarises them. It is pure
// and deterministic: the same Config gives the same Result.
func Run(cfg Config) (Result, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return Result{}, err
	}
	res := Result{Config: c}
	var b2, b3 []Bound
	for s := range c.Seeds {
		bs := teamBounds(c, c.FirstSeed+int64(s))
		b2, b3 = append(b2, bs[0]), append(b3, bs[1])
		res.SeedBounds = append(res.SeedBounds, bs)
	}
	res.Bounds = []Bound{medianBound(b2), medianBound(b3)}
	for _, policy := range c.Policies {
		pr := PolicyResult{Policy: policy}
		for s := range c.Seeds {
			rr, err := simulate(c, policy, c.FirstSeed+int64(s))
			if err != nil {
				return Result{}, fmt.Errorf("%s, seed %d: %w", policy, c.FirstSeed+int64(s), err)
			}
			pr.Runs = append(pr.Runs, rr)
		}
		pr.summarise(c.Rounds)
		res.Policies = append(res.Policies, pr)
	}
	return res, nil
}

// simulate runs one policy on one seed's team.
func simulate(c Config, policy string, seed int64) (RunResult, error) {
	t := newTeam(c, seed)
	w := &world{
		c: c, seed: seed, people: t.people, projects: t.projects,
		k:       pairing.Replay(c.model(), t.events),
		rng:     rand.New(rand.NewPCG(uint64(seed), hash(policy))),
		lastMet: map[[2]string]int{}, avoid: map[[2]string]bool{}, locate: newLocator(),
	}
	for _, pr := range pairing.AvoidPairs(t.people) {
		w.avoid[key(pr[0], pr[1])] = true
	}
	rr := RunResult{Seed: seed}
	sessions := map[string]int{}
	base := len(t.people)
	for r := 1; r <= c.Rounds; r++ {
		start := t.start.AddDate(0, 0, 7*(r-1))
		w.people = churn(c, seed, r, w.people, start, base)
		roundID := pairing.RoundID(start)
		proposed, err := w.planRound(policy, roundID, start)
		if err != nil {
			return rr, err
		}
		w.rounds++
		for i, s := range proposed {
			s.ID = fmt.Sprintf("%s-%03d", roundID, i)
			rr.Proposed++
			if attendSlot(seed, r, i) >= c.Attendance {
				s.State = pairing.Skipped
				w.history = append(w.history, s)
				continue
			}
			s.State, s.DoneAt = pairing.Done, s.Slot
			w.k.Apply(pairing.SessionEvent(s))
			w.history = append(w.history, s)
			rr.Done++
			ids := s.Participants()
			repeat := false
			for a := range ids {
				sessions[ids[a]]++
				for b := a + 1; b < len(ids); b++ {
					k := key(ids[a], ids[b])
					if last, ok := w.lastMet[k]; ok && r-last <= repeatSpan {
						repeat = true
					}
					w.lastMet[k] = r
				}
			}
			if repeat {
				rr.RepeatRate++
			}
		}
		w.measure(&rr, r, start.AddDate(0, 0, 6))
	}
	if rr.Done > 0 {
		rr.RepeatRate /= float64(rr.Done)
	}
	var counts []float64
	for _, p := range w.people {
		counts = append(counts, float64(sessions[p.ID]))
	}
	rr.SessionsMean, rr.SessionsStdev = meanStdev(counts)
	if c.Rounds < earlyRound {
		rr.MeanBF12 = -1 // not measured
	}
	if c.Rounds < lateRound {
		rr.MeanBF26, rr.TruckFactor26 = -1, -1 // not measured
	}
	return rr, nil
}

// measure records the bus factors at the end of round r.
func (w *world) measure(rr *RunResult, r int, at time.Time) {
	minBF, minKnowers, sum, n := math.MaxInt, math.MaxInt, 0, 0
	for _, pj := range w.projects {
		if pj.Retired {
			continue
		}
		bf := w.k.BusFactor(pj.Name, w.people, at)
		minBF, sum, n = min(minBF, bf), sum+bf, n+1
		minKnowers = min(minKnowers, len(w.k.Knowers(pj.Name, w.people, at)))
	}
	if n == 0 {
		minKnowers = 0
	}
	if n == 0 {
		minBF = 0
	}
	rr.MinBF = append(rr.MinBF, minBF)
	if minBF >= 2 && rr.RoundsToBF2 == 0 {
		rr.RoundsToBF2 = r
	}
	if minBF >= 3 && rr.RoundsToBF3 == 0 {
		rr.RoundsToBF3 = r
	}
	if minKnowers >= 2 && rr.RoundsToKnowers2 == 0 {
		rr.RoundsToKnowers2 = r
	}
	if minKnowers >= 3 && rr.RoundsToKnowers3 == 0 {
		rr.RoundsToKnowers3 = r
	}
	mean := float64(sum) / float64(max(n, 1))
	rr.MeanBF = append(rr.MeanBF, mean)
	if r == earlyRound {
		rr.MeanBF12 = mean
	}
	if r == lateRound {
		rr.MeanBF26 = mean
		rr.TruckFactor26 = w.k.TruckFactor(w.projects, w.people, at)
	}
}

// attendSlot draws whether a session happens: one uniform number per
// round and place in the round's list of proposed sessions, shared by
// every policy (common random numbers), so each session happens
// independently with probability Attendance, and the bound can count, for
// this seed, how many of a round's sessions can happen at most.
func attendSlot(seed int64, round, i int) float64 {
	x := mix64(mix64(uint64(seed)^0xa77e, uint64(round)), uint64(i)+1)
	return float64(x>>11) / (1 << 53)
}

func (pr *PolicyResult) summarise(rounds int) {
	var r2, r3, k2, k3, m12, m26, tf, sm, sd, rep []float64
	for _, r := range pr.Runs {
		r2 = append(r2, reached(r.RoundsToBF2, rounds))
		r3 = append(r3, reached(r.RoundsToBF3, rounds))
		k2 = append(k2, reached(r.RoundsToKnowers2, rounds))
		k3 = append(k3, reached(r.RoundsToKnowers3, rounds))
		sm, sd, rep = append(sm, r.SessionsMean), append(sd, r.SessionsStdev), append(rep, r.RepeatRate)
		if r.MeanBF12 >= 0 {
			m12 = append(m12, r.MeanBF12)
		}
		if r.MeanBF26 >= 0 {
			m26, tf = append(m26, r.MeanBF26), append(tf, float64(r.TruckFactor26))
		}
	}
	pr.RoundsToBF2, pr.RoundsToBF3 = stat(r2, rounds), stat(r3, rounds)
	pr.RoundsToKnowers2, pr.RoundsToKnowers3 = stat(k2, rounds), stat(k3, rounds)
	pr.MeanBF12, pr.MeanBF26, pr.TruckFactor26 = stat(m12, 0), stat(m26, 0), stat(tf, 0)
	pr.SessionsMean, pr.SessionsStdev, pr.RepeatRate = stat(sm, 0), stat(sd, 0), stat(rep, 0)
}

func reached(r, rounds int) float64 {
	if r == 0 {
		return float64(rounds + 1)
	}
	return float64(r)
}

// stat is the median and quartiles (linear interpolation); values above
// censor (when censor > 0) are counted as censored.
func stat(xs []float64, censor int) Stat {
	if len(xs) == 0 {
		return Stat{Median: -1, Q1: -1, Q3: -1} // not measured
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	q := func(p float64) float64 {
		pos := p * float64(len(s)-1)
		lo := int(math.Floor(pos))
		hi := min(lo+1, len(s)-1)
		return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
	}
	st := Stat{Median: q(0.5), Q1: q(0.25), Q3: q(0.75)}
	if censor > 0 {
		for _, x := range s {
			if x > float64(censor) {
				st.Censored++
			}
		}
	}
	return st
}

func meanStdev(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(v / float64(len(xs)))
}

// teamBounds are one seed's bounds for bus factors 2 and 3: its team at
// the start, its churn and its attendance draws.
func teamBounds(c Config, seed int64) []Bound {
	m := c.model()
	t := newTeam(c, seed)
	kn := pairing.Replay(m, t.events)
	bt := boundTeam{fresh: sessionsToKnow(m, 0)}
	var active []pairing.Person
	for _, p := range t.people {
		if p.ActiveAt(t.start) {
			active = append(active, p)
		}
	}
	bt.people = len(active)
	hosts := map[string]bool{}
	cache := map[float64]int{}
	for _, pj := range t.projects {
		if pj.Retired {
			continue
		}
		var knowers []string
		var learners []int
		for _, p := range active {
			switch f := kn.F(p.ID, pj.Name, t.start); {
			case kn.BusFactor(pj.Name, []pairing.Person{p}, t.start) > 0:
				knowers = append(knowers, p.ID)
				hosts[p.ID] = true
			case f > 0:
				if _, ok := cache[f]; !ok {
					cache[f] = sessionsToKnow(m, f)
				}
				learners = append(learners, cache[f])
			}
		}
		slices.Sort(learners)
		bt.knowers, bt.learners = append(bt.knowers, knowers), append(bt.learners, learners)
	}
	bt.hosts = len(hosts)
	supply := c.supply(t, seed)
	return []Bound{lowerBound(bt, 2, supply), lowerBound(bt, 3, supply)}
}

// supply replays the seed's churn and attendance draws, which every policy
// shares, as the bound sees them: how many people take part in round r
// (none in a holiday) and which of its proposed sessions would happen.
func (c Config) supply(t team, seed int64) roundSupply {
	people := t.people
	var counts []int
	base := len(t.people)
	locate := newLocator()
	return func(r int) (int, func(int) bool) {
		for len(counts) < r {
			rr := len(counts) + 1
			start := t.start.AddDate(0, 0, 7*(rr-1))
			people = churn(c, seed, rr, people, start, base)
			n := 0
			for _, p := range people {
				if p.ActiveAt(start) {
					n++
				}
			}
			if c.holiday(start, locate) {
				n = 0
			}
			counts = append(counts, n)
		}
		return counts[r-1], func(i int) bool { return attendSlot(seed, r, i) < c.Attendance }
	}
}

// holiday reports whether a real team has no round in the week of start.
func (c Config) holiday(start time.Time, locate func(string) (*time.Location, error)) bool {
	if c.Roster == nil || c.Roster.Settings == nil || len(c.Roster.Settings.Holidays) == 0 {
		return false
	}
	loc, err := locate(c.Roster.Settings.TimeZone)
	if err != nil {
		return false
	}
	_, ok := c.Roster.Settings.Holiday(start, loc)
	return ok
}

// medianBound is the seed whose bound is the median (the lower one for an
// even count); -1 (unreachable) sorts last.
func medianBound(bs []Bound) Bound {
	s := slices.Clone(bs)
	slices.SortStableFunc(s, func(a, b Bound) int {
		ra, rb := a.Rounds, b.Rounds
		if ra < 0 {
			ra = math.MaxInt
		}
		if rb < 0 {
			rb = math.MaxInt
		}
		return cmp.Compare(ra, rb)
	})
	return s[(len(s)-1)/2]
}

func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func mix64(a, b uint64) uint64 {
	z := a ^ (b + 0x9e3779b97f4a7c15 + (a << 6) + (a >> 2))
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
