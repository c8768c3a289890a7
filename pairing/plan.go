package pairing

import (
	"cmp"
	"slices"
	"time"

	"github.com/pollen-team/pollen/internal/matching"
)

// PlanInput is everything the planner needs to choose one round's sessions.
// The planner only reads it; the caller loads it and saves the result.
type PlanInput struct {
	// Round names the round being planned, e.g. "2026-W48". Round IDs must
	// sort in time order (ISO week IDs do): the planner finds "the last N
	// rounds" in Recent by sorting them.
	Round string
	// Start is when the round's week starts. Slots are searched in the
	// seven days from Start, and familiarity, bus factors and pauses are
	// evaluated at Start.
	Start time.Time
	// People is the roster. People who left, are paused at Start, are listed
	// in Skip, or are in their off week (biweekly cadence) are left out.
	People []Person
	// Projects lists the codebases; retired ones are ignored.
	Projects []Project
	// Knowledge is everyone's familiarity, usually Replay of the event log.
	Knowledge *Knowledge
	// Recent holds the sessions of the last few rounds (at least
	// Settings.RepeatWindow of them): they decide repeat penalties and who
	// is in their biweekly off week.
	Recent []Session
	// SatOutLast lists the people who had no session last round for a
	// reason that was not their own (see Plan.Priority): they are preferred.
	SatOutLast []string
	// Skip lists people who asked to sit out this round only (a skip
	// button, an out-of-office status).
	Skip []string
	// Avoid lists pairs of people who must never share a session. It is
	// private: a reason never mentions it.
	Avoid [][2]string
	// Booked lists people who already have a session this week in another
	// rotation: by default a person has at most one session a week across
	// all the rotations they belong to, so they sit out this one.
	Booked []string
	// Teams, for a cross-team rotation, maps each person to their team
	// (the rotation they come from): two people of the same team never
	// share a session, so every session carries knowledge across teams.
	// Nil for an ordinary rotation.
	Teams map[string]string
	// Location resolves a person's IANA time zone name. Loading zones reads
	// files, so the caller does it (time.LoadLocation, usually cached). A
	// nil Location knows only "" and "UTC". A person whose zone cannot be
	// resolved sits out with a reason rather than failing the round.
	Location func(tz string) (*time.Location, error)
	// Settings tunes the planner; zero fields take their defaults.
	Settings Settings
}

// Settings are the planner's knobs. The zero value means "all defaults".
type Settings struct {
	// TargetBusFactor is the bus factor the planner works towards on every
	// project (default 3). Projects below it weigh more.
	TargetBusFactor int
	// RepeatWindow is how many past rounds count for the repeat penalty
	// (default 4; negative for none).
	RepeatWindow int
	// TopK keeps only each person's k most valuable candidate partners
	// (default 16), which keeps 10,000 people fast while staying within 1%
	// of the unpruned optimum. Negative means no pruning.
	TopK int
	// SessionLength is the length of a session (default 60 minutes).
	SessionLength time.Duration
	// Seed varies the choice between equally good plans; the same inputs
	// and seed always give the same plan.
	Seed int64
}

// Defaults of Settings.
const (
	DefaultTargetBusFactor = 3
	DefaultRepeatWindow    = 4
	DefaultTopK            = 16
	DefaultSessionLength   = 60 * time.Minute
)

func (s Settings) withDefaults() Settings {
	if s.TargetBusFactor <= 0 {
		s.TargetBusFactor = DefaultTargetBusFactor
	}
	if s.RepeatWindow == 0 {
		s.RepeatWindow = DefaultRepeatWindow
	}
	if s.RepeatWindow < 0 {
		s.RepeatWindow = 0
	}
	if s.TopK == 0 {
		s.TopK = DefaultTopK
	}
	if s.SessionLength <= 0 {
		s.SessionLength = DefaultSessionLength
	}
	return s
}

// Plan is the outcome of PlanRound: the proposed sessions, and a reason for
// everyone on the roster who has none.
type Plan struct {
	Round string
	// Proposals are the round's sessions with the planner's figures, in a
	// stable order (by host ID).
	Proposals []Proposal
	// SatOut has one entry, sorted by person, for every person on the
	// roster (not left) who has no session this round.
	SatOut []SitOut
	// Value is the sum of the proposals' values.
	Value int64
}

// Proposal is one planned session with the figures behind it, so "/pair
// why" can show what it was worth and what it beat.
type Proposal struct {
	// Session has Kind, Project, Host, Learners, Round, Slot, Length,
	// Reason and State Proposed. ID and timestamps are the caller's.
	Session Session
	// Value is what the planner expects the session to be worth, in
	// ValueUnit points (see PlanRound for the objective).
	Value int64
	// Alternatives holds, for each participant in Session.Participants
	// order, the best session they could have had with someone else
	// instead; Partner is empty when they had no other candidate.
	Alternatives []Alternative
}

// Alternative is the best session a person could have had with another
// partner, from the planner's candidate list.
type Alternative struct {
	Person   string
	Partner  string
	Project  string
	Host     string
	Learners []string
	Kind     Kind
	Value    int64
}

// SitOut says why a person has no session this round.
type SitOut struct {
	Person string
	Code   SitOutCode
	// Reason is one plain sentence for the person, e.g. "Odd one out this
	// round: …". It never mentions a private exclusion.
	Reason string
	// Best is the best session the person could have had, if any.
	Best *Alternative
}

// SitOutCode classifies why a person has no session.
type SitOutCode string

// Sit-out codes. Odd, NoOverlap, NothingToLearn, NoZone, NoPartner and
// SameTeam are not the person's choice: they earn priority next round (see
// Plan.Priority). Booked people have a session elsewhere this week.
const (
	SitOutPaused         SitOutCode = "paused"           // paused at the round's start
	SitOutSkipped        SitOutCode = "skipped"          // asked to skip this round
	SitOutCadence        SitOutCode = "cadence"          // biweekly, and had a session last round
	SitOutOdd            SitOutCode = "odd"              // had partners, but they were all in better sessions
	SitOutNoOverlap      SitOutCode = "no_overlap"       // no shared working hours with anyone suitable
	SitOutNothingToLearn SitOutCode = "nothing_to_learn" // nobody available to learn from or teach
	SitOutNoZone         SitOutCode = "no_zone"          // time zone could not be resolved
	SitOutNoPartner      SitOutCode = "no_partner"       // nobody suitable, for reasons kept private
	SitOutBooked         SitOutCode = "booked"           // already has a session this week in another rotation
	SitOutSameTeam       SitOutCode = "same_team"        // cross-team rotation: only people of their own team could pair with them
)

// Priority reports whether the sit-out was not the person's own choice, so
// they should be in SatOutLast next round.
func (c SitOutCode) Priority() bool {
	switch c {
	case SitOutOdd, SitOutNoOverlap, SitOutNothingToLearn, SitOutNoZone, SitOutNoPartner, SitOutSameTeam:
		return true
	}
	return false
}

// Sessions returns the proposed sessions.
func (p Plan) Sessions() []Session {
	out := make([]Session, len(p.Proposals))
	for i, pr := range p.Proposals {
		out[i] = pr.Session
	}
	return out
}

// Priority lists, sorted, the people to pass as SatOutLast next round.
func (p Plan) Priority() []string {
	var ids []string
	for _, s := range p.SatOut {
		if s.Code.Priority() {
			ids = append(ids, s.Person)
		}
	}
	return ids
}

// PlanRound chooses a round's sessions: it pairs the people available this
// round so that the total value (see ValueUnit for the objective) is as
// large as possible, with an exact maximum-weight matching over each
// person's best candidate partners, gives each pair its best project given
// what the other pairs do, adds anyone left over to a session as a trio,
// finds a slot inside everyone's working hours and explains each choice.
//
// It is pure and deterministic: the same input, including the seed, always
// gives the same plan.
func PlanRound(in PlanInput) (Plan, error) {
	p, err := newPlanner(in)
	if err != nil {
		return Plan{}, err
	}
	g := p.candidates()
	mate := matching.MaxWeight(len(p.people), g.matchingEdges())
	sessions := p.assignProjects(g, mate)
	sessions = p.formTrios(g, sessions)
	return p.finish(g, sessions), nil
}

// finish turns the planned sessions into the Plan: slots, reasons,
// alternatives and sit-outs, in a stable order.
func (p *planner) finish(g *candGraph, sessions []planned) Plan {
	plan := Plan{Round: p.in.Round}
	inSession := make([]bool, len(p.people))
	for _, s := range sessions {
		for _, x := range s.members() {
			inSession[x] = true
		}
	}
	for _, s := range sessions {
		pr := Proposal{Session: p.session(s), Value: s.value}
		for _, x := range s.members() {
			pr.Alternatives = append(pr.Alternatives, p.alternative(g, x, s.members()))
		}
		plan.Proposals = append(plan.Proposals, pr)
		plan.Value += s.value
	}
	slices.SortFunc(plan.Proposals, func(a, b Proposal) int {
		return cmp.Compare(a.Session.Host, b.Session.Host)
	})
	plan.SatOut = append(plan.SatOut, p.away...)
	for x := range p.people {
		if !inSession[x] {
			plan.SatOut = append(plan.SatOut, p.sitOut(g, int32(x)))
		}
	}
	slices.SortFunc(plan.SatOut, func(a, b SitOut) int { return cmp.Compare(a.Person, b.Person) })
	return plan
}
