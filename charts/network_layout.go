package charts

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/layout"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/spatial/r2"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// forceLayout places the paired people with gonum's force-directed
// EadesR2 and returns a position per person (zero for people not in
// paired).
//
// EadesR2 walks the graph's nodes to seed their starting positions, and
// gonum's own graphs hand out nodes in map order, which would make every
// drawing different. ordered hands them out by ID, and the random source
// has a fixed seed, so the layout is the same on every run.
//
// EadesR2 takes fixed-size gradient steps and can blow up: at rate 0.05 a
// 100-person team flies apart, and at 0.02 so does a star of 60 around one
// host. Rate 0.01 with 200 updates settled every team we tried (up to 200
// people, stars, cliques) in about 40 ms at 100 people. When a layout
// still blows up, it is retried at a quarter of the rate, and after that
// people are put on a circle.
func forceLayout(people int, paired []int, edges []Edge) []r2.Vec {
	g := ordered{adj: make(map[int64][]int64)}
	for _, i := range paired {
		g.nodes = append(g.nodes, simple.Node(i))
	}
	for _, e := range edges {
		a, b := int64(e.A), int64(e.B)
		g.adj[a] = append(g.adj[a], b)
		g.adj[b] = append(g.adj[b], a)
	}
	for _, ns := range g.adj {
		slices.Sort(ns)
	}
	for _, rate := range []float64{0.01, 0.0025} {
		eades := layout.EadesR2{Updates: 200, Repulsion: 1, Rate: rate, Theta: 0.5, Src: rand.NewPCG(6, 28)}
		opt := layout.NewOptimizerR2(g, eades.Update)
		for opt.Update() {
		}
		pos := make([]r2.Vec, people)
		settled := true
		for _, i := range paired {
			pos[i] = opt.Coord2(int64(i))
			// A settled layout spans a few units per ten people; one that
			// blew up spans 1e17 or more.
			if v := pos[i]; !(math.Abs(v.X) < 1e4 && math.Abs(v.Y) < 1e4) {
				settled = false
				break
			}
		}
		if settled {
			return pos
		}
	}
	return circle(people, paired)
}

// circle puts the paired people evenly round a circle, in order, for the
// rare network the force-directed layout cannot settle.
func circle(people int, paired []int) []r2.Vec {
	pos := make([]r2.Vec, people)
	for k, i := range paired {
		a := 2 * math.Pi * float64(k) / float64(len(paired))
		pos[i] = r2.Vec{X: math.Cos(a), Y: math.Sin(a)}
	}
	return pos
}

// fitLayout scales and centres the positions of the paired people into
// area. It stretches one direction at most 1.5 times more than the other,
// to use a wide canvas without distorting the layout much, and never
// spreads a small network wider than 170 points per unit of layout, so two
// people are not drawn at opposite corners.
//
// EadesR2 sometimes leaves a few people far out (a star of 150 around one
// host flings a handful of leaves six times further than the rest), and
// fitting them in would squash everyone else into a blot. So the frame is
// the middle 90% of positions on each axis plus half its width on either
// side, and anyone beyond that is drawn at the edge of the frame.
func fitLayout(pos []r2.Vec, paired []int, area draw.Canvas) func(int) vg.Point {
	xs, ys := make([]float64, 0, len(paired)), make([]float64, 0, len(paired))
	for _, i := range paired {
		xs, ys = append(xs, pos[i].X), append(ys, pos[i].Y)
	}
	lo, hi := r2.Vec{}, r2.Vec{}
	lo.X, hi.X = frame(xs)
	lo.Y, hi.Y = frame(ys)
	const most, stretch = 170.0, 1.5
	size := area.Size()
	sx, sy := most, most
	if hi.X > lo.X {
		sx = math.Min(sx, float64(size.X)/(hi.X-lo.X))
	}
	if hi.Y > lo.Y {
		sy = math.Min(sy, float64(size.Y)/(hi.Y-lo.Y))
	}
	sx, sy = math.Min(sx, stretch*sy), math.Min(sy, stretch*sx)
	mid := r2.Scale(0.5, r2.Add(lo, hi))
	centre := area.Center()
	return func(i int) vg.Point {
		x := math.Max(lo.X, math.Min(pos[i].X, hi.X)) - mid.X
		y := math.Max(lo.Y, math.Min(pos[i].Y, hi.Y)) - mid.Y
		return vg.Point{X: centre.X + vg.Length(sx*x), Y: centre.Y + vg.Length(sy*y)}
	}
}

// frame is the range of vs that fitLayout draws: from the 5th to the 95th
// percentile, widened by half that range on either side, and never wider
// than the values themselves.
func frame(vs []float64) (lo, hi float64) {
	slices.Sort(vs)
	n := len(vs)
	if n == 0 {
		return 0, 0
	}
	q05, q95 := vs[n*5/100], vs[(n-1)-n*5/100]
	r := q95 - q05
	return math.Max(vs[0], q05-r/2), math.Min(vs[n-1], q95+r/2)
}

// ordered is an undirected graph that lists its nodes, and each node's
// neighbours, in a fixed order.
type ordered struct {
	nodes []graph.Node
	adj   map[int64][]int64
}

// Node implements graph.Graph.
func (g ordered) Node(id int64) graph.Node {
	if _, ok := g.adj[id]; ok {
		return simple.Node(id)
	}
	return nil
}

// Nodes implements graph.Graph, in the order the nodes were added.
func (g ordered) Nodes() graph.Nodes { return iterator.NewOrderedNodes(g.nodes) }

// From implements graph.Graph, neighbours by ID.
func (g ordered) From(id int64) graph.Nodes {
	ns := make([]graph.Node, len(g.adj[id]))
	for k, n := range g.adj[id] {
		ns[k] = simple.Node(n)
	}
	return iterator.NewOrderedNodes(ns)
}

// HasEdgeBetween implements graph.Graph.
func (g ordered) HasEdgeBetween(x, y int64) bool {
	_, ok := slices.BinarySearch(g.adj[x], y)
	return ok
}

// Edge implements graph.Graph.
func (g ordered) Edge(u, v int64) graph.Edge {
	if !g.HasEdgeBetween(u, v) {
		return nil
	}
	return simple.Edge{F: simple.Node(u), T: simple.Node(v)}
}

// placeNames writes each person's name beside their dot, trying right,
// left, above and below in turn, best-connected people first. A name that
// would overlap a name already written, another dot or the edge of the
// canvas is left out: a readable half of the names beats a pile of them.
// The three best-connected people are what the chart is about, so their
// names may cover other dots (never other names). It returns the boxes of
// the names it wrote.
func placeNames(c draw.Canvas, people []string, paired, weight []int, at func(int) vg.Point, radius func(int) vg.Length, sty text.Style) []vg.Rectangle {
	order := slices.Clone(paired)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(weight[b], weight[a]) })
	dots := make(map[int]vg.Rectangle, len(paired))
	for _, i := range paired {
		p, r := at(i), radius(i)
		dots[i] = vg.Rectangle{Min: vg.Point{X: p.X - r, Y: p.Y - r}, Max: vg.Point{X: p.X + r, Y: p.Y + r}}
	}
	free := func(box vg.Rectangle, self int, coverDots bool, names []vg.Rectangle) bool {
		if !inside(box, c.Rectangle) || slices.ContainsFunc(names, func(n vg.Rectangle) bool { return overlaps(n, box) }) {
			return false
		}
		if coverDots {
			return true
		}
		for _, j := range paired {
			if j != self && overlaps(dots[j], box) {
				return false
			}
		}
		return true
	}
	sty.YAlign = draw.YBottom
	const pad = 1.5
	var names []vg.Rectangle
	for rank, i := range order {
		label := fit(sty, people[i], 110)
		w, h := sty.Width(label), sty.Height(label)
		p, r := at(i), radius(i)
		for _, corner := range []vg.Point{
			{X: p.X + r + 3, Y: p.Y - h/2},
			{X: p.X - r - 3 - w, Y: p.Y - h/2},
			{X: p.X - w/2, Y: p.Y + r + 2},
			{X: p.X - w/2, Y: p.Y - r - 2 - h},
		} {
			box := vg.Rectangle{Min: vg.Point{X: corner.X - pad, Y: corner.Y - pad}, Max: vg.Point{X: corner.X + w + pad, Y: corner.Y + h + pad}}
			if !free(box, i, rank < 3, names) {
				continue
			}
			fillRect(c, haloColour, box.Min.X, box.Min.Y, box.Max.X, box.Max.Y)
			c.FillText(sty, corner, label)
			names = append(names, box)
			break
		}
	}
	return names
}

func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

func inside(a, b vg.Rectangle) bool {
	return a.Min.X >= b.Min.X && a.Max.X <= b.Max.X && a.Min.Y >= b.Min.Y && a.Max.Y <= b.Max.Y
}
