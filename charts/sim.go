package charts

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SimCurves is what `pollen sim` measured: each policy's mean bus factor
// after every round, averaged over seeds, as plain data.
type SimCurves struct {
	Rounds        int         // rounds per run; the x axis runs from 1 to Rounds
	Policies      []string    // policy names, one per row of MeanBusFactor
	MeanBusFactor [][]float64 // MeanBusFactor[p][r] is policy p's mean bus factor after round r+1
	Target        int         // the target bus factor, drawn dashed; 0 leaves it out
	// LowerBound is the number of rounds before which no policy can bring
	// every project to Target (the simulator's bound), drawn as a dotted
	// vertical line; 0 or less leaves it out.
	LowerBound int
}

// PNG draws one line per policy on one chart, with the target and the
// lower bound for comparison. With no rounds or no policies it says
// "no data yet".
func (s SimCurves) PNG(w io.Writer) error {
	if err := s.check(); err != nil {
		return err
	}
	if s.Rounds == 0 || len(s.Policies) == 0 {
		return noData(w, "simulation", simTitle, "Run the simulation with at least one policy and one round.")
	}
	return render(w, "simulation", Width, lineHeight, s.draw)
}

const simTitle = "Mean bus factor per round, by pairing policy"

func (s SimCurves) check() error {
	if s.Rounds < 0 {
		return fmt.Errorf("charts: simulation has %d rounds", s.Rounds)
	}
	if len(s.MeanBusFactor) != len(s.Policies) {
		return fmt.Errorf("charts: simulation has %d policies but %d curves", len(s.Policies), len(s.MeanBusFactor))
	}
	for p, row := range s.MeanBusFactor {
		if len(row) != s.Rounds {
			return fmt.Errorf("charts: simulation curve of %s has %d values for %d rounds", s.Policies[p], len(row), s.Rounds)
		}
	}
	return nil
}

func (s SimCurves) draw(c draw.Canvas) {
	sub := "Mean over projects of how many people know each one, averaged over the simulated teams"
	c = header(inset(c), simTitle, sub)
	p := newPlot("round", "mean bus factor")
	markers := s.Rounds <= 16
	var keys []key
	top := float64(s.Target)
	for k, row := range s.MeanBusFactor {
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
		label := s.Policies[k]
		if len(xys) > 0 {
			end := xys[len(xys)-1]
			label = fmt.Sprintf("%s (%.2f after round %d)", label, end.Y, int(end.X))
		}
		keys = append(keys, key{label: label, line: line, glyph: glyph})
	}
	if s.Target > 0 {
		target := draw.LineStyle{Color: muted, Width: 1.5, Dashes: []vg.Length{6, 4}}
		t := float64(s.Target)
		p.Add(hline{y: t, style: target})
		keys = append(keys, key{label: "target " + strconv.Itoa(s.Target), line: target})
	}
	if s.LowerBound > 0 && s.LowerBound <= s.Rounds {
		bound := draw.LineStyle{Color: muted, Width: 1.25, Dashes: []vg.Length{1.5, 3}}
		p.Add(vline{x: float64(s.LowerBound), style: bound, label: "lower bound: round " + strconv.Itoa(s.LowerBound)})
	}
	p.X.Min, p.X.Max = 0.5, float64(s.Rounds)+0.5
	p.X.Tick.Marker = intTicks{}
	p.Y.Min, p.Y.Max = 0, math.Ceil(top+0.25)
	p.Y.Tick.Marker = intTicks{}
	p.Draw(legendRow(c, keys))
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
