package pairing

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestProjectName(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"churn-model", "churn-model", true},
		{"  Churn_Model.v2 ", "churn_model.v2", true},
		{"", "", false},
		{"has space", "", false},
		{"émoji", "", false},
		{strings.Repeat("a", 64), strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), "", false},
		{"<script>", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ProjectName(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ProjectName(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
		})
	}
}

func TestRepoURL(t *testing.T) {
	for in, ok := range map[string]bool{
		"":                           true,
		"https://github.com/a/b":     true,
		"git@github.com:a/b.git":     true,
		"ssh://git@host/a/b":         true,
		"ftp://host/x":               false,
		"not a url":                  false,
		"javascript:alert(1)":        false,
		"http://":                    false,
		"https://gitlab.example/x/y": true,
		"file:///srv/git/b.git":      true,
		"/srv/git/b.git":             true,
		"file://":                    false,
		"file:///":                   false,
		"//host/x":                   false,
		"relative/path":              false,
	} {
		if _, err := RepoURL(in); (err == nil) != ok {
			t.Errorf("RepoURL(%q) err = %v, want ok=%v", in, err, ok)
		}
	}
}

func TestParseWorkingHours(t *testing.T) {
	tests := []struct {
		in   string
		want WorkingHours
		ok   bool
	}{
		{"09:00-17:00", WorkingHours{540, 1020}, true},
		{" 07:30-15:45 ", WorkingHours{450, 945}, true},
		{"00:00-24:00", WorkingHours{0, 1440}, true},
		{"17:00-09:00", WorkingHours{}, false},
		{"9-5", WorkingHours{}, false},
		{"09:00", WorkingHours{}, false},
		{"25:00-26:00", WorkingHours{}, false},
		{"09:60-10:00", WorkingHours{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseWorkingHours(tt.in)
			if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
				t.Fatalf("ParseWorkingHours(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if tt.ok && got.String() != strings.TrimSpace(tt.in) {
				t.Errorf("String() = %q, want %q", got.String(), strings.TrimSpace(tt.in))
			}
		})
	}
}

func TestPersonActiveAt(t *testing.T) {
	back := t0.AddDate(0, 0, 14)
	tests := []struct {
		name string
		p    Person
		at   time.Time
		want bool
	}{
		{"active", Person{Membership: Membership{Status: Active}}, t0, true},
		{"left", Person{Membership: Membership{Status: Left}}, t0, false},
		{"paused", Person{Membership: Membership{Status: Paused, PausedUntil: back}}, t0, false},
		{"pause over", Person{Membership: Membership{Status: Paused, PausedUntil: back}}, back, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.ActiveAt(tt.at); got != tt.want {
				t.Errorf("ActiveAt = %v, want %v", got, tt.want)
			}
		})
	}
	if err := (Person{Profile: Profile{ID: "U1", Hours: DefaultHours}, Membership: Membership{Cadence: Weekly, Status: Paused}}).Validate(); err == nil {
		t.Error("a paused person without a return date validated")
	}
}

func newSession(t *testing.T) Session {
	t.Helper()
	return Session{ID: uuid.Must(uuid.NewV7()).String(), Kind: Pair, Project: "churn", Host: "ana",
		Learners: []string{"bo"}, State: Proposed, CreatedAt: t0}
}

func TestSessionTransitions(t *testing.T) {
	for _, from := range States {
		for _, to := range States {
			s := newSession(t)
			s.State = from
			err := s.Transition(to, t0)
			want := from.CanBecome(to)
			if (err == nil) != want {
				t.Errorf("%s → %s: err = %v, want legal=%v", from, to, err, want)
			}
			if err != nil && (s.State != from || !errors.Is(err, ErrConflict)) {
				t.Errorf("%s → %s refused but state is %s, err %v", from, to, s.State, err)
			}
		}
	}
	legalOnes := map[[2]State]bool{
		{Proposed, Accepted}: true, {Proposed, Done}: true, {Proposed, Skipped}: true, {Proposed, Cancelled}: true,
		{Accepted, Done}: true, {Accepted, Skipped}: true, {Accepted, Cancelled}: true,
	}
	for _, from := range States {
		for _, to := range States {
			if from.CanBecome(to) != legalOnes[[2]State{from, to}] {
				t.Errorf("CanBecome(%s, %s) = %v", from, to, from.CanBecome(to))
			}
		}
	}
}

func TestSessionRateAndValidate(t *testing.T) {
	s := newSession(t)
	if err := s.Validate(); err != nil {
		t.Fatalf("valid session: %v", err)
	}
	if err := s.Rate("bo", 4, "", t0); err == nil {
		t.Error("rated a proposed session")
	}
	if err := s.Transition(Done, t0); err != nil {
		t.Fatal(err)
	}
	if s.DoneAt != t0 {
		t.Errorf("DoneAt = %v", s.DoneAt)
	}
	for _, r := range []int{0, 6, -1} {
		if err := s.Rate("bo", r, "", t0); err == nil {
			t.Errorf("rating %d accepted", r)
		}
	}
	if err := s.Rate("bo", 5, "great", t0); err != nil || s.Rating != 5 {
		t.Errorf("Rate(5) = %v, rating %d", err, s.Rating)
	}
	if err := s.Rate("bo", 2, "", t0); err == nil || s.Rating != 5 {
		t.Errorf("a second rating by the same learner: %v, rating %d", err, s.Rating)
	}
	if err := s.Rate("cy", 2, "", t0); err == nil {
		t.Error("someone outside the session rated it")
	}
	if err := s.Rate("ana", 1, "slow start", t0); err != nil || s.Rating != 5 || s.Note != "great | slow start" {
		t.Errorf("the host's rating: %v, rating %d (the learners' mean stays), note %q", err, s.Rating, s.Note)
	}
	if got := s.Unrated(); len(got) != 0 {
		t.Errorf("Unrated = %v after both rated", got)
	}
	bad := []func(*Session){
		func(s *Session) { s.ID = uuid.NewString() }, // v4
		func(s *Session) { s.Kind = "chat" },
		func(s *Session) { s.State = "lost" },
		func(s *Session) { s.Learners = nil },
		func(s *Session) { s.Learners = []string{"ana"} },
		func(s *Session) { s.Learners = []string{"bo", "cy", "di"} },
		func(s *Session) { s.Project = "Bad Name" },
	}
	for i, mutate := range bad {
		s := newSession(t)
		mutate(&s)
		if err := s.Validate(); err == nil {
			t.Errorf("bad session %d validated", i)
		}
	}
}

func TestRoundID(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), "2026-W48"},
		{time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC), "2026-W53"},
		{time.Date(2025, 12, 29, 9, 0, 0, 0, time.UTC), "2026-W01"},
	}
	for _, tt := range tests {
		if got := RoundID(tt.at); got != tt.want {
			t.Errorf("RoundID(%v) = %s, want %s", tt.at, got, tt.want)
		}
		monday, err := ParseRoundID(tt.want)
		if err != nil || RoundID(monday) != tt.want || monday.Weekday() != time.Monday {
			t.Errorf("ParseRoundID(%s) = %v, %v", tt.want, monday, err)
		}
	}
	for _, bad := range []string{"2026-48", "2026-W00", "2025-W53", "abcd-W01", "2026-W488"} {
		if _, err := ParseRoundID(bad); err == nil {
			t.Errorf("ParseRoundID(%q) accepted", bad)
		}
	}
}
