package transfer

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// WriteRoster writes the team as an import file: everyone on the roster
// with their status (paused people with the date they come back, people
// who left too), every project with its owners and whether it is retired,
// and what each person knows of each project at at. `pollen import` of it
// into an empty database brings back the roster, the projects and
// everyone's familiarity at at; see the package documentation for what
// does not come back.
func WriteRoster(w io.Writer, people []pairing.Person, projects []pairing.Project, k *pairing.Knowledge, at time.Time) error {
	cw := newCellWriter(w)
	_ = cw.Write(columns)
	writePeople(cw, columns, people)
	writeProjects(cw, columns, projects, k, people, at)
	return flush(cw)
}

// WritePeople writes everyone on the roster as an import file of person
// rows, with their status and, for paused people, the date they come back.
func WritePeople(w io.Writer, people []pairing.Person) error {
	header := []string{"kind", "person", "name", "tz", "hours", "cadence", "status", "paused_until"}
	cw := newCellWriter(w)
	_ = cw.Write(header)
	writePeople(cw, header, people)
	return flush(cw)
}

// WriteProjects writes the projects, retired ones too, as an import file:
// each project's row, then a familiarity row for each of people who knows
// something of it at at. Its familiarity rows name people, so import it
// after the people, or use WriteRoster.
func WriteProjects(w io.Writer, projects []pairing.Project, k *pairing.Knowledge, people []pairing.Person, at time.Time) error {
	header := []string{"kind", "project", "repo", "owners", "retired", "person", "level"}
	cw := newCellWriter(w)
	_ = cw.Write(header)
	writeProjects(cw, header, projects, k, people, at)
	return flush(cw)
}

func writePeople(cw cellWriter, header []string, people []pairing.Person) {
	for _, p := range people {
		until := ""
		if p.Status == pairing.Paused {
			until = isoTime(p.PausedUntil)
		}
		_ = cw.Write(row(header, map[string]string{
			"kind": kindPerson, "person": p.ID, "name": p.Name, "tz": p.TZ,
			"hours": p.Hours.String(), "cadence": string(p.Cadence),
			"status": string(p.Status), "paused_until": until,
		}))
	}
}

// writeProjects writes each project and its familiarity rows: one per
// person whose familiarity is above zero, and one for each owner even at
// zero, since importing the owner sets f = 1.
func writeProjects(cw cellWriter, header []string, projects []pairing.Project, k *pairing.Knowledge, people []pairing.Person, at time.Time) {
	for _, proj := range projects {
		retired := ""
		if proj.Retired {
			retired = "true"
		}
		_ = cw.Write(row(header, map[string]string{
			"kind": kindProject, "project": proj.Name, "repo": proj.RepoURL, "owners": strings.Join(proj.Owners, ";"),
			"retired": retired,
		}))
		for _, p := range people {
			f := k.F(p.ID, proj.Name, at)
			if f <= 0 && !proj.IsOwner(p.ID) {
				continue
			}
			_ = cw.Write(row(header, map[string]string{
				"kind": kindFamiliarity, "person": p.ID, "project": proj.Name, "level": formatLevel(f, k.Model().KnowsAt),
			}))
		}
	}
}

// row places values under their columns; columns without a value stay
// empty.
func row(header []string, values map[string]string) []string {
	out := make([]string, len(header))
	for i, col := range header {
		out[i] = values[col]
	}
	return out
}

// formatLevel writes a familiarity with at most four decimals, without
// trailing zeros, unless rounding would move it across knowsAt: then it
// is written in full, so who knows what survives a round trip exactly.
func formatLevel(f, knowsAt float64) string {
	s := strconv.FormatFloat(f, 'f', 4, 64)
	if r, _ := strconv.ParseFloat(s, 64); (r >= knowsAt) != (f >= knowsAt) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
