package pairing

import (
	"cmp"
	"maps"
	"slices"
)

// planner holds one PlanRound call's indexed view of its input. People and
// projects are numbered (int32) in sorted ID/name order, so nothing depends
// on map iteration order.
type planner struct {
	in    PlanInput
	set   Settings
	model Model
	seed  uint64 // from Settings.Seed and the round ID

	people  []Person         // available this round, sorted by ID
	idx     map[string]int32 // person ID -> index into people
	names   map[string]string
	profile []int32       // person -> availability profile
	zones   *availability // working-hours windows and their overlaps
	away    []SitOut      // on the roster but not available this round

	proj     []projInfo
	pidx     map[string]int32
	fam      [][]famCell // per person: projects with f > 0, sorted by project
	knowers  [][]int32   // per project: available people who know it
	partial  [][]int32   // per project: available people part-way to knowing it
	fresh    []int32     // projects with a host, by the value of a newcomer's first session, best first
	freshVal []int64     // per project: that value
	fresh0   []valued    // per project: learnValue of a newcomer's first pair session

	met   map[uint64]int  // pair -> rounds since they last met, within the window
	avoid map[uint64]bool // pairs never to match
	team  []int32         // per person: their team in a cross-team rotation (PlanInput.Teams), -1 for none
	prio  []bool          // sat out last round through no choice of their own
	hid   []uint64        // hash of each person's ID, for tie-breaks
}

// famCell is a person's familiarity with one project.
type famCell struct {
	proj int32
	f    float64
}

// projInfo is a project's state at the round's start.
type projInfo struct {
	name        string
	bf          int // its bus factor (CoverageBusFactor of the team, not left)
	knowerCount int // people on the team who know it

	deficit  int     // max(0, target − knowerCount)
	inflight int     // available people part-way to knowing it
	need     int     // new learners worth starting: max(0, deficit − inflight)
	urgency  float64 // the deficit counted in sessions still needed, in units of L (see urgency)
	bestID   string  // the on-team person who knows it best
	bestF    float64 // their familiarity
}

func newPlanner(in PlanInput) (*planner, error) {
	if in.Knowledge == nil {
		return nil, Errorf(CodeInvalid, "planning a round needs the team's knowledge")
	}
	if in.Start.IsZero() {
		return nil, Errorf(CodeInvalid, "planning a round needs the start of its week")
	}
	p := &planner{
		in: in, set: in.Settings.withDefaults(), model: in.Knowledge.Model(),
		idx: map[string]int32{}, names: map[string]string{}, pidx: map[string]int32{},
		met: map[uint64]int{}, avoid: map[uint64]bool{},
	}
	p.seed = mix(uint64(in.Settings.Seed), hashString(in.Round))
	if err := p.indexProjects(); err != nil {
		return nil, err
	}
	if err := p.indexPeople(); err != nil {
		return nil, err
	}
	p.indexKnowledge()
	p.indexHistory()
	p.rankFresh()
	return p, nil
}

func (p *planner) indexProjects() error {
	for _, pr := range p.in.Projects {
		if pr.Retired {
			continue
		}
		if _, dup := p.pidx[pr.Name]; dup {
			return Errorf(CodeInvalid, "project %q is listed twice", pr.Name)
		}
		p.pidx[pr.Name] = -1
	}
	names := make([]string, 0, len(p.pidx))
	for name := range p.pidx {
		names = append(names, name)
	}
	slices.Sort(names)
	p.proj = make([]projInfo, len(names))
	for i, name := range names {
		p.pidx[name] = int32(i)
		p.proj[i].name = name
	}
	return nil
}

// indexPeople keeps the people who take part this round and records why
// the others on the roster do not.
func (p *planner) indexPeople() error {
	skip := make(map[string]bool, len(p.in.Skip))
	for _, id := range p.in.Skip {
		skip[id] = true
	}
	booked := make(map[string]bool, len(p.in.Booked))
	for _, id := range p.in.Booked {
		booked[id] = true
	}
	offWeek := p.offWeek()
	people := slices.Clone(p.in.People)
	slices.SortFunc(people, func(a, b Person) int { return cmp.Compare(a.ID, b.ID) })
	p.zones = newAvailability(p.in.Start, p.set.SessionLength, p.in.Location)
	for i, per := range people {
		if per.ID == "" {
			return Errorf(CodeInvalid, "a person on the roster has no ID")
		}
		if i > 0 && people[i-1].ID == per.ID {
			return Errorf(CodeInvalid, "person %s is listed twice", per.ID)
		}
		p.names[per.ID] = per.Name
		if per.Status == Left {
			continue
		}
		code := SitOutCode("")
		switch {
		case !per.ActiveAt(p.in.Start):
			code = SitOutPaused
		case skip[per.ID]:
			code = SitOutSkipped
		case booked[per.ID]:
			code = SitOutBooked
		case per.Cadence == Biweekly && offWeek[per.ID]:
			code = SitOutCadence
		}
		prof, zoneErr := p.zones.profileOf(per)
		if code == "" && zoneErr != nil {
			code = SitOutNoZone
		}
		if code != "" {
			p.away = append(p.away, SitOut{Person: per.ID, Code: code, Reason: p.awayReason(per, code)})
			continue
		}
		p.idx[per.ID] = int32(len(p.people))
		p.people = append(p.people, per)
		p.profile = append(p.profile, prof)
		p.hid = append(p.hid, hashString(per.ID))
	}
	p.indexTeams()
	p.prio = make([]bool, len(p.people))
	for _, id := range p.in.SatOutLast {
		if x, ok := p.idx[id]; ok {
			p.prio[x] = true
		}
	}
	for _, a := range p.in.Avoid {
		x, ok1 := p.idx[a[0]]
		y, ok2 := p.idx[a[1]]
		if ok1 && ok2 && x != y {
			p.avoid[pairKey(x, y)] = true
		}
	}
	return nil
}

// indexTeams numbers the teams of a cross-team rotation, in name order.
func (p *planner) indexTeams() {
	p.team = make([]int32, len(p.people))
	names := map[string]int32{}
	for _, t := range slices.Sorted(maps.Values(p.in.Teams)) {
		if _, ok := names[t]; !ok {
			names[t] = int32(len(names))
		}
	}
	for x, per := range p.people {
		p.team[x] = -1
		if t, ok := p.in.Teams[per.ID]; ok {
			p.team[x] = names[t]
		}
	}
}

// sameTeam reports whether x and y come from the same team of a
// cross-team rotation, so they may not share a session.
func (p *planner) sameTeam(x, y int32) bool { return p.team[x] >= 0 && p.team[x] == p.team[y] }

// apart reports whether x and y may not share a session: a private
// exclusion, or the same team in a cross-team rotation.
func (p *planner) apart(x, y int32) bool {
	return (len(p.avoid) > 0 && p.avoid[pairKey(x, y)]) || p.sameTeam(x, y)
}

// offWeek lists the biweekly people's off week: see OffWeek.
func (p *planner) offWeek() map[string]bool { return OffWeek(p.in.Round, p.in.Recent) }

// OffWeek lists the people who had a session in the latest round before
// round among sessions: a biweekly person among them sits round out. A
// skipped or cancelled session does not count, so nobody waits four weeks.
// The planner and the heads-up before a round both ask it.
func OffWeek(round string, sessions []Session) map[string]bool {
	prev := ""
	for _, s := range sessions {
		if s.Round != "" && s.Round < round && s.Round > prev {
			prev = s.Round
		}
	}
	off := map[string]bool{}
	for _, s := range sessions {
		if prev != "" && s.Round == prev && s.State != Skipped && s.State != Cancelled {
			for _, id := range s.Participants() {
				off[id] = true
			}
		}
	}
	return off
}

// indexKnowledge reads every familiarity cell once: bus factors count the
// whole team (not left), the rest only the people available this round.
func (p *planner) indexKnowledge() {
	onTeam := make(map[string]bool, len(p.in.People))
	for _, per := range p.in.People {
		if OnTeam(per) {
			onTeam[per.ID] = true
		}
	}
	theta := p.model.KnowsAt
	p.fam = make([][]famCell, len(p.people))
	team := make([][]float64, len(p.proj)) // familiarities on the team, per project
	for key, c := range p.in.Knowledge.cells {
		j, ok := p.pidx[key.project]
		if !ok || !onTeam[key.person] {
			continue
		}
		f := p.in.Knowledge.faded(c, p.in.Start)
		if f <= 0 {
			continue
		}
		pi := &p.proj[j]
		team[j] = append(team[j], f)
		if f >= theta {
			pi.knowerCount++
			if f > pi.bestF || (f == pi.bestF && key.person < pi.bestID) {
				pi.bestID, pi.bestF = key.person, f
			}
		}
		if x, ok := p.idx[key.person]; ok {
			p.fam[x] = append(p.fam[x], famCell{j, f})
		}
	}
	p.knowers = make([][]int32, len(p.proj))
	p.partial = make([][]int32, len(p.proj))
	for x := range p.fam {
		slices.SortFunc(p.fam[x], func(a, b famCell) int { return cmp.Compare(a.proj, b.proj) })
		for _, c := range p.fam[x] {
			switch {
			case c.f >= theta:
				p.knowers[c.proj] = append(p.knowers[c.proj], int32(x))
			case p.inflight(c.f):
				p.partial[c.proj] = append(p.partial[c.proj], int32(x))
			}
		}
	}
	for j := range p.proj {
		pi := &p.proj[j]
		pi.bf = CoverageBusFactor(team[j])
		// The planner works towards the target in knowers, which imply
		// the bus factor (it is never below the knower count) and which
		// shallow sessions spread thin cannot fake (package doc, "Risk").
		pi.deficit = max(0, p.set.TargetBusFactor-pi.knowerCount)
		pi.inflight = len(p.partial[j])
		pi.need = max(0, pi.deficit-pi.inflight)
		pi.urgency = p.urgency(int32(j))
	}
}

// urgency is how far project j is below its target, in new knowers, but
// counting what is already under way: the sessions its deficit still
// needs (the closest learners part-way first, newcomers L sessions each),
// divided by L, the sessions a newcomer needs. With the defaults an
// untouched project with deficit 2 scores 2, one whose two learners have
// had one session each about 0.6. It
// replaces the deficit in the risk weight, so the planner opens projects
// nobody has started before it adds to projects already on their way.
func (p *planner) urgency(j int32) float64 {
	pi := &p.proj[j]
	if pi.deficit == 0 {
		return 0
	}
	fs := make([]float64, 0, len(p.partial[j]))
	for _, x := range p.partial[j] {
		fs = append(fs, p.famOf(x, j))
	}
	slices.SortFunc(fs, func(a, b float64) int { return cmp.Compare(b, a) })
	step, goal := depth(p.model.PairGain), depth(p.model.KnowsAt)
	L := float64(p.model.SessionsToKnow(Pair))
	rem := 0.0
	for k := range pi.deficit {
		if k < len(fs) {
			rem += (goal - depth(fs[k])) / step
		} else {
			rem += L
		}
	}
	return rem / L
}

// indexHistory records, for each pair of available people who met in the
// last RepeatWindow rounds, how many rounds ago they last met.
func (p *planner) indexHistory() {
	var rounds []string
	for _, s := range p.in.Recent {
		if s.Round != "" && s.Round < p.in.Round {
			rounds = append(rounds, s.Round)
		}
	}
	slices.Sort(rounds)
	rounds = slices.Compact(rounds)
	slices.Reverse(rounds)
	rounds = rounds[:min(len(rounds), p.set.RepeatWindow)]
	age := make(map[string]int, len(rounds))
	for i, r := range rounds {
		age[r] = i + 1
	}
	for _, s := range p.in.Recent {
		a, ok := age[s.Round]
		if !ok || s.State == Skipped || s.State == Cancelled {
			continue
		}
		ids := s.Participants()
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				x, ok1 := p.idx[ids[i]]
				y, ok2 := p.idx[ids[j]]
				if !ok1 || !ok2 || x == y {
					continue
				}
				k := pairKey(x, y)
				if old, seen := p.met[k]; !seen || a < old {
					p.met[k] = a
				}
			}
		}
	}
}

// rankFresh orders projects by what a newcomer's first session on them is
// worth, best first; equal values keep name order.
func (p *planner) rankFresh() {
	p.fresh = make([]int32, 0, len(p.proj))
	vals := make([]int64, len(p.proj))
	cache := make([]valued, len(p.proj))
	for j := range p.proj {
		c := &cache[j]
		c.full, c.surplus, c.quota = p.learnValue(0, int32(j), Pair, 1)
		vals[j] = c.full
		if len(p.knowers[j]) > 0 {
			p.fresh = append(p.fresh, int32(j))
		}
	}
	p.freshVal, p.fresh0 = vals, cache
	slices.SortStableFunc(p.fresh, func(a, b int32) int { return cmp.Compare(vals[b], vals[a]) })
}

// famOf is person x's familiarity with project j at the round's start.
func (p *planner) famOf(x, j int32) float64 {
	cells := p.fam[x]
	i, ok := slices.BinarySearchFunc(cells, j, func(c famCell, j int32) int { return cmp.Compare(c.proj, j) })
	if !ok {
		return 0
	}
	return cells[i].f
}

// inflight reports whether familiarity f is part-way to knowing: at least
// half a pair session's worth, and not yet KnowsAt.
func (p *planner) inflight(f float64) bool {
	return f < p.model.KnowsAt && f >= p.model.PairGain/2
}

func (p *planner) name(id string) string {
	if n := p.names[id]; n != "" {
		return n
	}
	return id
}

func pairKey(x, y int32) uint64 {
	if x > y {
		x, y = y, x
	}
	return uint64(uint32(x))<<32 | uint64(uint32(y))
}

// hashString is FNV-1a, for stable tie-breaks.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix combines two words into a well-spread one (splitmix64's finaliser).
func mix(a, b uint64) uint64 {
	z := a ^ (b + 0x9e3779b97f4a7c15 + (a << 6) + (a >> 2))
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
