package matching

import "math/big"

// Edge is an undirected edge between vertices U and V (0-based, U != V) with weight W.
type Edge struct {
	U, V int
	W    int64
}

// MaxEdgeWeight is the largest edge weight MaxWeight works with;
// heavier edges are treated as having exactly this weight. The solver keeps
// doubled duals bounded by twice the largest weight and adds a few of them,
// so up to 2^60 nothing can overflow int64 and the result stays exact.
const MaxEdgeWeight int64 = 1 << 60

// MaxWeight returns mate, where mate[v] is v's partner or -1, for a matching of maximum total weight
// (not necessarily maximum cardinality) in the graph with n vertices and the given edges.
// Edges with W <= 0 are never useful and may be ignored. Duplicate edges: the heaviest counts.
//
// Self-loops, edges with W <= 0 and edges with a vertex outside [0, n) are
// ignored, and weights above MaxEdgeWeight count as MaxEdgeWeight; no input
// makes it panic. The result always has length max(n, 0). Each connected
// component with an edge is solved separately by the blossom algorithm (see
// the file comment): a matching is optimal exactly when its restriction to
// every component is, so splitting only saves work. It is deterministic, pure
// and safe for concurrent use. Running time is O(n^3) in the worst case and
// far less on sparse graphs.
func MaxWeight(n int, edges []Edge) []int {
	if n < 0 {
		n = 0
	}
	mate := make([]int, n)
	for i := range mate {
		mate[i] = -1
	}
	g := normalizeMatchingEdges(n, edges)
	if len(g) == 0 {
		return mate
	}
	solveMatchingComponents(n, g, mate)
	return mate
}

// Weight returns the total weight of the matching mate on the given edges:
// for every matched pair {v, mate[v]} (with mate[mate[v]] == v) it adds the
// weight of the heaviest edge between the two, once per pair, counting a
// weight above MaxEdgeWeight as MaxEdgeWeight as MaxWeight does. Pairs
// without an edge contribute nothing; edges with out-of-range vertices and
// self-loops are ignored. The sum is exact: ok is false, and total 0, when
// it does not fit in an int64 (a few dozen pairs near MaxEdgeWeight), so it
// never overflows into a wrong figure.
func Weight(edges []Edge, mate []int) (total int64, ok bool) {
	n := len(mate)
	best := make([]int64, n) // heaviest edge of the pair, indexed by its smaller vertex
	seen := make([]bool, n)
	for _, e := range edges {
		u, v := e.U, e.V
		if u < 0 || v < 0 || u >= n || v >= n || u == v || mate[u] != v || mate[v] != u {
			continue
		}
		if v < u {
			u = v
		}
		w := min(e.W, MaxEdgeWeight)
		if !seen[u] || w > best[u] {
			best[u], seen[u] = w, true
		}
	}
	sum := new(big.Int)
	for u := range best {
		if seen[u] {
			sum.Add(sum, big.NewInt(best[u]))
		}
	}
	if !sum.IsInt64() {
		return 0, false
	}
	return sum.Int64(), true
}

// normalizeMatchingEdges drops unusable edges (self-loops, W <= 0, vertices
// out of range), caps weights at MaxEdgeWeight and merges parallel edges into
// one carrying the heaviest weight. The
// kept edges stay in input order with U < V, so runs are deterministic. It is
// O(n + len(edges)): edges are bucketed by smaller endpoint and duplicates
// found with a per-vertex stamp instead of a map.
func normalizeMatchingEdges(n int, edges []Edge) []Edge {
	kept := make([]Edge, 0, len(edges))
	for _, e := range edges {
		if e.W <= 0 || e.U == e.V || e.U < 0 || e.V < 0 || e.U >= n || e.V >= n {
			continue
		}
		if e.U > e.V {
			e.U, e.V = e.V, e.U
		}
		e.W = min(e.W, MaxEdgeWeight)
		kept = append(kept, e)
	}
	if len(kept) < 2 {
		return kept
	}
	// Stable counting sort of edge indices by smaller endpoint.
	start := make([]int32, n+1)
	for _, e := range kept {
		start[e.U+1]++
	}
	for i := 0; i < n; i++ {
		start[i+1] += start[i]
	}
	order := make([]int32, len(kept))
	fill := make([]int32, n)
	copy(fill, start[:n])
	for i, e := range kept {
		order[fill[e.U]] = int32(i)
		fill[e.U]++
	}
	// Within a bucket, first[v] is the first edge to v; stamp[v] says which
	// bucket wrote it (stamp 0 means never, so buckets are numbered u+1).
	first, stamp := fill, make([]int32, n)
	drop := make([]bool, len(kept))
	dups := 0
	for u := 0; u < n; u++ {
		for _, i := range order[start[u]:start[u+1]] {
			v := kept[i].V
			if stamp[v] != int32(u+1) {
				stamp[v], first[v] = int32(u+1), i
				continue
			}
			f := first[v]
			if kept[i].W > kept[f].W {
				kept[f].W = kept[i].W
			}
			drop[i] = true
			dups++
		}
	}
	if dups == 0 {
		return kept
	}
	out := kept[:0]
	for i, e := range kept {
		if !drop[i] {
			out = append(out, e)
		}
	}
	return out
}

// solveMatchingComponents splits the normalized graph into connected components
// (union-find), solves each component with at least one edge on local
// vertex numbers, and writes the partners into mate. One blossomSolver is reused for
// all components, so buffers are allocated once for the largest one.
func solveMatchingComponents(n int, edges []Edge, mate []int) {
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		a, b := find(int32(e.U)), find(int32(e.V))
		if a != b {
			parent[a] = b
		}
	}
	// Number components by root; count vertices and edges of each.
	compOf := make([]int32, n) // root -> component id + 1, then vertex -> component id
	ncomp := int32(0)
	for _, e := range edges {
		r := find(int32(e.U))
		if compOf[r] == 0 {
			ncomp++
			compOf[r] = ncomp
		}
	}
	vcount := make([]int32, ncomp+1)
	ecount := make([]int32, ncomp+1)
	local := make([]int32, n) // vertex -> index inside its component
	for v := 0; v < n; v++ {
		c := compOf[find(int32(v))]
		if c == 0 {
			local[v] = -1
			continue
		}
		local[v] = vcount[c]
		vcount[c]++
	}
	for _, e := range edges {
		ecount[compOf[find(int32(e.U))]]++
	}
	// Group edges and vertices by component (counting sort keeps order).
	estart := mwmPrefixSums(ecount)
	vstart := mwmPrefixSums(vcount)
	byComp := make([]Edge, len(edges))
	verts := make([]int, vstart[ncomp+1])
	efill := append([]int32(nil), estart...)
	vfill := append([]int32(nil), vstart...)
	for _, e := range edges {
		c := compOf[find(int32(e.U))]
		byComp[efill[c]] = Edge{U: int(local[e.U]), V: int(local[e.V]), W: e.W}
		efill[c]++
	}
	for v := 0; v < n; v++ {
		if local[v] >= 0 {
			c := compOf[find(int32(v))]
			verts[vfill[c]] = v
			vfill[c]++
		}
	}
	var s blossomSolver
	for c := int32(1); c <= ncomp; c++ {
		cv := verts[vstart[c]:vstart[c+1]]
		localMate := s.solve(len(cv), byComp[estart[c]:estart[c+1]])
		for i, m := range localMate {
			if m >= 0 {
				mate[cv[i]] = cv[m]
			}
		}
	}
}

// mwmPrefixSums returns the exclusive prefix sums of counts with one extra
// trailing total: out[i] = counts[0] + ... + counts[i-1].
func mwmPrefixSums(counts []int32) []int32 {
	out := make([]int32, len(counts)+1)
	for i, c := range counts {
		out[i+1] = out[i] + c
	}
	return out
}
