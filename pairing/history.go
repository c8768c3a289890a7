package pairing

import "time"

// Starts gives each project's Start, in one pass over the events.
func Starts(projects []Project, events []Event) map[string]time.Time {
	first := make(map[string]time.Time)
	for _, e := range events {
		if f, ok := first[e.Project]; !e.At.IsZero() && (!ok || e.At.Before(f)) {
			first[e.Project] = e.At
		}
	}
	starts := make(map[string]time.Time, len(projects))
	for _, p := range projects {
		start := p.Since
		if f, ok := first[p.Name]; ok && (start.IsZero() || f.Before(start)) {
			start = f
		}
		starts[p.Name] = start
	}
	return starts
}

// Start is when the project's history begins: the earlier of Since and the
// first knowledge event about it (an import from git dates its events at
// commits, which may come before the project was added). A project with
// neither has no history yet and Start is zero. Trends, charts and exports
// begin here, so a project added today has no invented past of zeros.
func (p Project) Start(events []Event) time.Time {
	return Starts([]Project{p}, events)[p.Name]
}

// HistoryStart is when the team's history begins: the earliest Start of
// the active projects, or zero when none has a history yet.
func HistoryStart(projects []Project, events []Event) time.Time {
	starts := Starts(projects, events)
	var start time.Time
	for _, p := range projects {
		if s := starts[p.Name]; !p.Retired && !s.IsZero() && (start.IsZero() || s.Before(start)) {
			start = s
		}
	}
	return start
}

// StartsBy moves the project's start back to t, its first commit when its
// history comes from git, if t is earlier than Since (or Since is unset).
// It reports whether Since changed.
func (p *Project) StartsBy(t time.Time) bool {
	if t.IsZero() || (!p.Since.IsZero() && !t.Before(p.Since)) {
		return false
	}
	p.Since = t
	return true
}
