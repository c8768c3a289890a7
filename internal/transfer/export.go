package transfer

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Dates and times in exports: ISO 8601, in UTC.
const (
	dateFormat = "2006-01-02"
	timeFormat = time.RFC3339
)

// WriteSessions writes sessions.csv: one row per session, in the order
// given. learners are joined with ';'; slot, created_at and done_at are
// UTC times (empty when unset), rating is empty until a learner rates;
// rotation, the last column, is the ID of the rotation that planned or
// holds the session (pairing.DefaultRotation for the first).
func WriteSessions(w io.Writer, sessions []pairing.Session) error {
	cw := newCellWriter(w)
	_ = cw.Write([]string{"id", "round", "kind", "project", "host", "learners", "state", "slot", "created_at", "done_at", "rating", "note", "rotation"})
	for _, s := range sessions {
		rating := ""
		if s.Rating > 0 {
			rating = strconv.Itoa(s.Rating)
		}
		_ = cw.Write([]string{
			s.ID, s.Round, string(s.Kind), s.Project, s.Host, strings.Join(s.Learners, ";"), string(s.State),
			isoTime(s.Slot), isoTime(s.CreatedAt), isoTime(s.DoneAt), rating, s.Note, cmp.Or(s.Rotation, pairing.DefaultRotation),
		})
	}
	return flush(cw)
}

// WriteFamiliarity writes familiarity.csv: every person on the team (not
// those who left) with every active project, in the order given, with
// their familiarity f at at (four decimals) and whether they know it
// (true or false, f at least the model's KnowsAt). Zeros are written too,
// so the table pivots into a full person × project grid.
func WriteFamiliarity(w io.Writer, k *pairing.Knowledge, people []pairing.Person, projects []pairing.Project, at time.Time) error {
	cw := newCellWriter(w)
	_ = cw.Write([]string{"person", "project", "f", "knows"})
	for _, p := range people {
		if !pairing.OnTeam(p) {
			continue
		}
		for _, proj := range projects {
			if proj.Retired {
				continue
			}
			f := k.F(p.ID, proj.Name, at)
			_ = cw.Write([]string{p.ID, proj.Name, strconv.FormatFloat(f, 'f', 4, 64), strconv.FormatBool(k.Knows(p.ID, proj.Name, at))})
		}
	}
	return flush(cw)
}

// WriteBusFactor writes bus_factor.csv: each active project's bus factor at
// the end of each week, week by week and, within a week, in the order of
// projects. week is the ISO date of the week's Monday: each of weeks may
// be any instant of its week, and the week runs from 00:00 on that Monday,
// in the instant's location (pass UTC times for UTC weeks), for seven
// days. The bus factor counts the events before the week's end and is
// measured at that instant.
//
// A project has rows from the week its history starts (see
// pairing.Project.Start): no weeks of zeros before it existed.
//
// Events are sorted once and applied incrementally, one replay in all.
// A rating given after its session scales the session's gain in every
// week, as pairing.Replay does: the history shows what the log says now.
// Person records say who has left but not when, so people who have left
// count in no week.
func WriteBusFactor(w io.Writer, m pairing.Model, events []pairing.Event, people []pairing.Person, projects []pairing.Project, weeks []time.Time) error {
	mondays := make([]time.Time, len(weeks))
	for i, t := range weeks {
		mondays[i] = mondayOf(t)
	}
	slices.SortFunc(mondays, time.Time.Compare)
	mondays = slices.CompactFunc(mondays, time.Time.Equal)

	sorted := pairing.ReplayOrder(events)
	starts := pairing.Starts(projects, events)
	cw := newCellWriter(w)
	_ = cw.Write([]string{"project", "week", "bus_factor"})
	k := pairing.NewKnowledge(m)
	next := 0
	for _, monday := range mondays {
		end := monday.AddDate(0, 0, 7)
		for ; next < len(sorted) && sorted[next].At.Before(end); next++ {
			k.Apply(sorted[next])
		}
		for _, p := range projects {
			if !p.Retired && starts[p.Name].Before(end) {
				_ = cw.Write([]string{p.Name, monday.Format(dateFormat), strconv.Itoa(k.BusFactor(p.Name, people, end))})
			}
		}
	}
	return flush(cw)
}

// mondayOf is 00:00 on the Monday of t's week, in t's location.
func mondayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(y, m, d-back, 0, 0, 0, 0, t.Location())
}

func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

// flush ends a CSV file; it reports the first error of any write, since
// csv.Writer keeps it.
func flush(cw cellWriter) error {
	cw.Flush()
	return cw.Error()
}
