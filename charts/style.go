package charts

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Width is the width of every chart in pixels. Slack shows previews about
// 800 pixels wide, so text drawn at this size still reads when scaled down
// by a third.
const Width = 1200

// DPI is the resolution charts are drawn at: one point of text is two
// pixels, which keeps 9-point labels crisp in a Slack preview.
const DPI = 144

// Heights in pixels of the charts whose height does not depend on the data.
const (
	lineHeight    = 750 // bus factor, sessions per week, simulation curves
	networkHeight = 1000
	noDataHeight  = 400
)

// margin is the white space around every chart.
const margin = vg.Length(14)

// Fonts. plot.DefaultFont is Liberation Serif; we use the Sans variant,
// which reads better at small sizes, and set it on every text style we draw
// rather than changing plot's package-level defaults.
var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// Colours. Always color.NRGBA: color.RGBA is alpha-premultiplied, and a
// translucent RGBA literal does not mean what it seems to.
var (
	ink      = color.NRGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	muted    = color.NRGBA{R: 0x66, G: 0x66, B: 0x66, A: 0xff}
	faint    = color.NRGBA{R: 0xe3, G: 0xe3, B: 0xe3, A: 0xff}
	white    = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	alarm    = color.NRGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}
	backdrop = color.NRGBA{R: 0x90, G: 0x90, B: 0x90, A: 0x70} // lines that are background, not news

	// palette is Okabe and Ito's colour-blind-safe set, without its
	// yellow (too light on white) and black (kept for team-wide series).
	palette = []color.NRGBA{
		{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}, // vermillion
		{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}, // blue
		{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}, // bluish green
		{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}, // reddish purple
		{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}, // orange
		{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}, // sky blue
	}
)

// colourAt picks the i-th palette colour, cycling when there are more
// series than colours.
func colourAt(i int) color.NRGBA { return palette[i%len(palette)] }

// pt converts pixels to points at DPI.
func pt(px int) vg.Length { return vg.Length(px) * vg.Inch / DPI }

// px converts points to whole pixels at DPI, rounding up.
func px(l vg.Length) int { return int(math.Ceil(float64(l / vg.Inch * DPI))) }

// textStyle is Liberation Sans at size in colour c, left and bottom aligned.
func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(sans, size), Handler: plot.DefaultTextHandler}
}

// boldStyle is textStyle in bold.
func boldStyle(size vg.Length, c color.Color) text.Style {
	s := textStyle(size, c)
	s.Font = font.From(sansBold, size)
	return s
}

// fit shortens s with an ellipsis until it is at most width wide in sty.
func fit(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; sty.Width(t) <= width {
			return t
		}
	}
	return "…"
}

// render draws a chart of wpx × hpx pixels with paint and writes it to w as
// PNG. gonum/plot panics on some inputs it considers programming errors;
// render turns such a panic into an error, because a chart that cannot be
// drawn must not take the bot down with it.
func render(w io.Writer, name string, wpx, hpx int, paint func(c draw.Canvas)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("charts: draw %s: %v", name, r)
		}
	}()
	img := vgimg.NewWith(vgimg.UseWH(pt(wpx), pt(hpx)), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(white))
	paint(draw.New(img))
	// BestSpeed halves the time of the default level, and the file, at
	// a few hundred kilobytes, is still small for Slack.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, img.Image()); err != nil {
		return fmt.Errorf("charts: encode %s: %w", name, err)
	}
	return nil
}

// inset returns c without the chart margin.
func inset(c draw.Canvas) draw.Canvas { return draw.Crop(c, margin, -margin, margin, -margin) }

// header draws a bold title and an optional muted subtitle along the top of
// c and returns the part of c below them.
func header(c draw.Canvas, title, subtitle string) draw.Canvas {
	ts := boldStyle(15, ink)
	ts.YAlign = draw.YTop
	c.FillText(ts, vg.Point{X: c.Min.X, Y: c.Max.Y}, fit(ts, title, c.Size().X))
	c.Max.Y -= ts.Height(title) + 5
	if subtitle != "" {
		ss := textStyle(9.5, muted)
		ss.YAlign = draw.YTop
		c.FillText(ss, vg.Point{X: c.Min.X, Y: c.Max.Y}, fit(ss, subtitle, c.Size().X))
		c.Max.Y -= ss.Height(subtitle) + 4
	}
	c.Max.Y -= 6
	return c
}

// key is one entry of a legend row: a filled square, or a short line.
type key struct {
	label string
	fill  color.Color      // draws a square when set
	line  draw.LineStyle   // draws a line sample when fill is nil
	glyph *draw.GlyphStyle // optional marker on the line sample
}

// legendRow draws keys left to right along the top of c, wrapping onto a
// new row when one is full, and returns the part of c below them. Keeping
// the legend out of the plotting area means it never hides data.
func legendRow(c draw.Canvas, keys []key) draw.Canvas {
	if len(keys) == 0 {
		return c
	}
	sty := textStyle(9.5, ink)
	sty.YAlign = draw.YCenter
	const sample, gap, spacing = vg.Length(20), vg.Length(5), vg.Length(16)
	rowH := sty.Height("Mg") + 6
	x, y := c.Min.X, c.Max.Y-rowH/2
	for _, k := range keys {
		icon := sample
		if k.fill != nil {
			icon = 10
		}
		label := fit(sty, k.label, c.Size().X-icon-gap)
		w := icon + gap + sty.Width(label)
		if x > c.Min.X && x+w > c.Max.X {
			x, y = c.Min.X, y-rowH
		}
		if k.fill != nil {
			fillRect(c, k.fill, x, y-icon/2, x+icon, y+icon/2)
		} else {
			c.StrokeLine2(k.line, x, y, x+icon, y)
			if k.glyph != nil {
				c.DrawGlyphNoClip(*k.glyph, vg.Point{X: x + icon/2, Y: y})
			}
		}
		c.FillText(sty, vg.Point{X: x + icon + gap, Y: y}, label)
		x += w + spacing
	}
	c.Max.Y = y - rowH/2 - 6
	return c
}

// noData writes a chart that has only a title and a friendly line saying
// there is nothing to show yet, so a new team sees why its chart is empty
// instead of an error.
func noData(w io.Writer, name, title, why string) error {
	return render(w, name, Width, noDataHeight, func(c draw.Canvas) {
		c = header(inset(c), title, "")
		mid := c.Center()
		big := boldStyle(22, muted)
		big.XAlign, big.YAlign = draw.XCenter, draw.YBottom
		c.FillText(big, vg.Point{X: mid.X, Y: mid.Y + 4}, "No data yet")
		small := textStyle(10.5, muted)
		small.XAlign, small.YAlign = draw.XCenter, draw.YTop
		c.FillText(small, vg.Point{X: mid.X, Y: mid.Y - 4}, fit(small, why, c.Size().X))
	})
}
