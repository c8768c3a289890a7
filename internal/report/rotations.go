package report

import (
	"slices"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// RotationSummary is one rotation's headline figures, for the org-wide
// view (/pair stats all): its projects' bus factors counted among its own
// people, and its own sessions.
type RotationSummary struct {
	Rotation pairing.Rotation
	Summary
}

// SummariseAll computes, for data from LoadAll, the workspace's headline
// figures (everyone once, every project, every session) and each
// rotation's, in the order LoadAll read them (the default rotation
// first). A rotation's people are its members and its projects those it
// lists (every project when it lists none); a cross-team rotation's are
// those of Across; its sessions are those
// it planned. The knowledge log is replayed once for all of them.
func (d Data) SummariseAll(now time.Time) (Summary, []RotationSummary) {
	k := pairing.Replay(pairing.DefaultModel(), d.Events)
	all := d.summarise(k, now)
	var each []RotationSummary
	for _, rot := range d.Rotations {
		each = append(each, RotationSummary{Rotation: rot, Summary: d.Of(rot).summarise(k, now)})
	}
	return all, each
}

// Of is one rotation's view of data from LoadAll: its people (for a
// cross-team rotation its teams', Across) on its projects (pairing.Rotation.Scope;
// the shared ones), and its own sessions (pairing.CountsIn: those it
// planned, and the ad-hoc ones its people took part in); the knowledge
// log and settings are d's.
func (d Data) Of(rot pairing.Rotation) Data {
	sub := Data{Events: d.Events, Settings: d.Settings}
	if x, ok := d.Across(rot.ID); ok {
		sub.People, sub.Projects = x.People, x.Projects
	} else { // a team rotation: its own people, on the projects it lists
		s, _ := rot.Scope(d.Rotations, d.Members[rot.ID], d.Projects, func(id string) ([]pairing.Person, error) { return d.Members[id], nil })
		sub.People, sub.Projects = s.People, s.Projects
	}
	member := func(id string) bool {
		return slices.ContainsFunc(sub.People, func(p pairing.Person) bool { return p.ID == id })
	}
	for _, s := range d.Sessions {
		if pairing.CountsIn(rot.ID, s, member) {
			sub.Sessions = append(sub.Sessions, s)
		}
	}
	return sub
}
