package matching

import (
	"math/rand/v2"
	"testing"
)

// White-box tests of blossomSolver: the final dual certificate and the
// incremental bookkeeping checked at every dual update.

// mwmVerifyCertificate checks van Rantwijk's optimality conditions on the
// solver's final state (his verifyOptimum): all duals non-negative, every
// edge has non-negative slack and matched edges zero slack, single vertices
// have zero dual, and blossoms with positive dual are full. Together they
// prove by LP duality that the matching has maximum weight.
func mwmVerifyCertificate(t *testing.T, s *blossomSolver, edges []Edge) {
	t.Helper()
	n := s.n
	for b := 0; b < 2*n; b++ {
		if s.dual(b) < 0 && (b < n || s.blossombase[b] >= 0) {
			t.Fatalf("dual(%d) = %d < 0", b, s.dual(b))
		}
	}
	chain := func(v int) []int { // blossoms containing v, outermost first
		var c []int
		for b := v; b != -1; b = s.blossomparent[b] {
			c = append([]int{b}, c...)
		}
		return c
	}
	for k, e := range edges {
		slack := s.dual(e.U) + s.dual(e.V) - 2*e.W
		ci, cj := chain(e.U), chain(e.V)
		for x := 0; x < len(ci) && x < len(cj) && ci[x] == cj[x]; x++ {
			slack += 2 * s.dual(ci[x])
		}
		if slack < 0 {
			t.Fatalf("edge %d %v has negative slack %d", k, e, slack)
		}
		mi, mj := s.mate[e.U] >= 0 && s.mate[e.U]>>1 == k, s.mate[e.V] >= 0 && s.mate[e.V]>>1 == k
		if mi != mj || (mi && slack != 0) {
			t.Fatalf("matched edge %d %v: mates %v/%v, slack %d", k, e, mi, mj, slack)
		}
	}
	for v := 0; v < n; v++ {
		if s.mate[v] < 0 && s.dual(v) != 0 {
			t.Fatalf("single vertex %d has dual %d", v, s.dual(v))
		}
	}
	for b := n; b < 2*n; b++ {
		if s.blossombase[b] < 0 || s.dual(b) <= 0 {
			continue
		}
		endps := s.blossomendps[b]
		if len(endps)%2 != 1 {
			t.Fatalf("blossom %d has even length %d", b, len(endps))
		}
		for i := 1; i < len(endps); i += 2 {
			p := endps[i]
			if s.mate[s.endpoint[p]] != p^1 || s.mate[s.endpoint[p^1]] != p {
				t.Fatalf("blossom %d with positive dual is not full", b)
			}
		}
	}
}

// TestMaxWeightMatchingDualCertificate checks the LP optimality certificate
// on graphs far too large for brute force, including the sparse top-k shape.
func TestMaxWeightMatchingDualCertificate(t *testing.T) {
	tests := []struct {
		name  string
		graph func(r *rand.Rand) (int, []Edge)
	}{
		{"knn n=300 k=3 ties", func(r *rand.Rand) (int, []Edge) { return 300, mwmKNNGraph(r, 300, 3, 3) }},
		{"knn n=1000 k=10", func(r *rand.Rand) (int, []Edge) { return 1000, mwmKNNGraph(r, 1000, 10, 1000) }},
		{"dense n=120", func(r *rand.Rand) (int, []Edge) { return 120, mwmRandomGraph(r, 120, 0.7, 1, 50, false) }},
		{"sparse n=400", func(r *rand.Rand) (int, []Edge) { return 400, mwmRandomGraph(r, 400, 0.01, 1, 1_000_000, false) }},
	}
	for ti, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(ti+100), 7))
			for g := 0; g < 3; g++ {
				n, raw := tc.graph(r)
				edges := normalizeMatchingEdges(n, raw)
				var s blossomSolver
				local := append([]int(nil), s.solve(n, edges)...)
				mwmVerifyCertificate(t, &s, edges)
				mate := MaxWeight(n, raw)
				mwmCheckMatching(t, n, raw, mate)
				if got, want := mustWeight(t, raw, mate), mustWeight(t, edges, local); got != want {
					t.Fatalf("component split changed the weight: %d vs %d", got, want)
				}
			}
		})
	}
}

// mwmCheckInvariants is the test-only hook run before every dual update.
// Like van Rantwijk's CHECK_DELTA it recomputes what the solver keeps
// incrementally and compares: the dual directions against the labels, dual
// feasibility, the alternating forest, the least-slack records, and the delta
// chosen from the heaps against a brute-force minimum.
func mwmCheckInvariants(t *testing.T, s *blossomSolver) {
	t.Helper()
	n := s.n
	top := func(v int) int { return s.inblossom[v] }
	for x := 0; x < 2*n; x++ {
		want := int8(0)
		switch {
		case x < n && s.label[top(x)] == 1:
			want = -1
		case x < n && s.label[top(x)] == 2:
			want = 1
		case x >= n && s.blossombase[x] >= 0 && s.blossomparent[x] == -1 && s.label[x] == 1:
			want = 1
		case x >= n && s.blossombase[x] >= 0 && s.blossomparent[x] == -1 && s.label[x] == 2:
			want = -1
		}
		if (x < n || s.blossombase[x] >= 0) && s.dualmul[x] != want {
			t.Fatalf("dualmul[%d] = %d, want %d (label %d)", x, s.dualmul[x], want, s.label[x])
		}
	}
	free := s.maxweight - s.shift
	for v := 0; v < n; v++ {
		if s.dual(v) < free || (s.mate[v] == -1 && s.dual(v) != free) {
			t.Fatalf("vertex %d dual %d, single-vertex dual %d", v, s.dual(v), free)
		}
		if s.mate[v] == -1 && (s.label[top(v)] != 1 || s.labelend[top(v)] != -1) {
			t.Fatalf("single vertex %d is not an S root", v)
		}
	}
	mwmCheckForestEdges(t, s)
	mwmCheckLeastSlack(t, s)
}

// mwmCheckForestEdges checks dual feasibility on every edge and that tree edges
// and edges marked allowable are tight.
func mwmCheckForestEdges(t *testing.T, s *blossomSolver) {
	t.Helper()
	for k := 0; k < s.nedge; k++ {
		i, j := s.endpoint[2*k], s.endpoint[2*k+1]
		slack := s.slack(k)
		for a := i; a != -1; a = s.blossomparent[a] {
			for b := j; b != -1; b = s.blossomparent[b] {
				if a == b {
					slack += 2 * s.dual(a)
				}
			}
		}
		if slack < 0 {
			t.Fatalf("edge %d (%d-%d) has slack %d", k, i, j, slack)
		}
		if s.inblossom[i] != s.inblossom[j] && s.allowedge[k] && s.slack(k) != 0 {
			t.Fatalf("allowable edge %d (%d-%d) has slack %d", k, i, j, s.slack(k))
		}
	}
	for b := 0; b < 2*s.n; b++ {
		if s.blossomparent[b] != -1 || (b >= s.n && s.blossombase[b] < 0) || s.label[b] == 0 {
			continue
		}
		if p := s.labelend[b]; p != -1 && s.slack(p>>1) != 0 {
			t.Fatalf("tree edge %d into blossom %d has slack %d", p>>1, b, s.slack(p>>1))
		}
	}
}

// mwmCheckLeastSlack recomputes delta2..delta4 by brute force and compares them
// with bestedge and with the heap-based choice.
func mwmCheckLeastSlack(t *testing.T, s *blossomSolver) {
	t.Helper()
	n := s.n
	top := func(v int) int { return s.inblossom[v] }
	const none = int64(1) << 62
	d2, d3, d4 := none, none, none
	for k := 0; k < s.nedge; k++ {
		i, j := s.endpoint[2*k], s.endpoint[2*k+1]
		li, lj := s.label[top(i)], s.label[top(j)]
		switch {
		case top(i) != top(j) && li == 1 && lj == 1:
			if s.slack(k)%2 != 0 {
				t.Fatalf("S-S edge %d has odd slack %d", k, s.slack(k))
			}
			d3 = min(d3, s.slack(k)/2)
		case li == 1 && lj == 0, li == 0 && lj == 1:
			d2 = min(d2, s.slack(k))
		}
	}
	got2, got3 := none, none
	for v := 0; v < n; v++ {
		if k := s.bestedge[v]; k != -1 && s.label[top(v)] == 0 {
			got2 = min(got2, s.slack(k))
		}
	}
	for b := 0; b < 2*n; b++ {
		if k := s.bestedge[b]; k != -1 && s.blossomparent[b] == -1 && s.label[b] == 1 {
			i, j := s.endpoint[2*k], s.endpoint[2*k+1]
			if (top(i) != b && top(j) != b) || top(i) == top(j) || s.label[top(i)] != 1 || s.label[top(j)] != 1 {
				t.Fatalf("bestedge[%d] = %d is not an edge from it to another S-blossom", b, k)
			}
			got3 = min(got3, s.slack(k)/2)
		}
		if b >= n && s.blossombase[b] >= 0 && s.blossomparent[b] == -1 && s.label[b] == 2 {
			d4 = min(d4, s.dual(b))
		}
	}
	if got2 != d2 || got3 != d3 {
		t.Fatalf("least slack from bestedge: delta2 %d delta3 %d; brute force %d %d", got2, got3, d2, d3)
	}
	want := min(s.maxweight-s.shift, d2, d3, d4)
	if _, delta, _, _ := s.chooseDelta(); s.nfree > 0 && delta != want {
		t.Fatalf("chooseDelta = %d, brute force %d", delta, want)
	}
}

// TestMaxWeightMatchingInvariants runs the solver with the invariant checker
// on many random graphs shaped to create, relabel and expand blossoms and to
// dissolve trees, in each of its post-augmentation modes (repair the forest,
// restart it as mwmatching.py does, or the default choice between them). It
// then checks the final dual certificate, that all modes agree, and for
// small graphs the weight against brute force.
func TestMaxWeightMatchingInvariants(t *testing.T) {
	tests := []struct {
		name   string
		graphs int
		maxN   int
		graph  func(r *rand.Rand, n int) []Edge
	}{
		{"tiny dense ties", 300, 12, func(r *rand.Rand, n int) []Edge { return mwmRandomGraph(r, n, 0.8, 1, 3, false) }},
		{"small sparse", 300, 12, func(r *rand.Rand, n int) []Edge { return mwmRandomGraph(r, n, 0.3, 1, 20, false) }},
		{"odd cycles", 200, 12, func(r *rand.Rand, n int) []Edge { return mwmCycles(r, n, 10) }},
		{"knn ties", 100, 60, func(r *rand.Rand, n int) []Edge { return mwmKNNGraph(r, n, 2, 4) }},
		{"knn wide", 100, 60, func(r *rand.Rand, n int) []Edge { return mwmKNNGraph(r, n, 3, 1000) }},
		{"medium dense", 60, 40, func(r *rand.Rand, n int) []Edge { return mwmRandomGraph(r, n, 0.5, 1, 10, false) }},
		{"cycles medium", 60, 60, func(r *rand.Rand, n int) []Edge { return mwmCycles(r, n, 30) }},
	}
	for ti, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(ti+1000), 3))
			var s blossomSolver
			for g := 0; g < tc.graphs; g++ {
				n := 2 + r.IntN(tc.maxN-1)
				edges := normalizeMatchingEdges(n, tc.graph(r, n))
				if len(edges) == 0 {
					continue
				}
				var want int64 = -1
				if n <= 12 {
					want = mwmBruteForceWeight(t, n, edges)
				}
				// Always repair the forest, always restart it, and the default mix.
				for _, budget := range []int{1 << 40, -1, 0} {
					s.repairBudget = budget
					s.checkHook = func() { mwmCheckInvariants(t, &s) }
					mate := append([]int(nil), s.solve(n, edges)...)
					mwmVerifyCertificate(t, &s, edges)
					mwmCheckMatching(t, n, edges, mate)
					got := mustWeight(t, edges, mate)
					if want == -1 {
						want = got
					}
					if got != want {
						t.Fatalf("graph %d, repair budget %d: weight %d, want %d (edges %v)", g, budget, got, want, edges)
					}
				}
			}
		})
	}
}

// mwmCycles returns a union of random odd and even cycles with chords and
// pendant edges, weights in [1, maxW]: many near-tight odd cycles, so many
// nested blossoms.
func mwmCycles(r *rand.Rand, n int, maxW int64) []Edge {
	var edges []Edge
	perm := r.Perm(n)
	for start := 0; start < n; {
		size := min(3+r.IntN(5), n-start)
		for i := 0; i < size && size > 1; i++ {
			u, v := perm[start+i], perm[start+(i+1)%size]
			if u != v {
				edges = append(edges, Edge{U: u, V: v, W: maxW/2 + r.Int64N(maxW/2+1)})
			}
		}
		start += size
	}
	for i := r.IntN(n + 1); i > 0; i-- {
		edges = append(edges, Edge{U: r.IntN(n), V: r.IntN(n), W: 1 + r.Int64N(maxW)})
	}
	return edges
}
