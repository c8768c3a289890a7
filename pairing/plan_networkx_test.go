package pairing

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pollen-team/pollen/internal/matching"
	"github.com/pollen-team/pollen/internal/matching/networkx"
)

// TestPlanMatchingMatchesNetworkX compares the weight of the planner's
// matching on its own candidate graphs (random teams of up to 200 people
// pruned, up to 80 unpruned) with NetworkX's max_weight_matching on the same
// graphs. Weights are integers, so the two must be equal.
func TestPlanMatchingMatchesNetworkX(t *testing.T) {
	py := networkx.Python(t)
	type graph = networkx.Graph
	var graphs []graph
	var names []string
	var got []int64
	r := rand.New(rand.NewPCG(10, 4))
	for i := range 56 {
		n := 2 + r.IntN(199)
		if i%4 < 2 {
			n = 2 + r.IntN(79) // unpruned graphs are dense: keep NetworkX quick
		}
		var in PlanInput
		if i%2 == 0 {
			in = randomPlanInput(r, n, 1+r.IntN(40))
		} else {
			in = planSkewedInput(max(n, 10), uint64(i))
		}
		if i%4 < 2 {
			in.Settings.TopK = -1
		}
		p, err := newPlanner(in)
		if err != nil {
			t.Fatal(err)
		}
		edges := p.candidates().matchingEdges()
		g := graph{N: len(p.people), Edges: make([][3]int64, len(edges))}
		for j, e := range edges {
			g.Edges[j] = [3]int64{int64(e.U), int64(e.V), e.W}
		}
		graphs = append(graphs, g)
		names = append(names, fmt.Sprintf("graph %d (%d people, %d edges, topk %d)", i, g.N, len(edges), in.Settings.TopK))
		w, ok := matching.Weight(edges, matching.MaxWeight(len(p.people), edges))
		if !ok {
			t.Fatalf("graph %d: matching weight overflows", i)
		}
		got = append(got, w)
	}
	for i, want := range networkx.Weights(t, py, graphs) {
		if got[i] != want {
			t.Errorf("%s: planner matching weight %d, networkx %d", names[i], got[i], want)
		}
	}
}
