package transfer

import (
	"fmt"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Batch is what one import file asks for, checked row by row. Rows keep
// their line in the file so later checks (Validate) can point at them.
type Batch struct {
	People      []PersonRow
	Projects    []ProjectRow
	Familiarity []FamiliarityRow
}

// PersonRow puts a person on the roster or updates them. A zero field was
// not given: it keeps what the database has, or gets the default for a
// person new to it (no name, UTC, 09:00-17:00, weekly, active).
type PersonRow struct {
	Line    int
	ID      string // Slack user ID
	Name    string
	TZ      string // IANA zone name
	Hours   pairing.WorkingHours
	Cadence pairing.Cadence
	// Status is active, paused or left; PausedUntil is set exactly when it
	// is paused.
	Status      pairing.Status
	PausedUntil time.Time
}

// ProjectRow creates a project or updates one. An empty Repo or Owners
// keeps what the database has; Retired is false unless the row says so,
// so a row for a retired project brings it back unless it says retired.
type ProjectRow struct {
	Line    int
	Name    string // normalised with pairing.ProjectName
	Repo    string
	Owners  []string // Slack user IDs, without duplicates
	Retired bool
}

// FamiliarityRow declares how well a person knows a project: a level word
// (Declared) or, when Declared is empty, a number in [0, 1] (Value).
type FamiliarityRow struct {
	Line     int
	Person   string
	Project  string
	Declared pairing.Declared
	Value    float64
}

// Level is the familiarity the row stands for under the model.
func (r FamiliarityRow) Level(m pairing.Model) float64 {
	if r.Declared != "" {
		return m.Level(r.Declared)
	}
	return r.Value
}

// Known is what the database already holds, for the checks and the merge
// that depend on it: a familiarity row may name a person or a project that
// is not in the file but is already known, and a row for a known person or
// project updates it instead of replacing it.
type Known struct {
	People   map[string]pairing.Person  // by Slack user ID
	Projects map[string]pairing.Project // by name
}

// NewKnown indexes the people and projects loaded from the database.
func NewKnown(people []pairing.Person, projects []pairing.Project) Known {
	k := Known{People: make(map[string]pairing.Person, len(people)), Projects: make(map[string]pairing.Project, len(projects))}
	for _, p := range people {
		k.People[p.ID] = p
	}
	for _, p := range projects {
		k.Projects[p.Name] = p
	}
	return k
}

// Problem is one thing wrong with an import file, at a line (1-based; 0
// when the problem is with the file as a whole).
type Problem struct {
	Line    int
	Message string
}

func (p Problem) String() string {
	if p.Line <= 0 {
		return p.Message
	}
	return fmt.Sprintf("line %d: %s", p.Line, p.Message)
}

// maxListed is how many problems an error message lists before it stops:
// a file of the wrong kind can have a problem on every line.
const maxListed = 100

// ValidationError lists every problem found in an import file, in line
// order, so the person who wrote it can fix them all in one pass.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems one per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i == maxListed {
			fmt.Fprintf(&b, "\n… and %d more problems", len(e.Problems)-maxListed)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Is makes errors.Is(err, pairing.ErrInvalid) hold: a bad file is input
// that can never be right as it is.
func (e *ValidationError) Is(target error) bool { return target == pairing.ErrInvalid }
