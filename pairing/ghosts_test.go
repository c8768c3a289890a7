package pairing

import (
	"slices"
	"testing"
	"time"
)

func TestIgnoredInARow(t *testing.T) {
	week := func(n int) time.Time { return t0.AddDate(0, 0, 7*n) }
	s := func(n int, state State, responded ...string) Session {
		return Session{Round: RoundID(week(n)), Host: "ana", Learners: []string{"bo"}, State: state,
			CreatedAt: week(n), UpdatedAt: week(n).Add(4 * time.Hour), Slot: week(n).Add(2 * time.Hour), Length: time.Hour, Responded: responded}
	}
	declined := func(n int) Session { // Ana's *Can't this week* an hour after the proposal
		x := s(n, Skipped, "ana")
		x.UpdatedAt = week(n).Add(time.Hour)
		return x
	}
	bo := Person{Profile: Profile{ID: "bo"}}
	tests := []struct {
		name     string
		sessions []Session
		person   Person
		now      time.Time
		want     int
	}{
		{"none", nil, bo, week(5), 0},
		{"three ignored", []Session{s(1, Proposed), s(2, Proposed), s(3, Proposed)}, bo, week(4), 3},
		{"answered the latest", []Session{s(1, Proposed), s(2, Proposed), s(3, Done, "bo")}, bo, week(4), 0},
		{"answered an older one", []Session{s(1, Proposed, "bo"), s(2, Skipped), s(3, Proposed)}, bo, week(4), 2},
		{"the partner's retro click does not count", []Session{s(1, Proposed), s(2, Skipped, "ana"), s(3, Proposed)}, bo, week(4), 3},
		{"a session that happened stops the count", []Session{s(1, Proposed), s(2, Done, "ana"), s(3, Proposed)}, bo, week(4), 1},
		{"a session the partner called off neither counts nor stops", []Session{s(1, Proposed), declined(2), s(3, Proposed)}, bo, week(4), 2},
		{"a proposal still open does not count", []Session{s(1, Proposed), s(2, Proposed), s(4, Proposed)}, bo, week(4), 2},
		{"stay in resets", []Session{s(1, Proposed), s(2, Proposed), s(3, Proposed)}, Person{Profile: Profile{ID: "bo"}, Membership: Membership{StayedInAt: week(2).Add(time.Hour)}}, week(4), 1},
		{"ad-hoc sessions do not count", []Session{{Host: "ana", Learners: []string{"bo"}, State: Skipped, CreatedAt: week(1)}}, bo, week(4), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IgnoredInARow(tt.person, tt.sessions, tt.now); got != tt.want {
				t.Errorf("IgnoredInARow = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestAdHocHonoursExclusions(t *testing.T) {
	k := Replay(DefaultModel(), []Event{{ID: "o", At: t0, Kind: EventOwner, Project: "p", Person: "ana"}})
	people := []Person{{Profile: Profile{ID: "ana"}, Membership: Membership{Status: Active}}, {Profile: Profile{ID: "bo", Avoid: []string{"ana"}}, Membership: Membership{Status: Active}}, {Profile: Profile{ID: "cy"}, Membership: Membership{Status: Active}}}
	a := AdHoc{Caller: "ana", Project: "p", People: people, Projects: []Project{{Name: "p"}}, Knowledge: k, At: t0}
	s, err := SuggestPartner(a)
	if err != nil || s.Has("bo") {
		t.Fatalf("SuggestPartner = %+v, %v; bo avoids ana", s, err)
	}
	a.Caller = "bo"
	if s, err := SuggestPartner(a); err == nil && s.Has("ana") {
		t.Fatalf("bo was paired with ana, whom he avoids: %+v", s)
	}
	a.Caller = "ana"
	if s, err := SuggestReviewer(a); err != nil || s.Has("bo") {
		t.Fatalf("SuggestReviewer = %+v, %v", s, err)
	}
}

func TestRemoveLearnerAcceptsWhenTheRestHave(t *testing.T) {
	s := Session{Host: "ana", Learners: []string{"bo", "cy"}, State: Proposed, Accepted: []string{"ana", "bo"}, Responded: []string{"ana", "cy"}}
	if err := s.RemoveLearner("ana", t0); err == nil {
		t.Error("the host left a trio")
	}
	if err := s.RemoveLearner("cy", t0); err != nil {
		t.Fatal(err)
	}
	if s.State != Accepted || len(s.Learners) != 1 || s.Learners[0] != "bo" {
		t.Errorf("after cy left: %+v; want an accepted pair of ana and bo", s)
	}
	if !slices.Equal(s.Responded, []string{"ana"}) {
		t.Errorf("after cy left, responded %v; want [ana]: only participants answer", s.Responded)
	}
	if err := s.RemoveLearner("bo", t0); err == nil {
		t.Error("a pair lost its only learner")
	}
}
