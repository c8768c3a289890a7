package scheduler

import (
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		spec, zone string
		ok         bool
	}{
		{"0 9 * * MON", "UTC", true},
		{"30 8 * * 1-5", "Europe/Berlin", true},
		{"@weekly", "America/New_York", true},
		{"0 9 * * MON", "Mars/Olympus", false},
		{"0 9 * * MON", "", false},
		{"0 9 * *", "UTC", false},
		{"TZ=0", "UTC", false},
		{"CRON_TZ=UTC 0 9 * * MON", "UTC", false},
		{"61 9 * * MON", "UTC", false},
		{"0 0 9 * * MON", "UTC", false}, // seconds are not offered
	}
	for _, tt := range tests {
		t.Run(tt.spec+" "+tt.zone, func(t *testing.T) {
			_, err := ParseSchedule(tt.spec, tt.zone)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseSchedule(%q, %q) err = %v, want ok=%v", tt.spec, tt.zone, err, tt.ok)
			}
		})
	}
}

func TestNextIsInTheTeamZone(t *testing.T) {
	s, err := ParseSchedule("0 9 * * MON", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// Tuesday 24 November 2026, 12:00 UTC → Monday 30 November 09:00 CET = 08:00 UTC.
	got := s.Next(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next = %v, want %v", got.UTC(), want)
	}
	// Across the spring change: Monday 30 March 2026 09:00 CEST = 07:00 UTC.
	got = s.Next(time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next across DST = %v, want %v", got.UTC(), want)
	}
}
