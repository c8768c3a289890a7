package charts

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BusFactorSeries is every project's bus factor week by week, and the
// team's truck factor, as plain data (see BusFactorHistory).
type BusFactorSeries struct {
	Weeks    []time.Time // the start of each week, oldest first
	Projects []string    // project names, one per row of BF
	BF       [][]int     // BF[j][w] is project j's bus factor in week w
	// From[j] is the first week of project j's history: its line starts
	// there, so a project added last week is not drawn at 0 before it
	// existed. Nil draws every project over every week.
	From        []int
	TruckFactor []int // the team's truck factor in each week; nil leaves it out
	Target      int   // the team's target bus factor, drawn dashed; 0 leaves it out
	Highlight   int   // how many of the riskiest projects get a colour; 0 means 5
}

// defaultHighlight is how many projects get a colour when Highlight is 0:
// enough to name the problems, few enough to tell the colours apart.
const defaultHighlight = 5

// PNG draws one line per project. The riskiest projects (the lowest bus
// factor in the latest week, then the lowest mean over all weeks, then by
// name) are drawn in colour and named in the legend; the rest are light
// grey, so forty projects read as a backdrop and not as spaghetti. Coloured
// lines are nudged apart by a few hundredths of a person so that projects
// with the same history do not hide each other. The team's truck factor is
// a thick black line and the target a dashed one. With no weeks or no
// projects it says "no data yet".
func (s BusFactorSeries) PNG(w io.Writer) error {
	if err := s.check(); err != nil {
		return err
	}
	if len(s.Weeks) == 0 || len(s.Projects) == 0 {
		return noData(w, "busfactor", busFactorTitle, "The bus factor chart starts with the first week that has projects.")
	}
	return render(w, "bus factor", Width, lineHeight, s.draw)
}

const busFactorTitle = "Bus factor per project"

func (s BusFactorSeries) check() error {
	if len(s.BF) != len(s.Projects) {
		return fmt.Errorf("charts: bus factor has %d projects but %d series", len(s.Projects), len(s.BF))
	}
	for j, row := range s.BF {
		if len(row) != len(s.Weeks) {
			return fmt.Errorf("charts: bus factor of %s has %d values for %d weeks", s.Projects[j], len(row), len(s.Weeks))
		}
	}
	if s.From != nil && len(s.From) != len(s.Projects) {
		return fmt.Errorf("charts: bus factor has %d projects but %d starts", len(s.Projects), len(s.From))
	}
	for j, f := range s.From {
		if f < 0 || f >= max(len(s.Weeks), 1) {
			return fmt.Errorf("charts: %s starts in week %d of %d", s.Projects[j], f, len(s.Weeks))
		}
	}
	if s.TruckFactor != nil && len(s.TruckFactor) != len(s.Weeks) {
		return fmt.Errorf("charts: truck factor has %d values for %d weeks", len(s.TruckFactor), len(s.Weeks))
	}
	return checkWeeks(s.Weeks)
}

// checkWeeks insists on weeks in time order, since they are an x axis.
func checkWeeks(weeks []time.Time) error {
	for i := 1; i < len(weeks); i++ {
		if !weeks[i].After(weeks[i-1]) {
			return fmt.Errorf("charts: weeks are not in time order: %s comes after %s",
				weeks[i].Format(time.DateOnly), weeks[i-1].Format(time.DateOnly))
		}
	}
	return nil
}

// riskiest returns the indices of the projects to highlight, riskiest
// first.
func (s BusFactorSeries) riskiest() []int {
	n := s.Highlight
	if n <= 0 {
		n = defaultHighlight
	}
	last := len(s.Weeks) - 1
	mean := func(j int) float64 {
		sum, row := 0, s.BF[j][s.from(j):]
		for _, v := range row {
			sum += v
		}
		return float64(sum) / float64(len(row))
	}
	idx := make([]int, len(s.Projects))
	for j := range idx {
		idx[j] = j
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := cmp.Compare(s.BF[a][last], s.BF[b][last]); c != 0 {
			return c
		}
		if c := cmp.Compare(mean(a), mean(b)); c != 0 {
			return c
		}
		return cmp.Compare(s.Projects[a], s.Projects[b])
	})
	return idx[:min(n, len(idx))]
}

func (s BusFactorSeries) draw(c draw.Canvas) {
	risky := s.riskiest()
	sub := fmt.Sprintf("The %d riskiest of %s in colour (lowest bus factor in the latest week); the rest in grey",
		len(risky), plural(len(s.Projects), "project", "projects"))
	if len(risky) == len(s.Projects) {
		sub = "Bus factor: how many people on the team know the project"
	}
	c = header(inset(c), busFactorTitle, sub)

	last := len(s.Weeks) - 1
	var keys []key
	p := newPlot("", "bus factor")
	top := max(s.Target, 1)
	for _, row := range s.BF {
		top = max(top, slices.Max(row))
	}
	isRisky := make(map[int]bool, len(risky))
	for _, j := range risky {
		isRisky[j] = true
	}
	for j, row := range s.BF {
		if !isRisky[j] {
			p.Add(weekLine(s.Weeks[s.from(j):], row[s.from(j):], 0, draw.LineStyle{Color: backdrop, Width: 1}))
		}
	}
	if s.Target > 0 {
		target := draw.LineStyle{Color: muted, Width: 1.5, Dashes: []vg.Length{6, 4}}
		p.Add(hline{y: float64(s.Target), style: target})
		keys = append(keys, key{label: "target " + strconv.Itoa(s.Target), line: target})
	}
	if s.TruckFactor != nil {
		tf := draw.LineStyle{Color: ink, Width: 3.5}
		p.Add(weekLine(s.Weeks, s.TruckFactor, 0, tf))
		keys = append(keys, key{label: fmt.Sprintf("team truck factor (%d)", s.TruckFactor[last]), line: tf})
		top = max(top, slices.Max(s.TruckFactor))
	}
	for k, j := range risky {
		col := colourAt(k)
		line := draw.LineStyle{Color: col, Width: 2}
		nudge := (float64(k) - float64(len(risky)-1)/2) * 0.05
		p.Add(weekLine(s.Weeks[s.from(j):], s.BF[j][s.from(j):], nudge, line))
		keys = append(keys, key{label: fmt.Sprintf("%s (%d)", s.Projects[j], s.BF[j][last]), line: line})
	}
	p.Y.Min, p.Y.Max = -0.3, float64(top)+0.5
	p.Y.Tick.Marker = intTicks{}
	weekRange(p, s.Weeks, 9)
	// The legend lists the riskiest first, then the team-wide series.
	n := len(keys) - len(risky)
	keys = append(keys[n:], keys[:n]...)
	p.Draw(legendRow(c, keys))
}

// from is the index of project j's first week.
func (s BusFactorSeries) from(j int) int {
	if s.From == nil {
		return 0
	}
	return s.From[j]
}

// weekLine is a step line through one value per week, raised by nudge:
// each value is held across its whole week, with a riser where it changes.
// A bus factor is a count that changes between measurements, so a slope
// between weeks would invent values, and steps also keep forty grey lines
// on the grid lines instead of criss-crossing. A single week is a segment
// a week long.
func weekLine(weeks []time.Time, values []int, nudge float64, line draw.LineStyle) plot.Plotter {
	half := week.Seconds() / 2
	steps := make(plotter.XYs, 0, 2*len(weeks))
	for i, wk := range weeks {
		y := float64(values[i]) + nudge
		steps = append(steps, plotter.XY{X: unix(wk) - half, Y: y}, plotter.XY{X: unix(wk) + half, Y: y})
	}
	return &plotter.Line{XYs: steps, LineStyle: line}
}
