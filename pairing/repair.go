package pairing

import (
	"slices"
	"time"
)

// RepairInput is a decline in a planned round: who is left without a
// session, and the team to find them a new partner in.
type RepairInput struct {
	Round     Round
	Declined  Session // the session someone declined, already skipped
	Decliner  string
	People    []Person
	Projects  []Project
	Knowledge *Knowledge
	At        time.Time
	Target    int
	Length    time.Duration
	Location  func(tz string) (*time.Location, error)
	NewID     func() string
}

// Repair re-pairs the people a decline left alone with someone free in
// the same round: people who sat out through no choice of their own, or
// whom an earlier decline left alone. The best session one of them can
// hold with someone free (SuggestPartner, exclusions and shared hours
// included) is proposed; whoever stays alone becomes free for the next
// decline. The decliner is out for the week and never free. It returns
// the updated round and the new session, if any (with its ID from NewID,
// already in the round).
func Repair(in RepairInput) (Round, *Session) {
	round := in.Round
	round.Free = slices.Clone(round.Free)
	round.SatOut = slices.Clone(round.SatOut)
	round.SessionIDs = slices.Clone(round.SessionIDs)
	person := func(id string) (Person, bool) {
		i := slices.IndexFunc(in.People, func(p Person) bool { return p.ID == id })
		if i < 0 {
			return Person{}, false
		}
		return in.People[i], true
	}
	partners := slices.DeleteFunc(in.Declined.Participants(), func(p string) bool { return p == in.Decliner })
	free := slices.Clone(round.Free)
	for _, so := range round.SatOut {
		if so.Code.Priority() && !slices.Contains(free, so.Person) {
			free = append(free, so.Person)
		}
	}
	var pool []Person
	for _, id := range free {
		if p, ok := person(id); ok && !slices.Contains(partners, id) {
			pool = append(pool, p)
		}
	}
	addFree := func(id string) {
		if !slices.Contains(round.Free, id) {
			round.Free = append(round.Free, id)
		}
	}
	var made *Session
	for _, partner := range partners {
		me, ok := person(partner)
		if !ok || made != nil {
			addFree(partner)
			continue
		}
		s, err := SuggestPartner(AdHoc{Caller: partner, People: append(slices.Clone(pool), me), Projects: in.Projects,
			Knowledge: in.Knowledge, At: in.At, Target: in.Target, Length: in.Length, Location: in.Location})
		if err != nil || s.Slot.IsZero() {
			addFree(partner)
			continue
		}
		s.ID, s.Round, s.Length, s.CreatedAt, s.UpdatedAt = in.NewID(), in.Declined.Round, in.Length, in.At, in.At
		s.Reason = "re-paired after a decline: " + s.Reason
		round.SessionIDs = append(round.SessionIDs, s.ID)
		for _, id := range s.Participants() {
			round.Free = slices.DeleteFunc(round.Free, func(f string) bool { return f == id })
			round.SatOut = slices.DeleteFunc(round.SatOut, func(so SitOut) bool { return so.Person == id })
		}
		made = &s
	}
	return round, made
}
