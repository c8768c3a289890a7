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

	history []pairing.Session  // every proposed session, Done or Skipped
	lastMet map[[2]string]int  // pair -> last round (1-based) they held a done session
	circle  []string           // round-robin order
	satOut  []string           // pollen: priority for the next round
	avoid   map[[2]string]bool // pairs never to match (people's avoid lists)
	locate  func(string) (*time.Location, error)
	rounds  int // rounds planned so far
}

// active lists the people who can take part in the round, sorted by ID,
// as the bot decides it: on the team and not paused, not skipping this
// round, and not in their biweekly off week.
func (w *world) active(roundID string, at time.Time) []string {
	off := pairing.OffWeek(roundID, w.recent())
	var ids []string
	for _, p := range w.people {
		if p.ActiveAt(at) && !p.SkipsRound(roundID) && !(p.Cadence == pairing.Biweekly && off[p.ID]) {
			ids = append(ids, p.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// planRound asks the policy for round r's sessions.
func (w *world) planRound(policy string, roundID string, start time.Time) ([]pairing.Session, error) {
	if set := w.settings(); len(set.Holidays) > 0 { // no round in the team's holidays, as the scheduler does
		if loc, err := w.locate(set.TimeZone); err == nil {
			if _, ok := set.Holiday(start, loc); ok {
				return nil, nil
			}
		}
	}
	ids := w.active(roundID, start)
	switch policy {
	case PolicyPollen:
		return w.pollen(roundID, start)
	case PolicyGreedy:
		return w.greedy(ids, roundID, start), nil
	case PolicyRotation:
		return w.withProjects(w.rotation(ids), roundID, start), nil
	case PolicyRoundRobin:
		return w.withProjects(w.roundRobin(ids), roundID, start), nil
	}
	return w.withProjects(w.random(ids), roundID, start), nil
}

// random pairs people uniformly at random; an odd person sits out.
func (w *world) random(ids []string) [][2]string {
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
func (w *world) rotation(ids []string) [][2]string {
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
func (w *world) roundRobin(ids []string) [][2]string {
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
// pair with none, a pair one of them avoids and a pair whose working hours
// never overlap have no session.
func (w *world) withProjects(pairs [][2]string, roundID string, start time.Time) []pairing.Session {
	var out []pairing.Session
	for _, pr := range pairs {
		slot, ok := w.slot(pr[:], start)
		if !ok {
			continue
		}
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
		s.Slot, s.Length = slot, w.length()
		out = append(out, s)
	}
	return out
}

// slot is the first time in the round's week inside every participant's
// working hours, in their own zones, as the planner chooses slots; false
// when there is none or two of them avoid each other.
func (w *world) slot(ids []string, start time.Time) (time.Time, bool) {
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if w.avoid[key(ids[i], ids[j])] {
				return time.Time{}, false
			}
		}
	}
	people := make([]pairing.Person, 0, len(ids))
	for _, id := range ids {
		people = append(people, w.person(id))
	}
	return pairing.FirstSlot(people, start, w.length(), w.locate)
}

// person is the roster entry with the ID.
func (w *world) person(id string) pairing.Person {
	for _, p := range w.people {
		if p.ID == id {
			return p
		}
	}
	return pairing.Person{Profile: pairing.Profile{ID: id}}
}

// recent is the sessions of the last rounds the planner looks at: the
// repeat window, and at least the round before (for biweekly off weeks).
func (w *world) recent() []pairing.Session {
	window := max(w.settings().RepeatWindow, 1)
	var recent []pairing.Session
	for i := len(w.history) - 1; i >= 0; i-- {
		s := w.history[i]
		if len(recent) > 0 && s.Round != recent[len(recent)-1].Round && countRounds(recent) >= window {
			break
		}
		recent = append(recent, s)
	}
	return recent
}

// pollen is the planner itself, given what the scheduler gives it: the
// roster with everyone's zone and working hours, avoid lists, this round's
// skips, recent sessions (repeats, biweekly off weeks) and the team's
// settings.
func (w *world) pollen(roundID string, start time.Time) ([]pairing.Session, error) {
	var skip []string
	for _, p := range w.people {
		if p.SkipsRound(roundID) {
			skip = append(skip, p.ID)
		}
	}
	set := w.settings()
	plan, err := pairing.PlanRound(pairing.PlanInput{
		Round: roundID, Start: start, People: w.people, Projects: w.projects, Knowledge: w.k,
		Recent: w.recent(), SatOutLast: w.satOut, Skip: skip, Avoid: pairing.AvoidPairs(w.people),
		Location: w.locate,
		Settings: pairing.Settings{
			TargetBusFactor: w.c.Target, RepeatWindow: set.RepeatWindow, SessionLength: set.SessionLength, Seed: w.seed,
		},
	})
	if err != nil {
		return nil, err
	}
	w.satOut = plan.Priority()
	return plan.Sessions(), nil
}

// settings are the real team's settings, or the defaults.
func (w *world) settings() pairing.TeamSettings {
	if w.c.Roster != nil && w.c.Roster.Settings != nil {
		return *w.c.Roster.Settings
	}
	return pairing.DefaultTeamSettings()
}

// length is a session's length.
func (w *world) length() time.Duration {
	if l := w.settings().SessionLength; l > 0 {
		return l
	}
	return time.Hour
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
