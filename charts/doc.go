// Package charts renders Pollen's knowledge report as PNG images from plain
// data: no Slack and no database here. Callers fill a value and call its
// PNG method, which writes the image to an io.Writer:
//
//   - Heatmap: who knows what, people × projects, with a colour bar and a
//     visible step where familiarity means "knows it". Rows and columns are
//     reordered so that clusters show (see seriate in order.go).
//   - BusFactorSeries: every project's bus factor week by week, the
//     riskiest few in colour and the rest in grey, with the team's truck
//     factor and target.
//   - SessionsPerWeek: sessions done, skipped and cancelled, stacked.
//   - Network: who has paired with whom, laid out by force (gonum's
//     EadesR2 with a fixed seed), line width by sessions together.
//   - SimCurves: the simulator's mean bus factor per round for each policy.
//
// FromKnowledge, BusFactorHistory, SessionsByWeek and PairingNetwork build
// the inputs from pairing types, and Weeks makes the weekly x axis.
//
// # Looks
//
// Every chart is Width (1200) pixels wide at DPI 144, so that text set in
// 8 to 10 points still reads when Slack shows the image about 800 pixels
// wide. Line charts are 750 pixels high, the network 1000, and the
// heatmap grows by about 17 pixels per person (100 people make about 2100
// pixels). Text is Liberation Sans, embedded in gonum/plot, so no system
// fonts are needed. Colours come from Okabe and Ito's colour-blind-safe
// palette, and the heatmap's "knows it" step is a jump in lightness, which
// survives colour blindness too.
//
// Charts never fail on empty or odd input: nobody, no projects, no weeks
// or no sessions give an image that says "No data yet". Only input whose
// parts disagree (a row of F for a person who is not listed, weeks out of
// order) is an error. The same data always gives the same bytes.
//
// # Tests
//
// charts_test.go renders every chart from fixed data, checks the PNG's
// size and that it is not blank, and compares it with a golden image under
// testdata/ with a small tolerance. After an intended change, run
//
//	go test ./charts -run TestGolden -update
//
// and look at the new images before committing them. bench_test.go has a
// benchmark per chart at 100 people and 40 projects; each renders in
// 30–130 ms on a 2-core machine, about half of it PNG encoding.
package charts
