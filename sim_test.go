package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/sim"
)

// TestSimTeamAcrossTimeZones simulates a real five-person team in Berlin,
// New York, London and Tokyo from the database it was imported into. The
// planner sees everyone's zone and working hours (without them everyone
// outside UTC sat out and pollen never got anywhere), so it reaches bus
// factor 2 at least as fast as every baseline, seed by seed.
func TestSimTeamAcrossTimeZones(t *testing.T) {
	dir := t.TempDir()
	db, team := filepath.Join(dir, "team.db"), filepath.Join(dir, "team.yaml")
	// Tokyo's 09:00–17:00 overlaps only Ed's early London hours.
	if err := os.WriteFile(team, []byte(`people:
  - {id: U0ADA, name: Ada, tz: Europe/Berlin, hours: "09:00-17:00"}
  - {id: U0BO, name: Bo, tz: America/New_York, hours: "09:00-17:00"}
  - {id: U0CY, name: Cy, tz: Europe/London, hours: "09:00-17:00"}
  - {id: U0DI, name: Di, tz: Asia/Tokyo, hours: "09:00-17:00"}
  - {id: U0ED, name: Ed, tz: Europe/London, hours: "06:00-14:00"}
projects:
  - {name: churn-model, owners: [U0ADA]}
  - {name: etl, owners: [U0BO]}
  - {name: billing, owners: [U0DI]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": db}, "import", team); code != 0 {
		t.Fatalf("import: exit %d %s", code, stderr)
	}
	const rounds = 12
	code, stdout, stderr := runCLI(t, nil, "sim", "-db", db, "-rounds", "12", "-seeds", "6", "-attendance", "1", "-format", "json")
	if code != 0 {
		t.Fatalf("sim -db: exit %d %s", code, stderr)
	}
	var res sim.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("sim -db -format json: %v\n%s", err, stdout)
	}
	toBF2 := map[string][]int{}
	for _, pr := range res.Policies {
		for _, run := range pr.Runs {
			r := run.RoundsToBF2
			if r == 0 {
				r = rounds + 1 // never within the run
			}
			toBF2[pr.Policy] = append(toBF2[pr.Policy], r)
		}
	}
	pollen := toBF2[sim.PolicyPollen]
	if len(pollen) != 6 || len(toBF2) != len(sim.Policies) {
		t.Fatalf("runs per policy: %v", toBF2)
	}
	for s, r := range pollen {
		if r > rounds {
			t.Errorf("seed %d: pollen never reached bus factor 2 in %d rounds", s+1, rounds)
		}
		for policy, runs := range toBF2 {
			if runs[s] < r {
				t.Errorf("seed %d: %s reached bus factor 2 in %d rounds, pollen in %d", s+1, policy, runs[s], r)
			}
		}
	}
	t.Logf("rounds to bus factor 2 by seed: %v", toBF2)
}

func TestSimSuite(t *testing.T) {
	code, stdout, stderr := runCLI(t, nil, "sim", "-suite", "-seeds", "1", "-rounds", "10")
	if code != 0 || !strings.Contains(stdout, "3 people own 12 projects") || !strings.Contains(stdout, "targets:") {
		t.Errorf("sim -suite: exit %d %s\n%s", code, stderr, stdout)
	}
	if code, _, stderr := runCLI(t, nil, "sim", "-suite", "-people", "5"); code != 2 || !strings.Contains(stderr, "-people does not apply") {
		t.Errorf("sim -suite -people 5: exit %d, %q", code, stderr)
	}
}

// TestReadmeListsEverySimFlag keeps the README's table of sim flags
// complete: every flag `pollen sim -h` prints is in it.
func TestReadmeListsEverySimFlag(t *testing.T) {
	_, stdout, stderr := runCLI(t, nil, "sim", "-h")
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(stdout+stderr, "\n") {
		name, ok := strings.CutPrefix(line, "  -")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, " ")
		n++
		if !strings.Contains(string(readme), "`-"+name) {
			t.Errorf("README.md does not list sim flag -%s", name)
		}
	}
	if n < 15 {
		t.Errorf("found %d flags in sim -h:\n%s%s", n, stdout, stderr)
	}
}
