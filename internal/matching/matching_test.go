package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pollen-team/pollen/internal/matching/networkx"
)

// mwmEdges builds an edge list from (u, v, w) triples.
func mwmEdges(triples ...[3]int64) []Edge {
	out := make([]Edge, len(triples))
	for i, t := range triples {
		out[i] = Edge{U: int(t[0]), V: int(t[1]), W: t[2]}
	}
	return out
}

// mwmCheckMatching fails the test unless mate is a valid matching of the graph:
// right length, symmetric, and every pair joined by an edge with positive
// weight (the only edges MaxWeight may use).
func mwmCheckMatching(t *testing.T, n int, edges []Edge, mate []int) {
	t.Helper()
	if len(mate) != max(n, 0) {
		t.Fatalf("len(mate) = %d, want %d", len(mate), max(n, 0))
	}
	usable := make(map[[2]int]bool)
	for _, e := range edges {
		if e.W > 0 && e.U != e.V {
			usable[[2]int{min(e.U, e.V), max(e.U, e.V)}] = true
		}
	}
	for v, m := range mate {
		if m == -1 {
			continue
		}
		if m < 0 || m >= len(mate) || m == v {
			t.Fatalf("mate[%d] = %d out of range", v, m)
		}
		if mate[m] != v {
			t.Fatalf("mate not symmetric: mate[%d] = %d but mate[%d] = %d", v, m, m, mate[m])
		}
		if !usable[[2]int{min(v, m), max(v, m)}] {
			t.Fatalf("pair %d-%d is not joined by a positive-weight edge", v, m)
		}
	}
}

// TestMaxWeightMatchingVanRantwijk runs the test suite of van Rantwijk's
// mwmatching.py (the maximum-cardinality and floating-point cases do not
// apply). Each expected matching is the unique optimum.
func TestMaxWeightMatchingVanRantwijk(t *testing.T) {
	nasty := [][3]int64{{1, 2, 45}, {1, 5, 45}, {2, 3, 50}, {3, 4, 45}, {4, 5, 50}, {1, 6, 30}, {3, 9, 35}}
	tests := []struct {
		name  string
		edges []Edge
		want  []int
	}{
		{"test10_empty", nil, []int{}},
		{"test11_singleedge", mwmEdges([3]int64{0, 1, 1}), []int{1, 0}},
		{"test12", mwmEdges([3]int64{1, 2, 10}, [3]int64{2, 3, 11}), []int{-1, -1, 3, 2}},
		{"test13", mwmEdges([3]int64{1, 2, 5}, [3]int64{2, 3, 11}, [3]int64{3, 4, 5}), []int{-1, -1, 3, 2, -1}},
		{"test16_negative", mwmEdges([3]int64{1, 2, 2}, [3]int64{1, 3, -2}, [3]int64{2, 3, 1}, [3]int64{2, 4, -1}, [3]int64{3, 4, -6}),
			[]int{-1, 2, 1, -1, -1}},
		{"test20_sblossom", mwmEdges([3]int64{1, 2, 8}, [3]int64{1, 3, 9}, [3]int64{2, 3, 10}, [3]int64{3, 4, 7}),
			[]int{-1, 2, 1, 4, 3}},
		{"test20_sblossom_b", mwmEdges([3]int64{1, 2, 8}, [3]int64{1, 3, 9}, [3]int64{2, 3, 10}, [3]int64{3, 4, 7}, [3]int64{1, 6, 5}, [3]int64{4, 5, 6}),
			[]int{-1, 6, 3, 2, 5, 4, 1}},
		{"test21_tblossom", mwmEdges([3]int64{1, 2, 9}, [3]int64{1, 3, 8}, [3]int64{2, 3, 10}, [3]int64{1, 4, 5}, [3]int64{4, 5, 4}, [3]int64{1, 6, 3}),
			[]int{-1, 6, 3, 2, 5, 4, 1}},
		{"test21_tblossom_b", mwmEdges([3]int64{1, 2, 9}, [3]int64{1, 3, 8}, [3]int64{2, 3, 10}, [3]int64{1, 4, 5}, [3]int64{4, 5, 3}, [3]int64{1, 6, 4}),
			[]int{-1, 6, 3, 2, 5, 4, 1}},
		{"test21_tblossom_c", mwmEdges([3]int64{1, 2, 9}, [3]int64{1, 3, 8}, [3]int64{2, 3, 10}, [3]int64{1, 4, 5}, [3]int64{4, 5, 3}, [3]int64{3, 6, 4}),
			[]int{-1, 2, 1, 6, 5, 4, 3}},
		{"test22_s_nest", mwmEdges([3]int64{1, 2, 9}, [3]int64{1, 3, 9}, [3]int64{2, 3, 10}, [3]int64{2, 4, 8}, [3]int64{3, 5, 8}, [3]int64{4, 5, 10}, [3]int64{5, 6, 6}),
			[]int{-1, 3, 4, 1, 2, 6, 5}},
		{"test23_s_relabel_nest", mwmEdges([3]int64{1, 2, 10}, [3]int64{1, 7, 10}, [3]int64{2, 3, 12}, [3]int64{3, 4, 20}, [3]int64{3, 5, 20}, [3]int64{4, 5, 25}, [3]int64{5, 6, 10}, [3]int64{6, 7, 10}, [3]int64{7, 8, 8}),
			[]int{-1, 2, 1, 4, 3, 6, 5, 8, 7}},
		{"test24_s_nest_expand", mwmEdges([3]int64{1, 2, 8}, [3]int64{1, 3, 8}, [3]int64{2, 3, 10}, [3]int64{2, 4, 12}, [3]int64{3, 5, 12}, [3]int64{4, 5, 14}, [3]int64{4, 6, 12}, [3]int64{5, 7, 12}, [3]int64{6, 7, 14}, [3]int64{7, 8, 12}),
			[]int{-1, 2, 1, 5, 6, 3, 4, 8, 7}},
		{"test25_s_t_expand", mwmEdges([3]int64{1, 2, 23}, [3]int64{1, 5, 22}, [3]int64{1, 6, 15}, [3]int64{2, 3, 25}, [3]int64{3, 4, 22}, [3]int64{4, 5, 25}, [3]int64{4, 8, 14}, [3]int64{5, 7, 13}),
			[]int{-1, 6, 3, 2, 8, 7, 1, 5, 4}},
		{"test26_s_nest_t_expand", mwmEdges([3]int64{1, 2, 19}, [3]int64{1, 3, 20}, [3]int64{1, 8, 8}, [3]int64{2, 3, 25}, [3]int64{2, 4, 18}, [3]int64{3, 5, 18}, [3]int64{4, 5, 13}, [3]int64{4, 7, 7}, [3]int64{5, 6, 7}),
			[]int{-1, 8, 3, 2, 7, 6, 5, 4, 1}},
		{"test30_tnasty_expand", mwmEdges(append(nasty[:7:7], [3]int64{4, 8, 35}, [3]int64{5, 7, 26}, [3]int64{9, 10, 5})...),
			[]int{-1, 6, 3, 2, 8, 7, 1, 5, 4, 10, 9}},
		{"test31_tnasty2_expand", mwmEdges(append(nasty[:7:7], [3]int64{4, 8, 26}, [3]int64{5, 7, 40}, [3]int64{9, 10, 5})...),
			[]int{-1, 6, 3, 2, 8, 7, 1, 5, 4, 10, 9}},
		{"test32_t_expand_leastslack", mwmEdges(append(nasty[:7:7], [3]int64{4, 8, 28}, [3]int64{5, 7, 26}, [3]int64{9, 10, 5})...),
			[]int{-1, 6, 3, 2, 8, 7, 1, 5, 4, 10, 9}},
		{"test33_nest_tnasty_expand", mwmEdges([3]int64{1, 2, 45}, [3]int64{1, 7, 45}, [3]int64{2, 3, 50}, [3]int64{3, 4, 45}, [3]int64{4, 5, 95}, [3]int64{4, 6, 94}, [3]int64{5, 6, 94}, [3]int64{6, 7, 50}, [3]int64{1, 8, 30}, [3]int64{3, 11, 35}, [3]int64{5, 9, 36}, [3]int64{7, 10, 26}, [3]int64{11, 12, 5}),
			[]int{-1, 8, 3, 2, 6, 9, 4, 10, 1, 5, 7, 12, 11}},
		{"test34_nest_relabel_expand", mwmEdges([3]int64{1, 2, 40}, [3]int64{1, 3, 40}, [3]int64{2, 3, 60}, [3]int64{2, 4, 55}, [3]int64{3, 5, 55}, [3]int64{4, 5, 50}, [3]int64{1, 8, 15}, [3]int64{5, 7, 30}, [3]int64{7, 6, 10}, [3]int64{8, 10, 10}, [3]int64{4, 9, 30}),
			[]int{-1, 2, 1, 5, 9, 3, 7, 6, 10, 4, 8}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.want)
			got := MaxWeight(n, tc.edges)
			mwmCheckMatching(t, n, tc.edges, got)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("mate = %v, want %v", got, tc.want)
			}
			if gw, ww := mustWeight(t, tc.edges, got), mustWeight(t, tc.edges, tc.want); gw != ww {
				t.Fatalf("weight = %d, want %d", gw, ww)
			}
		})
	}
}

// TestMaxWeightMatchingSmall covers degenerate inputs and small hand-checked
// graphs, comparing total weight (several have tied optima).
func TestMaxWeightMatchingSmall(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		edges  []Edge
		weight int64
		mate   []int // exact expectation when the optimum is unique; nil otherwise
	}{
		{"n=0", 0, nil, 0, []int{}},
		{"negative n", -3, mwmEdges([3]int64{0, 1, 5}), 0, []int{}},
		{"no edges", 3, nil, 0, []int{-1, -1, -1}},
		{"self-loop ignored", 2, mwmEdges([3]int64{0, 0, 100}, [3]int64{1, 1, 7}), 0, []int{-1, -1}},
		{"self-loop next to edge", 2, mwmEdges([3]int64{0, 0, 100}, [3]int64{0, 1, 3}), 3, []int{1, 0}},
		{"zero and negative weights ignored", 4, mwmEdges([3]int64{0, 1, 0}, [3]int64{2, 3, -4}), 0, []int{-1, -1, -1, -1}},
		{"out-of-range vertices ignored", 3, mwmEdges([3]int64{0, 3, 9}, [3]int64{-1, 2, 9}, [3]int64{1, 2, 4}), 4, []int{-1, 2, 1}},
		{"duplicate edge: heaviest counts", 3, mwmEdges([3]int64{0, 1, 2}, [3]int64{1, 0, 9}, [3]int64{1, 2, 5}, [3]int64{0, 1, 1}), 9, []int{1, 0, -1}},
		{"path prefers middle edge", 4, mwmEdges([3]int64{0, 1, 5}, [3]int64{1, 2, 11}, [3]int64{2, 3, 5}), 11, []int{-1, 2, 1, -1}},
		{"path prefers two ends", 4, mwmEdges([3]int64{0, 1, 6}, [3]int64{1, 2, 11}, [3]int64{2, 3, 6}), 12, []int{1, 0, 3, 2}},
		{"triangle", 3, mwmEdges([3]int64{0, 1, 3}, [3]int64{1, 2, 4}, [3]int64{0, 2, 5}), 5, []int{2, -1, 0}},
		{"square", 4, mwmEdges([3]int64{0, 3, 2}, [3]int64{1, 2, 2}, [3]int64{0, 1, 1}, [3]int64{2, 3, 4}), 5, []int{1, 0, 3, 2}},
		{"two components", 6, mwmEdges([3]int64{0, 1, 3}, [3]int64{1, 2, 4}, [3]int64{3, 4, 1}, [3]int64{4, 5, 2}), 6, []int{-1, 2, 1, -1, 5, 4}},
		{"blossom: pentagon with pendant", 6, mwmEdges([3]int64{0, 1, 10}, [3]int64{1, 2, 10}, [3]int64{2, 3, 10}, [3]int64{3, 4, 10}, [3]int64{4, 0, 10}, [3]int64{0, 5, 1}), 21, nil},
		{"all equal weights (max cardinality wins)", 6, mwmEdges([3]int64{0, 1, 1}, [3]int64{1, 2, 1}, [3]int64{2, 3, 1}, [3]int64{3, 4, 1}, [3]int64{4, 5, 1}), 3, []int{1, 0, 3, 2, 5, 4}},
		{"heavy weights stay exact", 4, mwmEdges([3]int64{0, 1, MaxEdgeWeight}, [3]int64{1, 2, MaxEdgeWeight - 1}, [3]int64{2, 3, MaxEdgeWeight - 3}, [3]int64{0, 3, 1}), 2*MaxEdgeWeight - 3, []int{1, 0, 3, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := MaxWeight(tc.n, tc.edges)
			mwmCheckMatching(t, tc.n, tc.edges, got)
			if w := mustWeight(t, tc.edges, got); w != tc.weight {
				t.Fatalf("weight = %d, want %d (mate %v)", w, tc.weight, got)
			}
			if tc.mate != nil && fmt.Sprint(got) != fmt.Sprint(tc.mate) {
				t.Fatalf("mate = %v, want %v", got, tc.mate)
			}
		})
	}
}

// TestMatchingWeight checks the weight helper on its own.
func TestMatchingWeight(t *testing.T) {
	edges := mwmEdges([3]int64{0, 1, 3}, [3]int64{1, 0, 8}, [3]int64{2, 3, -2}, [3]int64{4, 4, 50}, [3]int64{0, 9, 7})
	tests := []struct {
		name string
		mate []int
		want int64
	}{
		{"empty", nil, 0},
		{"unmatched", []int{-1, -1, -1, -1, -1}, 0},
		{"heaviest parallel edge counts once", []int{1, 0, -1, -1, -1}, 8},
		{"negative edge counts", []int{1, 0, 3, 2, -1}, 6},
		{"pair without edge and asymmetric mate", []int{2, -1, 0, 0, -1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustWeight(t, edges, tc.mate); got != tc.want {
				t.Fatalf("Weight = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestWeightNearTheCap checks that Weight stays exact where an int64 sum
// would overflow: many pairs at or above MaxEdgeWeight.
func TestWeightNearTheCap(t *testing.T) {
	pairs := func(n int, w int64) ([]Edge, []int) {
		var edges []Edge
		mate := make([]int, 2*n)
		for i := range n {
			edges = append(edges, Edge{U: 2 * i, V: 2*i + 1, W: w})
			mate[2*i], mate[2*i+1] = 2*i+1, 2*i
		}
		return edges, mate
	}
	tests := []struct {
		name   string
		pairs  int
		w      int64
		want   int64
		wantOK bool
	}{
		{"seven pairs at the cap fit", 7, MaxEdgeWeight, 7 * MaxEdgeWeight, true},
		{"heavier edges count as the cap", 7, math.MaxInt64, 7 * MaxEdgeWeight, true},
		{"eight pairs at the cap do not fit", 8, MaxEdgeWeight, 0, false},
		{"a thousand pairs just under the cap", 1000, MaxEdgeWeight - 1, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edges, mate := pairs(tc.pairs, tc.w)
			got, ok := Weight(edges, mate)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Weight = %d, %v; want %d, %v", got, ok, tc.want, tc.wantOK)
			}
			// The solver agrees: every pair is matched.
			if m := MaxWeight(2*tc.pairs, edges); !slices.Equal(m, mate) {
				t.Errorf("MaxWeight matched %v", m)
			}
		})
	}
}

// mustWeight is Weight for sums that must fit.
func mustWeight(t *testing.T, edges []Edge, mate []int) int64 {
	t.Helper()
	w, ok := Weight(edges, mate)
	if !ok {
		t.Fatalf("Weight overflows int64 on %d edges", len(edges))
	}
	return w
}

// mwmBruteForceWeight returns the maximum matching weight of a graph with
// n <= 16 vertices by dynamic programming over vertex subsets: the lowest
// unused vertex is either left single or matched to a higher neighbour.
func mwmBruteForceWeight(t *testing.T, n int, edges []Edge) int64 {
	t.Helper()
	if n > 16 {
		t.Fatalf("brute force needs n <= 16, got %d", n)
	}
	w := make([][]int64, n)
	for i := range w {
		w[i] = make([]int64, n)
	}
	for _, e := range edges {
		if e.U != e.V && e.W > w[e.U][e.V] {
			w[e.U][e.V], w[e.V][e.U] = e.W, e.W
		}
	}
	full := 1<<n - 1
	best := make([]int64, 1<<n) // best[used] = best weight on the unused vertices
	for used := full - 1; used >= 0; used-- {
		v := 0
		for used&(1<<v) != 0 {
			v++
		}
		b := best[used|1<<v]
		for u := v + 1; u < n; u++ {
			if used&(1<<u) == 0 && w[v][u] > 0 {
				b = max(b, w[v][u]+best[used|1<<v|1<<u])
			}
		}
		best[used] = b
	}
	return best[0]
}

// mwmRandomGraph returns a random graph with n vertices in which each
// pair is an edge with probability p, weights uniform in [lo, hi], and (if
// dups) some parallel edges, self-loops and non-positive weights mixed in.
func mwmRandomGraph(r *rand.Rand, n int, p float64, lo, hi int64, dups bool) []Edge {
	var edges []Edge
	for u := 0; u < n; u++ {
		for v := u + 1; v < n; v++ {
			if r.Float64() < p {
				a, b := u, v
				if r.IntN(2) == 0 {
					a, b = b, a
				}
				edges = append(edges, Edge{U: a, V: b, W: lo + r.Int64N(hi-lo+1)})
			}
		}
	}
	if dups && n > 0 {
		for i := r.IntN(n + 1); i > 0; i-- {
			u, v := r.IntN(n), r.IntN(n)
			edges = append(edges, Edge{U: u, V: v, W: lo - 3 + r.Int64N(hi-lo+4)})
		}
	}
	r.Shuffle(len(edges), func(i, j int) { edges[i], edges[j] = edges[j], edges[i] })
	return edges
}

// TestMaxWeightMatchingBruteForce compares total weight with an exhaustive
// oracle on hundreds of small random graphs with fixed seeds.
func TestMaxWeightMatchingBruteForce(t *testing.T) {
	tests := []struct {
		name   string
		graphs int
		p      float64
		lo, hi int64
		dups   bool
	}{
		{"sparse wide weights", 150, 0.25, 1, 1000, false},
		{"medium few distinct weights", 150, 0.5, 1, 4, false},
		{"dense ties", 150, 0.9, 1, 2, false},
		{"dense wide weights", 100, 0.8, 1, 1_000_000, false},
		{"messy input", 150, 0.4, -5, 20, true},
	}
	for ti, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(ti+1), 42))
			for g := 0; g < tc.graphs; g++ {
				n := 1 + r.IntN(12)
				edges := mwmRandomGraph(r, n, tc.p, tc.lo, tc.hi, tc.dups)
				mate := MaxWeight(n, edges)
				mwmCheckMatching(t, n, edges, mate)
				got, want := mustWeight(t, edges, mate), mwmBruteForceWeight(t, n, edges)
				if got != want {
					t.Fatalf("graph %d (n=%d, edges=%v): weight %d, want %d", g, n, edges, got, want)
				}
			}
		})
	}
}

// mwmKNNGraph gives each vertex about k random neighbours with weights
// in [1, maxW]: the shape of the planner's top-k candidate graphs.
func mwmKNNGraph(r *rand.Rand, n, k int, maxW int64) []Edge {
	edges := make([]Edge, 0, n*k)
	if n < 2 {
		return edges
	}
	for u := 0; u < n; u++ {
		for i := 0; i < k; i++ {
			v := r.IntN(n - 1)
			if v >= u {
				v++
			}
			edges = append(edges, Edge{U: u, V: v, W: 1 + r.Int64N(maxW)})
		}
	}
	return edges
}

// TestMaxWeightMatchingNetworkX compares total weights with NetworkX's
// max_weight_matching on random graphs of up to 200 vertices, all sent to
// a single Python process.
func TestMaxWeightMatchingNetworkX(t *testing.T) {
	py := networkx.Python(t)
	type graph = networkx.Graph
	r := rand.New(rand.NewPCG(2026, 5))
	var graphs []graph
	var edgeLists [][]Edge
	add := func(n int, edges []Edge) {
		edges = normalizeMatchingEdges(n, edges) // NetworkX keeps the last parallel edge, so send no duplicates
		g := graph{N: n, Edges: make([][3]int64, len(edges))}
		for i, e := range edges {
			g.Edges[i] = [3]int64{int64(e.U), int64(e.V), e.W}
		}
		graphs, edgeLists = append(graphs, g), append(edgeLists, edges)
	}
	for i := 0; i < 72; i++ {
		n := 2 + r.IntN(199)
		maxW := []int64{3, 100, 1_000_000}[i%3]
		switch i % 4 {
		case 0:
			add(n, mwmKNNGraph(r, n, 1+r.IntN(10), maxW))
		case 1:
			add(n, mwmRandomGraph(r, n, 3/float64(n), 1, maxW, false))
		case 2:
			add(n, mwmRandomGraph(r, n, 0.1, 1, maxW, false))
		default:
			add(min(n, 80), mwmRandomGraph(r, min(n, 80), 0.6, 1, maxW, false))
		}
	}
	add(200, mwmKNNGraph(r, 200, 16, 1000))
	add(200, mwmRandomGraph(r, 200, 0.5, 1, 10, false))
	add(200, mwmRandomGraph(r, 200, 0.02, 1, 1000, false))
	wants := networkx.Weights(t, py, graphs)
	for i, g := range graphs {
		want := wants[i]
		mate := MaxWeight(g.N, edgeLists[i])
		mwmCheckMatching(t, g.N, edgeLists[i], mate)
		if got := mustWeight(t, edgeLists[i], mate); got != want {
			t.Errorf("graph %d (n=%d, %d edges): weight %d, networkx %d", i, g.N, len(g.Edges), got, want)
		}
	}
}

// BenchmarkMaxWeightMatching measures the planner-sized inputs: a dense
// 200-vertex graph and sparse top-k graphs up to 10,000 vertices.
func BenchmarkMaxWeightMatching(b *testing.B) {
	cases := []struct {
		name  string
		n     int
		edges func(r *rand.Rand) []Edge
	}{
		{"n=200_dense", 200, func(r *rand.Rand) []Edge { return mwmRandomGraph(r, 200, 1, 1, 1000, false) }},
		{"n=2000_k=10", 2000, func(r *rand.Rand) []Edge { return mwmKNNGraph(r, 2000, 10, 1000) }},
		{"n=10000_k=10", 10000, func(r *rand.Rand) []Edge { return mwmKNNGraph(r, 10000, 10, 1000) }},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			edges := bc.edges(rand.New(rand.NewPCG(1, 2)))
			b.ReportAllocs()
			for b.Loop() {
				MaxWeight(bc.n, edges)
			}
		})
	}
}
