package pairing

import (
	"fmt"
	"testing"
	"time"
)

func TestRepair(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	k := Replay(DefaultModel(), []Event{{ID: "o", At: monday, Kind: EventOwner, Project: "etl", Person: "host"}})
	people := []Person{
		{Profile: Profile{ID: "host", Hours: DefaultHours, TZ: "UTC"}, Membership: Membership{Status: Active}},
		{Profile: Profile{ID: "decliner", Hours: DefaultHours, TZ: "UTC"}, Membership: Membership{Status: Active}},
		{Profile: Profile{ID: "odd", Hours: DefaultHours, TZ: "UTC"}, Membership: Membership{Status: Active}},
		{Profile: Profile{ID: "nohours", Hours: WorkingHours{Start: 0, End: 60}, TZ: "UTC"}, Membership: Membership{Status: Active}},
	}
	declined := Session{ID: "s1", Round: "2026-W49", Kind: Pair, Project: "etl", Host: "host", Learners: []string{"decliner"}, State: Skipped}
	n := 0
	newID := func() string { n++; return fmt.Sprintf("new%d", n) }
	in := RepairInput{Declined: declined, Decliner: "decliner", People: people, Projects: []Project{{Name: "etl"}},
		Knowledge: k, At: monday, Length: time.Hour, Location: func(string) (*time.Location, error) { return time.UTC, nil }, NewID: newID}

	tests := []struct {
		name     string
		satOut   []SitOut
		free     []string
		wantWith string // "" for no new session
		wantFree []string
	}{
		{"someone who sat out is re-paired", []SitOut{{Person: "odd", Code: SitOutOdd}}, nil, "odd", nil},
		{"someone freed by an earlier decline", nil, []string{"odd"}, "odd", nil},
		{"a choice to skip is not free", []SitOut{{Person: "odd", Code: SitOutSkipped}}, nil, "", []string{"host"}},
		{"no shared hours", []SitOut{{Person: "nohours", Code: SitOutNoOverlap}}, nil, "", []string{"host"}},
		{"nobody free", nil, nil, "", []string{"host"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in.Round = Round{ID: "2026-W49", SessionIDs: []string{"s1"}, SatOut: tt.satOut, Free: tt.free}
			round, s := Repair(in)
			if tt.wantWith == "" {
				if s != nil {
					t.Fatalf("made %+v", s)
				}
			} else if s == nil || !s.Has("host") || !s.Has(tt.wantWith) || s.Slot.IsZero() || s.Round != "2026-W49" {
				t.Fatalf("session = %+v; want host with %s, a slot, the round", s, tt.wantWith)
			} else if len(round.SessionIDs) != 2 || round.SessionIDs[1] != s.ID {
				t.Errorf("round sessions %v", round.SessionIDs)
			}
			if fmt.Sprint(round.Free) != fmt.Sprint(tt.wantFree) {
				t.Errorf("free = %v, want %v (the decliner is never free)", round.Free, tt.wantFree)
			}
		})
	}
}
