package pairing

import (
	"slices"
	"time"
)

// DefaultRotation is the ID of the one rotation a workspace has until it
// starts more: every roster, round and setting of a database written
// before rotations belongs to it. Nothing users see names it.
const DefaultRotation = "team"

// Rotation is one group that pairs on its own schedule: a team's channel
// with its members, settings, rounds and digest. Projects, knowledge and
// sessions are the workspace's, shared by every rotation.
type Rotation struct {
	// ID is DefaultRotation for the workspace's first rotation, else the
	// Slack channel ID the rotation was started in.
	ID string `json:"id"`
	// Channel is the Slack channel the rotation posts its intro and digest
	// to; for the default rotation, its digest channel (or none).
	Channel   string    `json:"channel,omitempty"`
	StartedAt time.Time `json:"started_at,omitzero"`
	// StoppedAt is set when the rotation was stopped: it plans no more
	// rounds, and its history stays.
	StoppedAt time.Time `json:"stopped_at,omitzero"`
	// Projects are the projects the rotation works on: its own codebases
	// and the shared ones it depends on. Empty means every project.
	Projects []string `json:"projects,omitempty"`
	// Across lists, for a cross-team rotation, the rotations whose members
	// it pairs with one another; empty for a team's own rotation.
	Across []string `json:"across,omitempty"`
}

// Active reports whether the rotation still plans rounds.
func (r Rotation) Active() bool { return r.StoppedAt.IsZero() }

// Teams are the rotations a cross-team rotation is across that still run,
// in its order, each once, found among all: the teams it pairs people
// from. A team's own rotation has none.
func (r Rotation) Teams(all []Rotation) []Rotation {
	var out []Rotation
	for i, id := range r.Across {
		if slices.Contains(r.Across[:i], id) {
			continue
		}
		for _, x := range all {
			if x.ID == id && x.Active() {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// Scope is what a rotation's rounds are planned on, and what /pair
// projects and /pair who typed in its channel show.
type Scope struct {
	People   []Person
	Projects []Project
	// Teams gives, for a cross-team rotation, the team rotation each
	// person counts for; nil for another rotation.
	Teams map[string]string
}

// Scope narrows the workspace to the rotation: a team rotation keeps its
// own people (as given) on the projects it lists (every project when it
// lists none); a cross-team rotation has its teams' people (rosterOf each
// team's rotation ID; someone in two teams counts once, for the first)
// on the projects more than one of its teams works on (SharedProjects).
// all are the workspace's rotations (Teams looks its teams up there).
func (r Rotation) Scope(all []Rotation, people []Person, projects []Project, rosterOf func(rotation string) ([]Person, error)) (Scope, error) {
	if len(r.Across) == 0 {
		s := Scope{People: people, Projects: projects}
		if len(r.Projects) > 0 { // a new slice: the caller's may be shared
			s.Projects = slices.DeleteFunc(slices.Clone(projects), func(p Project) bool { return !slices.Contains(r.Projects, p.Name) })
		}
		return s, nil
	}
	s := Scope{Teams: map[string]string{}}
	teams := r.Teams(all)
	for _, t := range teams {
		roster, err := rosterOf(t.ID)
		if err != nil {
			return Scope{}, err
		}
		for _, p := range roster {
			if _, seen := s.Teams[p.ID]; !seen {
				s.Teams[p.ID] = t.ID
				s.People = append(s.People, p)
			}
		}
	}
	shared := SharedProjects(teams, projects)
	for _, p := range projects {
		if slices.Contains(shared, p.Name) {
			s.Projects = append(s.Projects, p)
		}
	}
	return s, nil
}

// CountsIn reports whether session s is one of rotation rot's own, for
// its digest, charts and figures: the sessions rot planned, and those no
// rotation planned (ad hoc: /pair now, review, log) that one of its
// people (member) took part in. The default rotation's are, as before
// rotations, every session no other rotation planned.
func CountsIn(rot string, s Session, member func(id string) bool) bool {
	switch {
	case s.Rotation == rot:
		return true
	case s.Rotation != "":
		return false
	case rot == DefaultRotation:
		return true
	case s.Round != "":
		return false // planned by the default rotation
	}
	return slices.ContainsFunc(s.Participants(), member)
}

// SharedProjects are the projects more than one of the rotations works
// on: the code a cross-team rotation across them pairs people on. A
// rotation that lists no projects works on every project of projects.
func SharedProjects(rotations []Rotation, projects []Project) []string {
	users := map[string]int{}
	for _, r := range rotations {
		seen := map[string]bool{}
		for _, p := range projects {
			if p.Retired || seen[p.Name] || (len(r.Projects) > 0 && !slices.Contains(r.Projects, p.Name)) {
				continue
			}
			seen[p.Name] = true
			users[p.Name]++
		}
	}
	var out []string
	for name, n := range users {
		if n > 1 {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// BookedElsewhere lists, sorted, the people who have a session in
// [from, to) proposed by a rotation other than rotation: with one session
// a week across all rotations, they sit out this one (PlanInput.Booked).
// Sessions called off (skipped, cancelled) do not count; ad-hoc sessions
// do not either, as they do not count against a round today.
func BookedElsewhere(sessions []Session, rotation string, from, to time.Time) []string {
	set := map[string]bool{}
	for _, s := range sessions {
		if s.Round == "" || s.Rotation == rotation || (s.Rotation == "" && rotation == DefaultRotation) {
			continue
		}
		if s.State == Skipped || s.State == Cancelled {
			continue
		}
		at := s.Slot
		if at.IsZero() {
			at = s.CreatedAt
		}
		if at.Before(from) || !at.Before(to) {
			continue
		}
		for _, id := range s.Participants() {
			set[id] = true
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
