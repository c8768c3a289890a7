package pairing

import "time"

// Model holds every constant of the knowledge model in one place, so the
// simulator, the planner and the reports all agree on what a session is
// worth. DefaultModel documents the values Pollen ships with.
type Model struct {
	// KnowsAt is the familiarity from which a person "knows" a project.
	KnowsAt float64
	// PairGain and ReviewGain are the share g of the remaining distance to
	// full familiarity that a learner closes in one done session:
	// f ← f + g·(1−f).
	PairGain   float64
	ReviewGain float64
	// HalfLife is how long unrefreshed familiarity takes to halve.
	HalfLife time.Duration
	// FloorShare is the share of a person's peak familiarity with a project
	// that fading never goes below: what you once knew well you relearn fast.
	FloorShare float64
	// Expert, Some and None are the levels a person can declare.
	Expert, Some, None float64
	// CommitLevel is the familiarity a learner's first commit to a project
	// after a session on it raises them to (EventCommitted): observed work,
	// stronger than a self-report of Some (see doc.go).
	CommitLevel float64
}

// DefaultModel returns the model with Pollen's defaults: knows at 0.5,
// g = 0.35 for a pair session and 0.20 for a review, a half-life of 365
// days and a floor of half the peak; declarations expert 1.0, some 0.4,
// none 0; a first commit after a session 0.5.
func DefaultModel() Model {
	return Model{
		KnowsAt:    0.5,
		PairGain:   0.35,
		ReviewGain: 0.20,
		HalfLife:   365 * 24 * time.Hour,
		FloorShare: 0.5,
		Expert:     1.0,
		Some:       0.4,
		None:       0,

		CommitLevel: 0.5,
	}
}

// RatingScale is the factor a learner's rating applies to the gain of a
// session: (r+1)/4, so 1 → 0.5, 3 (as expected) → 1, 5 → 1.5. An unrated
// session (r = 0) counts as 3.
func RatingScale(rating int) float64 {
	if rating < 1 || rating > 5 {
		return 1
	}
	return float64(rating+1) / 4
}

// Gain is the share g a learner gains from one done session of the kind,
// scaled by its rating and kept inside [0, 1].
func (m Model) Gain(kind Kind, rating int) float64 {
	g := m.PairGain
	if kind == Review {
		g = m.ReviewGain
	}
	return clamp01(g * RatingScale(rating))
}

// Level is the familiarity a declared level stands for.
func (m Model) Level(l Declared) float64 {
	switch l {
	case Expert:
		return m.Expert
	case Some:
		return m.Some
	}
	return m.None
}

// SessionsToKnow is the number of unrated sessions of the kind a newcomer
// needs to reach KnowsAt: the smallest s with 1−(1−g)^s ≥ KnowsAt.
func (m Model) SessionsToKnow(kind Kind) int {
	g := m.Gain(kind, 0)
	if g <= 0 {
		return 0
	}
	f, s := 0.0, 0
	for f < m.KnowsAt && s < 1000 {
		f += g * (1 - f)
		s++
	}
	return s
}

// Declared is a familiarity level a person states themselves.
type Declared string

// Declared levels.
const (
	Expert Declared = "expert"
	Some   Declared = "some"
	None   Declared = "none"
)

// ParseDeclared reads expert, some or none.
func ParseDeclared(s string) (Declared, error) {
	switch d := Declared(s); d {
	case Expert, Some, None:
		return d, nil
	}
	return "", Errorf(CodeInvalid, "%q is not a level: use expert, some or none", truncate(s, 20))
}

func clamp01(x float64) float64 {
	switch {
	case x < 0 || x != x:
		return 0
	case x > 1:
		return 1
	}
	return x
}
