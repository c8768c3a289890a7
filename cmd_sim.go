package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pollen-team/pollen/charts"
	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/sim"
	"github.com/pollen-team/pollen/store/engine"
)

// cmdSim simulates a team under several pairing policies and prints the
// knowledge-spread table. It needs no Slack.
func cmdSim(ctx context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	c := sim.DefaultConfig()
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.IntVar(&c.People, "people", c.People, "team size")
	fs.IntVar(&c.Projects, "projects", c.Projects, "number of projects, each known by one owner at the start")
	fs.IntVar(&c.Rounds, "rounds", c.Rounds, "weekly rounds per run")
	fs.IntVar(&c.Seeds, "seeds", c.Seeds, "runs per policy (the same seeds for every policy)")
	fs.Float64Var(&c.Attendance, "attendance", c.Attendance, "probability that a proposed session happens")
	fs.IntVar(&c.Target, "target", c.Target, "bus factor the team aims for")
	fs.StringVar(&c.Ownership, "ownership", c.Ownership, "single (one owner per project, spread) or skewed (a few people own most)")
	fs.Float64Var(&c.Experienced, "experienced", c.Experienced, "share of people who already know 2-3 other projects")
	fs.Float64Var(&c.LeaveRate, "leave-rate", c.LeaveRate, "chance per person per round of leaving")
	fs.Float64Var(&c.JoinRate, "join-rate", c.JoinRate, "newcomers per round, as a share of the team")
	fs.Int64Var(&c.FirstSeed, "seed", c.FirstSeed, "first seed")
	fs.BoolVar(&c.NoFade, "no-fade", c.NoFade, "switch familiarity fading off (to see what fading costs)")
	zones := fs.String("zones", "", "spread the synthetic team over these IANA time zones, comma-separated (e.g. America/New_York,Europe/Berlin,Asia/Kolkata); default everyone in UTC")
	policy := fs.String("policy", "all", "policies to compare: all, or a comma list of "+strings.Join(sim.Policies, ", "))
	format := fs.String("format", "table", "output: table, json or csv")
	out := fs.String("out", "", "also write a chart (sim.png) of the worst project's bus factor per round per policy into this `folder`")
	suite := fs.Bool("suite", false, "run the suite of team shapes (pollen and greedy against the bound, -seeds and -rounds apply) and print one table")
	fs.IntVar(&c.Owners, "owners", c.Owners, "how many people own the projects (0: spread over everyone)")
	fromDB := fs.Bool("from-db", false, "simulate the team in the database (-db or POLLEN_DB) from its current state")
	cfg.DBFlag(fs)
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	// Naming a database on the command line means "simulate this team";
	// -from-db does the same for the one in POLLEN_DB.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	*fromDB = *fromDB || set["db"]
	for _, z := range strings.Split(*zones, ",") {
		if z = strings.TrimSpace(z); z != "" {
			c.Zones = append(c.Zones, z)
		}
	}
	if fs.NArg() > 0 {
		return usageErr("sim takes flags only, got %q", fs.Arg(0))
	}
	if c.Policies, err = sim.ParsePolicies(*policy); err != nil {
		return usageErr("%v", err)
	}
	if *format != "table" && *format != "json" && *format != "csv" {
		return usageErr("-format %q: use table, json or csv", *format)
	}
	if *suite {
		return runSuite(env, c, *format, set)
	}
	if *fromDB {
		if c.Roster, err = rosterFromDB(ctx, cfg.DB); err != nil {
			return err
		}
		if !set["target"] && c.Roster.Settings.TargetBusFactor > 0 {
			c.Target = c.Roster.Settings.TargetBusFactor // the team's own target
		}
	}
	res, err := sim.Run(c)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := sim.Write(env.stdout, res, *format); err != nil {
		return err
	}
	if *format == "table" {
		fmt.Fprintln(env.stdout)
	}
	if *out != "" {
		return writeSimChart(env, res, *out)
	}
	return nil
}

func rosterFromDB(ctx context.Context, path string) (*sim.Roster, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database at %s", path)
	}
	db, err := engine.Open(path, engine.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	team, err := db.LoadTeam(ctx)
	if cerr := db.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return &sim.Roster{People: team.People, Projects: team.Projects, Events: team.Events, Settings: &team.Settings}, nil
}

func writeSimChart(env environment, res sim.Result, dir string) error {
	curves := charts.SimCurves{Rounds: res.Config.Rounds, Seeds: res.Config.Seeds, Target: res.Config.Target}
	for _, b := range res.Bounds {
		if b.K == res.Config.Target {
			curves.LowerBound = b.Rounds
		}
	}
	for _, pr := range res.Policies {
		curves.Policies = append(curves.Policies, pr.Policy)
		median, q1, q3 := pr.WorstCurves()
		curves.Worst, curves.Low, curves.High = append(curves.Worst, median), append(curves.Low, q1), append(curves.High, q3)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, "sim.png")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := curves.PNG(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "wrote %s\n", path)
	return nil
}

// runSuite runs `pollen sim -suite`: every team shape of sim.Shapes with
// the seeds and rounds given, as one table (or JSON).
func runSuite(env environment, c sim.Config, format string, set map[string]bool) error {
	for _, name := range []string{"db", "from-db", "people", "projects", "attendance", "policy", "ownership", "owners", "zones", "out"} {
		if set[name] {
			return usageErr("-suite sets its own teams: -%s does not apply (use -seeds and -rounds)", name)
		}
	}
	rows, err := sim.RunSuite(c.Seeds, c.Rounds)
	if err != nil {
		return usageErr("%v", err)
	}
	switch format {
	case "json":
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		return usageErr("-suite prints a table or json, not csv")
	}
	return sim.WriteSuite(env.stdout, rows)
}
