package charts

import (
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func star(n int) Network {
	nw := Network{People: people(n)}
	for i := 1; i < n; i++ {
		nw.Edges = append(nw.Edges, Edge{A: 0, B: i, Sessions: 1})
	}
	return nw
}

func clique(n int) Network {
	nw := Network{People: people(n)}
	for i := range n {
		for j := i + 1; j < n; j++ {
			nw.Edges = append(nw.Edges, Edge{A: i, B: j, Sessions: 1 + (i+j)%4})
		}
	}
	return nw
}

func path(n int) Network {
	nw := Network{People: people(n)}
	for i := 1; i < n; i++ {
		nw.Edges = append(nw.Edges, Edge{A: i - 1, B: i, Sessions: 2})
	}
	return nw
}

// paired lists the people with at least one edge.
func paired(n Network, edges []Edge) []int {
	has := make([]bool, len(n.People))
	for _, e := range edges {
		has[e.A], has[e.B] = true, true
	}
	var ids []int
	for i, h := range has {
		if h {
			ids = append(ids, i)
		}
	}
	return ids
}

// TestNetworkLayout checks, on networks of several shapes, that the layout
// settles (finite, no two people on the same spot) and that the names
// written never overlap each other or leave the canvas.
func TestNetworkLayout(t *testing.T) {
	tests := []struct {
		name     string
		network  Network
		minNamed float64 // share of paired people whose name is written
	}{
		{"100 in groups", bigNetwork(100), 0.5},
		{"200 in groups", bigNetwork(200), 0.3},
		{"star of 150", star(150), 0.2},
		{"clique of 30", clique(30), 0.5},
		{"path of 50", path(50), 0.5},
		{"one pair", path(2), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edges, err := tc.network.merged()
			if err != nil {
				t.Fatal(err)
			}
			ids := paired(tc.network, edges)
			pos := forceLayout(len(tc.network.People), ids, edges)
			closest := math.Inf(1)
			for x, i := range ids {
				if math.IsNaN(pos[i].X) || math.IsInf(pos[i].X, 0) || math.IsNaN(pos[i].Y) || math.IsInf(pos[i].Y, 0) {
					t.Fatalf("person %d at %v", i, pos[i])
				}
				for _, j := range ids[x+1:] {
					closest = math.Min(closest, math.Hypot(pos[i].X-pos[j].X, pos[i].Y-pos[j].Y))
				}
			}
			if closest < 1e-3 {
				t.Errorf("two people %.2g apart: the layout collapsed", closest)
			}

			c := draw.New(vgimg.NewWith(vgimg.UseWH(pt(Width), pt(networkHeight)), vgimg.UseDPI(DPI)))
			at := fitLayout(pos, ids, draw.Crop(c, 60, -60, 14, -14))
			weight := make([]int, len(tc.network.People))
			for _, i := range ids {
				weight[i] = 1
			}
			radius := func(int) vg.Length { return 4 }
			boxes := placeNames(c, tc.network.People, ids, weight, at, radius, textStyle(8, ink))
			for x, a := range boxes {
				if !inside(a, c.Rectangle) {
					t.Errorf("name box %v leaves the canvas", a)
				}
				for _, b := range boxes[x+1:] {
					if overlaps(a, b) {
						t.Errorf("name boxes %v and %v overlap", a, b)
					}
				}
			}
			if share := float64(len(boxes)) / float64(len(ids)); share < tc.minNamed {
				t.Errorf("%.0f%% of people named, want at least %.0f%%", 100*share, 100*tc.minNamed)
			}
		})
	}
}
