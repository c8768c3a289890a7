package charts

import (
	"fmt"
	"image/color"
	"io"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SessionsPerWeek counts the sessions of each week by how they ended, as
// plain data (see SessionsByWeek).
type SessionsPerWeek struct {
	Weeks     []time.Time // the start of each week, oldest first
	Done      []int       // sessions that happened, one count per week
	Skipped   []int       // sessions nobody held or logged
	Cancelled []int       // sessions someone called off
}

// Outcome colours, the same in every chart: done is the good news.
var (
	doneColour      = color.NRGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}
	skippedColour   = color.NRGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}
	cancelledColour = color.NRGBA{R: 0xa0, G: 0xa0, B: 0xa0, A: 0xff}
)

// PNG draws one stacked bar per week, done at the bottom, then skipped,
// then cancelled, with the totals in the legend and, when there are few
// weeks, on top of each bar. With no weeks or no sessions at all it says
// "no data yet".
func (s SessionsPerWeek) PNG(w io.Writer) error {
	if err := s.check(); err != nil {
		return err
	}
	done, skipped, cancelled := sum(s.Done), sum(s.Skipped), sum(s.Cancelled)
	if len(s.Weeks) == 0 || done+skipped+cancelled == 0 {
		return noData(w, "sessions", sessionsTitle, "Sessions show up here once the first round has been planned.")
	}
	return render(w, "sessions", Width, lineHeight, func(c draw.Canvas) {
		sub := fmt.Sprintf("%d done, %d skipped, %d cancelled over %s", done, skipped, cancelled, plural(len(s.Weeks), "week", "weeks"))
		c = header(inset(c), sessionsTitle, sub)
		c = legendRow(c, []key{
			{label: "done", fill: doneColour},
			{label: "skipped", fill: skippedColour},
			{label: "cancelled", fill: cancelledColour},
		})
		p := newPlot("", "sessions")
		bars := &stack{weeks: s.Weeks, counts: [][]int{s.Done, s.Skipped, s.Cancelled},
			colours: []color.Color{doneColour, skippedColour, cancelledColour}, totals: len(s.Weeks) <= 16}
		p.Add(bars)
		top := 0
		for i := range s.Weeks {
			top = max(top, s.Done[i]+s.Skipped[i]+s.Cancelled[i])
		}
		p.Y.Min, p.Y.Max = 0, float64(top)*1.08+0.5
		p.Y.Tick.Marker = intTicks{}
		p.Y.Padding = 0
		weekRange(p, s.Weeks, 9)
		p.Draw(c)
	})
}

const sessionsTitle = "Sessions per week"

func (s SessionsPerWeek) check() error {
	for _, series := range []struct {
		name string
		xs   []int
	}{{"done", s.Done}, {"skipped", s.Skipped}, {"cancelled", s.Cancelled}} {
		name, xs := series.name, series.xs
		if len(xs) != len(s.Weeks) {
			return fmt.Errorf("charts: sessions per week has %d %s counts for %d weeks", len(xs), name, len(s.Weeks))
		}
		for _, x := range xs {
			if x < 0 {
				return fmt.Errorf("charts: sessions per week has a negative %s count %d", name, x)
			}
		}
	}
	return checkWeeks(s.Weeks)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// stack is a stacked bar chart on a time axis: one bar per week, 80% of a
// week wide, with counts[k][i] stacked in order k for week i.
type stack struct {
	weeks   []time.Time
	counts  [][]int
	colours []color.Color
	totals  bool // write each bar's total above it
}

// Plot implements plot.Plotter.
func (b *stack) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	half := week.Seconds() * 0.4
	label := textStyle(8.5, muted)
	label.XAlign, label.YAlign = draw.XCenter, draw.YBottom
	for i, wk := range b.weeks {
		x := unix(wk)
		x0, x1 := trX(x-half), trX(x+half)
		base := 0
		for k, counts := range b.counts {
			if counts[i] == 0 {
				continue
			}
			y0, y1 := trY(float64(base)), trY(float64(base+counts[i]))
			fillRect(c, b.colours[k], x0, y0, x1, y1)
			if y1-y0 > 1.5 { // a hairline between segments
				c.StrokeLine2(draw.LineStyle{Color: white, Width: 0.75}, x0, y1, x1, y1)
			}
			base += counts[i]
		}
		if b.totals && base > 0 {
			c.FillText(label, vg.Point{X: (x0 + x1) / 2, Y: trY(float64(base)) + 2}, strconv.Itoa(base))
		}
	}
}
