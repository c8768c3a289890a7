package sim

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// runOrFail runs the simulation and fails the test on error.
func runOrFail(t *testing.T, c Config) Result {
	t.Helper()
	r, err := Run(c)
	if err != nil {
		t.Fatalf("Run(%+v): %v", c, err)
	}
	return r
}

func policyResult(t *testing.T, r Result, name string) PolicyResult {
	t.Helper()
	for _, pr := range r.Policies {
		if pr.Policy == name {
			return pr
		}
	}
	t.Fatalf("no result for policy %s", name)
	return PolicyResult{}
}

// TestTargetsOnDefaults checks the acceptance targets on the
// default team (24 people, 12 projects with one owner each, 20 seeds).
// 35 rounds instead of 52 keep it quick: a random run that has not got
// there by then counts as 36, which is still more than five times
// pollen's rounds, so the comparison stays honest.
func TestTargetsOnDefaults(t *testing.T) {
	for _, attendance := range []float64{1.0, 0.8} {
		c := DefaultConfig()
		c.Attendance, c.Rounds = attendance, 35
		r := runOrFail(t, c)
		bound := r.Bounds[1]
		pollen, random, rotation := policyResult(t, r, PolicyPollen), policyResult(t, r, PolicyRandom), policyResult(t, r, PolicyRotation)
		// The bound counts knowers, so the targets do: with coverage,
		// shallow sessions spread thin raise the bus factor (random
		// pairs reach it in about 8 rounds) but not the knower count.
		got := pollen.RoundsToKnowers3.Median
		switch {
		case got < float64(bound.Rounds):
			t.Errorf("attendance %.1f: pollen needs %v rounds, below the bound %d", attendance, got, bound.Rounds)
		case attendance == 1 && got > float64(bound.Rounds+1):
			// The optimum is one more than the bound here: see "How tight".
			t.Errorf("attendance 1.0: pollen needs %v rounds to bus factor 3, the bound is %d", got, bound.Rounds)
		case attendance < 1 && got > 1.3*float64(bound.Rounds):
			t.Errorf("attendance %.1f: pollen needs %v rounds, more than 1.3 × the bound %d", attendance, got, bound.Rounds)
		}
		if 5*got > random.RoundsToKnowers3.Median {
			t.Errorf("attendance %.1f: pollen %v rounds, random %v: not under a fifth", attendance, got, random.RoundsToKnowers3.Median)
		}
		if pollen.SessionsStdev.Median > rotation.SessionsStdev.Median {
			t.Errorf("attendance %.1f: sessions stdev %.2f for pollen, %.2f for rotation", attendance,
				pollen.SessionsStdev.Median, rotation.SessionsStdev.Median)
		}
		t.Logf("attendance %.1f: pollen %v (bound %d), random %v, stdev %.2f vs rotation %.2f", attendance, got,
			bound.Rounds, random.RoundsToKnowers3.Median, pollen.SessionsStdev.Median, rotation.SessionsStdev.Median)
	}
}

// TestBookkeeping follows a hand-checked run: Ana-like owners p1 and p2
// each teach one newcomer twice (rounds 1–2: bus factor 2), then each
// project gets a third knower from a cross pair taught twice (rounds 3–4).
// Everyone is in a session every round and every second round repeats the
// pairs of the round before, to finish what it started.
func TestBookkeeping(t *testing.T) {
	c := Config{People: 4, Projects: 2, Rounds: 4, Seeds: 1, Attendance: 1, Policies: []string{PolicyPollen}}
	r := runOrFail(t, c)
	run := r.Policies[0].Runs[0]
	want := RunResult{
		Seed: 1, RoundsToBF2: 2, RoundsToBF3: 4, RoundsToKnowers2: 2, RoundsToKnowers3: 4, MeanBF12: -1, MeanBF26: -1, TruckFactor26: -1,
		SessionsMean: 4, SessionsStdev: 0, RepeatRate: 0.5, Proposed: 8, Done: 8, MinBF: []int{1, 2, 2, 3}, MeanBF: []float64{1, 2, 2, 3},
	}
	if !reflect.DeepEqual(run, want) {
		t.Errorf("run = %+v\nwant  %+v", run, want)
	}
	if b2, b3 := r.Bounds[0].Rounds, r.Bounds[1].Rounds; b2 != 2 || b3 != 4 {
		t.Errorf("bounds %d and %d, want 2 and 4", b2, b3)
	}
	// With the team's history, bus factors and truck factor at round 26.
	c.Rounds = 26
	long := runOrFail(t, c).Policies[0].Runs[0]
	if long.MeanBF12 != long.MeanBF[11] || long.MeanBF26 != 4 || long.TruckFactor26 != 4 || long.RoundsToBF3 != 4 {
		t.Errorf("after 26 rounds: %+v, want everyone knowing both projects (mean BF 4, truck factor 4)", long)
	}
}

// TestSessionCounts checks the counters every policy keeps against each
// other on a run with missed sessions.
func TestSessionCounts(t *testing.T) {
	c := Config{People: 9, Projects: 4, Rounds: 10, Seeds: 3, Attendance: 0.5}
	r := runOrFail(t, c)
	for _, pr := range r.Policies {
		for _, run := range pr.Runs {
			if run.Done > run.Proposed || run.Done == 0 || len(run.MinBF) != c.Rounds {
				t.Errorf("%s seed %d: %+v", pr.Policy, run.Seed, run)
			}
			// Each done session has two or three participants.
			total := run.SessionsMean * 9
			if total < float64(2*run.Done) || total > float64(3*run.Done) {
				t.Errorf("%s seed %d: %v person-sessions for %d sessions", pr.Policy, run.Seed, total, run.Done)
			}
			if run.RepeatRate < 0 || run.RepeatRate > 1 {
				t.Errorf("%s: repeat rate %v", pr.Policy, run.RepeatRate)
			}
		}
	}
}

func TestRunDeterministic(t *testing.T) {
	c := Config{People: 12, Projects: 6, Rounds: 8, Seeds: 2, Ownership: OwnershipSkewed, Experienced: 0.3, LeaveRate: 0.02, JoinRate: 0.02}
	a, b := runOrFail(t, c), runOrFail(t, c)
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs of the same config differ")
	}
}

func TestRunFromRoster(t *testing.T) {
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	var people []pairing.Person
	for _, id := range []string{"ana", "bo", "cy", "di"} {
		people = append(people, pairing.NewPerson(id, id, "UTC", at))
	}
	roster := &Roster{
		People:   people,
		Projects: []pairing.Project{{Name: "churn-model"}, {Name: "etl"}},
		Events: []pairing.Event{
			{ID: "1", At: at.AddDate(0, 0, -3), Kind: pairing.EventOwner, Person: "ana", Project: "churn-model"},
			{ID: "2", At: at.AddDate(0, 0, -3), Kind: pairing.EventOwner, Person: "bo", Project: "etl"},
		},
	}
	r := runOrFail(t, Config{Roster: roster, Rounds: 6, Seeds: 1, Attendance: 1, Policies: []string{PolicyPollen}})
	if got := r.Policies[0].Runs[0].RoundsToBF3; got != 4 {
		t.Errorf("two projects, four people: bus factor 3 after %d rounds, want 4", got)
	}
	if r.Bounds[1].Rounds != 4 {
		t.Errorf("bound %+v, want 4", r.Bounds[1])
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		ok   bool
	}{
		{"zero is the defaults", Config{}, true},
		{"attendance above 1", Config{Attendance: 1.5}, false},
		{"one person", Config{People: 1}, false},
		{"unknown policy", Config{Policies: []string{"coffee"}}, false},
		{"unknown ownership", Config{Ownership: "shared"}, false},
		{"negative rounds", Config{Rounds: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.withDefaults()
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && !reflect.DeepEqual(got, DefaultConfig()) {
				t.Errorf("defaults %+v, want %+v", got, DefaultConfig())
			}
		})
	}
	if ps, err := ParsePolicies("pollen, random,pollen"); err != nil || !slices.Equal(ps, []string{"pollen", "random"}) {
		t.Errorf("ParsePolicies = %v, %v", ps, err)
	}
	if ps, err := ParsePolicies("all"); err != nil || !slices.Equal(ps, Policies) {
		t.Errorf("ParsePolicies(all) = %v, %v", ps, err)
	}
	if _, err := ParsePolicies("pollen,coffee"); err == nil {
		t.Error("ParsePolicies accepted an unknown policy")
	}
}

func TestWrite(t *testing.T) {
	r := runOrFail(t, Config{People: 8, Projects: 4, Rounds: 30, Seeds: 3})
	tests := []struct {
		format string
		check  func(t *testing.T, out string)
	}{
		{FormatTable, func(t *testing.T, out string) {
			for _, want := range []string{"policy", "random", "rotation", "round-robin", "greedy", "pollen", "lower bound", "bound for 3 knowers"} {
				if !strings.Contains(out, want) {
					t.Errorf("table lacks %q:\n%s", want, out)
				}
			}
		}},
		{FormatJSON, func(t *testing.T, out string) {
			var back Result
			if err := json.Unmarshal([]byte(out), &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back.Policies, r.Policies) || !reflect.DeepEqual(back.Bounds, r.Bounds) {
				t.Error("JSON does not round-trip")
			}
		}},
		{FormatCSV, func(t *testing.T, out string) {
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if n := len(rows); n != len(Policies)+2 || rows[0][0] != "policy" || rows[n-1][0] != "lower bound" {
				t.Errorf("csv rows %v", rows)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, r, tt.format); err != nil {
				t.Fatal(err)
			}
			tt.check(t, buf.String())
		})
	}
	if err := Write(&bytes.Buffer{}, r, "xml"); err == nil {
		t.Error("Write accepted format xml")
	}
}
