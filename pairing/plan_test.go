package pairing

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// planMonday starts the week every planner test plans.
var planMonday = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

// planPerson is an active weekly person in UTC with default hours; the ID is
// the lower-case name.
func planPerson(name string) Person {
	return NewPerson(strings.ToLower(name), name, "UTC", planMonday.AddDate(0, -1, 0))
}

func planPeople(names ...string) []Person {
	out := make([]Person, len(names))
	for i, n := range names {
		out[i] = planPerson(n)
	}
	return out
}

func planProjects(names ...string) []Project {
	out := make([]Project, len(names))
	for i, n := range names {
		out[i] = Project{Name: n}
	}
	return out
}

// planKnow builds knowledge from "person:project" owners (f = 1) and
// "person:project=level" declarations.
func planKnow(t *testing.T, facts ...string) *Knowledge {
	t.Helper()
	k := NewKnowledge(DefaultModel())
	at := planMonday.AddDate(0, 0, -7)
	for i, fact := range facts {
		who, what, ok := strings.Cut(fact, ":")
		if !ok {
			t.Fatalf("bad fact %q", fact)
		}
		e := Event{ID: string(rune('a' + i)), At: at, Kind: EventOwner, Person: who, Project: what}
		if proj, level, ok := strings.Cut(what, "="); ok {
			l, err := ParseDeclared(level)
			if err != nil {
				t.Fatalf("bad level in %q", fact)
			}
			e.Kind, e.Project, e.Level = EventDeclared, proj, DefaultModel().Level(l)
		}
		k.Apply(e)
	}
	return k
}

// planZone loads IANA zones for the tests (the planner itself never does).
func planZone(tz string) (*time.Location, error) { return time.LoadLocation(tz) }

// planRun plans and checks the plan's invariants.
func planRun(t *testing.T, in PlanInput) Plan {
	t.Helper()
	if in.Round == "" {
		in.Round = RoundID(planMonday)
	}
	if in.Start.IsZero() {
		in.Start = planMonday
	}
	if in.Location == nil {
		in.Location = planZone
	}
	plan, err := PlanRound(in)
	if err != nil {
		t.Fatalf("PlanRound: %v", err)
	}
	checkPlan(t, in, plan)
	return plan
}

// sessionOn finds the proposal on a project.
func sessionOn(t *testing.T, plan Plan, project string) Proposal {
	t.Helper()
	for _, p := range plan.Proposals {
		if p.Session.Project == project {
			return p
		}
	}
	t.Fatalf("no session on %s in %+v", project, plan.Sessions())
	return Proposal{}
}

func sitOutOf(plan Plan, person string) (SitOut, bool) {
	for _, s := range plan.SatOut {
		if s.Person == person {
			return s, true
		}
	}
	return SitOut{}, false
}

func TestPlanRoundHandChecked(t *testing.T) {
	t.Run("two people", func(t *testing.T) {
		plan := planRun(t, PlanInput{People: planPeople("Ana", "Bo"), Projects: planProjects("churn-model"),
			Knowledge: planKnow(t, "ana:churn-model")})
		if len(plan.Proposals) != 1 || len(plan.SatOut) != 0 {
			t.Fatalf("plan = %+v, want one session and nobody out", plan)
		}
		s := plan.Proposals[0].Session
		want := Session{Kind: Pair, Project: "churn-model", Host: "ana", Learners: []string{"bo"}, Round: "2026-W02",
			Slot: planMonday.Add(9 * time.Hour), Length: time.Hour, State: Proposed,
			Reason: "Bo has never worked in churn-model; Ana knows it best; churn-model's bus factor is 1"}
		if !sessionsEqual(s, want) {
			t.Errorf("session = %+v\nwant      %+v", s, want)
		}
		if v := plan.Proposals[0].Value; v != plan.Value || v <= 0 {
			t.Errorf("value %d, plan value %d", v, plan.Value)
		}
	})
	t.Run("three people make a trio", func(t *testing.T) {
		plan := planRun(t, PlanInput{People: planPeople("Ana", "Bo", "Cy"), Projects: planProjects("churn-model"),
			Knowledge: planKnow(t, "ana:churn-model")})
		if len(plan.Proposals) != 1 {
			t.Fatalf("got %d sessions, want one trio", len(plan.Proposals))
		}
		s := plan.Proposals[0].Session
		if got := slices.Sorted(slices.Values(s.Learners)); s.Host != "ana" || !slices.Equal(got, []string{"bo", "cy"}) {
			t.Errorf("trio = host %s learners %v, want ana teaching bo and cy", s.Host, s.Learners)
		}
		if !strings.Contains(s.Reason, "have never worked in churn-model; Ana knows it best") {
			t.Errorf("reason %q", s.Reason)
		}
	})
	t.Run("five people: two pairs and a trio on different projects", func(t *testing.T) {
		plan := planRun(t, PlanInput{People: planPeople("Ana", "Bo", "Cy", "Di", "Ed"),
			Projects: planProjects("churn-model", "etl"), Knowledge: planKnow(t, "ana:churn-model", "bo:etl")})
		if len(plan.Proposals) != 2 || len(plan.SatOut) != 0 {
			t.Fatalf("plan = %+v, want two sessions and nobody out", plan.Sessions())
		}
		churn, etl := sessionOn(t, plan, "churn-model").Session, sessionOn(t, plan, "etl").Session
		if churn.Host != "ana" || etl.Host != "bo" || len(churn.Learners)+len(etl.Learners) != 3 {
			t.Errorf("sessions %+v, %+v", churn, etl)
		}
	})
	t.Run("time zones that cannot meet", func(t *testing.T) {
		people := planPeople("Ana", "Bo")
		people[0].TZ, people[1].TZ = "Asia/Kolkata", "America/New_York" // 03:30-11:30 and 14:00-22:00 UTC
		plan := planRun(t, PlanInput{People: people, Projects: planProjects("p"), Knowledge: planKnow(t, "ana:p")})
		if len(plan.Proposals) != 0 || len(plan.SatOut) != 2 {
			t.Fatalf("plan = %+v, want both out", plan)
		}
		for _, s := range plan.SatOut {
			if s.Code != SitOutNoOverlap || !strings.Contains(s.Reason, "09:00-17:00") {
				t.Errorf("%s: %s %q", s.Person, s.Code, s.Reason)
			}
		}
	})
	t.Run("everyone already knows everything", func(t *testing.T) {
		plan := planRun(t, PlanInput{People: planPeople("Ana", "Bo", "Cy"), Projects: planProjects("p", "q"),
			Knowledge: planKnow(t, "ana:p", "ana:q", "bo:p", "bo:q", "cy:p", "cy:q")})
		if len(plan.Proposals) != 0 || len(plan.SatOut) != 3 {
			t.Fatalf("plan = %+v, want nobody planned", plan)
		}
		for _, s := range plan.SatOut {
			if s.Code != SitOutNothingToLearn || !s.Code.Priority() {
				t.Errorf("%s: %s, want %s", s.Person, s.Code, SitOutNothingToLearn)
			}
		}
	})
	t.Run("finishing a learner beats a fresh start, repeat or not", func(t *testing.T) {
		k := planKnow(t, "ana:churn-model", "dan:etl")
		last := []Session{
			{ID: "s1", Kind: Pair, Project: "churn-model", Host: "ana", Learners: []string{"bo"}, Round: "2026-W01", State: Done, DoneAt: planMonday.AddDate(0, 0, -7)},
			{ID: "s2", Kind: Pair, Project: "etl", Host: "dan", Learners: []string{"cy"}, Round: "2026-W01", State: Done, DoneAt: planMonday.AddDate(0, 0, -7)},
		}
		for _, s := range last {
			k.Apply(SessionEvent(s))
		}
		plan := planRun(t, PlanInput{People: planPeople("Ana", "Bo", "Cy", "Dan"), Projects: planProjects("churn-model", "etl"),
			Knowledge: k, Recent: last})
		churn, etl := sessionOn(t, plan, "churn-model").Session, sessionOn(t, plan, "etl").Session
		if churn.Host != "ana" || churn.Learners[0] != "bo" || etl.Host != "dan" || etl.Learners[0] != "cy" {
			t.Errorf("sessions %v, %v; want ana-bo and dan-cy again", churn.Participants(), etl.Participants())
		}
		if want := "Bo is one session away from knowing churn-model; Ana knows it best; churn-model's bus factor is 1"; churn.Reason != want {
			t.Errorf("reason %q, want %q", churn.Reason, want)
		}
	})
	t.Run("two who met last round meet someone new when that is worth as much", func(t *testing.T) {
		// Ana and Bo both own p; Cy and Dan know nothing. Ana teaching Cy
		// and Bo teaching Dan is worth exactly as much as the swap, but Ana
		// and Cy met last round: the repeat penalty must decide, in every
		// week (each week's tie-breaking noise differs).
		for week := range 12 {
			start := planMonday.AddDate(0, 0, 7*week)
			last := []Session{{ID: "s1", Kind: Pair, Project: "old", Host: "ana", Learners: []string{"cy"},
				Round: RoundID(start.AddDate(0, 0, -7)), State: Done, DoneAt: start.AddDate(0, 0, -5)}}
			plan := planRun(t, PlanInput{Round: RoundID(start), Start: start, People: planPeople("Ana", "Bo", "Cy", "Dan"),
				Projects: planProjects("p"), Knowledge: planKnow(t, "ana:p", "bo:p"), Recent: last})
			if len(plan.Proposals) != 2 {
				t.Fatalf("week %d: %d sessions, want 2", week, len(plan.Proposals))
			}
			for _, pr := range plan.Proposals {
				if pr.Session.Has("ana") && pr.Session.Has("cy") {
					t.Errorf("week %d: Ana and Cy paired again (%s) although Ana and Dan were worth as much", week, pr.Session.Reason)
				}
			}
		}
	})
	t.Run("budgets spread a round over projects", func(t *testing.T) {
		plan := planRun(t, PlanInput{People: planPeople("A", "B", "C", "D", "E", "F"), Projects: planProjects("p", "q", "r"),
			Knowledge: planKnow(t, "a:p", "b:p", "c:q", "d:q", "e:r", "f:r")})
		var got []string
		for _, s := range plan.Sessions() {
			got = append(got, s.Project)
		}
		if slices.Sort(got); !slices.Equal(got, []string{"p", "q", "r"}) {
			t.Errorf("projects %v, want one new learner on each of p, q, r", got)
		}
	})
	t.Run("a private exclusion is honoured and never named", func(t *testing.T) {
		plan := planRun(t, PlanInput{People: planPeople("Ana", "Bo", "Cy"), Projects: planProjects("p"),
			Knowledge: planKnow(t, "ana:p"), Avoid: [][2]string{{"bo", "ana"}}})
		if len(plan.Proposals) != 1 || plan.Proposals[0].Session.Host != "ana" || plan.Proposals[0].Session.Learners[0] != "cy" {
			t.Fatalf("sessions %+v, want ana teaching cy", plan.Sessions())
		}
		out, ok := sitOutOf(plan, "bo")
		if !ok || out.Code != SitOutNoPartner {
			t.Fatalf("bo: %+v, want %s", out, SitOutNoPartner)
		}
		for _, secret := range []string{"Ana", "ana", "avoid", "exclu"} {
			if strings.Contains(out.Reason, secret) {
				t.Errorf("reason %q gives away %q", out.Reason, secret)
			}
		}
	})
	t.Run("cadence, pauses, skips and leavers", func(t *testing.T) {
		people := planPeople("Ana", "Bo", "Cy", "Di", "Ed", "Fay")
		people[2].Status, people[2].PausedUntil = Paused, planMonday.AddDate(0, 1, 0)
		people[4].Cadence = Biweekly
		people[5].Status = Left
		last := []Session{{ID: "s", Kind: Pair, Project: "p", Host: "ana", Learners: []string{"ed"}, Round: "2026-W01", State: Done}}
		plan := planRun(t, PlanInput{People: people, Projects: planProjects("p"), Knowledge: planKnow(t, "ana:p"),
			Recent: last, Skip: []string{"di"}})
		if len(plan.Proposals) != 1 || !plan.Proposals[0].Session.Has("bo") {
			t.Fatalf("sessions %+v, want ana and bo", plan.Sessions())
		}
		want := map[string]SitOutCode{"cy": SitOutPaused, "di": SitOutSkipped, "ed": SitOutCadence}
		if len(plan.SatOut) != len(want) {
			t.Errorf("sat out %+v, want %v", plan.SatOut, want)
		}
		for id, code := range want {
			if s, ok := sitOutOf(plan, id); !ok || s.Code != code || s.Code.Priority() || s.Reason == "" {
				t.Errorf("%s: %+v, want %s", id, s, code)
			}
		}
		if got := plan.Priority(); len(got) != 0 {
			t.Errorf("priority %v, want none (all chose to be out)", got)
		}
	})
	t.Run("who sat out last round goes first", func(t *testing.T) {
		people := planPeople("Ana", "Bo", "Cy")
		people[1].Hours = WorkingHours{Start: 9 * 60, End: 12 * 60}
		people[2].Hours = WorkingHours{Start: 13 * 60, End: 17 * 60} // no trio slot
		for _, first := range []string{"bo", "cy"} {
			plan := planRun(t, PlanInput{People: people, Projects: planProjects("p"), Knowledge: planKnow(t, "ana:p"),
				SatOutLast: []string{first}})
			if len(plan.Proposals) != 1 || plan.Proposals[0].Session.Learners[0] != first {
				t.Errorf("with %s first: sessions %+v", first, plan.Sessions())
			}
			other := map[string]string{"bo": "cy", "cy": "bo"}[first]
			if s, ok := sitOutOf(plan, other); !ok || s.Code != SitOutOdd || s.Best == nil || s.Best.Partner != "ana" {
				t.Errorf("%s: %+v, want odd one out with ana as best alternative", other, s)
			}
			if got := plan.Priority(); !slices.Equal(got, []string{other}) {
				t.Errorf("priority %v, want [%s]", got, other)
			}
		}
	})
	t.Run("a review when nobody can host", func(t *testing.T) {
		plan := planRun(t, PlanInput{People: planPeople("Ana", "Bo"), Projects: planProjects("p"),
			Knowledge: planKnow(t, "ana:p=some")})
		if len(plan.Proposals) != 1 {
			t.Fatalf("sessions %+v, want a review", plan.Sessions())
		}
		s := plan.Proposals[0].Session
		if s.Kind != Review || s.Host != "ana" || !strings.Contains(s.Reason, "review") {
			t.Errorf("session %+v", s)
		}
	})
}

func sessionsEqual(a, b Session) bool {
	return a.Kind == b.Kind && a.Project == b.Project && a.Host == b.Host && slices.Equal(a.Learners, b.Learners) &&
		a.Round == b.Round && a.Slot.Equal(b.Slot) && a.Length == b.Length && a.State == b.State && a.Reason == b.Reason
}

func TestPlanRoundErrors(t *testing.T) {
	k := planKnow(t, "ana:p")
	tests := []struct {
		name string
		in   PlanInput
	}{
		{"no knowledge", PlanInput{Round: "2026-W02", Start: planMonday, People: planPeople("Ana")}},
		{"no start", PlanInput{Round: "2026-W02", Knowledge: k, People: planPeople("Ana")}},
		{"a person twice", PlanInput{Round: "2026-W02", Start: planMonday, Knowledge: k, People: planPeople("Ana", "Ana")}},
		{"a person without ID", PlanInput{Round: "2026-W02", Start: planMonday, Knowledge: k, People: []Person{{Membership: Membership{Status: Active}}}}},
		{"a project twice", PlanInput{Round: "2026-W02", Start: planMonday, Knowledge: k, Projects: planProjects("p", "p")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := PlanRound(tt.in); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestPlanRoundSlots(t *testing.T) {
	tests := []struct {
		name   string
		tz     [2]string
		hours  [2]WorkingHours
		start  time.Time
		want   time.Time
		wantOK bool
	}{
		{"same zone, default hours", [2]string{"UTC", "UTC"}, [2]WorkingHours{DefaultHours, DefaultHours},
			planMonday, planMonday.Add(9 * time.Hour), true},
		{"Berlin and New York share 15:00-17:00 Berlin", [2]string{"Europe/Berlin", "America/New_York"},
			[2]WorkingHours{DefaultHours, DefaultHours}, planMonday, planMonday.Add(14 * time.Hour), true},
		{"a late start rounds up to the quarter hour", [2]string{"UTC", "UTC"}, [2]WorkingHours{DefaultHours, DefaultHours},
			planMonday.Add(10*time.Hour + 7*time.Minute), planMonday.Add(10*time.Hour + 15*time.Minute), true},
		{"Friday afternoon start moves to the next Monday", [2]string{"UTC", "UTC"}, [2]WorkingHours{DefaultHours, DefaultHours},
			planMonday.AddDate(0, 0, 4).Add(16*time.Hour + 30*time.Minute), planMonday.AddDate(0, 0, 7).Add(9 * time.Hour), true},
		{"too short an overlap", [2]string{"UTC", "UTC"}, [2]WorkingHours{{9 * 60, 10*60 + 30}, {10 * 60, 17 * 60}},
			planMonday, time.Time{}, false},
		{"Sydney Tuesday morning is Monday evening in London", [2]string{"Australia/Sydney", "Europe/London"},
			[2]WorkingHours{{8 * 60, 17 * 60}, {18 * 60, 22 * 60}}, planMonday, planMonday.Add(21 * time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			people := planPeople("Ana", "Bo")
			for i := range people {
				people[i].TZ, people[i].Hours = tt.tz[i], tt.hours[i]
			}
			plan := planRun(t, PlanInput{Start: tt.start, People: people, Projects: planProjects("p"), Knowledge: planKnow(t, "ana:p")})
			if !tt.wantOK {
				if len(plan.Proposals) != 0 {
					t.Errorf("sessions %+v, want none", plan.Sessions())
				}
				return
			}
			if len(plan.Proposals) != 1 || !plan.Proposals[0].Session.Slot.Equal(tt.want) {
				t.Errorf("sessions %+v, want slot %s", plan.Sessions(), tt.want)
			}
		})
	}
}
