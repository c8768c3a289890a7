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

// BusFactor is how many people on the team would have to leave before
// the project is more likely unknown than known, counted the way the
// truck-factor literature counts (Avelino et al., ICPC 2016) on the
// coverage of the people who remain: C = 1 − Π(1 − f) over them, the
// chance that at least one of them knows any given part if each person's
// familiarity is the share of it they know, independently. While C ≥ ½,
// the most familiar person leaves and the bus factor grows by one. When
// familiarities are 0 or 1 it is the number of knowers; two authors of
// half a project each count 2, as their truck factor does. See doc.go.
func (k *Knowledge) BusFactor(project string, people []Person, t time.Time) int {
	var fs []float64
	for _, p := range people {
		if OnTeam(p) {
			if f := k.F(p.ID, project, t); f > 0 {
				fs = append(fs, f)
			}
		}
	}
	return CoverageBusFactor(fs)
}

// coverageEpsilon absorbs rounding, so that two halves make a whole.
const coverageEpsilon = 1e-9

// CoverageBusFactor is the bus factor of one project given the
// familiarities of the people on the team (see BusFactor): the number of
// the most familiar people that can be removed, one by one, while the
// coverage 1 − Π(1 − f) of those left, before each removal, is at least ½.
func CoverageBusFactor(fs []float64) int {
	sorted := slices.Clone(fs)
	slices.SortFunc(sorted, func(a, b float64) int { return cmp.Compare(b, a) })
	// rest[i] is Π(1 − f) over the people from i on: what stays unknown
	// once the i most familiar have left.
	rest := 1.0
	bf := len(sorted)
	for i := len(sorted) - 1; i >= 0; i-- {
		rest *= 1 - clamp01(sorted[i])
		if rest <= 0.5+coverageEpsilon {
			return bf
		}
		bf--
	}
	return 0
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
// more than half of the active projects uncovered, found the way the
// truck-factor literature does (Avelino et al., ICPC 2016) with projects
// in the place of files: a project is covered while the coverage of the
// people left on it, 1 − Π(1 − f), is at least ½ (the rule BusFactor
// counts with); repeatedly remove the person with the most familiarity
// summed over the still-covered projects, until more than half are
// uncovered. When familiarities are 0 or 1 this removes the person who
// knows the most still-known projects. Ties go to the smaller ID so the
// answer is deterministic. Retired projects do not count.
func (k *Knowledge) TruckFactor(projects []Project, people []Person, t time.Time) int {
	var ids []string // on the team, sorted, so sums do not depend on map order
	for _, p := range people {
		if OnTeam(p) {
			ids = append(ids, p.ID)
		}
	}
	slices.Sort(ids)
	var fam []map[string]float64 // per active project: on-team person → f > 0
	for _, pj := range projects {
		if pj.Retired {
			continue
		}
		m := make(map[string]float64)
		for _, p := range people {
			if f := k.F(p.ID, pj.Name, t); OnTeam(p) && f > 0 {
				m[p.ID] = f
			}
		}
		fam = append(fam, m)
	}
	covered := func(m map[string]float64) bool {
		rest := 1.0
		for _, f := range m {
			rest *= 1 - clamp01(f)
		}
		return rest <= 0.5+coverageEpsilon
	}
	removed := 0
	for len(fam) > 0 {
		score := make(map[string]float64)
		uncovered := 0
		for _, m := range fam {
			if !covered(m) {
				uncovered++
				continue
			}
			for _, id := range ids {
				if f, ok := m[id]; ok {
					score[id] += f
				}
			}
		}
		if 2*uncovered > len(fam) || len(score) == 0 {
			break
		}
		best := ""
		for id, s := range score {
			if best == "" || s > score[best] || s == score[best] && id < best {
				best = id
			}
		}
		for _, m := range fam {
			delete(m, best)
		}
		removed++
	}
	return removed
}
