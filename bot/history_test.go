package bot

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/report"
)

// A project added minutes ago has no invented past: /pair who names when
// it began instead of a four-week trend from 0, bus_factor.csv has no rows
// before its week, and the charts begin there. An older project keeps its
// trend.
func TestHistoryStartsWhenTheProjectDoes(t *testing.T) {
	h := newHarness(t)
	h.run("UANA", "join")
	h.run("UBO", "join")
	h.run("UANA", "project add etl <@UBO|bo>")
	h.clock.Set(start.AddDate(0, 0, 35)) // five weeks later
	h.run("UANA", "know etl some")
	h.run("UANA", "project add churn-model <@UANA|ana>")
	h.clock.Set(start.AddDate(0, 0, 35).Add(10 * time.Minute))

	churn := h.run("UBO", "who churn-model")
	if strings.Contains(churn, "four weeks ago") || !strings.Contains(churn, "new since 29 December, too new for a four-week trend") {
		t.Errorf("/pair who on a project added minutes ago: %q", churn)
	}
	if etl := h.run("UBO", "who etl"); !strings.Contains(etl, "unchanged over four weeks") {
		t.Errorf("/pair who on a five-week-old project: %q", etl)
	}

	if got := h.run("UANA", "export"); !strings.Contains(got, "to your DM") {
		t.Fatalf("export reply: %q", got)
	}
	if _, err := h.fake.WaitForCall(h.ctx(), "files.completeUploadExternal", 4); err != nil {
		t.Fatal(err)
	}
	var busFactor string
	for _, u := range h.fake.Uploads() {
		if u.Filename == "bus_factor.csv" && u.Completed {
			busFactor = string(u.Data)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(busFactor)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("bus_factor.csv: %v\n%s", err, busFactor)
	}
	weeks := map[string][]string{}
	for _, r := range rows[1:] {
		weeks[r[0]] = append(weeks[r[0]], r[1])
	}
	// The team began on Tuesday 24 November (etl); churn-model in the week
	// of Monday 28 December.
	if got := weeks["etl"]; len(got) != 6 || got[0] != "2026-11-23" {
		t.Errorf("etl's weeks: %v, want the six from 2026-11-23", got)
	}
	if got := weeks["churn-model"]; len(got) != 1 || got[0] != "2026-12-28" {
		t.Errorf("churn-model's weeks: %v, want only 2026-12-28", got)
	}

	data, err := report.Load(t.Context(), h.db)
	if err != nil {
		t.Fatal(err)
	}
	series := data.BusFactorSeries(h.clock.Now())
	if len(series.Weeks) != 6 || !series.Weeks[0].Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the chart covers %d weeks from %v, want 6 from the team's first", len(series.Weeks), series.Weeks)
	}
	for j, name := range series.Projects {
		if want := map[string]int{"etl": 0, "churn-model": 5}[name]; series.From[j] != want {
			t.Errorf("%s's line starts in week %d, want %d", name, series.From[j], want)
		}
	}
}
