package report

import (
	"slices"
	"time"

	"github.com/pollen-team/pollen/charts"
	"github.com/pollen-team/pollen/pairing"
)

// Spread is how far knowledge of one shared project has spread across the
// teams of a cross-team rotation: the member rotations in which someone
// (not left) knows it, in the rotation's order.
type Spread struct {
	Project string
	KnownIn []string // rotation IDs
}

// CrossTeam is, for data from LoadAll, a cross-team rotation's teams (the
// active rotations it is across, in its order, each named by its ID and
// with its members) and the projects more than one of them works on, the
// code the rotation pairs people on (as the scheduler plans its rounds).
// ok is false when rot is not a cross-team rotation.
func (d Data) CrossTeam(rot string) (teams []charts.Team, shared []string, ok bool) {
	i := slices.IndexFunc(d.Rotations, func(r pairing.Rotation) bool { return r.ID == rot })
	if i < 0 || len(d.Rotations[i].Across) == 0 {
		return nil, nil, false
	}
	members := d.Rotations[i].Teams(d.Rotations)
	for _, m := range members {
		teams = append(teams, charts.Team{Name: m.ID, People: d.Members[m.ID]})
	}
	return teams, pairing.SharedProjects(members, d.Projects), true
}

// Across is a cross-team rotation's view of data from LoadAll: People are
// the members of its teams (CrossTeam), each once, and Projects the
// projects they share; the rest is d's. ok is false when rot is not a
// cross-team rotation.
func (d Data) Across(rot string) (Data, bool) {
	teams, shared, ok := d.CrossTeam(rot)
	if !ok {
		return Data{}, false
	}
	var members []pairing.Rotation
	for _, t := range teams {
		members = append(members, pairing.Rotation{ID: t.Name})
	}
	x := Data{Sessions: d.Sessions, Events: d.Events, Settings: d.Settings, People: everyone(members, d.Members)}
	for _, p := range d.Projects {
		if slices.Contains(shared, p.Name) {
			x.Projects = append(x.Projects, p)
		}
	}
	return x, true
}

// SharedSpread is, for each project a cross-team rotation shares (by
// name), the teams that know it at now; nil for another rotation.
func (d Data) SharedSpread(rot string, now time.Time) []Spread {
	teams, shared, ok := d.CrossTeam(rot)
	if !ok {
		return nil
	}
	h := charts.FromTeams(pairing.Replay(pairing.DefaultModel(), d.Events), teams, shared, now)
	out := make([]Spread, len(shared))
	for j, name := range shared {
		out[j].Project = name
		for i, t := range teams {
			if h.F[i][j] >= h.KnowsAt {
				out[j].KnownIn = append(out[j].KnownIn, t.Name)
			}
		}
	}
	return out
}

// SharedChart renders a cross-team rotation's teams × shared-projects
// chart (charts.FromTeams): each team's best familiarity with each shared
// project, so a column with one dark cell is code only one team can
// maintain. name turns a rotation ID into the team's label. ok is false,
// and there is no file, for a rotation that is not cross-team.
func (d Data) SharedChart(rot string, name func(id string) string, now time.Time) (f File, ok bool, err error) {
	h, ok := d.SharedHeatmap(rot, name, now)
	if !ok {
		return File{}, false, nil
	}
	f, err = render("shared-projects.png", "Who knows the shared projects, by team", h.PNG)
	return f, err == nil, err
}

// SharedHeatmap is SharedChart's data.
func (d Data) SharedHeatmap(rot string, name func(id string) string, now time.Time) (charts.Heatmap, bool) {
	teams, shared, ok := d.CrossTeam(rot)
	if !ok {
		return charts.Heatmap{}, false
	}
	teams = slices.Clone(teams)
	for i := range teams {
		teams[i].Name = name(teams[i].Name)
	}
	return charts.FromTeams(pairing.Replay(pairing.DefaultModel(), d.Events), teams, shared, now), true
}
