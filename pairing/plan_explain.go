package pairing

import (
	"fmt"
	"strings"
	"time"
)

// session turns a planned session into a proposed Session with its slot
// and its one-line reason.
func (p *planner) session(s planned) Session {
	profiles := make([]int32, 0, 3)
	for _, m := range s.members() {
		profiles = append(profiles, p.profile[m])
	}
	slot, _ := p.zones.slot(profiles...) // every planned session has one
	learners := make([]string, len(s.learners))
	for i, l := range s.learners {
		learners[i] = p.people[l].ID
	}
	return Session{
		Kind: s.kind, Project: p.proj[s.proj].name, Host: p.people[s.host].ID, Learners: learners,
		Round: p.in.Round, Slot: slot, Length: p.set.SessionLength, State: Proposed, Reason: p.reason(s),
	}
}

// reason explains a session in plain words, e.g. "Bo has never worked in
// churn-model; Ana knows it best; churn-model's bus factor is 1".
func (p *planner) reason(s planned) string {
	pi := p.proj[s.proj]
	var parts []string
	// Group the learners by what the session does for them.
	type group struct {
		names          []string
		single, plural string
	}
	var groups []*group
	byClass := map[string]*group{}
	for _, l := range s.learners {
		f := p.famOf(l, s.proj)
		single, plural := "has never worked in %s", "have never worked in %s"
		switch {
		case f+p.model.Gain(s.kind, 0)*(1-f) >= p.model.KnowsAt:
			single, plural = "is one session away from knowing %s", "are one session away from knowing %s"
		case f >= 0.01:
			single, plural = "has started learning %s", "have started learning %s"
		}
		gr, ok := byClass[single]
		if !ok {
			gr = &group{single: single, plural: plural}
			byClass[single] = gr
			groups = append(groups, gr)
		}
		gr.names = append(gr.names, p.name(p.people[l].ID))
	}
	for i, gr := range groups {
		what := pi.name
		if i > 0 {
			what = "it"
		}
		verb := gr.single
		if len(gr.names) > 1 {
			verb = gr.plural
		}
		parts = append(parts, strings.Join(gr.names, " and ")+" "+fmt.Sprintf(verb, what))
	}
	learned := strings.Join(parts, " and ")
	host := p.people[s.host]
	switch {
	case s.kind == Review && p.famOf(s.host, s.proj) < p.model.KnowsAt:
		return fmt.Sprintf("%s; %s has worked in it more, so a review together; %s's bus factor is %d",
			learned, p.name(host.ID), pi.name, pi.bf)
	case host.ID == pi.bestID:
		return fmt.Sprintf("%s; %s knows it best; %s's bus factor is %d", learned, p.name(host.ID), pi.name, pi.bf)
	}
	return fmt.Sprintf("%s; %s knows it; %s's bus factor is %d", learned, p.name(host.ID), pi.name, pi.bf)
}

// alternative is x's best candidate session with someone outside exclude.
func (p *planner) alternative(g *candGraph, x int32, exclude []int32) Alternative {
	alt := Alternative{Person: p.people[x].ID}
	var best *candEdge
	for _, ei := range g.adj[x] {
		e := &g.edges[ei]
		other := e.u
		if other == x {
			other = e.v
		}
		skip := false
		for _, m := range exclude {
			skip = skip || m == other
		}
		if !skip && (best == nil || e.opts[0].full > best.opts[0].full ||
			(e.opts[0].full == best.opts[0].full && e.w > best.w)) {
			best = e
		}
	}
	if best == nil {
		return alt
	}
	o := best.opts[0]
	partner := best.u
	if partner == x {
		partner = best.v
	}
	alt.Partner = p.people[partner].ID
	alt.Project, alt.Host, alt.Kind, alt.Value = p.proj[o.proj].name, p.people[o.host].ID, o.kind(), o.full
	alt.Learners = []string{p.people[o.learner].ID}
	return alt
}

// sitOut says why available person x has no session.
func (p *planner) sitOut(g *candGraph, x int32) SitOut {
	id := p.people[x].ID
	out := SitOut{Person: id, Code: p.sitOutCode(g, x)}
	if alt := p.alternative(g, x, nil); alt.Partner != "" {
		out.Best = &alt
	}
	// What happens next (first in line next round, and when that is) is
	// the caller's to say: it knows the schedule.
	hours := p.zones.labels[p.profile[x]]
	switch out.Code {
	case SitOutOdd:
		out.Reason = "Odd one out: everyone you could pair with this round is in a session that teaches more, and no session could take a third person."
	case SitOutNoOverlap:
		out.Reason = fmt.Sprintf("Your working hours (%s) don't leave room for %s with anyone you could pair with this week; widening them with /pair hours helps.",
			hours, minutes(p.set.SessionLength))
	case SitOutNothingToLearn:
		out.Reason = "Nobody available this round can teach you a project you don't know yet, or learn one you know."
	case SitOutSameTeam:
		out.Reason = "This rotation pairs people across teams, and this round nobody from another team had a shared project to learn or teach with you."
	default:
		out.Reason = "No suitable partner was available this round."
	}
	return out
}

// sitOutCode finds the first reason that applies: x had candidates but
// they went elsewhere (odd); nobody has anything to teach or learn with x;
// those who have share no working hours with x; otherwise no suitable
// partner, which is all a private exclusion ever shows.
func (p *planner) sitOutCode(g *candGraph, x int32) SitOutCode {
	if len(g.adj[x]) > 0 {
		return SitOutOdd
	}
	if !p.hasAnythingToShare(x) {
		return SitOutNothingToLearn
	}
	noOverlap, avoided, sameTeam := false, false, false
	var buf []option
	for y := range int32(len(p.people)) {
		if y == x || len(p.pairOptions(x, y, buf)) == 0 {
			continue
		}
		if p.avoid[pairKey(x, y)] {
			avoided = true
			continue
		}
		if p.sameTeam(x, y) {
			sameTeam = true
			continue
		}
		if _, ok := p.zones.pair(p.profile[x], p.profile[y]); !ok {
			noOverlap = true
			continue
		}
		return SitOutOdd // a possible partner the pruning did not keep
	}
	switch {
	case noOverlap:
		return SitOutNoOverlap
	case sameTeam:
		return SitOutSameTeam
	case avoided:
		return SitOutNoPartner
	}
	return SitOutNothingToLearn
}

// hasAnythingToShare is a quick check that someone available might host x
// on a project x does not know, learn one x knows from x, or review with x;
// false means certainly nobody.
func (p *planner) hasAnythingToShare(x int32) bool {
	theta := p.model.KnowsAt
	known := 0
	for _, c := range p.fam[x] {
		if c.f >= theta {
			known++
			if len(p.knowers[c.proj]) < len(p.people) {
				return true
			}
		}
	}
	if len(p.fresh) > known {
		return true
	}
	for _, c := range p.fam[x] {
		if c.f >= reviewMinHost {
			return true // a review may be possible
		}
	}
	return false
}

// awayReason explains why a person on the roster is not planned at all.
func (p *planner) awayReason(per Person, code SitOutCode) string {
	switch code {
	case SitOutPaused:
		return fmt.Sprintf("You are paused until %s.", per.PausedUntil.Format("Mon 2 Jan 2006"))
	case SitOutSkipped:
		return "You asked to skip this round."
	case SitOutCadence:
		return "You meet every two weeks and had a session last round; you're back next round."
	case SitOutBooked:
		return "You already have a Pollen session this week in another rotation; one a week is enough."
	case SitOutNoZone:
		return fmt.Sprintf("Your time zone %q is not one Pollen knows, so no slot could be found; please check it in Slack.", per.TZ)
	}
	return ""
}

func minutes(d time.Duration) string {
	return fmt.Sprintf("a %d-minute session", int(d.Minutes()))
}
