package pairing

import (
	"cmp"
	"slices"
	"time"
)

// OnTeam reports whether a person still counts for the bus factor at t:
// everyone who has not left. A paused person is on holiday, not gone, so a
// pause does not make a project riskier on paper.
func OnTeam(p Person) bool { return p.Status != Left }

// BusFactor is the number of people on the team who know the project at t.
func (k *Knowledge) BusFactor(project string, people []Person, t time.Time) int {
	n := 0
	for _, p := range people {
		if OnTeam(p) && k.Knows(p.ID, project, t) {
			n++
		}
	}
	return n
}

// Knowers lists the IDs of the people on the team who know the project at t,
// most familiar first.
func (k *Knowledge) Knowers(project string, people []Person, t time.Time) []string {
	type knower struct {
		id string
		f  float64
	}
	var ks []knower
	for _, p := range people {
		if f := k.F(p.ID, project, t); OnTeam(p) && f >= k.model.KnowsAt {
			ks = append(ks, knower{p.ID, f})
		}
	}
	slices.SortFunc(ks, func(a, b knower) int {
		if c := cmp.Compare(b.f, a.f); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	ids := make([]string, len(ks))
	for i, kn := range ks {
		ids[i] = kn.id
	}
	return ids
}

// TruckFactor is the smallest number of people whose leaving would leave
// more than half of the active projects known by nobody, found the way the
// truck-factor literature does (Avelino et al., ICPC 2016): repeatedly
// remove the person who knows the most still-known projects, until more than
// half are orphaned. Ties go to the smaller ID so the answer is
// deterministic. Retired projects do not count.
func (k *Knowledge) TruckFactor(projects []Project, people []Person, t time.Time) int {
	var active []string
	for _, p := range projects {
		if !p.Retired {
			active = append(active, p.Name)
		}
	}
	if len(active) == 0 {
		return 0
	}
	// knowers[j] is the set of remaining people who know project j.
	knowers := make([]map[string]bool, len(active))
	for j, name := range active {
		knowers[j] = make(map[string]bool)
		for _, p := range people {
			if OnTeam(p) && k.Knows(p.ID, name, t) {
				knowers[j][p.ID] = true
			}
		}
	}
	orphaned := func() int {
		n := 0
		for _, ks := range knowers {
			if len(ks) == 0 {
				n++
			}
		}
		return n
	}
	removed := 0
	for 2*orphaned() <= len(active) {
		counts := make(map[string]int)
		for _, ks := range knowers {
			for id := range ks {
				counts[id]++
			}
		}
		best, bestN := "", 0
		for id, n := range counts {
			if n > bestN || (n == bestN && id < best) {
				best, bestN = id, n
			}
		}
		if bestN == 0 {
			break // cannot happen: some project is still known
		}
		for _, ks := range knowers {
			delete(ks, best)
		}
		removed++
	}
	return removed
}
