package pairing

import (
	"cmp"
	"slices"
	"time"
)

// CommitEvidence is the evidence that sessions taught something, found in
// a git import of project: for each person whose first commit to it
// (firsts: person → time of their first counted commit in the history read)
// comes after a done session in which they learned the project, one
// EventCommitted at that commit, naming the latest such session and its
// host. events is the knowledge log as it stands; newID makes the events'
// IDs. Events come in order of person.
//
// Each person counts once per project: someone who already has an
// EventCommitted for it gets nothing, so importing the same history twice,
// or syncing later commits, records nothing new. A commit is only a first
// commit if git showed nothing of the person before the session: an import
// of their authorship dated at or before it (an earlier import saw them
// commit already, which an incremental sync reading only new commits
// cannot see) rules it out.
func CommitEvidence(events []Event, project string, firsts map[string]time.Time, newID func() string) []Event {
	recorded := make(map[string]bool)
	var sessions []Event
	gitBefore := make(map[string]time.Time) // person → their earliest imported authorship
	for _, e := range events {
		if e.Project != project {
			continue
		}
		switch e.Kind {
		case EventCommitted:
			recorded[e.Person] = true
		case EventSession:
			sessions = append(sessions, e)
		case EventImported:
			if t, ok := gitBefore[e.Person]; !ok || e.At.Before(t) {
				gitBefore[e.Person] = e.At
			}
		}
	}
	var out []Event
	for person, first := range firsts {
		if recorded[person] || first.IsZero() {
			continue
		}
		s, ok := latestSessionBefore(sessions, person, first)
		if !ok {
			continue
		}
		if t, ok := gitBefore[person]; ok && !t.After(s.At) {
			continue
		}
		out = append(out, Event{
			At: first, Kind: EventCommitted, Project: project, Person: person,
			SessionID: s.SessionID, Host: s.Host,
		})
	}
	slices.SortFunc(out, func(a, b Event) int { return cmp.Compare(a.Person, b.Person) })
	for i := range out {
		out[i].ID = newID()
	}
	return out
}

// latestSessionBefore is the latest done session in which person learned,
// strictly before t.
func latestSessionBefore(sessions []Event, person string, t time.Time) (Event, bool) {
	var best Event
	found := false
	for _, s := range sessions {
		if !s.At.Before(t) || !slices.Contains(s.Learners, person) {
			continue
		}
		if !found || s.At.After(best.At) {
			best, found = s, true
		}
	}
	return best, found
}
