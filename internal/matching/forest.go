package matching

// Persistent alternating forest: what happens after an augmentation.
//
// mwmatching.py ends the stage after augmenting: it drops all labels and
// least-slack records, relabels every single vertex S and rescans all their
// edges. Only the two trees joined by the augmenting path actually stop being
// alternating trees (their roots are now matched); every other tree is still
// rooted at a single vertex and made of tight edges, and every single vertex
// is still such a root with dual maxweight-shift. So here only those two
// trees are dissolved, and the records that could mention their former
// S-vertices are repaired:
//
//  1. Their top-level blossoms lose their labels (recursively, so expanding
//     them later starts clean) and their duals stop moving; S-blossoms with
//     zero dual are expanded, as mwmatching.py does at the end of a stage.
//  2. Records pointing at a former S-vertex are recomputed from scratch:
//     bestedge of a free vertex from its own edges, bestedge (and the edge
//     list) of an S-blossom from all edges of its vertices, and the "reached"
//     mark of a vertex inside a T-blossom from its tight edges. Other records
//     stay exact: removing S-vertices can only drop candidates, and an
//     S-blossom pair is still covered on at least one side.
//  3. Each freed vertex is examined as if every S-neighbour had just scanned
//     the edge to it: tight edges label it at once, others give its bestedge.
//     allowedge is cleared on its edges first, because tightness recorded
//     while it was labelled need not hold now.
//
// The result is a state that mwmatching.py could itself be in during a stage,
// so Galil's invariants and optimality proof carry over unchanged.
//
// Repairing costs time proportional to the edges of the two trees. When ties
// make trees huge that is worse than starting afresh, so the solver then
// does exactly what mwmatching.py does instead (restartForest). It decides
// by measurement: every restart's cost (n plus the edges scanned until the
// next augmentation) feeds a running estimate, and trees are repaired only
// while collecting them takes fewer edge visits than a quarter of it (a
// repair visits each edge about four times). Measured on this 2-core machine
// with n = 10,000 top-k graphs (always repair / always restart / adaptive):
// k = 10, weights 1..1000: 245 / 7400 / 200 ms; k = 16, weights 1..3:
// 2500 / 1070 / 230 ms; dense n = 200, weights 1..3: 27 / 2.4 / 2.3 ms.

// augment augments the matching through tight edge k between two S-vertices
// of different trees and dissolves those two trees, or restarts the forest
// if they are too large to repair cheaply.
func (s *blossomSolver) augment(k int) {
	if s.measuring { // the forest was restarted; that cost is now known
		cost := s.scanWork - s.restartMark + s.n
		s.restartCost = (s.restartCost + cost) / 2
		s.measuring = false
	}
	budget := s.restartBudget()
	trees := s.collectTree(s.inblossom[s.endpoint[2*k]], s.treeBuf[:0], &budget)
	if budget >= 0 {
		trees = s.collectTree(s.inblossom[s.endpoint[2*k+1]], trees, &budget)
	}
	s.augmentMatching(k)
	s.nfree -= 2
	if budget >= 0 {
		s.dissolveTrees(trees)
	} else {
		s.restartForest()
	}
	s.treeBuf = trees
}

// restartBudget is the number of edge visits collectTree may spend before a
// full restart is deemed cheaper (see the file comment).
func (s *blossomSolver) restartBudget() int {
	if s.repairBudget != 0 {
		return s.repairBudget
	}
	return s.restartCost / restartCostRatio
}

// restartForest ends the stage as mwmatching.py does: it expands top-level
// S-blossoms with zero dual, forgets all labels, least-slack records and
// allowable edges, and labels every single vertex S again.
func (s *blossomSolver) restartForest() {
	n := s.n
	s.measuring, s.restartMark = true, s.scanWork
	for b := n; b < 2*n; b++ {
		if s.blossomparent[b] == -1 && s.blossombase[b] >= 0 && s.label[b] == 1 && s.dual(b) == 0 {
			s.expandBlossom(b, true)
		}
	}
	for x := 0; x < 2*n; x++ {
		s.setMul(x, 0)
	}
	mwmFill(s.label, 0)
	mwmFill(s.labelend, -1)
	mwmFill(s.bestedge, -1)
	mwmFill(s.haveBestEdges, false)
	mwmFill(s.allowedge, false)
	s.queue = s.queue[:0]
	s.heap2.reset()
	s.heap3.reset()
	s.heap4.reset()
	for v := 0; v < n; v++ {
		if s.mate[v] == -1 && s.label[s.inblossom[v]] == 0 {
			s.assignLabel(v, 1, -1)
		}
	}
}

// treeRoot returns the root S-blossom of the tree containing labelled
// top-level blossom b, by following labelend as scanBlossom does.
func (s *blossomSolver) treeRoot(b int) int {
	if s.label[b] == 2 {
		b = s.inblossom[s.endpoint[s.labelend[b]]]
	}
	for s.labelend[b] != -1 {
		t := s.inblossom[s.endpoint[s.labelend[b]]]
		b = s.inblossom[s.endpoint[s.labelend[t]]]
	}
	return b
}

// collectTree appends to out the top-level blossoms of the tree containing
// b. The children of a T-blossom are its base's mate's blossom; the children
// of an S-blossom are the T-blossoms whose labelend is an endpoint of one of
// its vertices. It must run before augmentation changes the mates. Each edge
// visit costs one unit of *budget; it stops early once that goes negative.
func (s *blossomSolver) collectTree(b int, out []int, budget *int) []int {
	stack := append(s.stackBuf[:0], s.treeRoot(b))
	for len(stack) > 0 && *budget >= 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = append(out, b)
		if s.label[b] == 2 {
			stack = append(stack, s.inblossom[s.endpoint[s.mate[s.blossombase[b]]]])
			continue
		}
		s.leafBuf = s.appendLeaves(s.leafBuf[:0], b)
		for _, v := range s.leafBuf {
			*budget -= s.adjStart[v+1] - s.adjStart[v]
			for _, p := range s.adjEnds[s.adjStart[v]:s.adjStart[v+1]] {
				bx := s.inblossom[s.endpoint[p]]
				if bx != b && s.label[bx] == 2 && s.labelend[bx] == p^1 {
					stack = append(stack, bx)
				}
			}
		}
	}
	s.stackBuf = stack
	return out
}

// dissolveTrees unlabels the given top-level blossoms (two trees after an
// augmentation) and repairs the records of the rest of the forest.
func (s *blossomSolver) dissolveTrees(blossoms []int) {
	verts, sverts, expand := s.vertBuf[:0], s.sVertBuf[:0], s.expandBuf[:0]
	for _, b := range blossoms {
		start := len(verts)
		verts = s.appendLeaves(verts, b)
		if s.label[b] == 1 {
			sverts = append(sverts, verts[start:]...)
			if b >= s.n && s.dual(b) == 0 {
				expand = append(expand, b)
			}
		}
		s.clearLabels(b)
		s.bestedge[b] = -1
		s.haveBestEdges[b] = false
		if b >= s.n {
			s.setMul(b, 0)
		}
	}
	for _, v := range verts {
		s.setMul(v, 0)
		s.bestedge[v] = -1
	}
	for _, b := range expand {
		s.expandBlossom(b, true)
	}
	s.repairStale(sverts)
	s.rescanFreed(verts)
	s.vertBuf, s.sVertBuf, s.expandBuf = verts, sverts, expand
}

// clearLabels removes the labels of blossom b and all its sub-blossoms and
// vertices, as the start of a stage in mwmatching.py does.
func (s *blossomSolver) clearLabels(b int) {
	s.label[b], s.labelend[b] = 0, -1
	if b >= s.n {
		for _, c := range s.blossomchilds[b] {
			s.clearLabels(c)
		}
	}
}

// repairStale recomputes every least-slack record that points at an edge of
// a former S-vertex in sverts.
func (s *blossomSolver) repairStale(sverts []int) {
	stale := s.staleList[:0]
	mark := func(x int) {
		if !s.staleMark[x] {
			s.staleMark[x] = true
			stale = append(stale, x)
		}
	}
	for _, v := range sverts {
		for _, p := range s.adjEnds[s.adjStart[v]:s.adjStart[v+1]] {
			k, w := p>>1, s.endpoint[p]
			bw := s.inblossom[w]
			switch {
			case s.label[bw] == 1 && s.bestedge[bw] == k:
				mark(bw)
			case s.label[bw] == 2 && bw != w && s.label[w] == 2 && s.labelend[w] == p^1:
				// w was reached inside its T-blossom through v only.
				s.label[w], s.labelend[w] = 0, -1
				mark(w)
			case s.label[w] == 0 && s.bestedge[w] == k:
				mark(w)
			}
		}
	}
	for _, x := range stale {
		s.staleMark[x] = false
		if s.blossomparent[x] == -1 && s.label[x] == 1 {
			s.recomputeBlossomBest(x)
		} else {
			s.recomputeVertexBest(x)
		}
	}
	s.staleList = stale
}

// recomputeVertexBest sets bestedge[w] of a free or unreached vertex to its
// least-slack edge to an S-vertex. A vertex inside a T-blossom with a tight
// edge to an S-vertex is marked reached instead, as scanEdge would do.
func (s *blossomSolver) recomputeVertexBest(w int) {
	bw := s.inblossom[w]
	best := -1
	var bestSlack int64
	for _, p := range s.adjEnds[s.adjStart[w]:s.adjStart[w+1]] {
		if by := s.inblossom[s.endpoint[p]]; by == bw || s.label[by] != 1 {
			continue
		}
		sl := s.slack(p >> 1)
		if sl <= 0 && s.label[bw] == 2 {
			s.allowedge[p>>1] = true
			s.label[w], s.labelend[w], s.bestedge[w] = 2, p, -1
			return
		}
		if best == -1 || sl < bestSlack {
			best, bestSlack = p>>1, sl
		}
	}
	s.bestedge[w] = best
	if best != -1 && s.label[bw] == 0 {
		s.heap2.push(bestSlack+s.shift, w, best)
	}
}

// recomputeBlossomBest rebuilds bestedge[b] (and the edge list of a
// non-trivial blossom) of top-level S-blossom b from all its vertices' edges.
func (s *blossomSolver) recomputeBlossomBest(b int) {
	s.considerLeafEdges(b, b)
	s.finishBestEdges(b, b >= s.n)
}

// rescanFreed examines the edges of the freed vertices from the S side:
// tight edges label them as scanQueue would, the others set bestedge.
func (s *blossomSolver) rescanFreed(verts []int) {
	for _, x := range verts {
		for _, p := range s.adjEnds[s.adjStart[x]:s.adjStart[x+1]] {
			s.allowedge[p>>1] = false
		}
	}
	for _, x := range verts {
		for _, p := range s.adjEnds[s.adjStart[x]:s.adjStart[x+1]] {
			s.rescanFreedEdge(x, p)
		}
		if k := s.bestedge[x]; k != -1 && s.label[s.inblossom[x]] == 0 {
			s.heap2.push(s.slack(k)+s.shift, x, k)
		}
	}
}

// rescanFreedEdge handles the edge from freed vertex x to remote endpoint p
// as if its other end, if an S-vertex, had just scanned it.
func (s *blossomSolver) rescanFreedEdge(x, p int) {
	k := p >> 1
	bx, by := s.inblossom[x], s.inblossom[s.endpoint[p]]
	if bx == by || s.label[by] != 1 || s.label[bx] == 1 {
		return // not an S-to-free edge (an S x is queued and scans itself)
	}
	kslack := s.slack(k)
	switch {
	case kslack <= 0:
		s.allowedge[k] = true
		if s.label[bx] == 0 {
			s.assignLabel(x, 2, p)
		} else if s.label[x] == 0 {
			s.label[x] = 2 // reached inside a T-blossom
			s.labelend[x] = p
		}
	case s.label[x] == 0:
		if b := s.bestedge[x]; b == -1 || kslack < s.slack(b) {
			s.bestedge[x] = k
		}
	}
}

// restartCostRatio is the measured restart cost divided by the repair
// budget: repairing visits each edge of the trees about this many times.
const restartCostRatio = 4
