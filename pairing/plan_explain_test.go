package pairing

import (
	"strings"
	"testing"
)

// A sit-out reason says why, never what happens next: the bot adds "first
// in line next round, on <date>", which only it can date, and a reason that
// said it too made the DM say it twice.
func TestSitOutReasonsLeaveTheNextRoundToTheCaller(t *testing.T) {
	noOverlap := planPeople("Ana", "Bo")
	noOverlap[0].TZ, noOverlap[1].TZ = "Asia/Kolkata", "America/New_York"
	badZone := planPeople("Ana", "Bo", "Cy")
	badZone[2].TZ = "Nowhere/Atlantis"
	tests := []struct {
		name string
		in   PlanInput
		code SitOutCode
	}{
		{"no shared hours", PlanInput{People: noOverlap, Projects: planProjects("p"), Knowledge: planKnow(t, "ana:p")}, SitOutNoOverlap},
		{"nothing to learn", PlanInput{People: planPeople("Ana", "Bo"), Projects: planProjects("p"),
			Knowledge: planKnow(t, "ana:p", "bo:p")}, SitOutNothingToLearn},
		{"no partner", PlanInput{People: planPeople("Ana", "Bo", "Cy"), Projects: planProjects("p"),
			Knowledge: planKnow(t, "ana:p"), Avoid: [][2]string{{"bo", "ana"}}}, SitOutNoPartner},
		{"unknown time zone", PlanInput{People: badZone, Projects: planProjects("p"), Knowledge: planKnow(t, "ana:p")}, SitOutNoZone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := planRun(t, tt.in)
			seen := false
			for _, s := range plan.SatOut {
				if s.Code != tt.code {
					continue
				}
				seen = true
				if s.Reason == "" || strings.Contains(s.Reason, "next round") || strings.Contains(s.Reason, "first in line") {
					t.Errorf("%s: reason %q must say why and leave the next round to the caller", s.Person, s.Reason)
				}
			}
			if !seen {
				t.Fatalf("no sit-out with code %s in %+v", tt.code, plan.SatOut)
			}
		})
	}
}
