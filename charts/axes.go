package charts

import (
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// week is the length of the weeks that time charts are binned into.
const week = 7 * 24 * time.Hour

// newPlot returns a plot with no title, Liberation Sans on both axes,
// light horizontal grid lines, and axis labels xLabel and yLabel.
func newPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the canvas is already white
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = textStyle(10, muted)
		a.Label.TextStyle.XAlign = draw.XCenter
		a.Tick.Label = textStyle(9, ink)
		a.Color = muted
		a.Tick.Color = muted
		a.Padding = 0
	}
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: faint, Width: vg.Points(0.75)}
	p.Add(grid)
	return p
}

// intTicks marks whole numbers only, every step so that there are at most
// about eight labels: a bus factor of 1.5 means nothing.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := math.Ceil(lo), math.Floor(hi)
	if last < first {
		return nil
	}
	step := 1.0
	for _, s := range []float64{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000} {
		step = s
		if (last-first)/s <= 8 {
			break
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(first/step) * step; v <= last; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
	}
	return ticks
}

// weekTicks labels the starts of weeks, given as Unix seconds, with the
// day ("Mar 9"), counting back from the newest week so that it always has
// a label. The year is added under the first label and wherever it
// changes. Weeks without a label get a minor tick.
type weekTicks struct {
	weeks []time.Time
	max   int // most labels to show
}

// Ticks implements plot.Ticker.
func (t weekTicks) Ticks(_, _ float64) []plot.Tick {
	n := len(t.weeks)
	step := max(1, (n+t.max-1)/max(1, t.max))
	var ticks []plot.Tick
	lastYear := 0
	for i := range n {
		wk := t.weeks[i]
		tick := plot.Tick{Value: unix(wk)}
		if (n-1-i)%step == 0 {
			tick.Label = wk.Format("Jan 2")
			if y := wk.Year(); y != lastYear {
				tick.Label += "\n" + strconv.Itoa(y)
				lastYear = y
			}
		}
		ticks = append(ticks, tick)
	}
	return ticks
}

// unix is t as float64 Unix seconds, the x coordinate of time charts.
func unix(t time.Time) float64 { return float64(t.Unix()) }

// weekRange sets the x axis of p to the weeks, with room for half a week
// on either side, and at least minWeeks wide so that one week of data is a
// bar or a segment and not the whole chart.
func weekRange(p *plot.Plot, weeks []time.Time, maxLabels int) {
	const minWeeks = 6
	span := max(float64(len(weeks)), minWeeks) * week.Seconds()
	mid := (unix(weeks[0]) + unix(weeks[len(weeks)-1])) / 2
	p.X.Min, p.X.Max = mid-span/2, mid+span/2
	p.X.Tick.Marker = weekTicks{weeks: weeks, max: maxLabels}
}
