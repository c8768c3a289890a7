package report

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/pollen-team/pollen/charts"
	"github.com/pollen-team/pollen/internal/transfer"
	"github.com/pollen-team/pollen/pairing"
)

// CSVs renders the export: sessions.csv, familiarity.csv, bus_factor.csv
// (tidy, one header row, ISO dates in UTC, ready for pandas) and
// roster.csv, which pollen import reads back, and outcomes.csv (the share
// of done sessions followed by the learner's first commit within 30 days);
// for data from LoadAll, members.csv too (who is in which rotation).
func CSVs(d Data, now time.Time) ([]File, error) {
	m := pairing.DefaultModel()
	k := pairing.Replay(m, d.Events)
	weeks := charts.Weeks(d.weeks(now)[0], now.UTC())
	files := []csvFile{
		{"sessions.csv", "Sessions", func(w io.Writer) error { return transfer.WriteSessions(w, d.Sessions) }},
		{"familiarity.csv", "Familiarity", func(w io.Writer) error { return transfer.WriteFamiliarity(w, k, d.People, d.Projects, now) }},
		{"bus_factor.csv", "Bus factor per week", func(w io.Writer) error {
			return transfer.WriteBusFactor(w, m, d.Events, d.People, d.Projects, weeks)
		}},
		{"roster.csv", "Roster, in the format pollen import reads", func(w io.Writer) error {
			return transfer.WriteRoster(w, d.People, d.Projects, k, now)
		}},
		{"outcomes.csv", "Sessions followed by the learner's first commit within 30 days", func(w io.Writer) error {
			return transfer.WriteOutcomes(w, d.Events, d.Projects, now)
		}},
	}
	if d.Rotations != nil {
		files = append(files, csvFile{"members.csv", "Members of each rotation", func(w io.Writer) error { return transfer.WriteMembers(w, d.Rotations, d.Members) }})
	}
	var out []File
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.name, err)
		}
		out = append(out, File{Name: f.name, Title: f.title, Data: buf.Bytes()})
	}
	return out, nil
}

// csvFile is one file of the export and how to write it.
type csvFile struct {
	name, title string
	write       func(io.Writer) error
}
