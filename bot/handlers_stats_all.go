package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/pollen-team/pollen/internal/report"
)

// statsAll (the workspace's admins) is the org-wide knowledge report: the
// workspace's headline figures, then a section per rotation (stopped ones
// too, their history stays), each counting its own people, projects and
// sessions (report.SummariseAll).
func (b *Bot) statsAll(ctx context.Context, c caller, _ Command) message {
	data, err := report.LoadAll(ctx, b.db)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	all, each := data.SummariseAll(b.now())
	if all.Projects == 0 {
		return text("No projects yet, so no report. An admin adds one with `/pair project add &lt;name&gt;`.")
	}
	lines := []string{"*Knowledge report, every rotation*", "• *Workspace*: " + rotationFigures(all)}
	for _, r := range each {
		line := "• *" + rotationName(r.Rotation) + "*"
		if len(r.Rotation.Across) > 0 {
			var names []string
			for _, id := range r.Rotation.Across {
				names = append(names, "<#"+id+">")
			}
			line += " (across " + strings.Join(names, ", ") + ")"
		}
		if !r.Rotation.Active() {
			line += " (stopped " + r.Rotation.StoppedAt.Format("2006-01-02") + ")"
		}
		lines = append(lines, line+": "+rotationFigures(r.Summary))
	}
	m := message{Text: fallback(strings.Join(lines, "\n"))}
	m.Blocks = sections(lines, maxBlocksMessage, maxReplyBytes-jsonSize(m.Text), func(left int) string {
		return fmt.Sprintf("…and %d more rotations not shown: the report is cut to fit in Slack; `pollen export` has them all.", left)
	})
	return m
}

// rotationFigures is one line of the org-wide report: people, projects
// and their bus factor, sessions done, the riskiest projects.
func rotationFigures(s report.Summary) string {
	people, done := counted(s.PeopleInRotation, "active person", "active people"), counted(s.SessionsDone, "session", "sessions")+" done"
	if s.Projects == 0 {
		return people + ", no projects, " + done
	}
	var riskiest []string
	for i, r := range s.Riskiest {
		if i == 3 {
			break
		}
		riskiest = append(riskiest, fmt.Sprintf("%s (%d)", escape(r.Name), r.BusFactor))
	}
	return fmt.Sprintf("%s, mean bus factor %.2f over %s, %d at bus factor 1 or less, %s; riskiest %s",
		people, s.MeanBusFactor, counted(s.Projects, "project", "projects"), s.AtRisk, done, strings.Join(riskiest, ", "))
}

// counted is n and the noun, singular for one.
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
