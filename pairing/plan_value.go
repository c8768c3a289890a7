package pairing

import (
	"math"
)

// quotaKind says which per-project budget a session draws on (see
// assignProjects): a round only needs so many new learners and so many new
// knowers on each project before it reaches the target bus factor.
type quotaKind uint8

const (
	quotaNone   quotaKind = iota // no budget: continuing a learner, or a project at target
	quotaStart                   // starts a new learner: budget proj.need
	quotaFinish                  // makes a new knower: budget proj.deficit
)

// kind is the session kind of the option.
func (o option) kind() Kind {
	if o.review {
		return Review
	}
	return Pair
}

// valued caches learnValue for a newcomer's first pair session.
type valued struct {
	full, surplus int64
	quota         quotaKind
}

// option is one session a pair (or trio) could hold.
type option struct {
	proj    int32
	host    int32
	learner int32
	review  bool // a Review session, else a Pair session (no pointers: options are many)
	quota   quotaKind
	full    int64 // value while the project's budget lasts
	surplus int64 // value once it is spent
}

// depth is −ln(1−f): familiarity on the additive scale where every unrated
// session with g adds the same −ln(1−g).
func depth(f float64) float64 {
	if f >= 1 {
		return 50
	}
	return -math.Log1p(-f)
}

// learnValue is what one learner at familiarity f gains from a session of
// the kind on project j, taught by a host at familiarity hostF, before
// repeat penalties: see ValueUnit for the formula.
func (p *planner) learnValue(f float64, j int32, kind Kind, hostF float64) (full, surplus int64, q quotaKind) {
	theta := p.model.KnowsAt
	if f == 0 && kind == Pair && hostF >= theta && p.fresh0 != nil {
		c := p.fresh0[j] // the commonest case, computed once per project
		return c.full, c.surplus, c.quota
	}
	f2 := f + p.model.Gain(kind, 0)*(1-f)
	h, h2, ht := depth(f), depth(f2), depth(theta)
	progress := (min(h2, ht) - min(h, ht)) / ht
	progress += deepShare * max(0, h2-max(h, ht)) / ht
	finishes := f < theta && f2 >= theta
	score := func(deficit float64) int64 {
		w := 1 + riskSlope*deficit
		s := w * progress
		if finishes {
			s += w * finishBonus
		}
		if hostF < theta {
			s *= reviewDiscount // a host who does not know it yet teaches less surely
		}
		return int64(math.Round(s * ValueUnit))
	}
	pi := p.proj[j]
	surplus = score(0)
	switch {
	case finishes && pi.deficit > 0:
		return score(pi.urgency), surplus, quotaFinish
	case f < p.model.PairGain/2 && pi.need > 0:
		return score(pi.urgency), surplus, quotaStart
	case finishes || f < p.model.PairGain/2:
		return surplus, surplus, quotaNone // the project's budget is already covered
	}
	v := score(pi.urgency) // continuing a learner part-way there
	return v, v, quotaNone
}

// pairOptions lists the sessions x and y could hold, best first, at most
// maxOptions of them: one hosts a project the other does not know yet. A
// pair where neither can host gets review options instead, on projects one
// of them has worked in clearly more than the other.
func (p *planner) pairOptions(x, y int32, buf []option) []option {
	opts := buf[:0]
	var reviews [maxOptions]option
	nrev := 0
	a, b := p.fam[x], p.fam[y]
	theta := p.model.KnowsAt
	i, k := 0, 0
	for i < len(a) || k < len(b) {
		var j int32
		var fx, fy float64
		switch {
		case k >= len(b) || (i < len(a) && a[i].proj < b[k].proj):
			j, fx = a[i].proj, a[i].f
			i++
		case i >= len(a) || b[k].proj < a[i].proj:
			j, fy = b[k].proj, b[k].f
			k++
		default:
			j, fx, fy = a[i].proj, a[i].f, b[k].f
			i++
			k++
		}
		host, learner, hf, lf := x, y, fx, fy
		if fy > fx {
			host, learner, hf, lf = y, x, fy, fx
		}
		switch {
		case hf >= theta && lf < theta:
			opts = insertBest(opts, p.option(j, host, learner, Pair, hf, lf))
		case len(opts) == 0 && hf < theta && hf >= reviewMinHost && hf-lf >= reviewMinGap:
			nrev = len(insertBest(reviews[:nrev], p.option(j, host, learner, Review, hf, lf)))
		}
	}
	if len(opts) == 0 {
		opts = append(opts, reviews[:nrev]...)
	}
	return opts
}

// insertBest adds o to opts, which is sorted best first (by full value,
// earlier project first on ties) and holds at most maxOptions.
func insertBest(opts []option, o option) []option {
	n := len(opts)
	if n == maxOptions {
		if o.full <= opts[n-1].full {
			return opts
		}
		n--
	} else {
		opts = append(opts, option{})
	}
	for n > 0 && opts[n-1].full < o.full {
		opts[n] = opts[n-1]
		n--
	}
	opts[n] = o
	return opts
}

// option values one session and applies the repeat penalty: a pair that
// met recently loses value on a session that starts something new, but not
// on one that continues or finishes a learner, since depth needs repeats.
func (p *planner) option(j, host, learner int32, kind Kind, hf, lf float64) option {
	full, surplus, q := p.learnValue(lf, j, kind, hf)
	o := option{proj: j, host: host, learner: learner, review: kind == Review, quota: q, full: full, surplus: surplus}
	if age, met := p.met[pairKey(host, learner)]; met && (q == quotaStart || lf < p.model.PairGain/2 || kind == Review) {
		w := float64(p.set.RepeatWindow)
		pen := int64(repeatPenalty * ValueUnit * (w - float64(age) + 1) / w)
		o.full = max(o.full/100, o.full-pen)
		o.surplus = max(o.surplus/100, o.surplus-pen)
	}
	return o
}

// trioValue is what adding learner x to session s is worth, or false if x
// cannot join it (x knows the project, the host cannot teach x, a private
// exclusion, or no shared slot).
func (p *planner) trioValue(s *planned, x int32, used map[quotaSlot]int) (int64, bool) {
	return p.seatValue(s, x, used, true)
}

// seatValue is trioValue; without checkSlot it skips the shared-slot
// check, for estimates that addTrios confirms later.
func (p *planner) seatValue(s *planned, x int32, used map[quotaSlot]int, checkSlot bool) (int64, bool) {
	if len(s.learners) != 1 {
		return 0, false
	}
	lf, hf := p.famOf(x, s.proj), p.famOf(s.host, s.proj)
	if lf >= p.model.KnowsAt || (s.kind == Pair && hf < p.model.KnowsAt) || hf <= lf {
		return 0, false
	}
	if p.apart(s.host, x) || p.apart(s.learners[0], x) {
		return 0, false
	}
	if checkSlot {
		if _, ok := p.zones.slot(p.profile[s.host], p.profile[s.learners[0]], p.profile[x]); !ok {
			return 0, false
		}
	}
	o := p.option(s.proj, s.host, x, s.kind, hf, lf)
	v := o.surplus
	if o.quota != quotaNone && used[quotaSlot{o.proj, o.quota}] < p.budget(o.proj, o.quota) {
		v = o.full
	}
	if p.prio[x] {
		v += priorityBonus
	}
	return v, v > 0
}

// budget is how many sessions of the quota kind are worth their full value
// on project j this round.
func (p *planner) budget(j int32, q quotaKind) int {
	switch q {
	case quotaStart:
		return p.proj[j].need
	case quotaFinish:
		return p.proj[j].deficit
	}
	return math.MaxInt
}
