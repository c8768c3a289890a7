package matching

// Dual adjustment step of the primal-dual method (Galil 1986, section 3;
// the tail of a substage in mwmatching.py). All quantities are doubled, so
// delta is an integer whenever the weights are.
//
// mwmatching.py finds the least delta by scanning every vertex and blossom
// and then updates every dual: O(n) per step. Here a dual update is O(1)
// (shift += delta, see blossomSolver) and each candidate sits in a heap under
// a key that dual updates leave unchanged:
//
//	delta2, free vertex v, edge k to an S-vertex: slack(k) + shift
//	  (the S end falls by delta, v stays put)
//	delta3, S-blossom b, edge k to another S-blossom: slack(k) + 2*shift
//	  (both ends fall by delta)
//	delta4, T-blossom b: z(b) + shift (z falls by delta)
//
// Entries are pushed whenever a candidate appears or changes and are never
// updated in place; an entry is used only if it still describes the current
// state exactly (validity checks below), otherwise it is discarded. Every
// live candidate always has a valid entry, so the heap minimum is the true
// minimum.

// Kinds of delta, numbered as in Galil and mwmatching.py.
const (
	deltaSingleVertex = 1 // delta1: the single vertices' dual reaches zero; optimum
	deltaFreeEdge     = 2 // delta2: an S-to-free edge becomes tight
	deltaSSEdge       = 3 // delta3: an S-to-S edge becomes tight
	deltaTBlossom     = 4 // delta4: a T-blossom's dual reaches zero; expand it
)

// dualStep computes the largest dual change that keeps the dual feasible,
// applies it, and acts on the constraint that became tight. It returns false
// when delta1 was chosen (or nothing is single), which means the current
// matching is optimal.
func (s *blossomSolver) dualStep() bool {
	if s.checkHook != nil {
		s.checkHook()
	}
	if s.nfree == 0 {
		return false // perfect matching: optimal with the current duals
	}
	deltatype, delta, deltaedge, deltablossom := s.chooseDelta()
	s.shift += delta
	switch deltatype {
	case deltaSingleVertex:
		return false
	case deltaFreeEdge:
		// Use the least-slack edge to continue the search from its S end.
		s.allowedge[deltaedge] = true
		i := s.endpoint[2*deltaedge]
		if s.label[s.inblossom[i]] == 0 {
			i = s.endpoint[2*deltaedge+1]
		}
		s.queue = append(s.queue, i)
	case deltaSSEdge:
		s.allowedge[deltaedge] = true
		s.queue = append(s.queue, s.endpoint[2*deltaedge])
	case deltaTBlossom:
		s.expandBlossom(deltablossom, false)
	}
	return true
}

// chooseDelta returns the kind and size of the next dual change, with the
// edge (delta2, delta3) or blossom (delta4) responsible for it. Ties keep the
// lower delta kind, as in mwmatching.py.
func (s *blossomSolver) chooseDelta() (deltatype int, delta int64, deltaedge, deltablossom int) {
	// delta1: every single vertex has been an S-vertex since the start, so
	// they all have dual maxweight - shift, the least vertex dual.
	deltatype, delta, deltaedge, deltablossom = deltaSingleVertex, s.maxweight-s.shift, -1, -1
	if it, ok := s.top(&s.heap2, s.valid2); ok && it.key-s.shift < delta {
		delta, deltatype, deltaedge = it.key-s.shift, deltaFreeEdge, int(it.edge)
	}
	// delta3 is half a slack; S-to-S slacks are even with integer weights.
	if it, ok := s.top(&s.heap3, s.valid3); ok && (it.key-2*s.shift)/2 < delta {
		delta, deltatype, deltaedge = (it.key-2*s.shift)/2, deltaSSEdge, int(it.edge)
	}
	if it, ok := s.top(&s.heap4, s.valid4); ok && it.key-s.shift < delta {
		delta, deltatype, deltablossom = it.key-s.shift, deltaTBlossom, int(it.id)
	}
	return deltatype, delta, deltaedge, deltablossom
}

// valid2 reports whether a delta2 entry is current: vertex id is free (its
// top-level blossom unlabelled), its best edge is still the entry's, and the
// key matches that edge's slack.
func (s *blossomSolver) valid2(it mwmHeapItem) bool {
	v, k := int(it.id), int(it.edge)
	return s.label[s.inblossom[v]] == 0 && s.bestedge[v] == k && s.slack(k)+s.shift == it.key
}

// valid3 reports whether a delta3 entry is current: blossom id is a
// top-level S-blossom whose best edge is the entry's, with matching key.
func (s *blossomSolver) valid3(it mwmHeapItem) bool {
	b, k := int(it.id), int(it.edge)
	return s.blossomparent[b] == -1 && s.label[b] == 1 && s.bestedge[b] == k && s.slack(k)+2*s.shift == it.key
}

// valid4 reports whether a delta4 entry is current: blossom id is a
// top-level T-blossom whose dual matches the key.
func (s *blossomSolver) valid4(it mwmHeapItem) bool {
	b := int(it.id)
	return s.blossombase[b] >= 0 && s.blossomparent[b] == -1 && s.label[b] == 2 && s.dual(b)+s.shift == it.key
}

// top discards stale entries from the top of h and returns the least valid
// one. When h has grown far beyond its size after the last compaction (and
// beyond the number of live candidates, at most one per vertex or blossom),
// it is compacted first, which keeps it O(n) and the amortized cost of a push
// O(log n).
func (s *blossomSolver) top(h *mwmHeap, valid func(mwmHeapItem) bool) (mwmHeapItem, bool) {
	if len(h.a) > max(h.limit, 8*s.n+64) {
		h.compact(valid)
		h.limit = 2 * len(h.a)
	}
	for len(h.a) > 0 {
		if it := h.a[0]; valid(it) {
			return it, true
		}
		h.pop()
	}
	return mwmHeapItem{}, false
}

// mwmHeapItem is a heap entry: a key, the vertex or blossom it belongs to and
// the edge that realizes it (-1 for delta4).
type mwmHeapItem struct {
	key      int64
	id, edge int32
}

// mwmHeap is a binary min-heap on key.
type mwmHeap struct {
	a     []mwmHeapItem
	limit int // compact when larger than this
}

// reset empties h, keeping its storage.
func (h *mwmHeap) reset() {
	h.a, h.limit = h.a[:0], 0
}

// push adds an entry.
func (h *mwmHeap) push(key int64, id, edge int) {
	h.a = append(h.a, mwmHeapItem{key: key, id: int32(id), edge: int32(edge)})
	a := h.a
	i := len(a) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if a[parent].key <= a[i].key {
			break
		}
		a[parent], a[i] = a[i], a[parent]
		i = parent
	}
}

// pop removes the least entry.
func (h *mwmHeap) pop() {
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a = h.a[:last]
	mwmHeapDown(h.a, 0)
}

// compact drops every invalid entry and rebuilds the heap.
func (h *mwmHeap) compact(valid func(mwmHeapItem) bool) {
	a := h.a[:0]
	for _, it := range h.a {
		if valid(it) {
			a = append(a, it)
		}
	}
	for i := len(a)/2 - 1; i >= 0; i-- {
		mwmHeapDown(a, i)
	}
	h.a = a
}

// mwmHeapDown restores the heap order of a below position i.
func mwmHeapDown(a []mwmHeapItem, i int) {
	n := len(a)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && a[c+1].key < a[c].key {
			c++
		}
		if a[i].key <= a[c].key {
			return
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
}
