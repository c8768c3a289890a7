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
			return roundsCell(s.Median, rounds)
		}
		return fmt.Sprintf("%s (%s–%s)", roundsCell(s.Median, rounds), roundsCell(s.Q1, rounds), roundsCell(s.Q3, rounds))
	}
	num := func(s Stat, prec int) string {
		if s.Median < 0 {
			return "-"
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
		if b.Rounds < 0 {
			fmt.Fprintf(w, "\nbound for BF>=%d: never (a project nobody knows, or too few people)\n", b.K)
			continue
		}
		fmt.Fprintf(w, "\nbound for BF>=%d: max(capacity ⌈%d sessions / (%d per round × %.2f)⌉ = %d, latency %d) = %d",
			b.K, b.Sessions, b.PerRound, b.Attendance, b.CapacityRounds, b.LatencyRounds, b.Rounds)
	}
	if n := len(r.Bounds); n > 0 && r.Bounds[n-1].Rounds >= 0 {
		b := r.Bounds[n-1]
		fmt.Fprintf(w, "\nthe bound is for pairs; pollen also forms trios (one host, two learners), for which capacity alone gives ⌈%d / (%d × %.2f)⌉ = %d for BF>=%d",
			b.Sessions, b.TrioPerRound, b.Attendance, b.TrioCapacityRounds, b.K)
	}
	_, err := fmt.Fprintln(w)
	return err
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
		if err := cw.Write([]string{"lower bound", boundCell(r.Bounds[0]), boundCell(r.Bounds[1]), "", "", "", "", "", "", "", ""}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
