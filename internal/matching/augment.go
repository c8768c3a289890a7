package matching

// Augmentation along an augmenting path, through and around blossoms: ports
// of augmentBlossom and augmentMatching from van Rantwijk's mwmatching.py.

// augmentBlossom swaps matched and unmatched edges along the even alternating
// path inside blossom b from vertex v to the base, recursing into
// sub-blossoms, and rotates b so that v becomes its base.
func (s *blossomSolver) augmentBlossom(b, v int) {
	t := v // bubble up to an immediate sub-blossom of b
	for s.blossomparent[t] != b {
		t = s.blossomparent[t]
	}
	if t >= s.n {
		s.augmentBlossom(t, v)
	}
	childs, endps := s.blossomchilds[b], s.blossomendps[b]
	at := func(i int) int {
		if i < 0 {
			i += len(childs)
		}
		return i
	}
	i := mwmIndexOf(childs, t)
	j, jstep, endptrick := i, -1, 1
	if i&1 != 0 {
		j, jstep, endptrick = i-len(childs), 1, 0
	}
	for j != 0 {
		// Step to the next sub-blossom and augment it recursively.
		j += jstep
		t = childs[at(j)]
		p := endps[at(j-endptrick)] ^ endptrick
		if t >= s.n {
			s.augmentBlossom(t, s.endpoint[p])
		}
		// Step to the next sub-blossom and augment it recursively.
		j += jstep
		t = childs[at(j)]
		if t >= s.n {
			s.augmentBlossom(t, s.endpoint[p^1])
		}
		// Match the edge connecting those sub-blossoms.
		s.mate[s.endpoint[p]] = p ^ 1
		s.mate[s.endpoint[p^1]] = p
	}
	// Rotate the children so the new base comes first.
	mwmRotateLeft(childs, i)
	mwmRotateLeft(endps, i)
	s.blossombase[b] = s.blossombase[childs[0]]
}

// augmentMatching augments the matching along the path through tight edge k
// between two S-vertices, tracing back from both ends to their single roots.
func (s *blossomSolver) augmentMatching(k int) {
	for _, sp := range [2][2]int{{s.endpoint[2*k], 2*k + 1}, {s.endpoint[2*k+1], 2 * k}} {
		v, p := sp[0], sp[1]
		for {
			bs := s.inblossom[v]
			if bs >= s.n {
				s.augmentBlossom(bs, v)
			}
			s.mate[v] = p
			if s.labelend[bs] == -1 {
				break // reached a single vertex
			}
			t := s.endpoint[s.labelend[bs]]
			bt := s.inblossom[t]
			v = s.endpoint[s.labelend[bt]]
			j := s.endpoint[s.labelend[bt]^1]
			if bt >= s.n {
				s.augmentBlossom(bt, j)
			}
			s.mate[j] = s.labelend[bt]
			p = s.labelend[bt] ^ 1
		}
	}
}

// mwmIndexOf returns the position of x in xs, or -1.
func mwmIndexOf(xs []int, x int) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// mwmReverse reverses xs in place.
func mwmReverse(xs []int) {
	for i, j := 0, len(xs)-1; i < j; i, j = i+1, j-1 {
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// mwmRotateLeft rotates xs in place so that xs[i] comes first.
func mwmRotateLeft(xs []int, i int) {
	mwmReverse(xs[:i])
	mwmReverse(xs[i:])
	mwmReverse(xs)
}
