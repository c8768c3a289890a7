package transfer

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
)

// columns lists the CSV columns in the order export writes them.
var columns = []string{"kind", "person", "name", "tz", "hours", "cadence", "status", "paused_until", "project", "repo", "owners", "retired", "level"}

// kindColumns lists the columns each kind of row uses; the others must be
// empty on it.
var kindColumns = map[string][]string{
	kindPerson:      {"person", "name", "tz", "hours", "cadence", "status", "paused_until"},
	kindProject:     {"project", "repo", "owners", "retired"},
	kindFamiliarity: {"person", "project", "level"},
}

// readCSV feeds every row of a CSV import file to c. It returns an error
// only when reading fails; problems with the content go to c.
func readCSV(r io.Reader, c *checker) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	var header []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			c.problem(perr.Line, "%v", perr.Err)
			if header == nil {
				return nil // without a header no row can be read
			}
			continue
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		if header == nil {
			if header = c.csvHeader(rec, line); header == nil {
				return nil
			}
			continue
		}
		if rec, ok := c.csvRecord(cr, header, rec, line); ok {
			c.add(rec)
		}
	}
	if header == nil {
		c.problem(1, "the file is empty: it needs a header row, like %s", strings.Join(columns, ","))
	}
	return nil
}

// csvHeader reads the header row: column names in any order and case, and
// empty names for columns to ignore. It returns nil after reporting any
// problem, since rows cannot be read without a good header.
func (c *checker) csvHeader(rec []string, line int) []string {
	header := make([]string, len(rec))
	bad := false
	for i, name := range rec {
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff") // spreadsheets write a byte order mark
		}
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case name == "":
		case !slices.Contains(columns, name):
			c.problem(line, "column %q is unknown: the columns are %s", truncate(name, 30), strings.Join(columns, ", "))
			bad = true
		case slices.Contains(header[:i], name):
			c.problem(line, "column %q appears twice", name)
			bad = true
		}
		header[i] = name
	}
	if !bad && !slices.Contains(header, "kind") {
		c.problem(line, "the header has no kind column: every row says what it is (person, project or familiarity); the header looks like %s", strings.Join(columns, ","))
		bad = true
	}
	if bad {
		return nil
	}
	return header
}

// csvRecord turns one CSV row into a record, reporting values in columns
// its kind does not use. Blank rows and missing or extra empty cells at the
// end of a row (spreadsheets leave them) are fine.
func (c *checker) csvRecord(cr *csv.Reader, header, rec []string, line int) (record, bool) {
	if !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" }) {
		return record{}, false
	}
	if len(rec) > len(header) {
		if slices.ContainsFunc(rec[len(header):], func(s string) bool { return strings.TrimSpace(s) != "" }) {
			c.problem(line, "%d fields, but the header has %d columns", len(rec), len(header))
			return record{}, false
		}
		rec = rec[:len(header)] // empty cells after the last column, as spreadsheets write them
	}
	// Spreadsheets drop empty cells at the end of a row: they read as empty.
	given := len(rec)
	rec = append(rec, make([]string, len(header)-len(rec))...)
	kind := strings.ToLower(strings.TrimSpace(rec[slices.Index(header, "kind")]))
	use, ok := kindColumns[kind]
	switch {
	case kind == "":
		c.problem(line, "kind is missing: use person, project or familiarity")
		return record{}, false
	case !ok:
		c.problem(line, "kind %q is not a kind of row: use person, project or familiarity", truncate(kind, 20))
		return record{}, false
	}
	r := record{kind: kind, line: line, fields: make(map[string]field)}
	for i, v := range rec {
		name, v := header[i], restore(strings.TrimSpace(v))
		at := line
		if i < given {
			at, _ = cr.FieldPos(i)
		}
		switch {
		case name == "kind":
		case name == "":
			if v != "" {
				c.problem(at, "field %d has no column name in the header: name the column or leave the field empty", i+1)
			}
		case !slices.Contains(use, name):
			if v != "" {
				c.problem(at, "%s is not used on a %s row: leave it empty", name, kind)
			}
		default:
			r.fields[name] = field{label: name, text: v, line: at}
		}
	}
	return r, true
}
