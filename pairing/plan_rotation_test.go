package pairing

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// A person booked this week in another rotation sits out this one, with a
// reason, and without priority next round: they had their session.
func TestBookedPeopleSitOut(t *testing.T) {
	in := PlanInput{
		People:    planPeople("Ana", "Bo", "Cy", "Di"),
		Projects:  planProjects("etl", "churn"),
		Knowledge: planKnow(t, "ana:etl", "cy:churn"),
		Booked:    []string{"ana"},
	}
	plan := planRun(t, in)
	so, ok := sitOutOf(plan, "ana")
	if !ok || so.Code != SitOutBooked || so.Reason == "" {
		t.Fatalf("ana's sit-out = %+v (%v), want booked with a reason", so, ok)
	}
	if so.Code.Priority() {
		t.Error("a booked person gets priority next round; they had a session this week")
	}
	for _, s := range plan.Sessions() {
		if s.Has("ana") {
			t.Errorf("booked ana is in %+v", s)
		}
	}
}

// In a cross-team rotation no session holds two people of one team, even
// when the most valuable pairs are inside a team; someone whose only
// partners are their own team's sits out and is told so.
func TestCrossTeamSessionsPairAcrossTeams(t *testing.T) {
	in := PlanInput{
		People:    planPeople("Ana", "Bo", "Cy", "Di", "Ed"),
		Projects:  planProjects("lib", "etl"),
		Knowledge: planKnow(t, "ana:lib", "cy:etl"),
		// Within teams, ana could teach bo lib and cy could teach di etl.
		Teams: map[string]string{"ana": "forecast", "bo": "forecast", "cy": "ml", "di": "ml", "ed": "ml"},
	}
	plan := planRun(t, in)
	if len(plan.Proposals) == 0 {
		t.Fatal("no sessions across teams, though ana (forecast) can teach lib to the ml team")
	}
	checkAcrossTeams(t, in, plan)
	in.Teams = map[string]string{"ana": "forecast", "bo": "forecast", "cy": "forecast", "di": "forecast", "ed": "ml"}
	in.Knowledge = planKnow(t, "ana:lib", "ed:lib")
	plan = planRun(t, in)
	checkAcrossTeams(t, in, plan)
	if so, ok := sitOutOf(plan, "ana"); ok && so.Code != SitOutSameTeam && so.Code != SitOutOdd {
		t.Errorf("ana sat out with %s (%q)", so.Code, so.Reason)
	}
}

// Random teams, knowledge and hours: the rule holds in every plan.
func TestCrossTeamRuleHoldsOnRandomRosters(t *testing.T) {
	for seed := range 40 {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		n := 6 + r.IntN(14)
		var names []string
		for i := range n {
			names = append(names, fmt.Sprintf("P%02d", i))
		}
		projects := []string{"lib", "etl", "api", "ui"}
		var facts []string
		teams := map[string]string{}
		for _, name := range names {
			id := planPerson(name).ID
			teams[id] = fmt.Sprint("team", r.IntN(3))
			if r.IntN(2) == 0 {
				facts = append(facts, id+":"+projects[r.IntN(len(projects))])
			}
		}
		in := PlanInput{People: planPeople(names...), Projects: planProjects(projects...), Knowledge: planKnow(t, facts...), Teams: teams}
		checkAcrossTeams(t, in, planRun(t, in))
	}
}

func checkAcrossTeams(t *testing.T, in PlanInput, plan Plan) {
	t.Helper()
	for _, s := range plan.Sessions() {
		seen := map[string]string{}
		for _, id := range s.Participants() {
			team := in.Teams[id]
			if other, ok := seen[team]; ok {
				t.Errorf("session %s on %s holds %s and %s, both of team %s", s.Host, s.Project, other, id, team)
			}
			seen[team] = id
		}
	}
}
