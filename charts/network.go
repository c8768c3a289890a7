package charts

import (
	"cmp"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Network is who has paired with whom, as plain data (see PairingNetwork).
type Network struct {
	People []string // display names; Edge.A and Edge.B index this slice
	Edges  []Edge
}

// Edge says that two people took part in Sessions done sessions together.
// The order of A and B does not matter; edges between the same two people
// are added up.
type Edge struct {
	A, B     int
	Sessions int
}

var (
	edgeColour = color.NRGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0x70}
	nodeColour = color.NRGBA{R: 0x00, G: 0x5a, B: 0x8e, A: 0xff}
	haloColour = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xc8}
)

// PNG draws the pairing network: a dot per person who has paired, sized by
// their sessions, and a line per pair of people who paired, as wide as
// their number of sessions together. The layout is force-directed
// (gonum's EadesR2 with a fixed seed, so the same network always draws
// the same), which pulls people who pair a lot into clusters and shows
// silos as separate islands. Names are placed greedily, best-connected
// first, and a name that would overlap another is left out. People who
// have never paired are listed underneath. With nobody, or no sessions,
// it says "no data yet".
func (n Network) PNG(w io.Writer) error {
	edges, err := n.merged()
	if err != nil {
		return err
	}
	if len(edges) == 0 {
		return noData(w, "network", networkTitle, "The network appears once people have done sessions together.")
	}
	return render(w, "network", Width, networkHeight, func(c draw.Canvas) { n.draw(c, edges) })
}

const networkTitle = "Who has paired with whom"

// merged checks the edges and adds up those between the same two people,
// dropping self-loops and edges without sessions. The result is sorted by
// (A, B) with A < B.
func (n Network) merged() ([]Edge, error) {
	sums := make(map[[2]int]int)
	for _, e := range n.Edges {
		if e.A < 0 || e.A >= len(n.People) || e.B < 0 || e.B >= len(n.People) {
			return nil, fmt.Errorf("charts: network edge %d–%d is outside the %d people", e.A, e.B, len(n.People))
		}
		if e.Sessions < 0 {
			return nil, fmt.Errorf("charts: network edge %d–%d has %d sessions", e.A, e.B, e.Sessions)
		}
		if e.A != e.B && e.Sessions > 0 {
			sums[[2]int{min(e.A, e.B), max(e.A, e.B)}] += e.Sessions
		}
	}
	edges := make([]Edge, 0, len(sums))
	for k, s := range sums {
		edges = append(edges, Edge{A: k[0], B: k[1], Sessions: s})
	}
	slices.SortFunc(edges, func(x, y Edge) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return edges, nil
}

func (n Network) draw(c draw.Canvas, edges []Edge) {
	weight := make([]int, len(n.People)) // sessions per person, counted per partner
	maxS, total := 0, 0
	for _, e := range edges {
		weight[e.A] += e.Sessions
		weight[e.B] += e.Sessions
		maxS = max(maxS, e.Sessions)
		total += e.Sessions
	}
	var paired, lonely []int
	for i, wt := range weight {
		if wt > 0 {
			paired = append(paired, i)
		} else {
			lonely = append(lonely, i)
		}
	}
	sub := fmt.Sprintf("%s have paired: %s, %d sessions counted per pair",
		plural(len(paired), "person", "people"), plural(len(edges), "pair", "pairs"), total)
	c = header(inset(c), networkTitle, sub)
	thin, thick := edgeStyle(1, maxS), edgeStyle(maxS, maxS)
	keys := []key{{label: "1 session together", line: thin}}
	if maxS > 1 {
		keys = append(keys, key{label: fmt.Sprintf("%d sessions together", maxS), line: thick})
	}
	c = legendRow(c, keys)
	if len(lonely) > 0 {
		c = lonelyFooter(c, n.People, lonely)
	}

	// Fit the layout into the canvas, leaving room for names at the sides.
	at := fitLayout(forceLayout(len(n.People), paired, edges), paired, draw.Crop(c, 60, -60, 14, -14))
	byWeight := slices.Clone(edges)
	slices.SortStableFunc(byWeight, func(x, y Edge) int { return cmp.Compare(x.Sessions, y.Sessions) })
	for _, e := range byWeight { // heaviest on top
		a, b := at(e.A), at(e.B)
		c.StrokeLine2(edgeStyle(e.Sessions, maxS), a.X, a.Y, b.X, b.Y)
	}
	radius := func(i int) vg.Length { return vg.Length(min(3+math.Sqrt(float64(weight[i])), 8)) }
	for _, i := range paired {
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: white, Shape: draw.CircleGlyph{}, Radius: radius(i) + 1.2}, at(i))
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: nodeColour, Shape: draw.CircleGlyph{}, Radius: radius(i)}, at(i))
	}
	nameSize := vg.Length(9)
	if len(paired) > 40 {
		nameSize = 8
	}
	placeNames(c, n.People, paired, weight, at, radius, textStyle(nameSize, ink))
}

// edgeStyle is a line as wide as the sessions, from 0.75 points for one
// session to 7 points for the most.
func edgeStyle(sessions, maxSessions int) draw.LineStyle {
	w := 0.75
	if maxSessions > 1 {
		w += 6.25 * float64(sessions-1) / float64(maxSessions-1)
	}
	return draw.LineStyle{Color: edgeColour, Width: vg.Length(w)}
}

// lonelyFooter lists, along the bottom of c, the people who have not
// paired yet, and returns the part of c above the list.
func lonelyFooter(c draw.Canvas, people []string, lonely []int) draw.Canvas {
	sty := textStyle(9.5, muted)
	prefix := fmt.Sprintf("Not paired yet (%d): ", len(lonely))
	var names []string
	for k, i := range lonely {
		names = append(names, people[i])
		line := prefix + strings.Join(names, ", ")
		if rest := len(lonely) - k - 1; rest > 0 {
			line += fmt.Sprintf(" and %d more", rest)
		}
		if sty.Width(line) > c.Size().X && k > 0 {
			names = names[:k]
			break
		}
	}
	line := prefix + strings.Join(names, ", ")
	if rest := len(lonely) - len(names); rest > 0 {
		line += fmt.Sprintf(" and %d more", rest)
	}
	c.FillText(sty, vg.Point{X: c.Min.X, Y: c.Min.Y}, fit(sty, line, c.Size().X))
	c.Min.Y += sty.Height(line) + 8
	return c
}
