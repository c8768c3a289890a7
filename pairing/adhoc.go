package pairing

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// AdHoc describes a request for one session outside the weekly round:
// "/pair now" and "/pair review".
type AdHoc struct {
	Caller    string
	Project   string // optional for SuggestPartner
	People    []Person
	Projects  []Project
	Knowledge *Knowledge
	At        time.Time
	Target    int // team bus factor target; 3 when zero
	// Length and Location, when set, restrict partners to people who
	// share a slot of that length with the caller in the coming week, and
	// give the session that slot.
	Length   time.Duration
	Location func(tz string) (*time.Location, error)
	// Saturated are people who have had MaxRequestsPerDay requests today:
	// nobody may be proposed to them (see Saturated).
	Saturated []string
}

// slotWith is the first slot the caller shares with the others, or ok
// when no slot is asked for.
func (a AdHoc) slotWith(others ...string) (time.Time, bool) {
	if a.Location == nil || a.Length <= 0 {
		return time.Time{}, true
	}
	var people []Person
	for _, id := range append([]string{a.Caller}, others...) {
		for _, p := range a.People {
			if p.ID == id {
				people = append(people, p)
			}
		}
	}
	if len(people) == 2 && people[0].ID == people[1].ID {
		people = people[:1]
	}
	if len(people) < 2 {
		return time.Time{}, false
	}
	return FirstSlot(people, a.At, a.Length, a.Location)
}

// sessionValue is the gain the model predicts for a learner, weighted
// towards projects whose bus factor is furthest below the target.
func (a AdHoc) sessionValue(kind Kind, learner, project string, busFactor int) float64 {
	target := a.Target
	if target <= 0 {
		target = 3
	}
	f := a.Knowledge.F(learner, project, a.At)
	gain := a.Knowledge.Model().Gain(kind, 0) * (1 - f)
	return gain * float64(1+max(0, target-busFactor))
}

// available lists the people the caller could meet: active, not the
// caller, neither avoiding the other (exclusions hold everywhere), and
// not asked too often today.
func (a AdHoc) available() []Person {
	caller := a.person(a.Caller)
	var out []Person
	for _, p := range a.People {
		if p.ID != a.Caller && p.ActiveAt(a.At) && !Avoiding(caller, p) && !slices.Contains(a.Saturated, p.ID) {
			out = append(out, p)
		}
	}
	return out
}

// person is the caller's team member with that ID, or a bare Person.
func (a AdHoc) person(id string) Person {
	for _, p := range a.People {
		if p.ID == id {
			return p
		}
	}
	return Person{Profile: Profile{ID: id}}
}

// Avoiding reports whether either person avoids the other: an exclusion
// holds both ways and everywhere (rounds, ad-hoc sessions, logs).
func Avoiding(x, y Person) bool {
	return slices.Contains(x.Avoid, y.ID) || slices.Contains(y.Avoid, x.ID)
}

func (a AdHoc) liveProjects() []Project {
	var out []Project
	for _, p := range a.Projects {
		if !p.Retired && (a.Project == "" || p.Name == a.Project) {
			out = append(out, p)
		}
	}
	return out
}

// SuggestPartner finds the most valuable pair session the caller could hold
// right now with someone available: the caller hosts a project they know
// and the partner does not, or the other way round. The session has no ID.
func SuggestPartner(a AdHoc) (Session, error) {
	type option struct {
		s     Session
		value float64
	}
	var best *option
	slots := map[string]time.Time{}
	var partners []Person
	for _, other := range a.available() {
		if slot, ok := a.slotWith(other.ID); ok {
			slots[other.ID] = slot
			partners = append(partners, other)
		}
	}
	for _, proj := range a.liveProjects() {
		bf := a.Knowledge.BusFactor(proj.Name, a.People, a.At)
		for _, other := range partners {
			for _, dir := range [][2]string{{a.Caller, other.ID}, {other.ID, a.Caller}} {
				host, learner := dir[0], dir[1]
				if !a.Knowledge.Knows(host, proj.Name, a.At) || a.Knowledge.Knows(learner, proj.Name, a.At) {
					continue
				}
				o := option{value: a.sessionValue(Pair, learner, proj.Name, bf), s: Session{
					Kind: Pair, Project: proj.Name, Host: host, Learners: []string{learner}, State: Proposed, Slot: slots[other.ID],
					Reason: fmt.Sprintf("%s does not know %s yet; %s does; its bus factor is %d", adHocName(a.People, learner), proj.Name, adHocName(a.People, host), bf),
				}}
				if best == nil || o.value > best.value || (o.value == best.value && lessSession(o.s, best.s)) {
					best = &o
				}
			}
		}
	}
	if best == nil {
		if a.Project != "" {
			return Session{}, Errorf(CodeNotFound, "Nobody available who shares your working hours this week could host or learn %s with you", a.Project)
		}
		return Session{}, Errorf(CodeNotFound, "Nobody available who shares your working hours this week has something to learn from you or teach you")
	}
	return best.s, nil
}

// SuggestReviewer picks a reviewer for a change to a.Project: someone who
// does not know the project yet (the closest to knowing it first, so a
// review can finish a learner), backed by the person who knows it best
// (other than the reviewer; the caller only when nobody else knows it).
func SuggestReviewer(a AdHoc) (Session, error) {
	var learners []Person
	for _, p := range a.available() {
		if _, ok := a.slotWith(p.ID); ok && !a.Knowledge.Knows(p.ID, a.Project, a.At) {
			learners = append(learners, p)
		}
	}
	if len(learners) == 0 {
		return Session{}, Errorf(CodeNotFound, "Everyone available already knows %s: ask any of them for a review", a.Project)
	}
	slices.SortFunc(learners, func(x, y Person) int {
		if c := cmp.Compare(a.Knowledge.F(y.ID, a.Project, a.At), a.Knowledge.F(x.ID, a.Project, a.At)); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	reviewer := learners[0]
	knowers := a.Knowledge.Knowers(a.Project, a.People, a.At)
	backer := a.backer(knowers, reviewer)
	if backer == "" && a.Knowledge.Knows(a.Caller, a.Project, a.At) {
		backer = a.Caller
	}
	if backer == "" {
		return Session{}, Errorf(CodeNotFound, "Nobody knows %s well enough to back a review yet", a.Project)
	}
	bf := a.Knowledge.BusFactor(a.Project, a.People, a.At)
	slot, _ := a.slotWith(reviewer.ID, backer)
	return Session{
		Kind: Review, Project: a.Project, Host: backer, Learners: []string{reviewer.ID}, State: Proposed, Slot: slot,
		Reason: fmt.Sprintf("%s is learning %s; %s knows it and backs the review; its bus factor is %d",
			adHocName(a.People, reviewer.ID), a.Project, adHocName(a.People, backer), bf),
	}, nil
}

// backer is the first knower, best first, who could meet both the caller
// and the reviewer: active, and avoiding neither nor avoided by either
// (they all share the review's group DM). "" when nobody fits.
func (a AdHoc) backer(knowers []string, reviewer Person) string {
	available := a.available()
	for _, k := range knowers {
		i := slices.IndexFunc(available, func(p Person) bool { return p.ID == k })
		if k != reviewer.ID && i >= 0 && !Avoiding(available[i], reviewer) {
			return k
		}
	}
	return ""
}

func lessSession(x, y Session) bool {
	if x.Project != y.Project {
		return x.Project < y.Project
	}
	if x.Host != y.Host {
		return x.Host < y.Host
	}
	return x.Learners[0] < y.Learners[0]
}

// adHocName returns a person's display name, or their ID if unknown.
func adHocName(people []Person, id string) string {
	for _, p := range people {
		if p.ID == id && p.Name != "" {
			return p.Name
		}
	}
	return id
}

// FirstSlot is the earliest quarter-hour slot of the given length in the
// seven days from `from` that lies inside every person's working hours, in
// their own time zones (Monday to Friday), as the planner chooses slots.
// It takes two or three people.
func FirstSlot(people []Person, from time.Time, length time.Duration, locate func(string) (*time.Location, error)) (time.Time, bool) {
	if len(people) < 2 || len(people) > 3 {
		return time.Time{}, false
	}
	a := newAvailability(from, length, locate)
	profiles := make([]int32, len(people))
	for i, p := range people {
		id, err := a.profileOf(p)
		if err != nil {
			return time.Time{}, false
		}
		profiles[i] = id
	}
	return a.slot(profiles...)
}
