package sim

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Shape is one team shape of the suite: a name and its configuration.
type Shape struct {
	Name   string
	Config Config
}

// Shapes are the team shapes `pollen sim -suite` compares pollen and
// greedy on, each against its bound for bus factor 3. Unless a shape says
// otherwise it is 24 people and 12 projects with one owner each and
// attendance 0.8.
func Shapes() []Shape {
	base := func(edit func(c *Config)) Config {
		c := Config{People: 24, Projects: 12, Attendance: 0.8, Ownership: OwnershipSingle, Target: 3}
		edit(&c)
		return c
	}
	return []Shape{
		{"single owners, attendance 1.0", base(func(c *Config) { c.Attendance = 1 })},
		{"single owners, attendance 0.8", base(func(*Config) {})},
		{"single owners, attendance 0.6", base(func(c *Config) { c.Attendance = 0.6 })},
		{"Zipf-skewed ownership", base(func(c *Config) { c.Ownership = OwnershipSkewed })},
		{"3 people own 12 projects", base(func(c *Config) { c.People, c.Owners = 12, 3 })},
		{"8 people, 20 projects", base(func(c *Config) { c.People, c.Projects = 8, 20 })},
		{"three continents (New York, Berlin, Kolkata)", base(func(c *Config) {
			c.Zones = []string{"America/New_York", "Europe/Berlin", "Asia/Kolkata"}
		})},
		{"churn (2% leave, 2% join a round)", base(func(c *Config) { c.LeaveRate, c.JoinRate = 0.02, 0.02 })},
	}
}

// SuiteRow is one shape's result.
type SuiteRow struct {
	Shape  string `json:"shape"`
	Result Result `json:"result"`
}

// Suite targets, on the median over seeds.
const (
	TargetBoundRatio  = 1.15 // pollen within 1.15 × the bound
	TargetGreedyRatio = 1.0 / 3
)

// RunSuite runs pollen and greedy on every shape with the given seeds and
// rounds (0: the defaults).
func RunSuite(seeds, rounds int) ([]SuiteRow, error) {
	var rows []SuiteRow
	for _, sh := range Shapes() {
		c := sh.Config
		c.Seeds, c.Rounds, c.Policies = seeds, rounds, []string{PolicyPollen, PolicyGreedy}
		res, err := Run(c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sh.Name, err)
		}
		rows = append(rows, SuiteRow{Shape: sh.Name, Result: res})
	}
	return rows, nil
}

// WriteSuite prints the suite's table: per shape the bound for bus factor
// 3 (the median seed's, and the term that sets it), pollen's and greedy's
// median rounds, and the ratios the targets are about.
func WriteSuite(w io.Writer, rows []SuiteRow) error {
	if len(rows) == 0 {
		return fmt.Errorf("no shapes")
	}
	c := rows[0].Result.Config
	fmt.Fprintf(w, "rounds until every project has 3 knowers (what the bound counts; the bus factor is never lower): median of %d seeds, %d rounds at most (>%d: not within the run)\n\n",
		c.Seeds, c.Rounds, c.Rounds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "shape\tpeople\tprojects\tattendance\tbound\tset by\tpollen\tgreedy\tpollen/bound\tpollen/greedy")
	boundOK, greedyOK := 0, 0
	for _, row := range rows {
		r := row.Result
		b := r.Bounds[1]
		pollen, greedy := policyStat(r, PolicyPollen), policyStat(r, PolicyGreedy)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\n", row.Shape, r.Config.People, r.Config.Projects,
			r.Config.Attendance, boundCell(b), b.setBy(), roundsCell(pollen.Median, r.Config.Rounds),
			roundsCell(greedy.Median, r.Config.Rounds), ratioCell(pollen, b, r.Config.Rounds), greedyRatio(pollen, greedy))
		if b.Rounds > 0 && pollen.Median <= TargetBoundRatio*float64(b.Rounds) {
			boundOK++
		}
		if pollen.Median <= TargetGreedyRatio*greedy.Median {
			greedyOK++
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\ntargets: pollen within %.2fx the bound on %d of %d shapes; at most a third of greedy's rounds on %d of %d\n",
		TargetBoundRatio, boundOK, len(rows), greedyOK, len(rows))
	return err
}

// setBy names the bound's largest term.
func (b Bound) setBy() string {
	switch {
	case b.Rounds < 0:
		return "-"
	case b.Rounds == b.HostRounds && b.HostRounds > b.CapacityRounds:
		return "sole knower"
	case b.Rounds == b.LatencyRounds && b.LatencyRounds > b.CapacityRounds:
		return "latency"
	}
	return "capacity"
}

func policyStat(r Result, policy string) Stat {
	for _, pr := range r.Policies {
		if pr.Policy == policy {
			return pr.RoundsToKnowers3 // the bound's measure
		}
	}
	return Stat{Median: -1}
}

func greedyRatio(pollen, greedy Stat) string {
	if greedy.Median <= 0 || pollen.Median < 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", pollen.Median/greedy.Median)
}
