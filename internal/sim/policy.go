package sim

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// world is the state one policy's run carries from round to round.
type world struct {
	c        Config
	seed     int64
	people   []pairing.Person
	projects []pairing.Project
	k        *pairing.Knowledge
	rng      *rand.Rand // the policy's own randomness

	history []pairing.Session // every proposed session, Done or Skipped
	lastMet map[[2]string]int // pair -> last round (1-based) they held a done session
	circle  []string          // round-robin order
	satOut  []string          // pollen: priority for the next round
	rounds  int               // rounds planned so far
}

// active lists the people taking part, sorted by ID.
func (w *world) active(at time.Time) []string {
	var ids []string
	for _, p := range w.people {
		if p.ActiveAt(at) {
			ids = append(ids, p.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// planRound asks the policy for round r's sessions.
func (w *world) planRound(policy string, roundID string, start time.Time) ([]pairing.Session, error) {
	switch policy {
	case PolicyPollen:
		return w.pollen(roundID, start)
	case PolicyRotation:
		return w.withProjects(w.rotation(start), roundID, start), nil
	case PolicyRoundRobin:
		return w.withProjects(w.roundRobin(start), roundID, start), nil
	}
	return w.withProjects(w.random(start), roundID, start), nil
}

// random pairs people uniformly at random; an odd person sits out.
func (w *world) random(at time.Time) [][2]string {
	ids := w.active(at)
	w.rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	var pairs [][2]string
	for i := 0; i+1 < len(ids); i += 2 {
		pairs = append(pairs, [2]string{ids[i], ids[i+1]})
	}
	return pairs
}

// rotation is a pair-rotation board (Parrit's recommender): in a random
// order, each unpaired person takes the unpaired partner they paired with
// least recently, never-paired first.
func (w *world) rotation(at time.Time) [][2]string {
	ids := w.active(at)
	w.rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	taken := make([]bool, len(ids))
	var pairs [][2]string
	for i, x := range ids {
		if taken[i] {
			continue
		}
		best, bestRound := -1, 0
		for j := i + 1; j < len(ids); j++ {
			if taken[j] {
				continue
			}
			last, met := w.lastMet[key(x, ids[j])]
			if !met {
				last = -1
			}
			if best < 0 || last < bestRound {
				best, bestRound = j, last
			}
		}
		if best < 0 {
			break
		}
		taken[i], taken[best] = true, true
		pairs = append(pairs, [2]string{x, ids[best]})
	}
	return pairs
}

// roundRobin is the circle method: one person stays put, the rest rotate,
// so everyone meets everyone once every n−1 rounds. Leavers drop out of the
// circle and newcomers join at its end.
func (w *world) roundRobin(at time.Time) [][2]string {
	ids := w.active(at)
	if w.circle == nil {
		w.circle = slices.Clone(ids)
		w.rng.Shuffle(len(w.circle), func(i, j int) { w.circle[i], w.circle[j] = w.circle[j], w.circle[i] })
	}
	var circle []string
	for _, id := range w.circle {
		if _, ok := slices.BinarySearch(ids, id); ok {
			circle = append(circle, id)
		}
	}
	for _, id := range ids {
		if !slices.Contains(circle, id) {
			circle = append(circle, id)
		}
	}
	w.circle = circle
	ring := slices.Clone(circle)
	if len(ring)%2 == 1 {
		ring = append(ring, "") // the bye
	}
	n := len(ring)
	if n < 2 {
		return nil
	}
	t := w.rounds % (n - 1)
	rest := append(slices.Clone(ring[1+t:]), ring[1:1+t]...)
	arr := append([]string{ring[0]}, rest...)
	var pairs [][2]string
	for i := 0; i < n/2; i++ {
		if a, b := arr[i], arr[n-1-i]; a != "" && b != "" {
			pairs = append(pairs, [2]string{a, b})
		}
	}
	return pairs
}

// withProjects is the baselines' shared session chooser: each pair gets a
// random project that exactly one of them knows, taught by that one; a
// pair with none has no session.
func (w *world) withProjects(pairs [][2]string, roundID string, start time.Time) []pairing.Session {
	var out []pairing.Session
	for _, pr := range pairs {
		var choices []pairing.Session
		for _, pj := range w.projects {
			if pj.Retired {
				continue
			}
			a, b := w.k.Knows(pr[0], pj.Name, start), w.k.Knows(pr[1], pj.Name, start)
			switch {
			case a && !b:
				choices = append(choices, pairing.Session{Host: pr[0], Learners: []string{pr[1]}, Project: pj.Name})
			case b && !a:
				choices = append(choices, pairing.Session{Host: pr[1], Learners: []string{pr[0]}, Project: pj.Name})
			}
		}
		if len(choices) == 0 {
			continue
		}
		s := choices[w.rng.IntN(len(choices))]
		s.Kind, s.Round, s.State = pairing.Pair, roundID, pairing.Proposed
		s.Slot, s.Length = start.Add(9*time.Hour), time.Hour
		out = append(out, s)
	}
	return out
}

// pollen is the planner itself.
func (w *world) pollen(roundID string, start time.Time) ([]pairing.Session, error) {
	var recent []pairing.Session
	for i := len(w.history) - 1; i >= 0; i-- {
		s := w.history[i]
		if len(recent) > 0 && s.Round != recent[len(recent)-1].Round && countRounds(recent) >= pairing.DefaultRepeatWindow {
			break
		}
		recent = append(recent, s)
	}
	plan, err := pairing.PlanRound(pairing.PlanInput{
		Round: roundID, Start: start, People: w.people, Projects: w.projects, Knowledge: w.k,
		Recent: recent, SatOutLast: w.satOut,
		Settings: pairing.Settings{TargetBusFactor: w.c.Target, Seed: w.seed},
	})
	if err != nil {
		return nil, err
	}
	w.satOut = plan.Priority()
	return plan.Sessions(), nil
}

func countRounds(ss []pairing.Session) int {
	n := 0
	for i, s := range ss {
		if i == 0 || s.Round != ss[i-1].Round {
			n++
		}
	}
	return n
}

func key(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}
