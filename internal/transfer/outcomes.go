package transfer

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// WriteOutcomes writes outcomes.csv, the team's outcome measure at now: per
// project (retired ones too, in name order) and then "all", the done
// sessions counted, those followed by a learner's first commit to the
// project within 30 days, and the share (see pairing.Outcomes: a session
// whose 30 days have not passed counts only once followed). A project with
// no session counted yet has an empty share.
func WriteOutcomes(w io.Writer, events []pairing.Event, projects []pairing.Project, now time.Time) error {
	byProject := pairing.Outcomes(events, pairing.OutcomeWindow, now)
	names := make([]string, 0, len(projects))
	for _, p := range projects {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	cw := newCellWriter(w)
	_ = cw.Write([]string{"project", "sessions_done", "followed_by_commit_30d", "share"})
	row := func(name string, o pairing.Outcome) {
		share := ""
		if o.Sessions > 0 {
			share = fmt.Sprintf("%.3f", o.Share())
		}
		_ = cw.Write([]string{name, strconv.Itoa(o.Sessions), strconv.Itoa(o.Followed), share})
	}
	for _, n := range names {
		row(n, byProject[n])
	}
	row("all", pairing.TotalOutcome(byProject))
	return flush(cw)
}
