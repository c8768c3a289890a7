package transfer

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Row kinds, the values of the CSV kind column.
const (
	kindPerson      = "person"
	kindProject     = "project"
	kindFamiliarity = "familiarity"
)

// record is one row of either format before it is checked: its kind and
// its fields by canonical name (the CSV column names).
type record struct {
	kind   string
	line   int
	fields map[string]field
}

// field is one value of a record and where it came from.
type field struct {
	label  string // the column or key as the file spells it, for messages
	text   string
	list   []string // a YAML sequence (owners), when isList
	isList bool
	line   int
}

// get returns the named field, or an empty one labelled with its name on
// the record's line when the file does not have it.
func (r record) get(name string) field {
	f, ok := r.fields[name]
	if !ok {
		return field{label: name, line: r.line}
	}
	f.text = strings.TrimSpace(f.text)
	return f
}

// slackIDRE matches Slack user IDs, as the bot's mention parser does.
var slackIDRE = regexp.MustCompile(`^[UW][A-Z0-9]{1,20}$`)

// checker turns records into rows, collecting every problem instead of
// stopping at the first. A row whose key (person ID, project name) is good
// joins the batch even if another of its fields is bad, so the reference
// checks do not report a missing row that is merely misspelt elsewhere;
// the batch is only handed out when there are no problems at all.
type checker struct {
	b        Batch
	problems []Problem
	zones    map[string]bool   // time zone name → loads
	people   map[string]int    // person ID → line of its row
	projects map[string]int    // project name → line of its row
	levels   map[[2]string]int // person, project → line of its row
}

func newChecker() *checker {
	return &checker{
		zones:    make(map[string]bool),
		people:   make(map[string]int),
		projects: make(map[string]int),
		levels:   make(map[[2]string]int),
	}
}

func (c *checker) problem(line int, format string, args ...any) {
	c.problems = append(c.problems, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
}

// invalid reports a value that a pairing validator refused, under the
// column or key it came from: `hours "9-5" is not a time range: …`.
func (c *checker) invalid(f field, err error) {
	msg := pairing.ErrorMessage(err)
	if strings.HasPrefix(msg, `"`) {
		c.problem(f.line, "%s %s", f.label, msg)
		return
	}
	c.problem(f.line, "%s: %s", f.label, msg)
}

func (c *checker) add(r record) {
	switch r.kind {
	case kindPerson:
		c.person(r)
	case kindProject:
		c.project(r)
	case kindFamiliarity:
		c.familiarity(r)
	}
}

func (c *checker) person(r record) {
	id, ok := c.slackID(r.get("person"))
	row := PersonRow{Line: r.line, ID: id, Name: r.get("name").text}
	if tz := r.get("tz"); tz.text != "" && c.zone(tz) {
		row.TZ = tz.text
	}
	if h := r.get("hours"); h.text != "" {
		hours, err := pairing.ParseWorkingHours(h.text)
		if err != nil {
			c.invalid(h, err)
		} else {
			row.Hours = hours
		}
	}
	if cd := r.get("cadence"); cd.text != "" {
		cadence, err := pairing.ParseCadence(cd.text)
		if err != nil {
			c.invalid(cd, err)
		} else {
			row.Cadence = cadence
		}
	}
	row.Status, row.PausedUntil = c.status(r.get("status"), r.get("paused_until"))
	if !ok {
		return
	}
	if first, dup := c.people[id]; dup {
		c.problem(r.line, "person %s already has a row, on line %d", id, first)
		return
	}
	c.people[id] = r.line
	c.b.People = append(c.b.People, row)
}

func (c *checker) project(r record) {
	name, ok := c.projectName(r.get("project"))
	row := ProjectRow{Line: r.line, Name: name}
	if repo := r.get("repo"); repo.text != "" {
		url, err := pairing.RepoURL(repo.text)
		if err != nil {
			c.invalid(repo, err)
		} else {
			row.Repo = url
		}
	}
	row.Owners = c.owners(r.get("owners"))
	if rt := r.get("retired"); rt.text != "" {
		switch strings.ToLower(rt.text) {
		case "true", "yes":
			row.Retired = true
		case "false", "no":
		default:
			c.problem(rt.line, "%s %q is not true or false", rt.label, truncate(rt.text, 20))
		}
	}
	if !ok {
		return
	}
	if first, dup := c.projects[name]; dup {
		c.problem(r.line, "project %s already has a row, on line %d", name, first)
		return
	}
	c.projects[name] = r.line
	c.b.Projects = append(c.b.Projects, row)
}

func (c *checker) familiarity(r record) {
	person, okPerson := c.slackID(r.get("person"))
	project, okProject := c.projectName(r.get("project"))
	row := FamiliarityRow{Line: r.line, Person: person, Project: project}
	lv := r.get("level")
	switch d, v, err := parseLevel(lv.text); {
	case lv.text == "":
		c.problem(lv.line, "%s is missing: use expert, some, none or a number from 0 to 1", lv.label)
	case err != nil:
		c.problem(lv.line, "%s %s", lv.label, err)
	default:
		row.Declared, row.Value = d, v
	}
	if !okPerson || !okProject {
		return
	}
	key := [2]string{person, project}
	if first, dup := c.levels[key]; dup {
		c.problem(r.line, "%s's familiarity with %s already has a row, on line %d", person, project, first)
		return
	}
	c.levels[key] = r.line
	c.b.Familiarity = append(c.b.Familiarity, row)
}

// status reads a person's status and the date a paused person comes back.
// Both are optional: an empty status keeps what the database has (active
// for someone new), and a paused_until alone means paused. paused_until is
// a date (00:00 UTC that day) or an RFC 3339 time, and goes only with
// paused.
func (c *checker) status(st, until field) (pairing.Status, time.Time) {
	status := pairing.Status(strings.ToLower(st.text))
	switch status {
	case "", pairing.Active, pairing.Paused, pairing.Left:
	default:
		c.problem(st.line, "%s %q is not a status: use active, paused or left", st.label, truncate(st.text, 20))
		return "", time.Time{}
	}
	if until.text == "" {
		if status == pairing.Paused {
			c.problem(st.line, "a paused person needs %s: the date they come back, like 2027-01-04", until.label)
		}
		return status, time.Time{}
	}
	at, err := time.Parse(time.RFC3339, until.text)
	if err != nil {
		if at, err = time.Parse(dateFormat, until.text); err != nil {
			c.problem(until.line, "%s %q is not a date: use YYYY-MM-DD or an RFC 3339 time", until.label, truncate(until.text, 30))
			return status, time.Time{}
		}
	}
	if status != "" && status != pairing.Paused {
		c.problem(until.line, "%s is only for a paused person, not one who is %s: leave it empty", until.label, status)
		return status, time.Time{}
	}
	return pairing.Paused, at
}

// parseLevel reads a level word, in any case, or a number in [0, 1].
func parseLevel(s string) (pairing.Declared, float64, error) {
	if d, err := pairing.ParseDeclared(strings.ToLower(s)); err == nil {
		return d, 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		return "", 0, fmt.Errorf("%q is not a level: use expert, some, none or a number from 0 to 1", truncate(s, 20))
	case math.IsNaN(v) || v < 0 || v > 1:
		return "", 0, fmt.Errorf("%q is not a familiarity: numbers go from 0 to 1", truncate(s, 20))
	}
	return "", v, nil
}

func (c *checker) slackID(f field) (string, bool) {
	switch {
	case f.text == "":
		c.problem(f.line, "%s is missing: give a Slack user ID, like U024BE7LH", f.label)
	case !slackIDRE.MatchString(f.text):
		c.problem(f.line, "%s %q is not a Slack user ID: use the ID, like U024BE7LH, not a name", f.label, truncate(f.text, 30))
	default:
		return f.text, true
	}
	return "", false
}

func (c *checker) projectName(f field) (string, bool) {
	if f.text == "" {
		c.problem(f.line, "%s is missing: give the project's name", f.label)
		return "", false
	}
	name, err := pairing.ProjectName(f.text)
	if err != nil {
		c.invalid(f, err)
		return "", false
	}
	return name, true
}

// zone reports whether the time zone loads, checking each name once.
// "Local" is refused: it means whatever machine reads it.
func (c *checker) zone(f field) bool {
	ok, seen := c.zones[f.text]
	if !seen {
		_, err := time.LoadLocation(f.text)
		ok = err == nil && f.text != "Local"
		c.zones[f.text] = ok
	}
	if !ok {
		c.problem(f.line, "%s %q is not a time zone: use an IANA name like Europe/Berlin", f.label, truncate(f.text, 40))
	}
	return ok
}

// owners reads Slack user IDs separated by ';', ',' or spaces (or a YAML
// sequence), dropping repeats.
func (c *checker) owners(f field) []string {
	items := f.list
	if !f.isList {
		items = strings.FieldsFunc(f.text, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\t' || r == '\n' })
	}
	var ids []string
	for _, s := range items {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(ids, s) {
			continue
		}
		if !slackIDRE.MatchString(s) {
			c.problem(f.line, "%s %q is not a Slack user ID: use IDs like U024BE7LH, separated by ';'", f.label, truncate(s, 30))
			continue
		}
		ids = append(ids, s)
	}
	return ids
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
