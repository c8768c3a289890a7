package sim

import (
	"bytes"
	"strings"
	"testing"
)

// TestSuite runs every shape on a few seeds: each prints a row, and no
// run brings every project to 3 knowers (what the bound counts) in fewer
// rounds than its seed's bound.
func TestSuite(t *testing.T) {
	rows, err := RunSuite(2, 20)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteSuite(&buf, rows); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, sh := range Shapes() {
		if !strings.Contains(out, sh.Name) {
			t.Errorf("the table lacks %q:\n%s", sh.Name, out)
		}
	}
	if !strings.Contains(out, "targets: pollen within 1.15x the bound on") {
		t.Errorf("the table does not say which targets hold:\n%s", out)
	}
	for _, row := range rows {
		for _, pr := range row.Result.Policies {
			for s, run := range pr.Runs {
				if b := row.Result.SeedBounds[s][1]; run.RoundsToKnowers3 > 0 && run.RoundsToKnowers3 < b.Rounds {
					t.Errorf("%s: %s seed %d reached 3 knowers in %d rounds, bound %d", row.Shape, pr.Policy, run.Seed, run.RoundsToKnowers3, b.Rounds)
				}
			}
		}
	}
	t.Log("\n" + out)
}

// BenchmarkSuite runs `pollen sim -suite` as printed in the README: every
// shape, 20 seeds, 52 rounds.
func BenchmarkSuite(b *testing.B) {
	for b.Loop() {
		if _, err := RunSuite(20, 52); err != nil {
			b.Fatal(err)
		}
	}
}
