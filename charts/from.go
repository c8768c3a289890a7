package charts

import (
	"slices"
	"sort"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// FromKnowledge builds the heatmap of the team at t: one row per person on
// the team (people who left are not shown), one column per active project
// (retired ones are not shown), in the order given. Rows are labelled with
// the person's name, or their ID when they have none.
func FromKnowledge(k *pairing.Knowledge, people []pairing.Person, projects []pairing.Project, at time.Time) Heatmap {
	h := Heatmap{KnowsAt: k.Model().KnowsAt}
	var names []string
	for _, p := range projects {
		if !p.Retired {
			names = append(names, p.Name)
		}
	}
	h.Projects = names
	for _, p := range people {
		if !pairing.OnTeam(p) {
			continue
		}
		row := make([]float64, len(names))
		for j, name := range names {
			row[j] = k.F(p.ID, name, at)
		}
		h.People = append(h.People, displayName(p))
		h.F = append(h.F, row)
	}
	return h
}

// Team is one team for FromTeams: its name and its people.
type Team struct {
	Name   string
	People []pairing.Person
}

// FromTeams is the cross-team picture of the shared projects: one row per
// team, one column per project, each cell the best familiarity anyone on
// the team (not left) has with the project at at. A column with one dark
// cell is code only one team can maintain.
func FromTeams(k *pairing.Knowledge, teams []Team, projects []string, at time.Time) Heatmap {
	h := Heatmap{KnowsAt: k.Model().KnowsAt, Projects: slices.Clone(projects), Teams: true}
	for _, t := range teams {
		row := make([]float64, len(projects))
		for _, p := range t.People {
			if p.Status == pairing.Left {
				continue
			}
			for j, name := range projects {
				row[j] = max(row[j], k.F(p.ID, name, at))
			}
		}
		h.People = append(h.People, t.Name)
		h.F = append(h.F, row)
	}
	return h
}

// BusFactorHistory replays the knowledge log week by week and returns each
// active project's bus factor and the team's truck factor at the end of
// every week (the week's start plus seven days, counting the events before
// that instant), with ratings given later counted as pairing.Replay counts
// them. Events are sorted once and applied incrementally, so the
// cost is one replay plus one measurement per week, not a replay per week.
//
// Each project's line starts in the week its history does (see
// pairing.Project.Start). Person records say who has left but not when, so
// people who have left count in no week: the history shows today's team.
// Set Target on the result to draw the team's target.
func BusFactorHistory(m pairing.Model, events []pairing.Event, people []pairing.Person, projects []pairing.Project, weeks []time.Time) BusFactorSeries {
	weeks = slices.Clone(weeks)
	slices.SortFunc(weeks, func(a, b time.Time) int { return a.Compare(b) })
	weeks = slices.CompactFunc(weeks, time.Time.Equal)
	var active []pairing.Project
	for _, p := range projects {
		if !p.Retired {
			active = append(active, p)
		}
	}
	s := BusFactorSeries{Weeks: weeks, BF: make([][]int, len(active)), TruckFactor: make([]int, len(weeks)), From: make([]int, len(active))}
	starts := pairing.Starts(active, events)
	for j, p := range active {
		s.Projects = append(s.Projects, p.Name)
		s.BF[j] = make([]int, len(weeks))
		// The first week that ends after the project began.
		for s.From[j] < len(weeks)-1 && !starts[p.Name].Before(weeks[s.From[j]].AddDate(0, 0, 7)) {
			s.From[j]++
		}
	}
	sorted := pairing.ReplayOrder(events)
	k := pairing.NewKnowledge(m)
	next := 0
	for w, start := range weeks {
		end := start.AddDate(0, 0, 7)
		for ; next < len(sorted) && sorted[next].At.Before(end); next++ {
			k.Apply(sorted[next])
		}
		for j, p := range active {
			s.BF[j][w] = k.BusFactor(p.Name, people, end)
		}
		s.TruckFactor[w] = k.TruckFactor(active, people, end)
	}
	return s
}

// SessionsByWeek counts the sessions that have ended (done, skipped or
// cancelled) in each week. A session belongs to the week of its slot, when
// it was meant to happen; an ad-hoc session without a slot to the week it
// was done, or else last changed. Week w runs for seven days from
// weeks[w]; sessions outside every week are not counted.
func SessionsByWeek(sessions []pairing.Session, weeks []time.Time) SessionsPerWeek {
	weeks = slices.Clone(weeks)
	slices.SortFunc(weeks, func(a, b time.Time) int { return a.Compare(b) })
	weeks = slices.CompactFunc(weeks, time.Time.Equal)
	s := SessionsPerWeek{Weeks: weeks, Done: make([]int, len(weeks)), Skipped: make([]int, len(weeks)), Cancelled: make([]int, len(weeks))}
	for _, ss := range sessions {
		w := weekOf(weeks, sessionTime(ss))
		if w < 0 {
			continue
		}
		switch ss.State {
		case pairing.Done:
			s.Done[w]++
		case pairing.Skipped:
			s.Skipped[w]++
		case pairing.Cancelled:
			s.Cancelled[w]++
		}
	}
	return s
}

// sessionTime is when a session counts as having happened for the charts.
func sessionTime(s pairing.Session) time.Time {
	for _, t := range []time.Time{s.Slot, s.DoneAt, s.UpdatedAt} {
		if !t.IsZero() {
			return t
		}
	}
	return s.CreatedAt
}

// weekOf is the index of the week containing t, or -1.
func weekOf(weeks []time.Time, t time.Time) int {
	// The last week starting at or before t.
	w := sort.Search(len(weeks), func(i int) bool { return weeks[i].After(t) }) - 1
	if w < 0 || !t.Before(weeks[w].AddDate(0, 0, 7)) {
		return -1
	}
	return w
}

// PairingNetwork builds the network of who has done sessions with whom:
// every two participants of a done session (host and learner, or two
// learners sharing a host) are joined, and the edge counts their sessions
// together. Only people in the list appear; participants who are not in it
// are skipped. Everyone in the list is shown, including people who left,
// so pass only the people the chart should name.
func PairingNetwork(sessions []pairing.Session, people []pairing.Person) Network {
	n := Network{}
	index := make(map[string]int, len(people))
	for i, p := range people {
		index[p.ID] = i
		n.People = append(n.People, displayName(p))
	}
	count := make(map[[2]int]int)
	for _, s := range sessions {
		if s.State != pairing.Done {
			continue
		}
		var ids []int
		for _, id := range s.Participants() {
			if i, ok := index[id]; ok && !slices.Contains(ids, i) {
				ids = append(ids, i)
			}
		}
		for x := range ids {
			for y := x + 1; y < len(ids); y++ {
				count[[2]int{min(ids[x], ids[y]), max(ids[x], ids[y])}]++
			}
		}
	}
	for pair, c := range count {
		n.Edges = append(n.Edges, Edge{A: pair[0], B: pair[1], Sessions: c})
	}
	slices.SortFunc(n.Edges, func(a, b Edge) int {
		if a.A != b.A {
			return a.A - b.A
		}
		return a.B - b.B
	})
	return n
}

// Weeks returns the Mondays at 00:00, in to's location, that start the
// weeks from the one containing from to the one containing to, oldest
// first: the x axis for BusFactorHistory and SessionsByWeek. It returns nil
// when to is before from.
func Weeks(from, to time.Time) []time.Time {
	from = from.In(to.Location())
	if to.Before(from) {
		return nil
	}
	start := mondayOf(from)
	var ws []time.Time
	for wk := start; !wk.After(to); wk = wk.AddDate(0, 0, 7) {
		ws = append(ws, wk)
	}
	return ws
}

// mondayOf is 00:00 on the Monday of t's week, in t's location.
func mondayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(y, m, d-back, 0, 0, 0, 0, t.Location())
}

// displayName is what charts call a person: their name, or their ID.
func displayName(p pairing.Person) string {
	if p.Name != "" {
		return p.Name
	}
	return p.ID
}
