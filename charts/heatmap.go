package charts

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap is who knows what: every person's familiarity with every
// project, as plain data so that callers can build it from the store (see
// FromKnowledge).
type Heatmap struct {
	People   []string    // display names, one per row of F
	Projects []string    // project names, one per column of F
	F        [][]float64 // F[i][j] is person i's familiarity with project j, in [0, 1]
	KnowsAt  float64     // familiarity from which a person knows a project; 0 means 0.5
	// Teams says the rows are teams, not people (FromTeams): a cell is the
	// best familiarity anyone in the team has, and the number on top
	// counts the teams that know the project.
	Teams bool
}

// PNG draws the heatmap: people down the side, projects along the top,
// each cell coloured by familiarity on a scale with a visible step at
// KnowsAt, so "knows it" cells stand out from "is learning it" cells. Above
// each column is the number of people who know the project, in red when it
// is one or none. Rows and columns are reordered so clusters show (see
// seriate). The image is Width pixels wide; its height grows with the
// number of people. With nobody or no project it says "no data yet".
func (h Heatmap) PNG(w io.Writer) error {
	if err := h.check(); err != nil {
		return err
	}
	if len(h.People) == 0 || len(h.Projects) == 0 {
		return noData(w, "heatmap", h.title(), "The heatmap fills in once the team has people and projects.")
	}
	l := h.layout()
	return render(w, "heatmap", Width, l.hpx, func(c draw.Canvas) { h.draw(c, l) })
}

const heatTitle = "Who knows what"

func (h Heatmap) title() string {
	if h.Teams {
		return "Shared code across teams"
	}
	return heatTitle
}

// check rejects a heatmap whose shape does not match its names.
func (h Heatmap) check() error {
	if len(h.F) != len(h.People) {
		return fmt.Errorf("charts: heatmap has %d people but %d rows of familiarity", len(h.People), len(h.F))
	}
	for i, row := range h.F {
		if len(row) != len(h.Projects) {
			return fmt.Errorf("charts: heatmap row %d (%s) has %d values for %d projects", i, h.People[i], len(row), len(h.Projects))
		}
	}
	if h.KnowsAt < 0 || h.KnowsAt > 1 || math.IsNaN(h.KnowsAt) {
		return fmt.Errorf("charts: heatmap KnowsAt %v is not in (0, 1]", h.KnowsAt)
	}
	return nil
}

func (h Heatmap) knowsAt() float64 {
	if h.KnowsAt == 0 {
		return 0.5
	}
	return h.KnowsAt
}

// f is the familiarity at (i, j), clamped to [0, 1] with NaN as 0.
func (h Heatmap) f(i, j int) float64 {
	v := h.F[i][j]
	if !(v > 0) { // also NaN
		return 0
	}
	return math.Min(v, 1)
}

// heatLayout is where everything goes, in points from the top left.
type heatLayout struct {
	rows, cols       []int    // display order: rows[k] is the person on row k
	names, projects  []string // labels, shortened to fit
	nameW            vg.Length
	cellW, rowH      vg.Length
	rowSty, colSty   text.Style
	vertical, values bool // project labels rotated; values written in cells
	gridTop          vg.Length
	hpx              int
}

// Layout constants, in points.
const (
	heatLegendW  = 96  // room for the colour bar and its labels
	heatKnowersH = 14  // the row of knower counts above the grid
	heatMaxName  = 150 // longest person label
	heatMaxProj  = 120 // longest rotated project label
	heatBarMinH  = 110 // shortest colour bar
)

func (h Heatmap) layout() heatLayout {
	var l heatLayout
	nr, nc := len(h.People), len(h.Projects)
	l.rows, l.cols = seriate(h.F, nc)
	l.rowH = clamp(440/vg.Length(nr), 8.5, 30)
	l.rowSty = textStyle(clamp(l.rowH*0.78, 7, 10.5), ink)
	for _, name := range h.People {
		l.nameW = max(l.nameW, l.rowSty.Width(name))
	}
	l.nameW = max(min(l.nameW, heatMaxName), knowItStyle().Width(knowIt))
	l.names = make([]string, nr)
	for i, name := range h.People {
		l.names[i] = fit(l.rowSty, name, l.nameW)
	}
	avail := pt(Width) - 2*margin - l.nameW - 6 - heatLegendW
	l.cellW = min(avail/vg.Length(nc), 80)
	l.colSty = textStyle(clamp(l.cellW*0.75, 7, 10), ink)
	widest := vg.Length(0)
	for _, p := range h.Projects {
		widest = max(widest, l.colSty.Width(p))
	}
	l.vertical = widest > l.cellW-4
	labelMax, labelH := l.cellW-4, l.colSty.Height("Mg")
	if l.vertical {
		labelMax = heatMaxProj
		labelH = min(widest, heatMaxProj)
	}
	l.projects = make([]string, nc)
	for j, p := range h.Projects {
		l.projects[j] = fit(l.colSty, p, labelMax)
	}
	l.values = l.cellW >= 26 && l.rowH >= 14
	l.gridTop = margin + headerHeight(h.title(), h.subtitle()) + labelH + 4 + heatKnowersH
	gridBottom := l.gridTop + vg.Length(nr)*l.rowH
	barBottom := l.gridTop + heatBarMinH + 12
	l.hpx = px(max(gridBottom, barBottom) + margin)
	return l
}

func (h Heatmap) subtitle() string {
	if h.Teams {
		return fmt.Sprintf("%s × %s · dark blue: someone in the team knows it (≥ %.2f) · on top: teams that know it",
			plural(len(h.People), "team", "teams"), plural(len(h.Projects), "shared project", "shared projects"), h.knowsAt())
	}
	return fmt.Sprintf("%s × %s · dark blue: knows it (familiarity ≥ %.2f) · number on top: people who know the project",
		plural(len(h.People), "person", "people"), plural(len(h.Projects), "project", "projects"), h.knowsAt())
}

func (h Heatmap) draw(c draw.Canvas, l heatLayout) {
	top := c.Max.Y // y of the top edge; layout distances are measured down from it
	header(inset(c), h.title(), h.subtitle())
	x0 := c.Min.X + margin + l.nameW + 6
	y0 := top - l.gridTop // top of the grid
	knowsAt := h.knowsAt()

	// Project labels and knower counts.
	colSty := l.colSty
	if l.vertical {
		colSty.Rotation, colSty.YAlign = math.Pi/2, draw.YCenter
	} else {
		colSty.XAlign, colSty.YAlign = draw.XCenter, draw.YBottom
	}
	countSty := textStyle(min(l.colSty.Font.Size, 8.5), muted)
	countSty.XAlign, countSty.YAlign = draw.XCenter, draw.YBottom
	for p, j := range l.cols {
		cx := x0 + (vg.Length(p)+0.5)*l.cellW
		c.FillText(colSty, vg.Point{X: cx, Y: y0 + heatKnowersH + 3}, l.projects[j])
		n := 0
		for i := range h.People {
			if h.f(i, j) >= knowsAt {
				n++
			}
		}
		sty := countSty
		if n <= 1 {
			sty = boldStyle(countSty.Font.Size, alarm)
			sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
		}
		c.FillText(sty, vg.Point{X: cx, Y: y0 + 3}, strconv.Itoa(n))
	}

	c.FillText(knowItStyle(), vg.Point{X: x0 - 5, Y: y0 + 3}, knowIt)

	// Cells and person labels.
	gap := vg.Length(1)
	if l.cellW < 12 || l.rowH < 12 {
		gap = 0.5
	}
	rowSty := l.rowSty
	rowSty.XAlign, rowSty.YAlign = draw.XRight, draw.YCenter
	valSty := textStyle(clamp(l.rowH*0.45, 7, 10), ink)
	valSty.XAlign, valSty.YAlign = draw.XCenter, draw.YCenter
	for k, i := range l.rows {
		yTop := y0 - vg.Length(k)*l.rowH
		c.FillText(rowSty, vg.Point{X: x0 - 5, Y: yTop - l.rowH/2}, l.names[i])
		for p, j := range l.cols {
			f := h.f(i, j)
			x := x0 + vg.Length(p)*l.cellW
			fillRect(c, heatColour(f, knowsAt), x+gap/2, yTop-l.rowH+gap/2, x+l.cellW-gap/2, yTop-gap/2)
			if l.values && f > 0 { // blank, not "0.00": the eye finds the knowledge
				sty := valSty
				if f >= knowsAt {
					sty.Color = white
				}
				c.FillText(sty, vg.Point{X: x + l.cellW/2, Y: yTop - l.rowH/2}, strconv.FormatFloat(f, 'f', 2, 64))
			}
		}
	}
	colourBar(c, x0+vg.Length(len(l.cols))*l.cellW+22, y0, knowsAt,
		clamp(vg.Length(len(l.rows))*l.rowH, heatBarMinH, 240))
}

// knowIt labels the row of knower counts.
const knowIt = "know it:"

func knowItStyle() text.Style {
	s := textStyle(8.5, muted)
	s.XAlign, s.YAlign = draw.XRight, draw.YBottom
	return s
}

// heatColour maps familiarity to colour: pale blue-grey rising to light
// blue below knowsAt, then a jump to mid blue rising to navy. The jump in
// lightness marks "knows it" without relying on hue, so it survives
// colour blindness and greyscale printing.
func heatColour(f, knowsAt float64) color.NRGBA {
	if f < knowsAt {
		return lerp(color.NRGBA{R: 0xee, G: 0xf1, B: 0xf5, A: 0xff}, color.NRGBA{R: 0xa8, G: 0xc8, B: 0xe6, A: 0xff}, f/knowsAt)
	}
	t := 1.0
	if knowsAt < 1 {
		t = (f - knowsAt) / (1 - knowsAt)
	}
	return lerp(color.NRGBA{R: 0x3a, G: 0x7c, B: 0xc0, A: 0xff}, color.NRGBA{R: 0x0b, G: 0x2a, B: 0x60, A: 0xff}, t)
}

// colourBar draws the familiarity scale as a vertical bar hanging from
// (x, top), with ticks at 0, knowsAt and 1 and a label at the step.
func colourBar(c draw.Canvas, x, top vg.Length, knowsAt float64, height vg.Length) {
	const barW, steps = 12, 100
	title := boldStyle(9, ink)
	title.YAlign = draw.YBottom
	c.FillText(title, vg.Point{X: x, Y: top + 9}, "familiarity")
	for s := range steps {
		f0, f1 := float64(s)/steps, float64(s+1)/steps
		y0, y1 := top-height+vg.Length(f0)*height, top-height+vg.Length(f1)*height
		fillRect(c, heatColour((f0+f1)/2, knowsAt), x, y0, x+barW, y1+0.3)
	}
	tick := draw.LineStyle{Color: ink, Width: 0.75}
	label := textStyle(8.5, ink)
	label.YAlign = draw.YCenter
	marks := []float64{0, 1, knowsAt}
	for _, v := range []float64{0.25, 0.75} {
		if math.Abs(v-knowsAt) > 0.12 {
			marks = append(marks, v)
		}
	}
	for _, v := range marks {
		y := top - height + vg.Length(v)*height
		c.StrokeLine2(tick, x+barW, y, x+barW+4, y)
		sty, s := label, strconv.FormatFloat(v, 'f', 2, 64)
		if v == knowsAt {
			sty = boldStyle(8.5, ink)
			sty.YAlign = draw.YCenter
			s += " knows"
			c.StrokeLine2(draw.LineStyle{Color: white, Width: 1.5}, x, y, x+barW, y)
		}
		c.FillText(sty, vg.Point{X: x + barW + 6, Y: y}, s)
	}
}

// headerHeight is the height header takes for this title and subtitle.
func headerHeight(title, subtitle string) vg.Length {
	h := boldStyle(15, ink).Height(title) + 5 + 6
	if subtitle != "" {
		h += textStyle(9.5, muted).Height(subtitle) + 4
	}
	return h
}

// fillRect fills the rectangle with corners (x0, y0) and (x1, y1).
func fillRect(c draw.Canvas, col color.Color, x0, y0, x1, y1 vg.Length) {
	c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
}

func lerp(a, b color.NRGBA, t float64) color.NRGBA {
	t = math.Max(0, math.Min(1, t))
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + t*(float64(y)-float64(x)))) }
	return color.NRGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: mix(a.A, b.A)}
}

func clamp(x, lo, hi vg.Length) vg.Length { return max(lo, min(x, hi)) }

// plural writes "1 person" or "3 people".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
