package pairing

import (
	"cmp"
	"slices"

	"github.com/pollen-team/pollen/internal/matching"
)

// planned is a session chosen by the planner, before it becomes a Session.
type planned struct {
	host     int32
	learners []int32
	proj     int32
	kind     Kind
	value    int64
	quota    quotaKind
}

func (s *planned) members() []int32 { return append([]int32{s.host}, s.learners...) }

// quotaSlot names one project's budget of one kind.
type quotaSlot struct {
	proj  int32
	quota quotaKind
}

// assignProjects gives each matched pair its session. Each pair would like
// its best option, but a project's budget (see quotaKind) may not cover
// every pair that wants it; then the pairs are assigned to budget places
// by an exact maximum-weight matching of pairs × places, where a pair's
// gain from a place is the option's full value minus the best it can get
// without any place. With the pairs fixed, that is the best assignment.
func (p *planner) assignProjects(g *candGraph, mate []int) []planned {
	var pairs []*candEdge
	for x, y := range mate {
		if y > x {
			if e := g.edge(int32(x), int32(y)); e != nil {
				pairs = append(pairs, e)
			}
		}
	}
	choice := make([]option, len(pairs))
	full := make([]bool, len(pairs))
	demand := map[quotaSlot]int{}
	for i, e := range pairs {
		choice[i], full[i] = e.opts[0], true
		if o := e.opts[0]; o.quota != quotaNone {
			demand[quotaSlot{o.proj, o.quota}]++
		}
	}
	over := false
	for q, d := range demand {
		if d > p.budget(q.proj, q.quota) {
			over = true
		}
	}
	if over {
		p.assignBudgets(pairs, choice, full)
	}
	out := make([]planned, len(pairs))
	for i, o := range choice {
		v := o.full
		if !full[i] {
			v = o.surplus
		}
		out[i] = planned{host: o.host, learners: []int32{o.learner}, proj: o.proj, kind: o.kind(), value: v, quota: o.quota}
	}
	return out
}

// assignBudgets solves the pairs × budget places matching and writes each
// pair's option into choice (full[i] tells whether it got a place).
func (p *planner) assignBudgets(pairs []*candEdge, choice []option, full []bool) {
	base := make([]int64, len(pairs))
	for i, e := range pairs {
		best := e.opts[0]
		for _, o := range e.opts[1:] {
			if o.surplus > best.surplus {
				best = o
			}
		}
		base[i], choice[i], full[i] = best.surplus, best, false
	}
	// Places: budget places of each wanted (project, kind), numbered after
	// the pairs.
	placeOf := map[quotaSlot]int{}
	var places []quotaSlot
	var edges []matching.Edge
	type pick struct{ pair, opt int }
	picks := map[[2]int]pick{}
	for i, e := range pairs {
		for oi, o := range e.opts {
			if o.quota == quotaNone || o.full <= base[i] {
				continue
			}
			q := quotaSlot{o.proj, o.quota}
			first, ok := placeOf[q]
			if !ok {
				first = len(places)
				placeOf[q] = first
				for range min(p.budget(o.proj, o.quota), len(pairs)) {
					places = append(places, q)
				}
			}
			for k := first; k < len(places) && places[k] == q; k++ {
				v := len(pairs) + k
				edges = append(edges, matching.Edge{U: i, V: v, W: o.full - base[i]})
				picks[[2]int{i, v}] = pick{i, oi}
			}
		}
	}
	mate := matching.MaxWeight(len(pairs)+len(places), edges)
	for i := range pairs {
		if v := mate[i]; v >= 0 {
			pk := picks[[2]int{i, v}]
			choice[i], full[i] = pairs[i].opts[pk.opt], true
		}
	}
}

// addTrios lets people left without a partner join a session as a second
// learner: an exact matching of leftovers × sessions by what they would
// gain. Each session takes at most one extra learner.
func (p *planner) addTrios(g *candGraph, sessions []planned) []planned {
	busy := make([]bool, len(p.people))
	used := map[quotaSlot]int{}
	for _, s := range sessions {
		for _, m := range s.members() {
			busy[m] = true
		}
		if s.quota != quotaNone {
			used[quotaSlot{s.proj, s.quota}]++
		}
	}
	var left []int32
	for x := range p.people {
		if !busy[x] {
			left = append(left, int32(x))
		}
	}
	if len(left) == 0 || len(sessions) == 0 {
		return sessions
	}
	// Sessions on the same project are interchangeable for a newcomer, so
	// each leftover tries at most trioTries sessions, from a seeded offset,
	// plus every session on a project they are part-way through.
	const trioTries, trioKeep = 256, 8
	byProj := map[int32][]int{}
	for i, s := range sessions {
		byProj[s.proj] = append(byProj[s.proj], i)
	}
	var edges, mine []matching.Edge
	n := len(left)
	tried := make([]int32, len(sessions)) // tried[si] == li+1: already valued for leftover li
	try := func(li int, si int) {
		if tried[si] == int32(li+1) {
			return
		}
		tried[si] = int32(li + 1)
		if v, ok := p.trioValue(&sessions[si], left[li], used); ok {
			mine = append(mine, matching.Edge{U: li, V: n + si, W: v})
		}
	}
	for li, x := range left {
		mine = mine[:0]
		for _, c := range p.fam[x] {
			for _, si := range byProj[c.proj] {
				try(li, si)
			}
		}
		off := int(mix(p.seed, p.hid[x]) % uint64(len(sessions)))
		for t := range min(trioTries, len(sessions)) {
			try(li, (off+t)%len(sessions))
		}
		// Keep each leftover's best few: the matching only needs enough
		// choice to avoid collisions.
		slices.SortStableFunc(mine, func(a, b matching.Edge) int { return cmp.Compare(b.W, a.W) })
		edges = append(edges, mine[:min(len(mine), trioKeep)]...)
	}
	mate := matching.MaxWeight(n+len(sessions), edges)
	for li, x := range left {
		if m := mate[li]; m >= 0 {
			s := &sessions[m-n]
			lf, hf := p.famOf(x, s.proj), p.famOf(s.host, s.proj)
			o := p.option(s.proj, s.host, x, s.kind, hf, lf)
			v := o.surplus
			if o.quota != quotaNone && used[quotaSlot{o.proj, o.quota}] < p.budget(o.proj, o.quota) {
				v = o.full
				used[quotaSlot{o.proj, o.quota}]++
			}
			s.learners = append(s.learners, x)
			s.value += v
		}
	}
	return sessions
}
