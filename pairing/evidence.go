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

// Taught is one piece of evidence that a session taught something: the
// learner's first commit to the project after it (an EventCommitted joined
// with its session).
type Taught struct {
	Person, Host, Project, SessionID string
	Kind                             Kind // of the session; empty if its event is not in the log
	SessionAt, CommitAt              time.Time
}

// TaughtBy lists the evidence in events, oldest commit first.
func TaughtBy(events []Event) []Taught {
	sessions := make(map[string]Event)
	for _, e := range events {
		if e.Kind == EventSession {
			sessions[e.SessionID] = e
		}
	}
	var out []Taught
	for _, e := range events {
		if e.Kind != EventCommitted {
			continue
		}
		s := sessions[e.SessionID]
		out = append(out, Taught{Person: e.Person, Host: e.Host, Project: e.Project, SessionID: e.SessionID,
			Kind: s.SessionKind, SessionAt: s.At, CommitAt: e.At})
	}
	slices.SortStableFunc(out, func(a, b Taught) int { return a.CommitAt.Compare(b.CommitAt) })
	return out
}

// Outcome is the team's outcome measure for one project: of Sessions done
// sessions, Followed were followed by a learner's first commit to the
// project within the window.
type Outcome struct{ Sessions, Followed int }

// Share is Followed / Sessions, or 0 without sessions.
func (o Outcome) Share() float64 {
	if o.Sessions == 0 {
		return 0
	}
	return float64(o.Followed) / float64(o.Sessions)
}

// OutcomeWindow is how soon after a session a learner's commit counts as
// following it.
const OutcomeWindow = 30 * 24 * time.Hour

// Outcomes measures, per project, the done sessions followed by a
// learner's first commit to the project (EventCommitted) within window. A
// session whose window has not closed by now counts only once it is
// followed: until then nobody can say it was not. Only first commits are
// recorded, so a session whose learners already committed to the project
// before it cannot count as followed.
func Outcomes(events []Event, window time.Duration, now time.Time) map[string]Outcome {
	commits := make(map[cellKey][]time.Time)
	for _, e := range events {
		if e.Kind == EventCommitted {
			k := cellKey{e.Person, e.Project}
			commits[k] = append(commits[k], e.At)
		}
	}
	out := make(map[string]Outcome)
	for _, s := range events {
		if s.Kind != EventSession || s.At.After(now) {
			continue
		}
		followed := false
		for _, l := range s.Learners {
			for _, t := range commits[cellKey{l, s.Project}] {
				followed = followed || t.After(s.At) && !t.After(s.At.Add(window))
			}
		}
		if !followed && s.At.Add(window).After(now) {
			continue
		}
		o := out[s.Project]
		o.Sessions++
		if followed {
			o.Followed++
		}
		out[s.Project] = o
	}
	return out
}

// TotalOutcome adds up outcomes over projects: the team's overall measure.
func TotalOutcome(byProject map[string]Outcome) Outcome {
	var t Outcome
	for _, o := range byProject {
		t.Sessions += o.Sessions
		t.Followed += o.Followed
	}
	return t
}
