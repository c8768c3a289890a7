package pairing

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Cadence is how often a person wants a session.
type Cadence string

// Cadences.
const (
	Weekly   Cadence = "weekly"
	Biweekly Cadence = "biweekly"
)

// ParseCadence accepts "weekly" or "biweekly" in any case.
func ParseCadence(s string) (Cadence, error) {
	switch c := Cadence(strings.ToLower(strings.TrimSpace(s))); c {
	case Weekly, Biweekly:
		return c, nil
	}
	return "", Errorf(CodeInvalid, "%q is not a cadence: use weekly or biweekly", s)
}

// Status is where a person stands in the rotation.
type Status string

// Statuses. A paused person has a PausedUntil date; a person who left keeps
// their history but never appears in a round again.
const (
	Active Status = "active"
	Paused Status = "paused"
	Left   Status = "left"
)

// Person is a member of the roster, identified by their Slack user ID: who
// they are (Profile) and their place in the rotation (Membership). The
// JSON of a Person is the two halves' fields side by side.
type Person struct {
	Profile
	Membership
}

// Profile is who a person is, the same in every rotation they belong to.
type Profile struct {
	ID    string       `json:"id"`
	Name  string       `json:"name"`
	TZ    string       `json:"tz"` // IANA zone name, e.g. "Europe/Berlin"
	Hours WorkingHours `json:"hours"`
	// Avoid lists people never to be paired with. It is private: nobody
	// else is ever told.
	Avoid []string `json:"avoid,omitempty"`
}

// Membership is a person's place in one rotation: how often they pair
// there, whether they are in, paused or gone, and the rounds they skip.
type Membership struct {
	Cadence     Cadence   `json:"cadence"`
	Status      Status    `json:"status"`
	PausedUntil time.Time `json:"paused_until,omitzero"`
	JoinedAt    time.Time `json:"joined_at,omitzero"`
	// SkipRounds are round IDs the person skips with the heads-up's button:
	// that round only.
	SkipRounds []string `json:"skip_rounds,omitempty"`
	// SkipNext is "/pair skip next" kept as the intent it is: the next
	// round that actually runs, whichever week that turns out to be after
	// schedule changes and holidays. The planner of that round resolves it
	// into SkipRounds (ResolveSkipNext).
	SkipNext bool `json:"skip_next,omitempty"`
	// StayedInAt is when the person last said "Stay in" after being left
	// out for ignoring proposals; only proposals after it count as ignored.
	StayedInAt time.Time `json:"stayed_in_at,omitzero"`
}

// MaxAvoid is how many people one person may avoid, so the rotation still
// works.
const MaxAvoid = 3

// SkipsRound reports whether the person asked to skip this round: by its
// ID, or as the next round that runs.
func (p Person) SkipsRound(round string) bool {
	return p.SkipNext || slices.Contains(p.SkipRounds, round)
}

// ResolveSkipNext turns a pending "skip next" into a skip of this round,
// the one being planned; it reports whether there was one.
func (p *Person) ResolveSkipNext(round string) bool {
	if !p.SkipNext {
		return false
	}
	p.SkipNext = false
	if !slices.Contains(p.SkipRounds, round) {
		p.SkipRounds = append(p.SkipRounds, round)
	}
	return true
}

// DefaultHours are the working hours a person gets until they say otherwise.
var DefaultHours = WorkingHours{Start: 9 * 60, End: 17 * 60}

// NewPerson returns an active, weekly person with default working hours.
func NewPerson(id, name, tz string, joined time.Time) Person {
	return Person{Profile: Profile{ID: id, Name: name, TZ: tz, Hours: DefaultHours}, Membership: Membership{Cadence: Weekly, Status: Active, JoinedAt: joined}}
}

// Validate reports the first thing wrong with p.
func (p Person) Validate() error {
	if p.ID == "" {
		return Errorf(CodeInvalid, "a person needs a Slack user ID")
	}
	if err := p.Hours.Validate(); err != nil {
		return err
	}
	if _, err := ParseCadence(string(p.Cadence)); err != nil {
		return err
	}
	switch p.Status {
	case Active, Left:
	case Paused:
		if p.PausedUntil.IsZero() {
			return Errorf(CodeInvalid, "a paused person needs a date to come back")
		}
	default:
		return Errorf(CodeInvalid, "%q is not a status", p.Status)
	}
	return nil
}

// ActiveAt reports whether p is in the rotation at t: active, or paused
// with the pause already over. People who left are never active.
func (p Person) ActiveAt(t time.Time) bool {
	switch p.Status {
	case Active:
		return true
	case Paused:
		return !t.Before(p.PausedUntil)
	}
	return false
}

// WorkingHours is a daily window in the person's own time zone, in minutes
// after local midnight. End is exclusive and after Start; windows that cross
// midnight are not supported.
type WorkingHours struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// ParseWorkingHours reads "09:00-17:00".
func ParseWorkingHours(s string) (WorkingHours, error) {
	const form = "use HH:MM-HH:MM, e.g. 09:00-17:00"
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return WorkingHours{}, Errorf(CodeInvalid, "%q is not a time range: %s", s, form)
	}
	start, err1 := parseClock(from)
	end, err2 := parseClock(to)
	if err1 != nil || err2 != nil {
		return WorkingHours{}, Errorf(CodeInvalid, "%q is not a time range: %s", s, form)
	}
	h := WorkingHours{Start: start, End: end}
	return h, h.Validate()
}

func parseClock(s string) (int, error) {
	var h, m int
	s = strings.TrimSpace(s)
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("bad clock %q", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return 0, err
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad clock %q", s)
	}
	return h*60 + m, nil
}

// Validate checks that the window is inside one day and not empty.
func (h WorkingHours) Validate() error {
	if h.Start < 0 || h.End > 24*60 || h.End <= h.Start {
		return Errorf(CodeInvalid, "working hours %s are not a window inside one day: use HH:MM-HH:MM with the end after the start", h)
	}
	return nil
}

// Duration is the length of the daily window.
func (h WorkingHours) Duration() time.Duration { return time.Duration(h.End-h.Start) * time.Minute }

func (h WorkingHours) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", h.Start/60, h.Start%60, h.End/60, h.End%60)
}
