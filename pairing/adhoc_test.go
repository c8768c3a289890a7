package pairing

import (
	"testing"
	"time"
)

// The backer of a review joins the caller and the reviewer in a group DM,
// so it is chosen as a partner would be: active, and no avoid list between
// them and either of the two.
func TestReviewBackerHonoursAvoidListsAndStatus(t *testing.T) {
	// k1 and k2 own the project (k1 sorts first); k2 always fits.
	events := []Event{
		{ID: "1", At: t0, Kind: EventOwner, Project: "p", Person: "k1"},
		{ID: "2", At: t0, Kind: EventOwner, Project: "p", Person: "k2"},
	}
	k := Replay(DefaultModel(), events)
	if got := k.Knowers("p", []Person{{Profile: Profile{ID: "k1"}}, {Profile: Profile{ID: "k2"}}}, t0.Add(2*time.Hour)); len(got) != 2 || got[0] != "k1" {
		t.Fatalf("knowers %v: the test needs k1 first", got)
	}
	tests := []struct {
		name       string
		caller, k1 Person
	}{
		{"k1 avoids the caller", Person{}, Person{Profile: Profile{Avoid: []string{"ana"}}}},
		{"the caller avoids k1", Person{Profile: Profile{Avoid: []string{"k1"}}}, Person{}},
		{"k1 avoids the reviewer", Person{}, Person{Profile: Profile{Avoid: []string{"rev"}}}},
		{"k1 is paused", Person{}, Person{Membership: Membership{Status: Paused, PausedUntil: t0.Add(30 * 24 * time.Hour)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caller, k1 := tt.caller, tt.k1
			caller.ID, k1.ID = "ana", "k1"
			if caller.Status == "" {
				caller.Status = Active
			}
			if k1.Status == "" {
				k1.Status = Active
			}
			people := []Person{caller, k1, {Profile: Profile{ID: "k2"}, Membership: Membership{Status: Active}}, {Profile: Profile{ID: "rev"}, Membership: Membership{Status: Active}}}
			a := AdHoc{Caller: "ana", Project: "p", People: people, Projects: []Project{{Name: "p"}}, Knowledge: k, At: t0.Add(2 * time.Hour)}
			s, err := SuggestReviewer(a)
			if err != nil {
				t.Fatal(err)
			}
			if s.Host != "k2" || len(s.Learners) != 1 || s.Learners[0] != "rev" {
				t.Errorf("review %s backs %v; want k2 backing rev", s.Host, s.Learners)
			}
		})
	}
	t.Run("nobody fits", func(t *testing.T) {
		people := []Person{{Profile: Profile{ID: "ana"}, Membership: Membership{Status: Active}}, {Profile: Profile{ID: "k1"}, Membership: Membership{Status: Left}}, {Profile: Profile{ID: "k2", Avoid: []string{"ana"}}, Membership: Membership{Status: Active}}, {Profile: Profile{ID: "rev"}, Membership: Membership{Status: Active}}}
		a := AdHoc{Caller: "ana", Project: "p", People: people, Projects: []Project{{Name: "p"}}, Knowledge: k, At: t0.Add(2 * time.Hour)}
		if s, err := SuggestReviewer(a); err == nil {
			t.Errorf("SuggestReviewer = %+v; want no backer", s)
		}
	})
}
