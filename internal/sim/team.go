package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// simStart is the Monday the synthetic team's first round starts.
var simStart = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

// team is a run's starting point: roster, projects and knowledge log.
type team struct {
	people   []pairing.Person
	projects []pairing.Project
	events   []pairing.Event
	start    time.Time
}

// newTeam builds the starting team for one seed: the Roster when the
// config has one, else a synthetic team. Every policy of the seed starts
// from the same team.
func newTeam(c Config, seed int64) team {
	if c.Roster != nil {
		return rosterTeam(c.Roster)
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x7ea7))
	t := team{start: simStart}
	width := len(fmt.Sprint(c.People))
	for i := range c.People {
		id := fmt.Sprintf("p%0*d", width, i+1)
		t.people = append(t.people, pairing.NewPerson(id, id, c.zone(i), simStart))
	}
	pwidth := len(fmt.Sprint(c.Projects))
	for j := range c.Projects {
		t.projects = append(t.projects, pairing.Project{Name: fmt.Sprintf("proj-%0*d", pwidth, j+1)})
	}
	// Owners: a seeded permutation of the team, so who owns what varies by
	// seed but not by policy.
	perm := r.Perm(c.People)
	var zipf []float64 // cumulative weights 1/rank
	if c.Ownership == OwnershipSkewed {
		sum := 0.0
		for i := range c.People {
			sum += 1 / float64(i+1)
			zipf = append(zipf, sum)
		}
	}
	spread := c.People
	if c.Owners > 0 {
		spread = c.Owners // projects dealt in turn to this many owners
	}
	for j := range t.projects {
		owner := perm[j%spread]
		if zipf != nil {
			x := r.Float64() * zipf[len(zipf)-1]
			i, _ := slices.BinarySearch(zipf, x)
			owner = perm[min(i, spread-1)]
		}
		t.projects[j].Owners = []string{t.people[owner].ID}
		t.events = append(t.events, pairing.Event{
			ID: fmt.Sprintf("own-%d", j), At: simStart, Kind: pairing.EventOwner,
			Project: t.projects[j].Name, Person: t.people[owner].ID,
		})
	}
	// A share of people already know two or three other projects.
	for i, p := range t.people {
		if r.Float64() >= c.Experienced {
			continue
		}
		for n := 2 + r.IntN(2); n > 0; n-- {
			j := r.IntN(len(t.projects))
			t.events = append(t.events, pairing.Event{
				ID: fmt.Sprintf("exp-%d-%d", i, n), At: simStart, Kind: pairing.EventDeclared,
				Project: t.projects[j].Name, Person: p.ID, Level: 1,
			})
		}
	}
	return t
}

func rosterTeam(r *Roster) team {
	t := team{people: slices.Clone(r.People), projects: slices.Clone(r.Projects), events: slices.Clone(r.Events), start: r.At}
	if t.start.IsZero() {
		last := simStart
		for _, e := range r.Events {
			if e.At.After(last) {
				last = e.At
			}
		}
		// The Monday after the last event.
		d := last.UTC().Truncate(24 * time.Hour)
		d = d.AddDate(0, 0, (8-int(d.Weekday()))%7)
		if !d.After(last) {
			d = d.AddDate(0, 0, 7)
		}
		t.start = d
	}
	return t
}

// model is the knowledge model a run uses.
func (c Config) model() pairing.Model {
	m := pairing.DefaultModel()
	if c.NoFade {
		m.HalfLife = 0
	}
	return m
}

// churn applies one round's leavers and joiners, drawn from a stream that
// depends only on the seed and the round, so every policy sees the same
// team. It returns the new roster.
func churn(c Config, seed int64, round int, people []pairing.Person, at time.Time, base int) []pairing.Person {
	if c.LeaveRate == 0 && c.JoinRate == 0 {
		return people
	}
	r := rand.New(rand.NewPCG(uint64(seed), uint64(round)<<8|0xc4))
	active := 0
	for _, p := range people {
		if p.Status != pairing.Left {
			active++
		}
	}
	for i := range people {
		if people[i].Status != pairing.Left && r.Float64() < c.LeaveRate && active > 2 {
			people[i].Status = pairing.Left
			active--
		}
	}
	// Poisson arrivals with mean JoinRate × starting team size.
	lambda := c.JoinRate * float64(base)
	n, p := 0, math.Exp(-lambda)
	for u := r.Float64(); u > p && n < 10*base+10; n++ {
		u *= r.Float64()
	}
	for k := range n {
		id := fmt.Sprintf("n%03d-%02d", round, k+1)
		people = append(people, pairing.NewPerson(id, id, c.zone(len(people)), at))
	}
	return people
}

// newLocator resolves IANA zone names with time.LoadLocation, caching
// them: one run asks for the same few zones thousands of times.
func newLocator() func(string) (*time.Location, error) {
	cache := map[string]*time.Location{}
	return func(tz string) (*time.Location, error) {
		if loc, ok := cache[tz]; ok {
			return loc, nil
		}
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return nil, err
		}
		cache[tz] = loc
		return loc, nil
	}
}

// zone is the time zone of the synthetic team's i-th person (0-based): the
// zones of Config.Zones in turn, UTC without any.
func (c Config) zone(i int) string {
	if len(c.Zones) == 0 {
		return "UTC"
	}
	return c.Zones[i%len(c.Zones)]
}
