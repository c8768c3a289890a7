package pairing

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Kind is the form a session takes.
type Kind string

// Session kinds: a pair session works in the code together; a review walks
// through a change or a part of the codebase.
const (
	Pair   Kind = "pair"
	Review Kind = "review"
)

// State is where a session is in its life.
type State string

// Session states. Done, Skipped and Cancelled are final.
const (
	Proposed  State = "proposed"
	Accepted  State = "accepted"
	Done      State = "done"
	Skipped   State = "skipped"
	Cancelled State = "cancelled"
)

// States lists every state in the order a session moves through them.
var States = []State{Proposed, Accepted, Done, Skipped, Cancelled}

// legal lists the transitions a session may make. A proposed session may go
// straight to done: people sometimes meet without clicking Accept, and the
// retro is what counts.
var legal = map[State][]State{
	Proposed: {Accepted, Done, Skipped, Cancelled},
	Accepted: {Done, Skipped, Cancelled},
}

// Final reports whether no transition leaves s.
func (s State) Final() bool { return len(legal[s]) == 0 }

// CanBecome reports whether a session in state s may move to next.
func (s State) CanBecome(next State) bool { return slices.Contains(legal[s], next) }

// Session is one pair or review session on one project: a host who knows the
// project and one or two learners who do not yet.
type Session struct {
	ID       string   `json:"id"` // UUID v7, so IDs sort by creation time
	Kind     Kind     `json:"kind"`
	Project  string   `json:"project"`
	Host     string   `json:"host"`
	Learners []string `json:"learners"`
	Round    string   `json:"round,omitempty"` // empty for ad-hoc sessions
	// Rotation is the rotation whose round proposed the session; empty
	// for the default rotation and for ad-hoc sessions.
	Rotation  string        `json:"rotation,omitempty"`
	Slot      time.Time     `json:"slot,omitzero"`
	Length    time.Duration `json:"length,omitempty"`
	State     State         `json:"state"`
	Rating    int           `json:"rating,omitempty"`  // the learners' mean rating, 1-5 once one rated, 0 before
	Ratings   []Rating      `json:"ratings,omitempty"` // each participant's own rating, at most one each
	Note      string        `json:"note,omitempty"`
	Reason    string        `json:"reason,omitempty"`    // the planner's one-line explanation
	LoggedBy  string        `json:"logged_by,omitempty"` // for /pair log: who recorded it; the other side confirms
	Accepted  []string      `json:"accepted,omitempty"`  // participants who clicked Accept; all of them make it accepted
	Responded []string      `json:"responded,omitempty"` // participants who clicked anything on it: not ghosts
	Value     int64         `json:"value,omitempty"`     // the planner's value of the session (ValueUnit points)
	Moves     int           `json:"moves,omitempty"`     // times a participant moved the slot: each raises the calendar SEQUENCE
	MovedBy   string        `json:"moved_by,omitempty"`  // who moved the slot last, so the others see it was not the planner
	// Alternatives are, per participant, the best session the planner had
	// for them with someone else: what this one beat (for /pair why).
	Alternatives []Alternative `json:"alternatives,omitempty"`
	RequestedBy  string        `json:"requested_by,omitempty"` // who asked for an ad-hoc session (/pair now, review): RequestsFor counts it
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	DoneAt       time.Time     `json:"done_at,omitzero"`
	// EndedAt is when the session reached a final state (done, skipped or
	// cancelled). Unlike UpdatedAt it does not move when a done session is
	// rated later, so the digest can count each session in one week only.
	EndedAt time.Time `json:"ended_at,omitzero"`
}

// Participants returns the host followed by the learners.
func (s Session) Participants() []string {
	return append([]string{s.Host}, s.Learners...)
}

// Has reports whether the person takes part in the session.
func (s Session) Has(person string) bool {
	return s.Host == person || slices.Contains(s.Learners, person)
}

// Validate checks the session's shape: a UUID v7 ID, a known kind and
// state, a host and one or two distinct learners, and a rating in range.
func (s Session) Validate() error {
	id, err := uuid.Parse(s.ID)
	if err != nil || id.Version() != 7 {
		return Errorf(CodeInvalid, "session ID %q is not a UUID v7", s.ID)
	}
	if s.Kind != Pair && s.Kind != Review {
		return Errorf(CodeInvalid, "%q is not a session kind: use pair or review", s.Kind)
	}
	if !slices.Contains(States, s.State) {
		return Errorf(CodeInvalid, "%q is not a session state", s.State)
	}
	if _, err := ProjectName(s.Project); err != nil {
		return err
	}
	if s.Host == "" || len(s.Learners) < 1 || len(s.Learners) > 2 {
		return Errorf(CodeInvalid, "a session needs a host and one or two learners")
	}
	seen := map[string]bool{s.Host: true}
	for _, l := range s.Learners {
		if l == "" || seen[l] {
			return Errorf(CodeInvalid, "a session's participants must be distinct people")
		}
		seen[l] = true
	}
	if s.Rating < 0 || s.Rating > 5 {
		return Errorf(CodeInvalid, "ratings go from 1 to 5")
	}
	for _, r := range s.Ratings {
		if r.Rating < 1 || r.Rating > 5 || !s.Has(r.Person) {
			return Errorf(CodeInvalid, "a rating goes from 1 to 5 and comes from a participant")
		}
	}
	return nil
}

// Accept records that a participant accepted, and moves the session to
// Accepted once everyone has. It reports whether anything changed: a
// second click by the same person changes nothing.
func (s *Session) Accept(person string, at time.Time) (bool, error) {
	if !s.Has(person) {
		return false, Errorf(CodeConflict, "this session is not yours")
	}
	if s.State != Proposed || slices.Contains(s.Accepted, person) {
		return false, nil
	}
	s.Accepted = append(s.Accepted, person)
	s.UpdatedAt = at
	for _, p := range s.Participants() {
		if !slices.Contains(s.Accepted, p) {
			return true, nil
		}
	}
	return true, s.Transition(Accepted, at)
}

// RemoveLearner takes a learner out of a trio, which goes on as a pair: if
// everyone left has accepted, the session is accepted.
func (s *Session) RemoveLearner(person string, at time.Time) error {
	if len(s.Learners) < 2 || !slices.Contains(s.Learners, person) {
		return Errorf(CodeConflict, "only a learner of a trio can leave it and let it go on")
	}
	s.Learners = slices.DeleteFunc(s.Learners, func(l string) bool { return l == person })
	s.Accepted = slices.DeleteFunc(s.Accepted, func(l string) bool { return l == person })
	s.Responded = slices.DeleteFunc(s.Responded, func(l string) bool { return l == person })
	s.UpdatedAt = at
	if s.State != Proposed {
		return nil
	}
	for _, p := range s.Participants() {
		if !slices.Contains(s.Accepted, p) {
			return nil
		}
	}
	return s.Transition(Accepted, at)
}

// Respond records that a participant reacted to the session (any button).
func (s *Session) Respond(person string) {
	if s.Has(person) && !slices.Contains(s.Responded, person) {
		s.Responded = append(s.Responded, person)
	}
}

// Transition moves the session to next at time at, or says why it cannot.
func (s *Session) Transition(next State, at time.Time) error {
	if s.State == next && next.Final() {
		return Errorf(CodeConflict, "this session is already %s", next)
	}
	if !s.State.CanBecome(next) {
		return Errorf(CodeConflict, "a %s session cannot become %s", s.State, next)
	}
	s.State = next
	s.UpdatedAt = at
	if next == Done {
		s.DoneAt = at
	}
	if next.Final() {
		s.EndedAt = at
	}
	return nil
}

// EndTime is when the session reached its final state, or zero while it
// is open. Sessions saved before EndedAt existed fall back to DoneAt, or to
// UpdatedAt for skipped and cancelled ones (nothing else touched those once
// final).
func (s Session) EndTime() time.Time {
	switch {
	case !s.State.Final():
		return time.Time{}
	case !s.EndedAt.IsZero():
		return s.EndedAt
	case s.State == Done && !s.DoneAt.IsZero():
		return s.DoneAt
	}
	return s.UpdatedAt
}
