package pairing

import (
	"cmp"
	"slices"

	"github.com/pollen-team/pollen/internal/matching"
)

// candEdge is a pair of people who could meet this round, with their best
// sessions. w is the matching weight: the best session's full value, plus
// the priority bonus of each member who sat out last round, plus jitter.
type candEdge struct {
	u, v int32 // u < v
	w    int64
	opts []option // best first
}

// candGraph is the candidate graph the matching runs on.
type candGraph struct {
	edges []candEdge
	adj   [][]int32 // person -> indices into edges
}

func (g *candGraph) matchingEdges() []matching.Edge {
	out := make([]matching.Edge, len(g.edges))
	for i, e := range g.edges {
		out[i] = matching.Edge{U: int(e.u), V: int(e.v), W: e.w}
	}
	return out
}

// edge finds the candidate edge between x and y, or nil.
func (g *candGraph) edge(x, y int32) *candEdge {
	if len(g.adj[y]) < len(g.adj[x]) {
		x, y = y, x
	}
	for _, i := range g.adj[x] {
		if e := &g.edges[i]; e.u == y || e.v == y {
			return e
		}
	}
	return nil
}

// candidates builds the candidate graph: every pair that could meet, or,
// when TopK prunes, the union of each person's TopK best pairs.
func (p *planner) candidates() *candGraph {
	n := int32(len(p.people))
	var edges []candEdge
	if p.set.TopK < 0 || int(n)-1 <= p.set.TopK {
		var buf []option
		for x := int32(0); x < n; x++ {
			for y := x + 1; y < n; y++ {
				buf = buf[:0]
				if e, ok := p.evalEdge(x, y, &buf); ok {
					e.opts = slices.Clone(e.opts)
					edges = append(edges, e)
				}
			}
		}
	} else {
		edges = p.prunedEdges()
	}
	g := &candGraph{edges: edges, adj: make([][]int32, n)}
	for i, e := range edges {
		g.adj[e.u] = append(g.adj[e.u], int32(i))
		g.adj[e.v] = append(g.adj[e.v], int32(i))
	}
	return g
}

// evalEdge values the pair x, y: false when they cannot meet (a private
// exclusion, no shared slot) or have nothing to teach each other. The
// edge's options live in *buf until the caller copies them.
func (p *planner) evalEdge(x, y int32, buf *[]option) (candEdge, bool) {
	if x > y {
		x, y = y, x
	}
	if p.apart(x, y) {
		return candEdge{}, false
	}
	if _, ok := p.zones.pair(p.profile[x], p.profile[y]); !ok {
		return candEdge{}, false
	}
	start := len(*buf)
	*buf = append((*buf)[:start], p.pairOptions(x, y, (*buf)[start:])...)
	opts := (*buf)[start:len(*buf):len(*buf)]
	if len(opts) == 0 || opts[0].full <= 0 {
		return candEdge{}, false
	}
	w := opts[0].full + int64(mix(p.seed, p.hid[x]^(p.hid[y]*31))%jitterRange)
	if p.prio[x] {
		w += priorityBonus
	}
	if p.prio[y] {
		w += priorityBonus
	}
	return candEdge{u: x, v: y, w: w, opts: opts}, true
}

// Pruning. For each person x the planner gathers a few dozen plausible
// partners without looking at everyone:
//   - as a learner: hosts of the projects x is part-way through, then hosts
//     of the projects a newcomer would gain most from (equally valuable
//     projects are visited from a seeded offset, so learners spread out);
//   - as a host: people part-way through a project x knows, then a seeded
//     sample of people who do not know it yet.
// It values each gathered pair exactly and keeps x's TopK best as a host
// and TopK best as a learner; the graph is the union over everyone.

const (
	hostsPerProject = 3 // hosts tried per project x could learn
	learnersPerProj = 4 // learners tried per project x could host
	gatherFactor    = 3 // partners gathered per kept edge
)

func (p *planner) prunedEdges() []candEdge {
	n := int32(len(p.people))
	k := p.set.TopK
	stamp := make([]int32, n) // stamp[y] == x+1: y already gathered for x
	partners := make([][]int32, n)
	var gathered []int32
	kept := make([]candEdge, 0, int(n)*k)
	var mine []candEdge
	arena := make([]option, 0, int(n)*k*2)
	var scratch []option
	for x := int32(0); x < n; x++ {
		gathered = p.gather(x, k*gatherFactor, stamp, gathered[:0])
		mine, scratch = mine[:0], scratch[:0]
		for _, y := range gathered {
			if e, ok := p.evalEdge(x, y, &scratch); ok {
				mine = append(mine, e)
			}
		}
		slices.SortStableFunc(mine, func(a, b candEdge) int { return cmp.Compare(b.w, a.w) })
		// Keep x's k best sessions as a host and k best as a learner, so a
		// few people who can teach everyone do not crowd out everybody
		// else's list: each of them can only be matched once.
		hosted, learned := 0, 0
		for _, e := range mine {
			if e.opts[0].host == x {
				if hosted++; hosted > k {
					continue
				}
			} else if learned++; learned > k {
				continue
			}
			y := e.u + e.v - x
			if slices.Contains(partners[x], y) {
				continue // y kept it already
			}
			partners[x], partners[y] = append(partners[x], y), append(partners[y], x)
			start := len(arena)
			arena = append(arena, e.opts...)
			e.opts = arena[start:len(arena):len(arena)]
			kept = append(kept, e)
		}
	}
	return kept
}

// gather appends up to limit plausible partners of x to out.
func (p *planner) gather(x int32, limit int, stamp []int32, out []int32) []int32 {
	add := func(y int32) bool {
		if y != x && stamp[y] != x+1 {
			stamp[y] = x + 1
			out = append(out, y)
		}
		return len(out) >= limit
	}
	theta := p.model.KnowsAt
	// As a host, learners part-way through x's projects come first: they
	// are the most valuable sessions there are.
	for _, c := range p.fam[x] {
		if c.f >= theta && p.takeSome(p.partial[c.proj], mix(p.seed, p.hid[x]+uint64(c.proj)), learnersPerProj, add) {
			return out
		}
	}
	// As a learner, the hosts of what x is part-way through.
	for _, c := range p.fam[x] {
		if c.f < theta && p.takeSome(p.knowers[c.proj], mix(p.seed, p.hid[x]+uint64(c.proj)), hostsPerProject, add) {
			return out
		}
	}
	// As a host, a seeded sample of newcomers to each of x's projects: TopK
	// in all, at least learnersPerProj each. Projects x is only part-way
	// through get a sample too, for reviews.
	hosted := 0
	for _, c := range p.fam[x] {
		if c.f >= reviewMinHost {
			hosted++
		}
	}
	per := max(learnersPerProj, (p.set.TopK+hosted-1)/max(hosted, 1))
	n := uint64(len(p.people))
	for _, c := range p.fam[x] {
		if c.f < reviewMinHost {
			continue
		}
		below := min(theta, c.f-reviewMinGap) // a newcomer to x on this project
		r := mix(p.seed, p.hid[x]^uint64(c.proj)<<20)
		for t, got := uint64(0), 0; t < uint64(4*per) && got < per; t++ {
			y := int32((r + t*0x9e3779b97f4a7c15) % n)
			if p.famOf(y, c.proj) < below {
				got++
				if add(y) {
					return out
				}
			}
		}
	}
	// As a learner, hosts of the projects worth most to a newcomer, tier by
	// tier (a tier is a run of equally valuable projects), each tier
	// visited from a seeded offset.
	fresh := p.fresh
	for lo := 0; lo < len(fresh); {
		hi := lo + 1
		for hi < len(fresh) && p.freshValue(fresh[hi]) == p.freshValue(fresh[lo]) {
			hi++
		}
		tier := fresh[lo:hi]
		off := int(mix(p.seed, p.hid[x]+uint64(lo)) % uint64(len(tier)))
		for i := range tier {
			j := tier[(off+i)%len(tier)]
			if p.famOf(x, j) >= theta {
				continue
			}
			if p.takeSome(p.knowers[j], mix(p.seed, p.hid[x]+uint64(j)), hostsPerProject, add) {
				return out
			}
		}
		lo = hi
	}
	return out
}

// takeSome offers up to n members of list, from a seeded offset, to add;
// it reports whether add asked to stop.
func (p *planner) takeSome(list []int32, r uint64, n int, add func(int32) bool) bool {
	if len(list) == 0 {
		return false
	}
	off := int(r % uint64(len(list)))
	for i := 0; i < min(n, len(list)); i++ {
		if add(list[(off+i)%len(list)]) {
			return true
		}
	}
	return false
}

// freshValue is the value of a newcomer's first pair session on project j.
func (p *planner) freshValue(j int32) int64 { return p.freshVal[j] }
