package report

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/golden"
)

// A cross-team rotation's teams × shared-projects chart: a row per team
// (named by the label given), a column per shared project, each cell the
// team's best familiarity; the spread says which teams know each project.
// The golden file is the chart's data and the spread as text; the chart
// itself renders (a PNG). Another rotation has neither.
func TestSharedChartOfACrossTeamRotation(t *testing.T) {
	d := crossTeamFixture(t)
	now := t0.AddDate(0, 0, 14)
	label := func(id string) string { return "#team-" + strings.ToLower(id[1:]) }
	h, ok := d.SharedHeatmap("CX", label, now)
	if !ok {
		t.Fatal("#x is across #a and #b, but has no shared chart")
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "teams x shared projects of CX at %s (best familiarity; knows it from %.2f)\n%-8s", now.Format("2006-01-02"), h.KnowsAt, "")
	for _, p := range h.Projects {
		fmt.Fprintf(&sb, " %6s", p)
	}
	for i, team := range h.People {
		fmt.Fprintf(&sb, "\n%-8s", team)
		for _, f := range h.F[i] {
			fmt.Fprintf(&sb, " %6.2f", f)
		}
	}
	sb.WriteString("\nspread:")
	for _, s := range d.SharedSpread("CX", now) {
		fmt.Fprintf(&sb, "\n%s known in %v", s.Project, s.KnownIn)
	}
	sb.WriteString("\n")
	golden.Check(t, filepath.Join("testdata", "shared_projects.golden"), []byte(sb.String()))

	f, ok, err := d.SharedChart("CX", label, now)
	if err != nil || !ok || f.Name != "shared-projects.png" || !strings.HasPrefix(string(f.Data), "\x89PNG") {
		t.Errorf("SharedChart = %s (%d bytes), %v, %v; want shared-projects.png", f.Name, len(f.Data), ok, err)
	}
	for _, rot := range []string{"CA", "team", "CNONE"} {
		if _, ok, err := d.SharedChart(rot, label, now); ok || err != nil {
			t.Errorf("rotation %s, not cross-team: SharedChart ok=%v err=%v, want no chart", rot, ok, err)
		}
		if s := d.SharedSpread(rot, now); s != nil {
			t.Errorf("rotation %s, not cross-team: spread %v", rot, s)
		}
	}
}
