package pairing

import (
	"slices"
	"strings"
	"time"
)

// Rating is one participant's answer to "how was it?" after a done
// session. A learner's rating scales that learner's own gain (see
// ReplayOrder); the host's is kept as feedback for the team and changes no
// familiarity.
type Rating struct {
	Person string    `json:"person"`
	Rating int       `json:"rating"` // 1-5
	Note   string    `json:"note,omitempty"`
	At     time.Time `json:"at"`
}

// RatingOf returns the person's rating of the session, if they gave one.
func (s Session) RatingOf(person string) (Rating, bool) {
	i := slices.IndexFunc(s.Ratings, func(r Rating) bool { return r.Person == person })
	if i < 0 {
		return Rating{}, false
	}
	return s.Ratings[i], true
}

// Unrated lists the participants who have not rated the session yet, host
// first.
func (s Session) Unrated() []string {
	var out []string
	for _, p := range s.Participants() {
		if _, ok := s.RatingOf(p); !ok {
			out = append(out, p)
		}
	}
	return out
}

// Rate records one participant's rating of a done session, once per
// person: a second rating by the same person is refused, so what the model
// counted stays what they said first. Rating is the learners' mean
// (rounded), and Note gathers everyone's notes, for the sessions export.
func (s *Session) Rate(person string, rating int, note string, at time.Time) error {
	switch {
	case !s.Has(person):
		return Errorf(CodeConflict, "this session is not yours")
	case s.State != Done:
		return Errorf(CodeConflict, "only a done session can be rated; this one is %s", s.State)
	case rating < 1 || rating > 5:
		return Errorf(CodeInvalid, "%d is not a rating: use 1 to 5", rating)
	}
	if r, ok := s.RatingOf(person); ok {
		return Errorf(CodeConflict, "you already rated this session %d", r.Rating)
	}
	s.Ratings = append(s.Ratings, Rating{Person: person, Rating: rating, Note: note, At: at})
	sum, n := 0, 0
	var notes []string
	for _, r := range s.Ratings {
		if slices.Contains(s.Learners, r.Person) {
			sum, n = sum+r.Rating, n+1
		}
		if r.Note != "" {
			notes = append(notes, r.Note)
		}
	}
	if n > 0 {
		s.Rating = (2*sum + n) / (2 * n) // the mean, rounded half up
	}
	s.Note, s.UpdatedAt = strings.Join(notes, " | "), at
	return nil
}
