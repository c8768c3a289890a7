package transfer

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pollen-team/pollen/pairing"
)

// Parse reads an import file, CSV or YAML by the extension of name, and
// checks every row on its own and against the other rows of the file (no
// duplicates). Problems come back together in one *ValidationError, with
// an empty Batch. It does not check references to people and projects
// that are not in the file, since they may be in the database: Validate
// does, and Read does both in one pass.
func Parse(name string, r io.Reader) (Batch, error) {
	c, err := parse(name, r)
	if err != nil {
		return Batch{}, err
	}
	if len(c.problems) > 0 {
		return Batch{}, invalid(c.problems)
	}
	return c.b, nil
}

// Read parses an import file and validates it against what the database
// already holds, reporting every problem, in rows and in references, in
// one *ValidationError. It is what `pollen import` calls: Parse followed by
// Validate, except that a file with bad rows still has its references
// checked, so one run lists everything to fix.
func Read(name string, r io.Reader, known Known) (Batch, error) {
	c, err := parse(name, r)
	if err != nil {
		return Batch{}, err
	}
	if ps := append(c.problems, references(c.b, known)...); len(ps) > 0 {
		return Batch{}, invalid(ps)
	}
	return c.b, nil
}

// Validate checks what Parse cannot: that every familiarity row names a
// person and a project that are in the file or in the database (known),
// and that a project named only in the database is not retired. Owners
// need only be Slack user IDs, as with /pair project add: an owner does
// not have to be on the roster.
func Validate(b Batch, known Known) error {
	if ps := references(b, known); len(ps) > 0 {
		return invalid(ps)
	}
	return nil
}

// parse reads the file into a checker: the rows with a good key, and every
// problem. The error is for files that cannot be read at all.
func parse(name string, r io.Reader) (*checker, error) {
	c := newChecker()
	var err error
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		err = readCSV(r, c)
	case ".yaml", ".yml":
		err = readYAML(r, c)
	default:
		return nil, pairing.Errorf(pairing.CodeInvalid, "%s: cannot tell the format from the name: use a .csv, .yaml or .yml file", name)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return c, nil
}

func references(b Batch, known Known) []Problem {
	people := make(map[string]bool, len(b.People))
	for _, p := range b.People {
		people[p.ID] = true
	}
	projects := make(map[string]bool, len(b.Projects))
	for _, p := range b.Projects {
		projects[p.Name] = true
	}
	var ps []Problem
	for _, r := range b.Familiarity {
		if _, ok := known.People[r.Person]; !ok && !people[r.Person] {
			ps = append(ps, Problem{r.Line, fmt.Sprintf("%s is not on the roster: add a person row for them", r.Person)})
		}
		if projects[r.Project] {
			continue
		}
		switch p, ok := known.Projects[r.Project]; {
		case !ok:
			ps = append(ps, Problem{r.Line, fmt.Sprintf("there is no project %s: add a project row for it", r.Project)})
		case p.Retired:
			ps = append(ps, Problem{r.Line, fmt.Sprintf("project %s is retired: add a project row to bring it back", r.Project)})
		}
	}
	return ps
}

// invalid sorts problems by line, keeping the order of those on one line.
func invalid(ps []Problem) *ValidationError {
	ps = slices.Clone(ps)
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Line - b.Line })
	return &ValidationError{Problems: ps}
}
