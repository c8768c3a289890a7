package charts

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// day0 is a Monday.
var day0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func day(n int) time.Time { return day0.AddDate(0, 0, n) }

func person(id, name string) pairing.Person {
	return pairing.Person{Profile: pairing.Profile{ID: id, Name: name}, Membership: pairing.Membership{Status: pairing.Active}}
}

func pairEvent(id string, at time.Time, project, host string, learners ...string) pairing.Event {
	return pairing.Event{ID: id, At: at, Kind: pairing.EventSession, Project: project,
		SessionKind: pairing.Pair, Host: host, Learners: learners}
}

func TestFromKnowledge(t *testing.T) {
	left := person("cy", "Cy")
	left.Status = pairing.Left
	people := []pairing.Person{person("ana", "Ana"), person("bo", ""), left}
	projects := []pairing.Project{{Name: "churn-model"}, {Name: "old-etl", Retired: true}, {Name: "pricing"}}
	k := pairing.Replay(pairing.DefaultModel(), []pairing.Event{
		{ID: "e1", At: day(0), Kind: pairing.EventOwner, Project: "churn-model", Person: "ana"},
		{ID: "e2", At: day(0), Kind: pairing.EventOwner, Project: "pricing", Person: "cy"},
		pairEvent("e3", day(7), "churn-model", "ana", "bo"),
	})
	h := FromKnowledge(k, people, projects, day(7))
	if want := []string{"Ana", "bo"}; !slices.Equal(h.People, want) {
		t.Errorf("people %q, want %q (names, IDs for the nameless, nobody who left)", h.People, want)
	}
	if want := []string{"churn-model", "pricing"}; !slices.Equal(h.Projects, want) {
		t.Errorf("projects %q, want %q (no retired ones)", h.Projects, want)
	}
	want := [][]float64{{1, 0}, {0.35, 0}}
	for i := range want {
		for j := range want[i] {
			if got := h.F[i][j]; fmt.Sprintf("%.6f", got) != fmt.Sprintf("%.6f", want[i][j]) {
				t.Errorf("F[%d][%d] = %v, want %v", i, j, got, want[i][j])
			}
		}
	}
	if h.KnowsAt != 0.5 {
		t.Errorf("KnowsAt %v, want the model's 0.5", h.KnowsAt)
	}
}

// TestBusFactorHistory checks the incremental replay against replaying the
// whole log for every week, on a random log.
func TestBusFactorHistory(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ids := []string{"a", "b", "c", "d", "e", "f"}
	var people []pairing.Person
	for _, id := range ids {
		people = append(people, person(id, id))
	}
	people[5].Status = pairing.Left
	projects := []pairing.Project{{Name: "p0"}, {Name: "p1"}, {Name: "p2"}, {Name: "gone", Retired: true}}
	var events []pairing.Event
	for j := range 3 {
		events = append(events, pairing.Event{ID: fmt.Sprint("own", j), At: day(-3), Kind: pairing.EventOwner,
			Project: projects[j].Name, Person: ids[j]})
	}
	for n := range 60 {
		host, learner := ids[r.IntN(len(ids))], ids[r.IntN(len(ids))]
		if host == learner {
			continue
		}
		events = append(events, pairEvent(fmt.Sprintf("s%02d", n), day(r.IntN(70)), projects[r.IntN(3)].Name, host, learner))
	}
	r.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	weeks := Weeks(day(0), day(69))
	weeks[0], weeks[1] = weeks[1], weeks[0] // out of order on purpose

	m := pairing.DefaultModel()
	s := BusFactorHistory(m, events, people, projects, weeks)
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"p0", "p1", "p2"}; !slices.Equal(s.Projects, want) {
		t.Fatalf("projects %q, want %q", s.Projects, want)
	}
	if len(s.Weeks) != 10 || !s.Weeks[0].Before(s.Weeks[1]) {
		t.Fatalf("weeks not sorted: %v", s.Weeks)
	}
	rising := false
	for w, start := range s.Weeks {
		end := start.AddDate(0, 0, 7)
		var upTo []pairing.Event
		for _, e := range events {
			if e.At.Before(end) {
				upTo = append(upTo, e)
			}
		}
		k := pairing.Replay(m, upTo)
		for j, p := range s.Projects {
			if want := k.BusFactor(p, people, end); s.BF[j][w] != want {
				t.Errorf("week %d, %s: bus factor %d, want %d", w, p, s.BF[j][w], want)
			}
			rising = rising || (w > 0 && s.BF[j][w] > s.BF[j][w-1])
		}
		if want := k.TruckFactor(projects, people, end); s.TruckFactor[w] != want {
			t.Errorf("week %d: truck factor %d, want %d", w, s.TruckFactor[w], want)
		}
	}
	if !rising {
		t.Error("no bus factor ever rose: the test log teaches nothing")
	}
}

// TestBusFactorHistoryCountsLaterRatings: a rating given the week after a
// session scales its gain as pairing.Replay does, so the chart agrees with
// /pair who, the digest and the export.
func TestBusFactorHistoryCountsLaterRatings(t *testing.T) {
	people := []pairing.Person{person("ana", "Ana"), person("bo", "Bo")}
	projects := []pairing.Project{{Name: "churn-model"}}
	session := pairEvent("s1", day(1), "churn-model", "ana", "bo")
	session.SessionID = "s1"
	events := []pairing.Event{
		{ID: "e1", At: day(0), Kind: pairing.EventOwner, Project: "churn-model", Person: "ana"},
		session,
		{ID: "r1", At: day(9), Kind: pairing.EventRated, Project: "churn-model", SessionID: "s1", Rating: 5},
	}
	m := pairing.DefaultModel()
	weeks := Weeks(day(0), day(13))
	s := BusFactorHistory(m, events, people, projects, weeks)
	end := s.Weeks[len(s.Weeks)-1].AddDate(0, 0, 7)
	want := pairing.Replay(m, events).BusFactor("churn-model", people, end)
	if unrated := pairing.Replay(m, events[:2]).BusFactor("churn-model", people, end); unrated == want {
		t.Fatalf("the rating does not change the bus factor (%d either way): the test shows nothing", want)
	}
	if got := s.BF[0][len(s.Weeks)-1]; got != want {
		t.Errorf("last week's bus factor %d, want Replay's %d", got, want)
	}
}

func TestSessionsByWeek(t *testing.T) {
	weeks := Weeks(day(0), day(13)) // two weeks
	sessions := []pairing.Session{
		{State: pairing.Done, Slot: day(1)},
		{State: pairing.Done, DoneAt: day(8)}, // ad hoc: no slot
		{State: pairing.Skipped, Slot: day(9)},
		{State: pairing.Cancelled, Slot: day(2), UpdatedAt: day(8)}, // the slot decides
		{State: pairing.Proposed, Slot: day(2)},                     // not over yet
		{State: pairing.Done, Slot: day(-1)},                        // before the first week
		{State: pairing.Done, Slot: day(14)},                        // after the last
	}
	s := SessionsByWeek(sessions, weeks)
	want := SessionsPerWeek{Weeks: weeks, Done: []int{1, 1}, Skipped: []int{0, 1}, Cancelled: []int{1, 0}}
	if !slices.Equal(s.Done, want.Done) || !slices.Equal(s.Skipped, want.Skipped) || !slices.Equal(s.Cancelled, want.Cancelled) {
		t.Errorf("got done %v skipped %v cancelled %v, want %v %v %v", s.Done, s.Skipped, s.Cancelled, want.Done, want.Skipped, want.Cancelled)
	}
}

func TestPairingNetwork(t *testing.T) {
	people := []pairing.Person{person("ana", "Ana"), person("bo", "Bo"), person("cy", "Cy")}
	sessions := []pairing.Session{
		{State: pairing.Done, Host: "ana", Learners: []string{"bo", "cy"}},
		{State: pairing.Done, Host: "bo", Learners: []string{"ana"}},
		{State: pairing.Done, Host: "ana", Learners: []string{"stranger"}},
		{State: pairing.Skipped, Host: "bo", Learners: []string{"cy"}},
	}
	n := PairingNetwork(sessions, people)
	want := []Edge{{A: 0, B: 1, Sessions: 2}, {A: 0, B: 2, Sessions: 1}, {A: 1, B: 2, Sessions: 1}}
	if !slices.Equal(n.Edges, want) {
		t.Errorf("edges %v, want %v", n.Edges, want)
	}
	if !slices.Equal(n.People, []string{"Ana", "Bo", "Cy"}) {
		t.Errorf("people %q", n.People)
	}
}

func TestWeeks(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"one day", day(2), day(2), []string{"2026-01-05"}},
		{"sunday to monday", day(-1), day(0), []string{"2025-12-29", "2026-01-05"}},
		{"backwards", day(7), day(0), nil},
		{"across spring forward", time.Date(2026, 3, 25, 12, 0, 0, 0, berlin), time.Date(2026, 4, 1, 12, 0, 0, 0, berlin),
			[]string{"2026-03-23T00:00+01:00", "2026-03-30T00:00+02:00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, w := range Weeks(tc.from, tc.to) {
				if w.Location() == time.UTC {
					got = append(got, w.Format(time.DateOnly))
				} else {
					got = append(got, w.Format("2006-01-02T15:04-07:00"))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Weeks = %q, want %q", got, tc.want)
			}
		})
	}
}

// FromTeams takes each team's best familiarity per shared project and
// leaves out people who left.
func TestFromTeams(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	k := pairing.NewKnowledge(pairing.DefaultModel())
	k.Apply(pairing.Event{ID: "1", At: at.AddDate(0, 0, -1), Kind: pairing.EventOwner, Person: "ana", Project: "dataops"})
	k.Apply(pairing.Event{ID: "2", At: at.AddDate(0, 0, -1), Kind: pairing.EventOwner, Person: "gone", Project: "features"})
	ana := pairing.NewPerson("ana", "Ana", "UTC", at)
	bo := pairing.NewPerson("bo", "Bo", "UTC", at)
	gone := pairing.NewPerson("gone", "Gone", "UTC", at)
	gone.Status = pairing.Left
	h := FromTeams(k, []Team{{Name: "#forecast", People: []pairing.Person{ana, bo}}, {Name: "#ml", People: []pairing.Person{gone}}},
		[]string{"dataops", "features"}, at)
	if !h.Teams || len(h.People) != 2 || h.People[1] != "#ml" {
		t.Fatalf("heatmap = %+v", h)
	}
	if h.F[0][0] < h.KnowsAt || h.F[0][1] != 0 || h.F[1][1] != 0 {
		t.Errorf("F = %v: forecast knows dataops through Ana; ml's only knower of features left", h.F)
	}
}
