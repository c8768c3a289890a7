package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Policy names, in the order the table lists them.
const (
	PolicyRandom     = "random"
	PolicyRotation   = "rotation"
	PolicyRoundRobin = "round-robin"
	PolicyGreedy     = "greedy"
	PolicyPollen     = "pollen"
)

// Policies lists every policy the simulator knows.
var Policies = []string{PolicyRandom, PolicyRotation, PolicyRoundRobin, PolicyGreedy, PolicyPollen}

// Ownership of the synthetic team's projects.
const (
	OwnershipSingle = "single" // each project has one owner, spread over the team
	OwnershipSkewed = "skewed" // one owner per project, a few people own most (Zipf, s = 1)
)

// Config describes one simulation. Zero fields take the defaults of
// DefaultConfig, so Config{} is the default run.
type Config struct {
	People     int      // team size (flag -people, default 24)
	Projects   int      // number of projects (-projects, default 12)
	Rounds     int      // weekly rounds per run (-rounds, default 52)
	Seeds      int      // paired runs per policy (-seeds, default 20)
	Attendance float64  // probability that a proposed session happens (-attendance, default 0.8)
	Policies   []string // policies to compare (-policy, comma-separated; default all four)
	Target     int      // bus factor the planner aims for and the bound is computed for (default 3)

	Ownership   string  // OwnershipSingle (default) or OwnershipSkewed
	Owners      int     // how many people own projects (-owners; default 0: everyone may)
	Experienced float64 // share of people who already know 2–3 other projects (default 0)
	LeaveRate   float64 // chance per person per round of leaving the team (default 0)
	JoinRate    float64 // expected newcomers per round, as a share of the starting team (default 0)
	NoFade      bool    // switch familiarity fading off
	FirstSeed   int64   // seeds are FirstSeed, FirstSeed+1, … (default 1)
	// Zones spreads the synthetic team over IANA time zones, person i in
	// Zones[i mod len], everyone with the default working hours 09:00–17:00
	// in their own zone (default: everyone in UTC).
	Zones []string

	// Roster, when set, replaces the synthetic team: the run starts from a
	// real team's state (e.g. loaded from a Pollen database), Ownership and
	// Experienced are ignored, and People and Projects become the roster's
	// counts of people who have not left and projects not retired.
	Roster *Roster
}

// Roster is a real team's state to start a simulation from.
type Roster struct {
	People   []pairing.Person
	Projects []pairing.Project
	Events   []pairing.Event // the knowledge log up to At
	At       time.Time       // first round's week start; zero means the Monday after the last event
	// Settings are the team's settings (repeat window, session length,
	// time zone and holidays); nil means the defaults.
	Settings *pairing.TeamSettings
}

// DefaultConfig returns the defaults of `pollen sim`.
func DefaultConfig() Config {
	return Config{
		People: 24, Projects: 12, Rounds: 52, Seeds: 20, Attendance: 0.8,
		Policies: slices.Clone(Policies), Target: 3, Ownership: OwnershipSingle, FirstSeed: 1,
	}
}

// withDefaults fills zero fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	if c.People == 0 {
		c.People = d.People
	}
	if c.Projects == 0 {
		c.Projects = d.Projects
	}
	if c.Rounds == 0 {
		c.Rounds = d.Rounds
	}
	if c.Seeds == 0 {
		c.Seeds = d.Seeds
	}
	if c.Attendance == 0 {
		c.Attendance = d.Attendance
	}
	if len(c.Policies) == 0 {
		c.Policies = d.Policies
	}
	if c.Target == 0 {
		c.Target = d.Target
	}
	if c.Ownership == "" {
		c.Ownership = d.Ownership
	}
	if c.FirstSeed == 0 {
		c.FirstSeed = d.FirstSeed
	}
	if c.Roster != nil { // the table's header describes the real team
		c.People, c.Projects = 0, 0
		for _, p := range c.Roster.People {
			if p.Status != pairing.Left {
				c.People++
			}
		}
		for _, pj := range c.Roster.Projects {
			if !pj.Retired {
				c.Projects++
			}
		}
	}
	switch {
	case c.Roster == nil && (c.People < 2 || c.People > 100_000):
		return c, fmt.Errorf("people must be between 2 and 100000, not %d", c.People)
	case c.Roster == nil && (c.Projects < 1 || c.Projects > 100_000):
		return c, fmt.Errorf("projects must be between 1 and 100000, not %d", c.Projects)
	case c.Rounds < 1 || c.Rounds > 10_000:
		return c, fmt.Errorf("rounds must be between 1 and 10000, not %d", c.Rounds)
	case c.Seeds < 1 || c.Seeds > 10_000:
		return c, fmt.Errorf("seeds must be between 1 and 10000, not %d", c.Seeds)
	case c.Attendance <= 0 || c.Attendance > 1:
		return c, fmt.Errorf("attendance must be in (0, 1], not %g", c.Attendance)
	case c.Target < 1:
		return c, fmt.Errorf("target bus factor must be at least 1, not %d", c.Target)
	case c.Experienced < 0 || c.Experienced > 1 || c.LeaveRate < 0 || c.LeaveRate > 1 || c.JoinRate < 0:
		return c, fmt.Errorf("experienced and leave rate must be in [0, 1], join rate at least 0")
	case c.Owners < 0 || (c.Roster == nil && c.Owners > c.People):
		return c, fmt.Errorf("owners must be between 0 (everyone) and the team size %d, not %d", c.People, c.Owners)
	case c.Ownership != OwnershipSingle && c.Ownership != OwnershipSkewed:
		return c, fmt.Errorf("ownership %q: use %s or %s", c.Ownership, OwnershipSingle, OwnershipSkewed)
	}
	for _, z := range c.Zones {
		if _, err := time.LoadLocation(z); err != nil || z == "" {
			return c, fmt.Errorf("time zone %q: use an IANA name such as Europe/Berlin", z)
		}
	}
	for _, p := range c.Policies {
		if !slices.Contains(Policies, p) {
			return c, fmt.Errorf("unknown policy %q: use %s", p, strings.Join(Policies, ", "))
		}
	}
	return c, nil
}

// ParsePolicies reads a comma-separated list of policies; "all" or "" means
// every policy.
func ParsePolicies(s string) ([]string, error) {
	if s = strings.TrimSpace(s); s == "" || s == "all" {
		return slices.Clone(Policies), nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(Policies, p) {
			return nil, fmt.Errorf("unknown policy %q: use %s or all", p, strings.Join(Policies, ", "))
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}
