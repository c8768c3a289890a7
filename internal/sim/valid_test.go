package sim

import (
	"flag"
	"math/rand/v2"
	"testing"
)

var sweep = flag.Int("sim.sweep", 0, "TestBoundHoldsForEveryRun: this many random team configurations instead of 110 small ones")

// TestBoundHoldsForEveryRun checks that the bound is a bound: over random
// small teams (owners spread or skewed, people part-way, churn, missed
// sessions, time zones, fading on and off) and two seeds each, no run of
// any policy reaches bus factor 2 or 3 before its seed's bound, and none
// reaches it where the bound says never. -sim.sweep N runs N bigger
// configurations instead.
func TestBoundHoldsForEveryRun(t *testing.T) {
	configs, maxPeople, rounds := 110, 10, 14
	if *sweep > 0 {
		configs, maxPeople, rounds = *sweep, 30, 40
	}
	r := rand.New(rand.NewPCG(17, 2))
	runs, exact := 0, map[string]int{}
	for i := range configs {
		c := Config{
			People: 3 + r.IntN(maxPeople-2), Projects: 1 + r.IntN(6), Rounds: rounds, Seeds: 2, FirstSeed: int64(1 + 2*i),
			Attendance: []float64{0.6, 0.8, 1}[r.IntN(3)], Ownership: []string{OwnershipSingle, OwnershipSkewed}[r.IntN(2)],
			NoFade: r.IntN(2) == 0,
		}
		if r.IntN(3) == 0 {
			c.Experienced = 0.4
		}
		if r.IntN(4) == 0 {
			c.LeaveRate, c.JoinRate = 0.03, 0.03
		}
		if r.IntN(4) == 0 {
			c.Zones = []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata"}
		}
		res := runOrFail(t, c)
		for _, pr := range res.Policies {
			for s, run := range pr.Runs {
				for k, got := range []int{run.RoundsToKnowers2, run.RoundsToKnowers3} { // the bound counts knowers
					b := res.SeedBounds[s][k]
					runs++
					switch {
					case got > 0 && b.Rounds < 0:
						t.Errorf("%+v seed %d: %s reached %d knowers in %d rounds, the bound says never", c, run.Seed, pr.Policy, b.K, got)
					case got > 0 && got < b.Rounds:
						t.Errorf("%+v seed %d: %s reached %d knowers in %d rounds, below the bound %+v", c, run.Seed, pr.Policy, b.K, got, b)
					case got > 0 && got == b.Rounds:
						exact[pr.Policy]++
					}
				}
			}
		}
	}
	if *sweep == 0 && runs < 2*200*len(Policies) { // 220 teams × 5 policies × bus factors 2 and 3
		t.Errorf("only %d runs checked", runs)
	}
	t.Logf("%d runs of %d configurations checked; runs that reach the bound exactly, by policy: %v", runs, configs, exact)
}
