package pairing

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// EventKind says what a knowledge event records.
type EventKind string

// Event kinds, in the order they apply when they share an instant: a level
// that is set (owner, declaration) or raised (import) comes before sessions
// that build on it.
const (
	EventOwner    EventKind = "owner"    // Person became an owner of Project: f = 1
	EventDeclared EventKind = "declared" // Person declared Level for Project
	EventImported EventKind = "imported" // Level for Person came from an import, e.g. git history
	EventSession  EventKind = "session"  // a done session: learners gain, the host is refreshed
	EventRated    EventKind = "rated"    // a participant rated a done session afterwards (SessionID, Person, Rating)
	// EventCommitted is evidence that a session taught something: Person's
	// first commit to Project (At) came after a done session (SessionID,
	// Host) in which they learned it. See CommitEvidence.
	EventCommitted EventKind = "committed"
)

var eventRank = map[EventKind]int{EventOwner: 0, EventDeclared: 1, EventImported: 1, EventSession: 2, EventRated: 3, EventCommitted: 3}

// Event is one entry of the append-only knowledge log. Familiarity is never
// stored: it is computed by replaying events, so every number can be traced
// back to where it came from.
type Event struct {
	ID      string    `json:"id"` // UUID v7; also the tie-breaker between simultaneous events
	At      time.Time `json:"at"`
	Kind    EventKind `json:"kind"`
	Project string    `json:"project"`

	// Owner, declared and imported events.
	Person string  `json:"person,omitempty"`
	Level  float64 `json:"level,omitempty"`
	Source string  `json:"source,omitempty"` // for imported events, e.g. "git"

	// Session events.
	SessionID   string   `json:"session_id,omitempty"`
	SessionKind Kind     `json:"session_kind,omitempty"`
	Host        string   `json:"host,omitempty"`
	Learners    []string `json:"learners,omitempty"`
	Rating      int      `json:"rating,omitempty"`
	// Ratings is each learner's own rating, which scales that learner's
	// gain in place of Rating. ReplayOrder fills it from the rated events;
	// it is not stored.
	Ratings map[string]int `json:"-"`
}

// SessionEvent is the knowledge event a done session produces. Its ID is the
// session's, so recording the same session twice is recognisably the same
// event.
func SessionEvent(s Session) Event {
	return Event{
		ID: s.ID, At: s.DoneAt, Kind: EventSession, Project: s.Project,
		SessionID: s.ID, SessionKind: s.Kind, Host: s.Host,
		Learners: slices.Clone(s.Learners), Rating: s.Rating,
	}
}

// SortEvents puts events in replay order: by time, then kind, then ID. The
// order is total, so replay does not depend on the order events were stored.
func SortEvents(events []Event) {
	slices.SortStableFunc(events, compareEvents)
}

func compareEvents(a, b Event) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if c := cmp.Compare(eventRank[a.Kind], eventRank[b.Kind]); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Knowledge is familiarity per person and project after replaying events.
// The zero value is not usable; build one with NewKnowledge or Replay.
type Knowledge struct {
	model Model
	cells map[cellKey]*cell
}

type cellKey struct{ person, project string }

// cell is one person's familiarity with one project as of its last event.
type cell struct {
	f, peak float64
	// held is the level the last import showed (git authorship): fading
	// never takes familiarity below it, because it is evidence about the
	// repository as it is now, not about a moment (see doc.go).
	held float64
	at   time.Time
	// origin is where the last stated level came from ("owner", "declared"
	// or an import's source such as "git"); learned counts the sessions
	// learned since.
	origin  string
	learned int
}

// NewKnowledge returns empty knowledge under the model.
func NewKnowledge(m Model) *Knowledge {
	return &Knowledge{model: m, cells: make(map[cellKey]*cell)}
}

// Replay sorts a copy of events into replay order and applies them all.
// A rating given after a session (EventRated) scales that session's gain
// as if it had come with the session: the log stays append-only and the
// rating still counts. A rated event names who rated: a learner's rating
// scales that learner's gain only, and anyone else's (the host's) changes
// nothing. A rated event without a person (from before ratings were per
// person) scales every learner's gain. The latest rating wins.
func Replay(m Model, events []Event) *Knowledge {
	k := NewKnowledge(m)
	for _, e := range ReplayOrder(events) {
		k.Apply(e)
	}
	return k
}

// ReplayOrder is a copy of events in replay order with each session event
// carrying its session's latest ratings (Rating from a rated event without
// a person, Ratings per learner), for callers that apply events one by one
// and measure along the way (a chart's weeks, an export's rows): applying
// all of them is Replay.
func ReplayOrder(events []Event) []Event {
	sorted := slices.Clone(events)
	SortEvents(sorted)
	ratings := make(map[string]map[string]int) // session → person ("" for everyone) → rating
	for _, e := range sorted {
		if e.Kind == EventRated && e.Rating >= 1 && e.Rating <= 5 {
			if ratings[e.SessionID] == nil {
				ratings[e.SessionID] = make(map[string]int)
			}
			ratings[e.SessionID][e.Person] = e.Rating
		}
	}
	for i, e := range sorted {
		rs, ok := ratings[e.SessionID]
		if !ok || e.Kind != EventSession {
			continue
		}
		if r, ok := rs[""]; ok {
			sorted[i].Rating = r
		}
		for _, l := range e.Learners {
			if r, ok := rs[l]; ok {
				if sorted[i].Ratings == nil {
					sorted[i].Ratings = make(map[string]int)
				}
				sorted[i].Ratings[l] = r
			}
		}
	}
	return sorted
}

// ReplayUntil is Replay of the events at or before t: familiarity as it
// stood at t. (A full Replay answers F at an earlier t with today's values;
// it does not undo what happened since.)
func ReplayUntil(m Model, events []Event, t time.Time) *Knowledge {
	var before []Event
	for _, e := range events {
		if !e.At.After(t) {
			before = append(before, e)
		}
	}
	return Replay(m, before)
}

// Model returns the model the knowledge was built with.
func (k *Knowledge) Model() Model { return k.model }

// Apply adds one event. Events must come in replay order (see SortEvents);
// an event earlier than a cell's last event is applied as if it happened at
// that last event, so familiarity never moves backwards in time.
func (k *Knowledge) Apply(e Event) {
	switch e.Kind {
	case EventOwner:
		k.set(e.Person, e.Project, 1, e.At, "owner")
	case EventDeclared:
		k.set(e.Person, e.Project, e.Level, e.At, "declared")
	case EventImported:
		k.raise(e.Person, e.Project, e.Level, e.At, e.Source)
	case EventCommitted:
		k.lift(e.Person, e.Project, k.model.CommitLevel, e.At)
	case EventSession:
		for _, l := range e.Learners {
			g := k.model.Gain(e.SessionKind, e.Rating)
			if r, ok := e.Ratings[l]; ok {
				g = k.model.Gain(e.SessionKind, r)
			}
			c := k.cell(l, e.Project)
			f := k.faded(c, e.At)
			c.f = clamp01(f + g*(1-f))
			c.peak = math.Max(c.peak, c.f)
			c.learned++
			c.at = later(c.at, e.At)
		}
		if e.Host != "" {
			// Teaching is practice: the host's familiarity returns to its
			// peak and fading starts again from now.
			c := k.cell(e.Host, e.Project)
			c.f = c.peak
			c.at = later(c.at, e.At)
		}
	}
}

// set makes a stated level the new truth: familiarity and peak both become
// the level, so declaring "none" is not undone by an old peak.
func (k *Knowledge) set(person, project string, level float64, at time.Time, origin string) {
	c := k.cell(person, project)
	c.f = clamp01(level)
	c.peak = c.f
	c.held = 0
	c.origin, c.learned = origin, 0
	c.at = later(c.at, at)
}

// raise lifts familiarity to an imported level when it is below it and
// otherwise leaves it alone: an import (git history) is evidence of what
// someone knows, never of what they do not, so it cannot undo what their
// sessions taught them. Sessions before it keep counting in the origin.
// The level is also held: fading stops there until the next import of the
// project says otherwise (a share that fell because others rewrote the
// files lowers the hold, not what sessions added).
func (k *Knowledge) raise(person, project string, level float64, at time.Time, origin string) {
	c := k.cell(person, project)
	level = clamp01(level)
	f := k.faded(c, at)
	c.held = level
	if level <= f {
		return
	}
	c.f = level
	c.peak = math.Max(c.peak, level)
	c.origin = origin
	c.at = later(c.at, at)
}

// originCommit is the origin of familiarity a commit after a session lifted.
const originCommit = "commit"

// lift raises familiarity to level when it is below it, like raise, but
// holds nothing: a first commit is evidence of a moment, not authorship of
// the repository as it is, so it fades like a session (see doc.go). The
// sessions before it stay counted in the origin.
func (k *Knowledge) lift(person, project string, level float64, at time.Time) {
	c := k.cell(person, project)
	level = clamp01(level)
	if level <= k.faded(c, at) {
		return
	}
	c.f = level
	c.peak = math.Max(c.peak, level)
	c.origin = originCommit
	c.at = later(c.at, at)
}

func (k *Knowledge) cell(person, project string) *cell {
	key := cellKey{person, project}
	c, ok := k.cells[key]
	if !ok {
		c = &cell{}
		k.cells[key] = c
	}
	return c
}

// faded is the cell's familiarity at t: its last value halved every
// HalfLife since then, but never below FloorShare of its peak, nor below
// the level the last import holds.
func (k *Knowledge) faded(c *cell, t time.Time) float64 {
	dt := t.Sub(c.at)
	if dt <= 0 || k.model.HalfLife <= 0 {
		return c.f
	}
	decayed := c.f * math.Exp2(-float64(dt)/float64(k.model.HalfLife))
	return max(decayed, c.peak*k.model.FloorShare, c.held)
}

// F is the person's familiarity with the project at t, in [0, 1]. t should
// not be before the last event replayed (see ReplayUntil for the past).
func (k *Knowledge) F(person, project string, t time.Time) float64 {
	c, ok := k.cells[cellKey{person, project}]
	if !ok {
		return 0
	}
	return k.faded(c, t)
}

// Knows reports whether the person's familiarity at t is at least KnowsAt.
func (k *Knowledge) Knows(person, project string, t time.Time) bool {
	return k.F(person, project, t) >= k.model.KnowsAt
}

// Origin says in plain words where a person's familiarity with a project
// comes from: "owner", "declared", "from git history", "from sessions", or
// a stated level plus sessions ("from git history + 2 sessions").
func (k *Knowledge) Origin(person, project string) string {
	c, ok := k.cells[cellKey{person, project}]
	if !ok {
		return ""
	}
	origin := c.origin
	if origin == originCommit {
		return "from a commit after a session"
	}
	if origin == "git" {
		origin = "from git history"
	} else if origin != "" && origin != "owner" && origin != "declared" {
		origin = "from " + origin
	}
	switch {
	case c.learned == 0:
		return origin
	case origin == "":
		return fmt.Sprintf("from %d session%s", c.learned, plural(c.learned))
	}
	return fmt.Sprintf("%s + %d session%s", origin, c.learned, plural(c.learned))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Peak is the highest familiarity the person has had with the project since
// their last declaration.
func (k *Knowledge) Peak(person, project string) float64 {
	if c, ok := k.cells[cellKey{person, project}]; ok {
		return c.peak
	}
	return 0
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
