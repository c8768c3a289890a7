package pairing

import (
	"fmt"
	"time"
)

// ImportPlan is what a git import (pollen import-git or a repository sync)
// adds to the knowledge log, decided before anything is written.
type ImportPlan struct {
	Fresh     []Event // imported levels the log does not hold yet
	Evidence  []Event // first commits after sessions (CommitEvidence)
	OffRoster int     // imported events about people not on the team
	// Before and After are the project's bus factor without and with
	// Fresh and Evidence.
	Before, After int
}

// PlanImport decides an import: an imported event is new unless the log
// holds the same import (source, project, person, level and date), so
// importing the same history twice adds nothing.
func PlanImport(m Model, existing []Event, people []Person, project string, events []Event,
	firsts map[string]time.Time, newID func() string, now time.Time) ImportPlan {
	key := func(e Event) string {
		return fmt.Sprintf("%s|%s|%s|%.6f|%d", e.Source, e.Project, e.Person, e.Level, e.At.Unix())
	}
	seen := map[string]bool{}
	for _, e := range existing {
		if e.Kind == EventImported {
			seen[key(e)] = true
		}
	}
	onTeam := map[string]bool{}
	for _, p := range people {
		onTeam[p.ID] = OnTeam(p)
	}
	var plan ImportPlan
	for _, e := range events {
		if !onTeam[e.Person] {
			plan.OffRoster++
		}
		if !seen[key(e)] {
			plan.Fresh = append(plan.Fresh, e)
		}
	}
	plan.Evidence = CommitEvidence(existing, project, firsts, newID)
	plan.Before = Replay(m, existing).BusFactor(project, people, now)
	all := append(append(append([]Event(nil), existing...), plan.Fresh...), plan.Evidence...)
	plan.After = Replay(m, all).BusFactor(project, people, now)
	return plan
}
