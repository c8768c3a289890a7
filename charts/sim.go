package charts

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SimCurves is what `pollen sim` measured, as plain data: for each
// policy, the bus factor of the team's worst project (the one the target
// is about) after every round, as the median over seeds and its spread.
type SimCurves struct {
	Rounds   int      // rounds per run; the x axis runs from 1 to Rounds
	Seeds    int      // runs per policy the figures summarise
	Policies []string // policy names, one per row of Worst
	// Worst[p][r] is the median over seeds of the lowest bus factor of any
	// project after round r+1 under policy p.
	Worst [][]float64
	// Low and High are the spread across seeds (the quartiles), drawn as a
	// band around each line; nil leaves the bands out.
	Low, High [][]float64
	Target    int // the target bus factor, drawn dashed; 0 leaves it out
	// LowerBound is the round before which no policy can bring every
	// project to Target (the simulator's bound for the median seed), drawn
	// as a dotted vertical line; 0 or less leaves it out.
	LowerBound int
}

// PNG draws one line per policy with its band on one chart, with the
// target and the lower bound for comparison. With no rounds or no
// policies it says "no data yet".
func (s SimCurves) PNG(w io.Writer) error {
	if err := s.check(); err != nil {
		return err
	}
	if s.Rounds == 0 || len(s.Policies) == 0 {
		return noData(w, "simulation", simTitle, "Run the simulation with at least one policy and one round.")
	}
	return render(w, "simulation", Width, lineHeight, s.draw)
}

const simTitle = "Bus factor of the worst project per round, by pairing policy"

func (s SimCurves) check() error {
	if s.Rounds < 0 {
		return fmt.Errorf("charts: simulation has %d rounds", s.Rounds)
	}
	if len(s.Worst) != len(s.Policies) {
		return fmt.Errorf("charts: simulation has %d policies but %d curves", len(s.Policies), len(s.Worst))
	}
	if (s.Low == nil) != (s.High == nil) || (s.Low != nil && (len(s.Low) != len(s.Policies) || len(s.High) != len(s.Policies))) {
		return fmt.Errorf("charts: simulation spread needs a low and a high curve per policy")
	}
	for p, row := range s.Worst {
		if len(row) != s.Rounds || (s.Low != nil && (len(s.Low[p]) != s.Rounds || len(s.High[p]) != s.Rounds)) {
			return fmt.Errorf("charts: simulation curve of %s has %d values for %d rounds", s.Policies[p], len(row), s.Rounds)
		}
	}
	return nil
}

// subtitle explains what the lines, the band, the target and the bound are.
func (s SimCurves) subtitle() string {
	sub := fmt.Sprintf("Line: median over %d simulated teams of the lowest bus factor of any project after each round", s.Seeds)
	if s.Low != nil {
		sub += "; band: the middle half of teams"
	}
	var marks []string
	if s.Target > 0 {
		marks = append(marks, fmt.Sprintf("dashed: the target, every project known by %d people", s.Target))
	}
	if s.LowerBound > 0 && s.LowerBound <= s.Rounds {
		marks = append(marks, fmt.Sprintf("dotted: the lower bound, no policy gets every project there before round %d", s.LowerBound))
	}
	if len(marks) > 0 {
		sub += ".\n" + strings.ToUpper(marks[0][:1]) + marks[0][1:]
		for _, m := range marks[1:] {
			sub += "; " + m
		}
	}
	return sub + "."
}

func (s SimCurves) draw(c draw.Canvas) {
	c = header(inset(c), simTitle, s.subtitle())
	p := newPlot("round", "bus factor of the worst project")
	markers := s.Rounds <= 16
	var keys []key
	top := float64(s.Target)
	for k, row := range s.Worst {
		if s.Low != nil {
			band := color.NRGBA{R: colourAt(k).R, G: colourAt(k).G, B: colourAt(k).B, A: 48}
			p.Add(spread{low: s.Low[k], high: s.High[k], fill: band})
			for _, v := range s.High[k] {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					top = math.Max(top, v)
				}
			}
		}
		xys := make(plotter.XYs, 0, len(row))
		for r, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				xys = append(xys, plotter.XY{X: float64(r + 1), Y: v})
				top = math.Max(top, v)
			}
		}
		line := draw.LineStyle{Color: colourAt(k), Width: 2.25}
		var glyph *draw.GlyphStyle
		if markers {
			glyph = &draw.GlyphStyle{Color: colourAt(k), Shape: draw.CircleGlyph{}, Radius: 3}
		}
		p.Add(lineWithMarkers(xys, line, glyph))
		keys = append(keys, key{label: s.policyLabel(k, xys), line: line, glyph: glyph})
	}
	if s.Target > 0 {
		target := draw.LineStyle{Color: muted, Width: 1.5, Dashes: []vg.Length{6, 4}}
		p.Add(hline{y: float64(s.Target), style: target})
		keys = append(keys, key{label: "target " + strconv.Itoa(s.Target), line: target})
	}
	if s.LowerBound > 0 && s.LowerBound <= s.Rounds {
		bound := draw.LineStyle{Color: muted, Width: 1.25, Dashes: []vg.Length{1.5, 3}}
		p.Add(vline{x: float64(s.LowerBound), style: bound, label: "bound: round " + strconv.Itoa(s.LowerBound)})
	}
	p.X.Min, p.X.Max = 0.5, float64(s.Rounds)+0.5
	p.X.Tick.Marker = intTicks{}
	p.Y.Min, p.Y.Max = 0, math.Ceil(top+0.25)
	p.Y.Tick.Marker = intTicks{}
	p.Draw(legendRow(c, keys))
}

// policyLabel names the policy and when its median line first reaches the
// target.
func (s SimCurves) policyLabel(k int, xys plotter.XYs) string {
	if s.Target <= 0 {
		return s.Policies[k]
	}
	for _, xy := range xys {
		if xy.Y >= float64(s.Target) {
			return fmt.Sprintf("%s (target at round %d)", s.Policies[k], int(xy.X))
		}
	}
	return s.Policies[k] + " (target not reached)"
}

// spread fills the area between two curves over rounds 1, 2, …; values
// that are not numbers break it into pieces.
type spread struct {
	low, high []float64
	fill      color.Color
}

// Plot implements plot.Plotter.
func (sp spread) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var lo, hi []vg.Point
	flush := func() {
		if len(lo) > 1 {
			pts := append([]vg.Point{}, lo...)
			for i := len(hi) - 1; i >= 0; i-- {
				pts = append(pts, hi[i])
			}
			c.FillPolygon(sp.fill, c.ClipPolygonXY(pts))
		}
		lo, hi = lo[:0], hi[:0]
	}
	for r := range sp.low {
		l, h := sp.low[r], sp.high[r]
		if math.IsNaN(l) || math.IsNaN(h) || math.IsInf(l, 0) || math.IsInf(h, 0) {
			flush()
			continue
		}
		x := trX(float64(r + 1))
		lo, hi = append(lo, vg.Point{X: x, Y: trY(l)}), append(hi, vg.Point{X: x, Y: trY(h)})
	}
	flush()
}

// vline is a vertical line across the whole plot at x, labelled at the top.
type vline struct {
	x     float64
	style draw.LineStyle
	label string
}

// Plot implements plot.Plotter.
func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
	sty := textStyle(8.5, muted)
	sty.YAlign = draw.YTop
	c.FillText(sty, vg.Point{X: x + 4, Y: c.Max.Y - 2}, v.label)
}

// hline is a horizontal line across the whole plot at y, for targets.
type hline struct {
	y     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// lineWithMarkers draws xys as a line, with a marker on each point when
// glyph is set: a line through one point draws nothing, so short series
// need the markers.
func lineWithMarkers(xys plotter.XYs, line draw.LineStyle, glyph *draw.GlyphStyle) plot.Plotter {
	l := &plotter.Line{XYs: xys, LineStyle: line}
	if glyph == nil {
		return l
	}
	return plotters{l, &plotter.Scatter{XYs: xys, GlyphStyle: *glyph}}
}

// plotters draws several plotters as one, in order.
type plotters []plot.Plotter

// Plot implements plot.Plotter.
func (ps plotters) Plot(c draw.Canvas, p *plot.Plot) {
	for _, x := range ps {
		x.Plot(c, p)
	}
}
