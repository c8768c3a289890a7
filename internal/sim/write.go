package sim

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
)

// Formats Write knows.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatCSV   = "csv"
)

// Write prints r as a table for people, or as JSON or CSV for tools.
func Write(w io.Writer, r Result, format string) error {
	switch format {
	case FormatTable, "":
		return writeTable(w, r)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case FormatCSV:
		return writeCSV(w, r)
	}
	return fmt.Errorf("unknown format %q: use table, json or csv", format)
}

// columns are the table's and the CSV's figures after the policy name.
var columns = []string{
	"rounds to BF>=2", "rounds to BF>=3", "mean BF @12", "mean BF @26", "truck factor @26",
	"sessions/person", "sessions stdev", "repeat rate",
}

func (pr PolicyResult) cells(rounds int, withSpread bool) []string {
	rt := func(s Stat) string {
		if !withSpread {
			return strconv.FormatFloat(s.Median, 'f', -1, 64) // rounds+1 when censored; see the censored columns
		}
		return fmt.Sprintf("%s (%s–%s)", roundsCell(s.Median, rounds), roundsCell(s.Q1, rounds), roundsCell(s.Q3, rounds))
	}
	num := func(s Stat, prec int) string {
		if s.Median < 0 {
			if withSpread {
				return "-"
			}
			return "" // not measured: an empty cell, not text in a numeric column
		}
		return strconv.FormatFloat(s.Median, 'f', prec, 64)
	}
	return []string{
		rt(pr.RoundsToBF2), rt(pr.RoundsToBF3), num(pr.MeanBF12, 2), num(pr.MeanBF26, 2), num(pr.TruckFactor26, 1),
		num(pr.SessionsMean, 1), num(pr.SessionsStdev, 2), num(pr.RepeatRate, 2),
	}
}

// roundsCell prints a rounds figure, ">R" when the run never got there.
func roundsCell(x float64, rounds int) string {
	if x > float64(rounds) {
		return ">" + strconv.Itoa(rounds)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func boundCell(b Bound) string {
	if b.Rounds < 0 {
		return "never"
	}
	return strconv.Itoa(b.Rounds)
}

func writeTable(w io.Writer, r Result) error {
	c := r.Config
	fmt.Fprintf(w, "%d people, %d projects, %d rounds, %d seeds, attendance %.2f; medians over seeds (interquartile range)\n\n",
		c.People, c.Projects, c.Rounds, c.Seeds, c.Attendance)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "policy")
	for _, col := range columns {
		fmt.Fprint(tw, "\t", col)
	}
	fmt.Fprintln(tw)
	for _, pr := range r.Policies {
		fmt.Fprint(tw, pr.Policy)
		for _, cell := range pr.cells(c.Rounds, true) {
			fmt.Fprint(tw, "\t", cell)
		}
		fmt.Fprintln(tw)
	}
	if len(r.Bounds) == 2 {
		fmt.Fprintf(tw, "lower bound\t%s\t%s\n", boundCell(r.Bounds[0]), boundCell(r.Bounds[1]))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, b := range r.Bounds {
		fmt.Fprintf(w, "\nbound for %d knowers (median seed): %s", b.K, b.Terms())
	}
	if len(r.Bounds) == 2 {
		fmt.Fprintf(w, "\nratio to the bound (median rounds to 3 knowers / median bound):")
		for _, pr := range r.Policies {
			fmt.Fprintf(w, " %s %s", pr.Policy, ratioCell(pr.RoundsToKnowers3, r.Bounds[1], c.Rounds))
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}

// Terms spells the bound out: each term and what it counts.
func (b Bound) Terms() string {
	if b.Rounds < 0 {
		return "never (a project nobody knows, or no room within 20000 rounds)"
	}
	return fmt.Sprintf("max(capacity %d, latency %d, sole knower %d) = %d; capacity: %d new knowers need %d learner sessions "+
		"(%d make a newcomer a knower in this model), at most %d a round with everyone there (pairs and trios, one host each), "+
		"this seed's missed sessions taken out; sole knower: %d sessions only they can host, one a round",
		b.CapacityRounds, b.LatencyRounds, b.HostRounds, b.Rounds, b.NewKnowers, b.Sessions, b.SessionsToKnow, b.PerRound, b.HostSessions)
}

// ratioCell is a policy's median rounds over the median bound, ">x" when
// the median run never got there.
func ratioCell(s Stat, b Bound, rounds int) string {
	if b.Rounds <= 0 {
		return "-"
	}
	x := s.Median / float64(b.Rounds)
	if s.Median > float64(rounds) {
		return fmt.Sprintf(">%.2fx", float64(rounds)/float64(b.Rounds))
	}
	return fmt.Sprintf("%.2fx", x)
}

func writeCSV(w io.Writer, r Result) error {
	cw := csv.NewWriter(w)
	header := []string{"policy", "rounds_to_bf2", "rounds_to_bf3", "mean_bf_12", "mean_bf_26", "truck_factor_26",
		"sessions_mean", "sessions_stdev", "repeat_rate", "censored_bf2", "censored_bf3"}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, pr := range r.Policies {
		row := append([]string{pr.Policy}, pr.cells(r.Config.Rounds, false)...)
		row = append(row, strconv.Itoa(pr.RoundsToBF2.Censored), strconv.Itoa(pr.RoundsToBF3.Censored))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	if len(r.Bounds) == 2 {
		cell := func(b Bound) string {
			if b.Rounds < 0 {
				return "" // never: an empty cell keeps the column numeric
			}
			return strconv.Itoa(b.Rounds)
		}
		if err := cw.Write([]string{"lower bound", cell(r.Bounds[0]), cell(r.Bounds[1]), "", "", "", "", "", "", "", ""}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
