package matching

// blossomSolver holds the state of van Rantwijk's maxWeightMatching for one
// connected graph; names follow mwmatching.py so the port can be checked
// against it line by line.
//
// Vertices are 0..n-1. Non-trivial blossoms are numbered n..2n-1. Edge k has
// endpoints 2k and 2k+1; endpoint[p] is the vertex at endpoint p, and p^1 is
// the other end of the same edge. Terms (S-/T-blossom, stage, delta1..delta4)
// are Galil's (1986).
//
// Two changes make it fast on large sparse graphs. Neither changes what it
// computes: a matching proved optimal by a feasible dual solution that meets
// Galil's optimality conditions, as in mwmatching.py (when several matchings
// are equally heavy, it may return a different one).
//
//   - Persistent forest. mwmatching.py discards every label after each
//     augmentation and regrows the alternating forest from all single
//     vertices, rescanning all their edges: O(m) per augmentation even when
//     only two small trees changed. Here only the two trees joined by the
//     augmenting path are dissolved (forest.go); the other trees
//     are still valid alternating trees of tight edges, and the least-slack
//     bookkeeping that referred to dissolved S-vertices is repaired. If the
//     two trees are large, it restarts the forest as mwmatching.py does.
//   - Lazy duals. The dual of vertex or blossom x is
//     dualvar[x] + dualmul[x]*shift, with dualmul the direction its label
//     moves it (S-vertex -1, T-vertex +1, S-blossom +1, T-blossom -1), so a
//     dual update is "shift += delta", and the least delta2/delta3/delta4
//     candidates come from heaps keyed by values that a dual update does not
//     change (dual.go). mwmatching.py scans all vertices instead.
//
// Buffers are reused between solve calls, so solving many components costs
// one allocation set sized for the largest.
type blossomSolver struct {
	n, nedge int

	endpoint []int   // endpoint[p]: vertex of endpoint p (2*nedge entries)
	weight2  []int64 // weight2[k]: twice the weight of edge k
	adjStart []int   // neighbend[v] is adjEnds[adjStart[v]:adjStart[v+1]]
	adjEnds  []int   // remote endpoints of the edges at each vertex

	// mate[v] is the remote endpoint of v's matched edge, or -1 if single.
	mate  []int
	nfree int // number of single vertices
	// label[b] of a top-level blossom: 0 free, 1 S, 2 T (5 = S with a
	// breadcrumb during scanBlossom). For a vertex v inside a T-blossom,
	// label[v] == 2 iff v is reachable from an S-vertex outside it.
	label []int8
	// labelend[b]: remote endpoint of the edge through which b got its
	// label, or -1 if b's base is single (also per vertex inside T-blossoms).
	labelend []int
	// inblossom[v]: top-level blossom containing vertex v.
	inblossom []int
	// blossomparent[b]: parent blossom, or -1 for top-level blossoms.
	blossomparent []int
	// blossomchilds[b]: sub-blossoms of b, starting at the base and going
	// round; blossomendps[b][i] is the endpoint of childs[i] on the edge to
	// childs[i+1] (cyclically).
	blossomchilds [][]int
	blossomendps  [][]int
	// blossombase[b]: base vertex of blossom b, -1 for unused numbers.
	blossombase []int
	// bestedge[v] for a free vertex (or unreached vertex in a T-blossom):
	// least-slack edge to an S-vertex; bestedge[b] for a top-level
	// S-blossom: least-slack edge to another S-blossom; -1 if none.
	bestedge []int
	// blossombestedges[b] for a non-trivial top-level S-blossom: least-slack
	// edges to neighbouring S-blossoms; valid only while haveBestEdges[b]
	// (van Rantwijk's None otherwise; the slice keeps its capacity).
	blossombestedges [][]int
	haveBestEdges    []bool
	unusedblossoms   []int
	// The dual of x is dualvar[x] + dualmul[x]*shift: 2*u(v) for a vertex,
	// z(b) for a blossom. Doubling keeps every dual integral.
	dualvar   []int64
	dualmul   []int8
	shift     int64 // total of all deltas applied so far
	maxweight int64 // initial vertex dual; single vertices sit at maxweight-shift
	// allowedge[k]: edge k is known to have zero slack.
	allowedge []bool
	queue     []int // S-vertices whose edges still need scanning
	// Lazy-deletion heaps of delta2, delta3 and delta4 candidates.
	heap2, heap3, heap4 mwmHeap

	// Scratch buffers, reused to avoid allocation in the hot loops.
	pathBuf    []int  // scanBlossom breadcrumbs
	leafBuf    []int  // leaves of one blossom
	labelBuf   []int  // leaves being labelled T
	bestedgeto []int  // least-slack edge per neighbour blossom, all -1 between uses
	touched    []int  // blossoms with bestedgeto set
	treeBuf    []int  // top-level blossoms of the trees being dissolved
	vertBuf    []int  // their vertices
	sVertBuf   []int  // those that were S-vertices
	expandBuf  []int  // dissolved S-blossoms with zero dual
	stackBuf   []int  // tree traversal stack
	staleList  []int  // vertices/blossoms whose best edge must be recomputed
	staleMark  []bool // membership in staleList
	result     []int  // local mate by vertex, returned by solve

	// Test-only knobs: checkHook, if set, runs before every dual update;
	// repairBudget, if nonzero, replaces restartBudget's default (negative:
	// always restart the forest after an augmentation).
	checkHook    func()
	repairBudget int

	// Cost model for choosing between repairing and restarting the forest
	// (forest.go): scanWork counts edges scanned by scanQueue;
	// restartCost estimates, in the same unit plus n, the work from a
	// restart to the next augmentation, measured whenever one happens
	// (measuring, from scanWork == restartMark).
	scanWork, restartMark, restartCost int
	measuring                          bool
}

// solve returns a maximum-weight matching of the graph with n vertices and
// the given edges, which must be normalized (0 <= U < V < n, 0 < W <=
// MaxEdgeWeight, no duplicates). The returned slice is owned by s and
// overwritten by the next call.
func (s *blossomSolver) solve(n int, edges []Edge) []int {
	s.init(n, edges)
	// Every vertex starts single and becomes the root of its own S-tree.
	for v := 0; v < n; v++ {
		s.assignLabel(v, 1, -1)
	}
	for {
		if s.scanQueue() {
			continue // augmented; the remaining forest is still valid
		}
		if !s.dualStep() {
			break
		}
	}
	res := mwmResize(s.result, n)
	for v := 0; v < n; v++ {
		res[v] = -1
		if s.mate[v] >= 0 {
			res[v] = s.endpoint[s.mate[v]]
		}
	}
	s.result = res
	return res
}

// mwmResize returns buf with length n, reallocating only when it is too small.
func mwmResize[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// mwmFill sets every element of buf to x.
func mwmFill[T any](buf []T, x T) {
	for i := range buf {
		buf[i] = x
	}
}

// init sets up the graph arrays and the initial (empty) matching with all
// vertex duals at the maximum weight, as in mwmatching.py.
func (s *blossomSolver) init(n int, edges []Edge) {
	s.initGraph(n, edges)
	s.mate = mwmResize(s.mate, n)
	mwmFill(s.mate, -1)
	s.nfree = n
	s.label = mwmResize(s.label, 2*n)
	mwmFill(s.label, 0)
	s.labelend = mwmResize(s.labelend, 2*n)
	mwmFill(s.labelend, -1)
	s.inblossom = mwmResize(s.inblossom, n)
	for v := range s.inblossom {
		s.inblossom[v] = v
	}
	s.blossomparent = mwmResize(s.blossomparent, 2*n)
	mwmFill(s.blossomparent, -1)
	s.blossomchilds = mwmResize(s.blossomchilds, 2*n)
	s.blossomendps = mwmResize(s.blossomendps, 2*n)
	s.blossombestedges = mwmResize(s.blossombestedges, 2*n)
	for b := 0; b < 2*n; b++ {
		s.blossomchilds[b] = s.blossomchilds[b][:0]
		s.blossomendps[b] = s.blossomendps[b][:0]
		s.blossombestedges[b] = s.blossombestedges[b][:0]
	}
	s.haveBestEdges = mwmResize(s.haveBestEdges, 2*n)
	mwmFill(s.haveBestEdges, false)
	s.blossombase = mwmResize(s.blossombase, 2*n)
	for b := range s.blossombase {
		s.blossombase[b] = -1
		if b < n {
			s.blossombase[b] = b
		}
	}
	s.bestedge = mwmResize(s.bestedge, 2*n)
	mwmFill(s.bestedge, -1)
	s.unusedblossoms = mwmResize(s.unusedblossoms, n)
	for i := range s.unusedblossoms {
		s.unusedblossoms[i] = n + i
	}
	s.dualvar = mwmResize(s.dualvar, 2*n)
	mwmFill(s.dualvar[:n], s.maxweight)
	mwmFill(s.dualvar[n:], 0)
	s.dualmul = mwmResize(s.dualmul, 2*n)
	mwmFill(s.dualmul, 0)
	s.shift = 0
	s.allowedge = mwmResize(s.allowedge, s.nedge)
	mwmFill(s.allowedge, false)
	s.bestedgeto = mwmResize(s.bestedgeto, 2*n)
	mwmFill(s.bestedgeto, -1)
	s.staleMark = mwmResize(s.staleMark, 2*n)
	mwmFill(s.staleMark, false)
	s.queue = s.queue[:0]
	// The initial labelling is a restart: measure it like one.
	s.scanWork, s.restartMark, s.restartCost, s.measuring = 0, 0, n, true
	s.heap2.reset()
	s.heap3.reset()
	s.heap4.reset()
}

// initGraph builds the endpoint arrays and the adjacency lists (in edge
// order, matching neighbend in mwmatching.py) and finds the largest weight.
func (s *blossomSolver) initGraph(n int, edges []Edge) {
	s.n, s.nedge = n, len(edges)
	s.endpoint = mwmResize(s.endpoint, 2*s.nedge)
	s.weight2 = mwmResize(s.weight2, s.nedge)
	s.adjStart = mwmResize(s.adjStart, n+1)
	s.adjEnds = mwmResize(s.adjEnds, 2*s.nedge)
	mwmFill(s.adjStart, 0)
	s.maxweight = 0
	for k, e := range edges {
		s.endpoint[2*k], s.endpoint[2*k+1] = e.U, e.V
		s.weight2[k] = 2 * e.W
		s.maxweight = max(s.maxweight, e.W)
		s.adjStart[e.U+1]++
		s.adjStart[e.V+1]++
	}
	for v := 0; v < n; v++ {
		s.adjStart[v+1] += s.adjStart[v]
	}
	pos := mwmResize(s.leafBuf, n)
	copy(pos, s.adjStart[:n])
	for k, e := range edges {
		s.adjEnds[pos[e.U]] = 2*k + 1
		pos[e.U]++
		s.adjEnds[pos[e.V]] = 2 * k
		pos[e.V]++
	}
	s.leafBuf = pos[:0]
}

// dual returns the current dual of vertex or blossom x (see dualvar).
func (s *blossomSolver) dual(x int) int64 {
	return s.dualvar[x] + int64(s.dualmul[x])*s.shift
}

// setMul changes the direction in which x's dual moves, keeping its value.
func (s *blossomSolver) setMul(x int, m int8) {
	if old := s.dualmul[x]; old != m {
		s.dualvar[x] += int64(old-m) * s.shift
		s.dualmul[x] = m
	}
}

// slack returns 2 * slack of edge k (not valid for edges inside blossoms).
func (s *blossomSolver) slack(k int) int64 {
	i, j := s.endpoint[2*k], s.endpoint[2*k+1]
	return s.dualvar[i] + s.dualvar[j] + int64(s.dualmul[i]+s.dualmul[j])*s.shift - s.weight2[k]
}

// scanQueue labels everything reachable by alternating paths of tight edges
// from the queued S-vertices, recording least-slack edges for delta2/delta3
// on the way. It returns true as soon as it has augmented the matching.
func (s *blossomSolver) scanQueue() bool {
	for len(s.queue) > 0 {
		v := s.queue[len(s.queue)-1]
		s.queue = s.queue[:len(s.queue)-1]
		if s.label[s.inblossom[v]] != 1 {
			continue // its tree was dissolved after it was queued
		}
		s.scanWork += s.adjStart[v+1] - s.adjStart[v]
		for _, p := range s.adjEnds[s.adjStart[v]:s.adjStart[v+1]] {
			if s.scanEdge(v, p) {
				return true
			}
		}
	}
	return false
}

// scanEdge examines the edge from S-vertex v to remote endpoint p, as the
// body of the neighbour loop in mwmatching.py. It returns true if it
// augmented the matching.
func (s *blossomSolver) scanEdge(v, p int) bool {
	k := p >> 1
	w := s.endpoint[p]
	bv, bw := s.inblossom[v], s.inblossom[w] // re-read: addBlossom moves v
	if bv == bw {
		return false // internal to a blossom
	}
	var kslack int64
	if !s.allowedge[k] {
		kslack = s.slack(k)
		if kslack <= 0 {
			s.allowedge[k] = true
		}
	}
	switch {
	case s.allowedge[k] && s.label[bw] == 0:
		// (C1) w is free: label it T and its mate S.
		s.assignLabel(w, 2, p^1)
	case s.allowedge[k] && s.label[bw] == 1:
		// (C2) w is an S-vertex in another blossom: new blossom or
		// augmenting path.
		if base := s.scanBlossom(v, w); base >= 0 {
			s.addBlossom(base, k)
		} else {
			s.augment(k)
			return true
		}
	case s.allowedge[k]:
		if s.label[w] == 0 {
			// w is inside a T-blossom but not yet reached from outside
			// it; remember how (needed when the blossom expands).
			s.label[w] = 2
			s.labelend[w] = p ^ 1
		}
	case s.label[bw] == 1:
		// Least-slack non-allowable edge to another S-blossom.
		if b := s.bestedge[bv]; b == -1 || kslack < s.slack(b) {
			s.bestedge[bv] = k
			s.heap3.push(kslack+2*s.shift, bv, k)
		}
	case s.label[w] == 0:
		// Least-slack edge from an S-vertex to free w.
		if b := s.bestedge[w]; b == -1 || kslack < s.slack(b) {
			s.bestedge[w] = k
			if s.label[bw] == 0 {
				s.heap2.push(kslack+s.shift, w, k)
			}
		}
	}
	return false
}
