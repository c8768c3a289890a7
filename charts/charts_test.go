package charts

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	goldenfile "github.com/pollen-team/pollen/internal/golden"
)

// chart is what every chart in this package is.
type chart interface{ PNG(io.Writer) error }

// Golden tolerance. The charts are drawn in pure Go with embedded fonts, so
// the same input gives the same pixels on every amd64 machine (0.000 here);
// the tolerance only absorbs last-bit anti-aliasing differences. It is
// tight enough that thin features count: dropping the bus-factor chart's
// dashed target line changes 0.045% of the 40×26 chart's pixels, drawing it
// solid 0.035%, and both fail.
const (
	maxMeanDiff   = 0.05   // mean |Δ| over all channels of all pixels, out of 255
	visibleDiff   = 48     // a pixel differs visibly when a channel moves this much
	maxDiffPixels = 0.0002 // share of pixels allowed to differ visibly: a dropped target line is 0.00045
)

var goldens = []struct {
	name       string
	chart      chart
	minH, maxH int     // expected height in pixels
	colours    int     // distinct colours (4 bits per channel) at least
	ink        float64 // share of non-white pixels at least
	noData     bool
}{
	{"heatmap_100x40", bigHeatmap(100, 40), 100 * 17, 2600, 40, 0.2, false},
	{"heatmap_2x1", smallHeatmap(), 300, 700, 6, 0.03, false},
	{"heatmap_empty", Heatmap{}, noDataHeight, noDataHeight, 2, 0.01, true},
	{"heatmap_teams", teamsHeatmap(), 300, 700, 6, 0.03, false},
	{"busfactor_40x26", bigBusFactor(40, 26), lineHeight, lineHeight, 20, 0.04, false},
	{"busfactor_1x1", BusFactorSeries{Weeks: weeksFrom(monday, 1), Projects: []string{"churn-model"},
		BF: [][]int{{1}}, TruckFactor: []int{1}, Target: 2}, lineHeight, lineHeight, 4, 0.01, false},
	{"busfactor_empty", BusFactorSeries{}, noDataHeight, noDataHeight, 2, 0.01, true},
	{"sessions_52w", bigSessions(100, 52), lineHeight, lineHeight, 10, 0.2, false},
	{"sessions_1w", SessionsPerWeek{Weeks: weeksFrom(monday, 1), Done: []int{1}, Skipped: []int{0}, Cancelled: []int{0}},
		lineHeight, lineHeight, 3, 0.05, false},
	{"sessions_empty", SessionsPerWeek{}, noDataHeight, noDataHeight, 2, 0.01, true},
	{"network_100", bigNetwork(100), networkHeight, networkHeight, 40, 0.05, false},
	{"network_2", Network{People: []string{"Ana", "Bo"}, Edges: []Edge{{A: 0, B: 1, Sessions: 2}}},
		networkHeight, networkHeight, 3, 0.01, false},
	{"network_empty", Network{}, noDataHeight, noDataHeight, 2, 0.01, true},
	{"sim_52", bigSim(52), lineHeight, lineHeight, 40, 0.03, false},
	{"sim_1x1", SimCurves{Rounds: 1, Seeds: 1, Policies: []string{"pollen"}, Worst: [][]float64{{1.5}}, Target: 2},
		lineHeight, lineHeight, 3, 0.01, false},
	{"sim_empty", SimCurves{}, noDataHeight, noDataHeight, 2, 0.01, true},
}

// TestGolden renders every chart from fixed data, checks that the PNG
// decodes, has the expected size and is not blank, and compares it with
// its golden image. Run with -update to rewrite the goldens.
func TestGolden(t *testing.T) {
	for _, tc := range goldens {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tc.chart.PNG(&buf); err != nil {
				t.Fatalf("PNG: %v", err)
			}
			img, err := decode(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			b := img.Bounds()
			if b.Dx() != Width || b.Dy() < tc.minH || b.Dy() > tc.maxH {
				t.Errorf("size %d×%d, want %d × %d..%d", b.Dx(), b.Dy(), Width, tc.minH, tc.maxH)
			}
			if (b.Dy() == noDataHeight) != tc.noData {
				t.Errorf("no-data chart: got %v, want %v", b.Dy() == noDataHeight, tc.noData)
			}
			checkNotBlank(t, img, tc.ink, tc.colours)
			golden := filepath.Join("testdata", tc.name+".png")
			if *goldenfile.Update {
				writeGolden(t, golden, img)
				return
			}
			compareGolden(t, img, golden)
		})
	}
}

// writeGolden saves img at path, compressed harder than the charts
// themselves to keep the repository small; the pixels are the same.
func writeGolden(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDeterministic renders the network twice and wants the same bytes:
// its layout starts from random positions, so it is the chart most likely
// to change by chance (the seed is fixed and nodes are visited in order).
// The other charts are checked across runs by their goldens.
func TestDeterministic(t *testing.T) {
	n := bigNetwork(60)
	var a, b bytes.Buffer
	if err := n.PNG(&a); err != nil {
		t.Fatal(err)
	}
	if err := n.PNG(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the same network differ")
	}
}

// checkNotBlank insists on enough ink and enough distinct colours.
func checkNotBlank(t *testing.T, img *image.RGBA, minInk float64, colours int) {
	t.Helper()
	ink, seen := 0, map[uint32]bool{}
	for p := 0; p+3 < len(img.Pix); p += 4 {
		r, g, b := img.Pix[p], img.Pix[p+1], img.Pix[p+2]
		if r < 0xf0 || g < 0xf0 || b < 0xf0 {
			ink++
		}
		seen[uint32(r>>4)<<8|uint32(g>>4)<<4|uint32(b>>4)] = true
	}
	share := float64(ink) / float64(len(img.Pix)/4)
	if share < minInk {
		t.Errorf("only %.2f%% of pixels have ink, want at least %.0f%%", 100*share, 100*minInk)
	}
	if len(seen) < colours {
		t.Errorf("%d distinct colours, want at least %d", len(seen), colours)
	}
}

// compareGolden fails when img differs from the PNG at path by more than
// the tolerance.
func compareGolden(t *testing.T, img *image.RGBA, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden: %v (run go test ./charts -run TestGolden -update to create it)", err)
	}
	defer f.Close()
	want, err := decode(f)
	if err != nil {
		t.Fatalf("golden %s: %v", path, err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("size %v, golden %v", img.Bounds().Size(), want.Bounds().Size())
	}
	mean, share := diff(img, want)
	if mean > maxMeanDiff || share > maxDiffPixels {
		t.Errorf("differs from %s: mean channel difference %.3f (max %.2f), %.3f%% of pixels differ visibly (max %.2f%%); if the change is intended, run with -update and look at the image",
			path, mean, maxMeanDiff, 100*share, 100*maxDiffPixels)
	}
}

// decode reads a PNG into RGBA, so the checks can walk the bytes.
func decode(r io.Reader) (*image.RGBA, error) {
	img, err := png.Decode(r)
	if err != nil {
		return nil, err
	}
	if rgba, ok := img.(*image.RGBA); ok && rgba.Rect.Min == (image.Point{}) {
		return rgba, nil
	}
	rgba := image.NewRGBA(image.Rectangle{Max: img.Bounds().Size()})
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	return rgba, nil
}

// diff returns the mean absolute channel difference (out of 255) and the
// share of pixels where some channel differs by visibleDiff or more.
func diff(a, b *image.RGBA) (mean, share float64) {
	total, visible := 0, 0
	for p := 0; p+3 < len(a.Pix); p += 4 {
		worst := 0
		for c := range 4 {
			d := int(a.Pix[p+c]) - int(b.Pix[p+c])
			d = max(d, -d)
			total += d
			worst = max(worst, d)
		}
		if worst >= visibleDiff {
			visible++
		}
	}
	n := float64(len(a.Pix) / 4)
	return float64(total) / (4 * n), float64(visible) / n
}

// TestDegenerate renders inputs that are empty or odd in some way and
// insists on a PNG, never an error or a panic.
func TestDegenerate(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		chart chart
	}{
		{"heatmap people, no projects", Heatmap{People: []string{"Ana"}, F: [][]float64{{}}}},
		{"heatmap projects, nobody", Heatmap{Projects: []string{"a"}}},
		{"heatmap all zero", Heatmap{People: []string{"Ana", "Bo"}, Projects: []string{"a"}, F: [][]float64{{0}, {0}}}},
		{"heatmap NaN and out of range", Heatmap{People: []string{"Ana", "Bo"}, Projects: []string{"a", "b"}, F: [][]float64{{nan, 2}, {-1, 0.5}}}},
		{"heatmap knows at 1", Heatmap{People: []string{"Ana"}, Projects: []string{"a"}, F: [][]float64{{1}}, KnowsAt: 1}},
		{"heatmap empty names", Heatmap{People: []string{""}, Projects: []string{""}, F: [][]float64{{0.7}}}},
		{"bus factor weeks, no projects", BusFactorSeries{Weeks: weeksFrom(monday, 3), BF: [][]int{}}},
		{"bus factor projects, no weeks", BusFactorSeries{Projects: []string{"a"}, BF: [][]int{{}}}},
		{"bus factor all zero, no truck factor", BusFactorSeries{Weeks: weeksFrom(monday, 2), Projects: []string{"a"}, BF: [][]int{{0, 0}}}},
		{"sessions all zero", SessionsPerWeek{Weeks: weeksFrom(monday, 2), Done: []int{0, 0}, Skipped: []int{0, 0}, Cancelled: []int{0, 0}}},
		{"network nobody paired", Network{People: []string{"Ana", "Bo"}}},
		{"network self-loop only", Network{People: []string{"Ana"}, Edges: []Edge{{A: 0, B: 0, Sessions: 3}}}},
		{"network one pair among many", Network{People: people(30), Edges: []Edge{{A: 3, B: 17, Sessions: 1}}}},
		{"sim policies, no rounds", SimCurves{Policies: []string{"pollen"}, Worst: [][]float64{{}}}},
		{"sim NaN", SimCurves{Rounds: 2, Policies: []string{"pollen"}, Worst: [][]float64{{nan, 1}}, Low: [][]float64{{nan, 0}},
			High: [][]float64{{1, nan}}, LowerBound: 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tc.chart.PNG(&buf); err != nil {
				t.Fatalf("PNG: %v", err)
			}
			if _, err := png.Decode(&buf); err != nil {
				t.Fatalf("decode: %v", err)
			}
		})
	}
}

// TestBadInput checks that inputs whose shapes disagree are errors.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		chart chart
	}{
		{"heatmap rows", Heatmap{People: []string{"Ana", "Bo"}, Projects: []string{"a"}, F: [][]float64{{1}}}},
		{"heatmap columns", Heatmap{People: []string{"Ana"}, Projects: []string{"a"}, F: [][]float64{{1, 0}}}},
		{"heatmap knows at", Heatmap{People: []string{"Ana"}, Projects: []string{"a"}, F: [][]float64{{1}}, KnowsAt: 2}},
		{"bus factor series", BusFactorSeries{Weeks: weeksFrom(monday, 2), Projects: []string{"a"}, BF: [][]int{{1}}}},
		{"bus factor truck factor", BusFactorSeries{Weeks: weeksFrom(monday, 2), Projects: []string{"a"}, BF: [][]int{{1, 1}}, TruckFactor: []int{1}}},
		{"bus factor week order", BusFactorSeries{Weeks: []time.Time{monday, monday}, Projects: []string{"a"}, BF: [][]int{{1, 1}}}},
		{"sessions counts", SessionsPerWeek{Weeks: weeksFrom(monday, 2), Done: []int{1}, Skipped: []int{0, 0}, Cancelled: []int{0, 0}}},
		{"sessions negative", SessionsPerWeek{Weeks: weeksFrom(monday, 1), Done: []int{-1}, Skipped: []int{0}, Cancelled: []int{0}}},
		{"network edge", Network{People: []string{"Ana"}, Edges: []Edge{{A: 0, B: 1, Sessions: 1}}}},
		{"sim curves", SimCurves{Rounds: 2, Policies: []string{"pollen"}, Worst: [][]float64{{1}}}},
		{"sim spread without its high side", SimCurves{Rounds: 1, Policies: []string{"pollen"}, Worst: [][]float64{{1}}, Low: [][]float64{{1}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.chart.PNG(io.Discard); err == nil {
				t.Error("PNG accepted input whose shapes disagree")
			}
		})
	}
}
