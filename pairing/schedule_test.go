package pairing

import (
	"errors"
	"strings"
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

func TestParseWeeklySchedule(t *testing.T) {
	from := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC) // a Tuesday
	tests := []struct {
		name, spec, zone string
		twice            bool // refused for firing twice in one ISO week
		invalid          bool // refused by ParseSchedule already
	}{
		{"once a week", "0 9 * * MON", "UTC", false, false},
		{"once a week in a zone", "30 8 * * TUE", "Europe/Berlin", false, false},
		{"descriptor", "@weekly", "America/New_York", false, false},
		{"monthly", "0 9 1 * *", "UTC", false, false},
		{"a week apart by day of month", "0 9 1,8,15,22 * *", "UTC", false, false},
		{"two days a week", "0 9 * * MON,THU", "UTC", true, false},
		{"every weekday", "30 8 * * 1-5", "Europe/Berlin", true, false},
		{"daily", "0 9 * * *", "UTC", true, false},
		{"daily descriptor", "@daily", "UTC", true, false},
		{"every hour", "@every 1h", "UTC", true, false},
		{"every minute", "* * * * *", "UTC", true, false},
		{"twice on one day", "0 9,15 * * WED", "Asia/Tokyo", true, false},
		{"two days of one week by day of month", "0 9 1,3 * *", "UTC", true, false},
		{"bad cron", "0 25 * * MON", "UTC", false, true},
		{"bad zone", "0 9 * * MON", "Mars/Olympus", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseWeeklySchedule(tt.spec, tt.zone, from)
			switch {
			case tt.invalid || tt.twice:
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("ParseWeeklySchedule(%q, %q) err = %v, want an invalid-input error", tt.spec, tt.zone, err)
				}
				if got := strings.Contains(err.Error(), "more than once a week"); got != tt.twice {
					t.Errorf("err = %q; says 'more than once a week': %v, want %v", err, got, tt.twice)
				}
			case err != nil:
				t.Fatalf("ParseWeeklySchedule(%q, %q) err = %v, want ok", tt.spec, tt.zone, err)
			case s.Location().String() != tt.zone:
				t.Errorf("location %s, want %s", s.Location(), tt.zone)
			}
		})
	}
}
