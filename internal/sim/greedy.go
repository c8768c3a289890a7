package sim

import (
	"slices"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// greedy is the strong baseline, what a sensible team lead would do by
// hand: first finish what was started (everyone part-way to knowing a
// project gets a session with someone who knows it, the project with the
// lowest bus factor first), then pair the rest at random and have each
// pair teach the project with the lowest bus factor that exactly one of
// them knows. Avoid lists and working hours hold as for every policy; a
// pair with nothing to teach has no session.
func (w *world) greedy(ids []string, roundID string, start time.Time) []pairing.Session {
	ids = slices.Clone(ids)
	w.rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	bf := map[string]int{}
	var projects []string
	for _, pj := range w.projects {
		if !pj.Retired {
			bf[pj.Name] = w.k.BusFactor(pj.Name, w.people, start)
			projects = append(projects, pj.Name)
		}
	}
	// Lowest bus factor first; ties in a random order.
	w.rng.Shuffle(len(projects), func(i, j int) { projects[i], projects[j] = projects[j], projects[i] })
	slices.SortStableFunc(projects, func(a, b string) int { return bf[a] - bf[b] })

	taken := map[string]bool{}
	var out []pairing.Session
	add := func(host, learner, project string, slot time.Time) {
		taken[host], taken[learner] = true, true
		out = append(out, pairing.Session{
			Kind: pairing.Pair, Round: roundID, State: pairing.Proposed, Host: host, Learners: []string{learner},
			Project: project, Slot: slot, Length: w.length(),
		})
	}
	// 1. Finish the learners part-way.
	for _, l := range ids {
		for _, pj := range projects {
			if taken[l] || bf[pj] >= w.c.Target {
				break
			}
			if f := w.k.F(l, pj, start); f <= 0 || w.k.Knows(l, pj, start) {
				continue
			}
			for _, h := range ids {
				if taken[h] || h == l || !w.k.Knows(h, pj, start) {
					continue
				}
				if slot, ok := w.slot([]string{h, l}, start); ok {
					add(h, l, pj, slot)
					break
				}
			}
		}
	}
	// 2. Random pairs of the rest, each on its lowest bus factor project.
	var rest []string
	for _, id := range ids {
		if !taken[id] {
			rest = append(rest, id)
		}
	}
	for i := 0; i+1 < len(rest); i += 2 {
		a, b := rest[i], rest[i+1]
		slot, ok := w.slot([]string{a, b}, start)
		if !ok {
			continue
		}
		for _, pj := range projects {
			ka, kb := w.k.Knows(a, pj, start), w.k.Knows(b, pj, start)
			if ka && !kb {
				add(a, b, pj, slot)
				break
			}
			if kb && !ka {
				add(b, a, pj, slot)
				break
			}
		}
	}
	return out
}
