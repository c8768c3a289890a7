package matching

// Blossom bookkeeping of blossomSolver: labelling, blossom creation and
// expansion, each a port of the function of the same name in van Rantwijk's
// mwmatching.py (Galil 1986 for the theory). The additions keep the lazy
// duals (setMul) and the delta heaps up to date; see solver.go.

// appendLeaves appends the vertices contained in blossom b to dst.
func (s *blossomSolver) appendLeaves(dst []int, b int) []int {
	if b < s.n {
		return append(dst, b)
	}
	for _, t := range s.blossomchilds[b] {
		if t < s.n {
			dst = append(dst, t)
		} else {
			dst = s.appendLeaves(dst, t)
		}
	}
	return dst
}

// assignLabel gives label t to the top-level blossom containing vertex w,
// reached through the edge with remote endpoint p. An S-blossom's vertices
// are queued; a T-blossom's base mate becomes S in turn. The duals of the
// blossom and its vertices start moving with the new label.
func (s *blossomSolver) assignLabel(w int, t int8, p int) {
	for {
		b := s.inblossom[w]
		s.label[w], s.label[b] = t, t
		s.labelend[w], s.labelend[b] = p, p
		s.bestedge[w], s.bestedge[b] = -1, -1
		if t == 1 {
			start := len(s.queue)
			s.queue = s.appendLeaves(s.queue, b)
			for _, v := range s.queue[start:] {
				s.setMul(v, -1)
			}
			if b >= s.n {
				s.setMul(b, 1)
			}
			return
		}
		s.labelBuf = s.appendLeaves(s.labelBuf[:0], b)
		for _, v := range s.labelBuf {
			s.setMul(v, 1)
		}
		if b >= s.n {
			s.setMul(b, -1)
			s.heap4.push(s.dual(b)+s.shift, b, -1)
		}
		// T-blossom: its base is matched (only the base has an external
		// mate); label that mate S.
		mb := s.mate[s.blossombase[b]]
		w, t, p = s.endpoint[mb], 1, mb^1
	}
}

// scanBlossom traces back from S-vertices v and w, which are joined by a tight
// edge, alternating between the two paths and leaving breadcrumbs (label 5).
// It returns the base vertex of the new blossom, or -1 when the paths end in
// two different single vertices, i.e. there is an augmenting path.
func (s *blossomSolver) scanBlossom(v, w int) int {
	path := s.pathBuf[:0]
	base := -1
	for v != -1 || w != -1 {
		b := s.inblossom[v]
		if s.label[b]&4 != 0 {
			base = s.blossombase[b]
			break
		}
		path = append(path, b)
		s.label[b] = 5
		if s.labelend[b] == -1 {
			v = -1 // b's base is single; this path ends
		} else {
			v = s.endpoint[s.labelend[b]]
			b = s.inblossom[v] // a T-blossom; one more step back
			v = s.endpoint[s.labelend[b]]
		}
		if w != -1 {
			v, w = w, v
		}
	}
	for _, b := range path {
		s.label[b] = 1
	}
	s.pathBuf = path
	return base
}

// addBlossom makes a new S-blossom with the given base out of the cycle closed
// by tight edge k between two S-vertices. Its dual starts at zero, its former
// T-vertices become S and are queued, and its least-slack edges to other
// S-blossoms are merged from its sub-blossoms.
func (s *blossomSolver) addBlossom(base, k int) {
	v, w := s.endpoint[2*k], s.endpoint[2*k+1]
	bb, bv, bw := s.inblossom[base], s.inblossom[v], s.inblossom[w]
	b := s.unusedblossoms[len(s.unusedblossoms)-1]
	s.unusedblossoms = s.unusedblossoms[:len(s.unusedblossoms)-1]
	s.blossombase[b] = base
	s.blossomparent[b] = -1
	s.blossomparent[bb] = b
	path, endps := s.blossomchilds[b][:0], s.blossomendps[b][:0]
	for bv != bb { // trace back from v to the base
		s.blossomparent[bv] = b
		path = append(path, bv)
		endps = append(endps, s.labelend[bv])
		v = s.endpoint[s.labelend[bv]]
		bv = s.inblossom[v]
	}
	path = append(path, bb)
	mwmReverse(path)
	mwmReverse(endps)
	endps = append(endps, 2*k)
	for bw != bb { // trace back from w to the base
		s.blossomparent[bw] = b
		path = append(path, bw)
		endps = append(endps, s.labelend[bw]^1)
		w = s.endpoint[s.labelend[bw]]
		bw = s.inblossom[w]
	}
	s.blossomchilds[b], s.blossomendps[b] = path, endps
	s.label[b] = 1
	s.labelend[b] = s.labelend[bb]
	s.dualvar[b], s.dualmul[b] = 0, 0
	s.setMul(b, 1) // S-blossom dual grows from zero
	for _, c := range path {
		if c >= s.n {
			s.setMul(c, 0) // sub-blossom duals stay fixed
		}
	}
	leaves := s.appendLeaves(s.leafBuf[:0], b)
	for _, v := range leaves {
		if s.label[s.inblossom[v]] == 2 {
			// A T-vertex turns S by joining an S-blossom.
			s.queue = append(s.queue, v)
		}
		s.setMul(v, -1)
		s.inblossom[v] = b
	}
	s.leafBuf = leaves
	s.mergeBestEdges(b)
}

// mergeBestEdges computes blossombestedges[b] and bestedge[b] for the new
// blossom b: for every neighbouring top-level S-blossom, the least-slack edge
// to it, taken from the sub-blossoms' lists or, where a sub-blossom has none,
// from its vertices' edges.
func (s *blossomSolver) mergeBestEdges(b int) {
	for _, bv := range s.blossomchilds[b] {
		if s.haveBestEdges[bv] {
			for _, k := range s.blossombestedges[bv] {
				s.considerBestEdge(b, k)
			}
		} else {
			s.considerLeafEdges(b, bv)
		}
		s.haveBestEdges[bv] = false
		s.bestedge[bv] = -1
	}
	s.finishBestEdges(b, true)
}

// considerLeafEdges offers every edge of the vertices of blossom bv to
// considerBestEdge(b, .).
func (s *blossomSolver) considerLeafEdges(b, bv int) {
	s.leafBuf = s.appendLeaves(s.leafBuf[:0], bv)
	for _, v := range s.leafBuf {
		for _, p := range s.adjEnds[s.adjStart[v]:s.adjStart[v+1]] {
			s.considerBestEdge(b, p>>1)
		}
	}
}

// considerBestEdge records edge k, which has one end in top-level blossom b,
// in bestedgeto if its other end lies in a different top-level S-blossom and
// it has less slack than the edge recorded for that blossom so far.
func (s *blossomSolver) considerBestEdge(b, k int) {
	j := s.endpoint[2*k+1]
	if s.inblossom[j] == b {
		j = s.endpoint[2*k]
	}
	bj := s.inblossom[j]
	if bj == b || s.label[bj] != 1 {
		return
	}
	if cur := s.bestedgeto[bj]; cur == -1 {
		s.touched = append(s.touched, bj)
		s.bestedgeto[bj] = k
	} else if s.slack(k) < s.slack(cur) {
		s.bestedgeto[bj] = k
	}
}

// finishBestEdges turns the edges gathered in bestedgeto into bestedge[b]
// (queued as a delta3 candidate) and, if keepList, blossombestedges[b]; it
// leaves bestedgeto all -1 again.
func (s *blossomSolver) finishBestEdges(b int, keepList bool) {
	list := s.blossombestedges[b][:0]
	best := -1
	var bestSlack int64
	for _, bj := range s.touched {
		k := s.bestedgeto[bj]
		s.bestedgeto[bj] = -1
		if keepList {
			list = append(list, k)
		}
		if sl := s.slack(k); best == -1 || sl < bestSlack {
			best, bestSlack = k, sl
		}
	}
	s.touched = s.touched[:0]
	s.blossombestedges[b], s.haveBestEdges[b] = list, keepList
	s.bestedge[b] = best
	if best != -1 {
		s.heap3.push(bestSlack+2*s.shift, b, best)
	}
}

// expandBlossom dissolves top-level blossom b into its sub-blossoms. At the
// end of a stage (endstage) sub-blossoms with zero dual are expanded
// recursively; during a stage a T-blossom's sub-blossoms are relabelled so
// the alternating tree stays valid.
func (s *blossomSolver) expandBlossom(b int, endstage bool) {
	for _, c := range s.blossomchilds[b] {
		s.blossomparent[c] = -1
		switch {
		case c < s.n:
			s.inblossom[c] = c
		case endstage && s.dual(c) == 0:
			s.expandBlossom(c, endstage)
		default:
			s.leafBuf = s.appendLeaves(s.leafBuf[:0], c)
			for _, v := range s.leafBuf {
				s.inblossom[v] = c
			}
		}
	}
	if !endstage && s.label[b] == 2 {
		s.relabelExpandedT(b)
	}
	for _, c := range s.blossomchilds[b] {
		if c < s.n || s.blossombase[c] >= 0 { // skip recursively expanded ones
			s.applyTopLabel(c)
		}
	}
	// Recycle the blossom number.
	s.setMul(b, 0)
	s.dualvar[b] = 0
	s.label[b], s.labelend[b] = -1, -1
	s.blossomchilds[b] = s.blossomchilds[b][:0]
	s.blossomendps[b] = s.blossomendps[b][:0]
	s.blossombase[b] = -1
	s.haveBestEdges[b] = false
	s.bestedge[b] = -1
	s.unusedblossoms = append(s.unusedblossoms, b)
}

// applyTopLabel makes the duals of top-level blossom c and its vertices move
// as its label says, and offers free vertices' best edges as delta2
// candidates (they may have been unreached vertices of a T-blossom).
func (s *blossomSolver) applyTopLabel(c int) {
	var vm, zm int8 // free: duals stay put
	switch s.label[c] {
	case 1:
		vm, zm = -1, 1
	case 2:
		vm, zm = 1, -1
	}
	if c >= s.n {
		s.setMul(c, zm)
		if zm == -1 {
			s.heap4.push(s.dual(c)+s.shift, c, -1)
		}
	}
	s.labelBuf = s.appendLeaves(s.labelBuf[:0], c)
	for _, v := range s.labelBuf {
		s.setMul(v, vm)
		if k := s.bestedge[v]; vm == 0 && k != -1 {
			s.heap2.push(s.slack(k)+s.shift, v, k)
		}
	}
}

// relabelExpandedT relabels the sub-blossoms of T-blossom b, which is being
// expanded mid-stage: the even-length path from the entry child to the base
// alternates T and S labels; the other sub-blossoms become T only if one of
// their vertices is reachable from an outside S-vertex.
func (s *blossomSolver) relabelExpandedT(b int) {
	childs, endps := s.blossomchilds[b], s.blossomendps[b]
	at := func(i int) int { // Python-style index, -len <= i < len
		if i < 0 {
			i += len(childs)
		}
		return i
	}
	entrychild := s.inblossom[s.endpoint[s.labelend[b]^1]]
	j := mwmIndexOf(childs, entrychild)
	jstep, endptrick := -1, 1 // even start index: go backward
	if j&1 != 0 {
		j -= len(childs) // odd start index: go forward and wrap
		jstep, endptrick = 1, 0
	}
	p := s.labelend[b]
	for j != 0 {
		// Relabel the T-sub-blossom.
		q := endps[at(j-endptrick)]
		s.label[s.endpoint[p^1]] = 0
		s.label[s.endpoint[q^endptrick^1]] = 0
		s.assignLabel(s.endpoint[p^1], 2, p)
		// Step to the next S-sub-blossom and note its forward endpoint.
		s.allowedge[q>>1] = true
		j += jstep
		p = endps[at(j-endptrick)] ^ endptrick
		// Step to the next T-sub-blossom.
		s.allowedge[p>>1] = true
		j += jstep
	}
	// Relabel the base T-sub-blossom without stepping through to its mate.
	bv := childs[at(j)]
	s.label[s.endpoint[p^1]], s.label[bv] = 2, 2
	s.labelend[s.endpoint[p^1]], s.labelend[bv] = p, p
	s.bestedge[bv] = -1
	// Continue round the blossom back to entrychild.
	for j += jstep; childs[at(j)] != entrychild; j += jstep {
		bv := childs[at(j)]
		if s.label[bv] == 1 {
			continue // got label S through one of its neighbours already
		}
		if v := s.reachedLeaf(bv); v >= 0 {
			// Reachable from outside: label the sub-blossom T.
			s.label[v] = 0
			s.label[s.endpoint[s.mate[s.blossombase[bv]]]] = 0
			s.assignLabel(v, 2, s.labelend[v])
		}
	}
}

// reachedLeaf returns a vertex of blossom bv with a nonzero label (reached
// from an S-vertex outside), or -1.
func (s *blossomSolver) reachedLeaf(bv int) int {
	s.leafBuf = s.appendLeaves(s.leafBuf[:0], bv)
	for _, v := range s.leafBuf {
		if s.label[v] != 0 {
			return v
		}
	}
	return -1
}
