package pairing

import (
	"testing"
	"time"
)

// EndTime is when the session became final and stays put when a done
// session is rated later; sessions saved before EndedAt fall back.
func TestSessionEndTime(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	later := t0.AddDate(0, 0, 6)
	tests := []struct {
		name string
		make func() Session
		want time.Time
	}{
		{"open", func() Session { return Session{State: Accepted, UpdatedAt: t0} }, time.Time{}},
		{"done, rated the next week", func() Session {
			s := Session{State: Proposed, Host: "ana", Learners: []string{"bo"}}
			s.Transition(Done, t0)
			s.Rate("bo", 5, "", later)
			return s
		}, t0},
		{"skipped", func() Session { s := Session{State: Accepted}; s.Transition(Skipped, t0); return s }, t0},
		{"cancelled", func() Session { s := Session{State: Proposed}; s.Transition(Cancelled, t0); return s }, t0},
		{"done before EndedAt existed", func() Session { return Session{State: Done, DoneAt: t0, UpdatedAt: later} }, t0},
		{"skipped before EndedAt existed", func() Session { return Session{State: Skipped, UpdatedAt: t0} }, t0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.make().EndTime(); !got.Equal(tt.want) {
				t.Errorf("EndTime = %v, want %v", got, tt.want)
			}
		})
	}
}
