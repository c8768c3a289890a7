package pairing

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// randomEvents builds a plausible random knowledge log over a few people and
// projects, with several events sharing instants.
func randomEvents(r *rand.Rand, n int) []Event {
	people := []string{"ana", "bo", "cy", "di"}
	projects := []string{"churn", "etl"}
	kinds := []Kind{Pair, Review}
	var events []Event
	for i := range n {
		at := t0.Add(time.Duration(r.IntN(20)) * 24 * time.Hour) // many collisions
		e := Event{ID: fmt.Sprintf("e%03d", i), At: at, Project: projects[r.IntN(len(projects))]}
		switch r.IntN(4) {
		case 0:
			e.Kind, e.Person = EventOwner, people[r.IntN(len(people))]
		case 1:
			e.Kind, e.Person = EventDeclared, people[r.IntN(len(people))]
			e.Level = []float64{0, 0.4, 1}[r.IntN(3)]
		default:
			p := r.Perm(len(people))
			e.Kind, e.Host, e.Learners = EventSession, people[p[0]], []string{people[p[1]]}
			if r.IntN(3) == 0 {
				e.Learners = append(e.Learners, people[p[2]])
			}
			e.SessionKind, e.Rating = kinds[r.IntN(2)], r.IntN(6)
		}
		events = append(events, e)
	}
	return events
}

func TestFamiliarityStaysInUnitInterval(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 1))
		k := Replay(DefaultModel(), randomEvents(r, 40))
		for _, at := range []time.Time{t0, t0.AddDate(0, 0, 10), t0.AddDate(3, 0, 0)} {
			for key := range k.cells {
				if f := k.F(key.person, key.project, at); f < 0 || f > 1 || math.IsNaN(f) {
					t.Fatalf("seed %d: f(%s, %s) = %v at %v", seed, key.person, key.project, f, at)
				}
			}
		}
	}
}

func TestReplayOrderOfSimultaneousEventsDoesNotMatter(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 2))
		events := randomEvents(r, 30)
		want := Replay(DefaultModel(), events)
		shuffled := slices.Clone(events)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got := Replay(DefaultModel(), shuffled)
		at := t0.AddDate(0, 2, 0)
		for key := range want.cells {
			if a, b := want.F(key.person, key.project, at), got.F(key.person, key.project, at); a != b {
				t.Fatalf("seed %d: f(%s, %s) = %v in order, %v shuffled", seed, key.person, key.project, a, b)
			}
		}
	}
}

func TestMoreDoneSessionsNeverLowerFamiliarity(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 3))
		events := randomEvents(r, 25)
		extra := Event{
			ID: "zz-extra", At: t0.Add(time.Duration(r.IntN(25)) * 24 * time.Hour), Kind: EventSession,
			Project: "churn", SessionKind: []Kind{Pair, Review}[r.IntN(2)], Host: "ana", Learners: []string{"bo"},
			Rating: r.IntN(6),
		}
		before := Replay(DefaultModel(), events)
		after := Replay(DefaultModel(), append(slices.Clone(events), extra))
		for _, at := range []time.Time{extra.At, extra.At.AddDate(0, 0, 30), extra.At.AddDate(2, 0, 0)} {
			for _, p := range []string{"ana", "bo", "cy", "di"} {
				for _, proj := range []string{"churn", "etl"} {
					if a, b := before.F(p, proj, at), after.F(p, proj, at); b < a-1e-12 {
						t.Fatalf("seed %d: one more session lowered f(%s, %s) at %v from %v to %v", seed, p, proj, at, a, b)
					}
				}
			}
		}
	}
}

func TestKnowledgeRules(t *testing.T) {
	m := DefaultModel()
	session := func(id string, at time.Time, kind Kind, rating int, learners ...string) Event {
		return Event{ID: id, At: at, Kind: EventSession, Project: "p", SessionKind: kind, Host: "host", Learners: learners, Rating: rating}
	}
	tests := []struct {
		name   string
		events []Event
		person string
		at     time.Time
		want   float64
	}{
		{"nobody knows an unseen project", nil, "bo", t0, 0},
		{"owner starts at one", []Event{{ID: "a", At: t0, Kind: EventOwner, Project: "p", Person: "bo"}}, "bo", t0, 1},
		{"declared some", []Event{{ID: "a", At: t0, Kind: EventDeclared, Project: "p", Person: "bo", Level: m.Some}}, "bo", t0, 0.4},
		{"one pair session", []Event{session("s", t0, Pair, 0, "bo")}, "bo", t0, 0.35},
		{"one review", []Event{session("s", t0, Review, 0, "bo")}, "bo", t0, 0.20},
		{"rating one halves the gain", []Event{session("s", t0, Pair, 1, "bo")}, "bo", t0, 0.175},
		{"rating five adds half", []Event{session("s", t0, Pair, 5, "bo")}, "bo", t0, 0.525},
		{"trio learners both gain", []Event{session("s", t0, Pair, 0, "bo", "cy")}, "cy", t0, 0.35},
		{"two sessions the same day", []Event{session("s1", t0, Pair, 0, "bo"), session("s2", t0, Pair, 0, "bo")}, "bo", t0, 0.5775},
		{"half-life halves", []Event{session("s", t0, Pair, 0, "bo")}, "bo", t0.Add(m.HalfLife / 2), 0.35 * math.Sqrt(0.5)},
		{"never below half the peak", []Event{session("s", t0, Pair, 0, "bo")}, "bo", t0.AddDate(10, 0, 0), 0.175},
		{"declaring none resets the peak", []Event{
			{ID: "a", At: t0, Kind: EventOwner, Project: "p", Person: "bo"},
			{ID: "b", At: t0.Add(time.Hour), Kind: EventDeclared, Project: "p", Person: "bo", Level: 0},
		}, "bo", t0.AddDate(1, 0, 0), 0},
		{"hosting refreshes to the peak", []Event{
			{ID: "a", At: t0, Kind: EventOwner, Project: "p", Person: "host"},
			session("s", t0.Add(m.HalfLife), Pair, 0, "bo"),
		}, "host", t0.Add(m.HalfLife), 1},
		{"owner set before a session at the same instant", []Event{
			session("a-first-id", t0, Pair, 0, "bo"),
			{ID: "z", At: t0, Kind: EventOwner, Project: "p", Person: "bo"},
		}, "bo", t0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Replay(m, tt.events).F(tt.person, "p", tt.at)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("f = %.9f, want %.9f", got, tt.want)
			}
		})
	}
}

func TestSessionsToKnow(t *testing.T) {
	m := DefaultModel()
	if got := m.SessionsToKnow(Pair); got != 2 {
		t.Errorf("pair sessions to know = %d, want 2", got)
	}
	if got := m.SessionsToKnow(Review); got != 4 { // 0.2, 0.36, 0.488, 0.5904
		t.Errorf("reviews to know = %d, want 4", got)
	}
}

func TestALaterRatingScalesTheSession(t *testing.T) {
	events := []Event{
		{ID: "s", At: t0, Kind: EventSession, Project: "p", SessionKind: Pair, SessionID: "S1", Host: "ana", Learners: []string{"bo"}},
		{ID: "r", At: t0.Add(time.Hour), Kind: EventRated, SessionID: "S1", Rating: 5},
	}
	if got := Replay(DefaultModel(), events).F("bo", "p", t0); math.Abs(got-0.525) > 1e-9 {
		t.Errorf("f after a later rating of 5 = %v, want 0.525", got)
	}
	events = append(events, Event{ID: "r2", At: t0.Add(2 * time.Hour), Kind: EventRated, SessionID: "S1", Rating: 1})
	if got := Replay(DefaultModel(), events).F("bo", "p", t0); math.Abs(got-0.175) > 1e-9 {
		t.Errorf("f after re-rating 1 = %v, want 0.175", got)
	}
}

// In a trio each learner's own rating scales their own gain; the host's
// rating changes nobody's familiarity.
func TestEachLearnersRatingScalesTheirOwnGain(t *testing.T) {
	events := []Event{
		{ID: "s", At: t0, Kind: EventSession, Project: "p", SessionKind: Pair, SessionID: "S1", Host: "ana", Learners: []string{"bo", "cy"}},
		{ID: "r1", At: t0.Add(time.Hour), Kind: EventRated, SessionID: "S1", Person: "bo", Rating: 5},
		{ID: "r2", At: t0.Add(2 * time.Hour), Kind: EventRated, SessionID: "S1", Person: "cy", Rating: 1},
		{ID: "r3", At: t0.Add(3 * time.Hour), Kind: EventRated, SessionID: "S1", Person: "ana", Rating: 1},
	}
	k := Replay(DefaultModel(), events)
	for _, c := range []struct {
		person string
		want   float64
	}{{"bo", 0.525}, {"cy", 0.175}} {
		if got := k.F(c.person, "p", t0); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("f(%s) = %v, want %v", c.person, got, c.want)
		}
	}
	unrated := Replay(DefaultModel(), events[:1]).F("bo", "p", t0)
	if got := Replay(DefaultModel(), append(slices.Clone(events[:1]), events[3])).F("bo", "p", t0); got != unrated {
		t.Errorf("the host's rating moved a learner: %v, unrated %v", got, unrated)
	}
}

func TestAcceptNeedsEveryone(t *testing.T) {
	s := Session{ID: "x", Host: "ana", Learners: []string{"bo", "cy"}, State: Proposed}
	for i, who := range []string{"ana", "ana", "bo", "cy"} {
		changed, err := s.Accept(who, t0)
		if err != nil {
			t.Fatal(err)
		}
		if wantChanged := i != 1; changed != wantChanged {
			t.Errorf("accept #%d by %s: changed = %v", i+1, who, changed)
		}
		if wantState := map[bool]State{true: Accepted, false: Proposed}[i == 3]; s.State != wantState {
			t.Errorf("after accept #%d: state %s, want %s", i+1, s.State, wantState)
		}
	}
	if _, err := s.Accept("eve", t0); err == nil {
		t.Error("a stranger accepted")
	}
}

func TestOrigin(t *testing.T) {
	events := []Event{
		{ID: "1", At: t0, Kind: EventImported, Source: "git", Project: "p", Person: "ana", Level: 0.7},
		{ID: "2", At: t0, Kind: EventOwner, Project: "p", Person: "bo"},
		{ID: "3", At: t0, Kind: EventDeclared, Project: "p", Person: "cy", Level: 0.4},
		{ID: "4", At: t0.Add(time.Hour), Kind: EventSession, Project: "p", SessionKind: Pair, Host: "bo", Learners: []string{"ana", "di"}},
		{ID: "5", At: t0.Add(2 * time.Hour), Kind: EventSession, Project: "p", SessionKind: Pair, Host: "bo", Learners: []string{"ana"}},
	}
	k := Replay(DefaultModel(), events)
	for person, want := range map[string]string{
		"ana": "from git history + 2 sessions", "bo": "owner", "cy": "declared", "di": "from 1 session", "eve": "",
	} {
		if got := k.Origin(person, "p"); got != want {
			t.Errorf("Origin(%s) = %q, want %q", person, got, want)
		}
	}
}

// An import (git history) raises familiarity to its level and never
// lowers it: two sessions' worth of learning survive a small git share.
func TestImportRaisesAndNeverLowers(t *testing.T) {
	session := func(id string, at time.Time) Event {
		return Event{ID: id, At: at, Kind: EventSession, Project: "p", SessionKind: Pair, Host: "bo", Learners: []string{"ana"}}
	}
	imported := func(id string, at time.Time, level float64) Event {
		return Event{ID: id, At: at, Kind: EventImported, Source: "git", Project: "p", Person: "ana", Level: level}
	}
	twoSessions := 1 - 0.65*0.65 // g = 0.35 twice: 0.5775
	day := 24 * time.Hour
	for _, tc := range []struct {
		name       string
		events     []Event
		want       float64
		wantOrigin string
	}{
		{"import alone", []Event{imported("1", t0, 0.3)}, 0.3, "from git history"},
		{"a small share after two sessions changes nothing",
			[]Event{session("1", t0), session("2", t0.Add(day)), imported("3", t0.Add(2*day), 0.1)}, twoSessions, "from 2 sessions"},
		{"a large share after two sessions raises",
			[]Event{session("1", t0), session("2", t0.Add(day)), imported("3", t0.Add(2*day), 0.8)}, 0.8, "from git history + 2 sessions"},
		{"sessions after an import build on it",
			[]Event{imported("1", t0, 0.3), session("2", t0.Add(day))}, 0.3 + 0.35*0.7, "from git history + 1 session"},
		{"a declaration after an import overrides it",
			[]Event{imported("1", t0, 0.8), {ID: "2", At: t0.Add(day), Kind: EventDeclared, Project: "p", Person: "ana", Level: 0}}, 0, "declared"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := DefaultModel()
			m.HalfLife = 0 // no fading: the levels are exact
			k := Replay(m, tc.events)
			at := tc.events[len(tc.events)-1].At
			if got := k.F("ana", "p", at); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("f = %.4f, want %.4f", got, tc.want)
			}
			if got := k.Origin("ana", "p"); got != tc.wantOrigin {
				t.Errorf("origin %q, want %q", got, tc.wantOrigin)
			}
		})
	}
}

// TestImportHoldsAuthorship: an imported level does not fade while it is
// the last import's; a later import can lower the hold; a declaration
// clears it.
func TestImportHoldsAuthorship(t *testing.T) {
	m := DefaultModel()
	imp := func(id string, at time.Time, level float64) Event {
		return Event{ID: id, At: at, Kind: EventImported, Source: "git", Person: "ana", Project: "p", Level: level}
	}
	y := func(n int) time.Time { return t0.AddDate(n, 0, 0) }
	tests := []struct {
		name   string
		events []Event
		at     time.Time
		want   float64
	}{
		{"held three years on", []Event{imp("1", t0, 0.6)}, y(3), 0.6},
		{"a lower import lowers the hold", []Event{imp("1", t0, 0.6), imp("2", y(1), 0.4)}, y(4), 0.4},
		{"a declaration clears it", []Event{imp("1", t0, 0.6), {ID: "3", At: y(1), Kind: EventDeclared, Person: "ana", Project: "p", Level: 0.4}}, y(2), 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Replay(m, tt.events).F("ana", "p", tt.at); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("f = %.6f, want %.6f", got, tt.want)
			}
		})
	}
}
