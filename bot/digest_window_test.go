package bot

import (
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

func TestDigestWindow(t *testing.T) {
	utc := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name, digest, zone, week string
		from, to                 time.Time
	}{
		{"Fridays in UTC", "0 16 * * FRI", "UTC", "2026-W50", utc(2026, 12, 4, 16), utc(2026, 12, 11, 16)},
		{"across the change to summer time", "0 16 * * FRI", "Europe/Berlin", "2027-W13", utc(2027, 3, 26, 15), utc(2027, 4, 2, 14)},
		{"monthly: the previous digest is weeks back", "0 16 1 * *", "UTC", "2027-W05", utc(2027, 1, 1, 16), utc(2027, 2, 1, 16)},
		{"no usable schedule", "", "UTC", "2026-W50", utc(2026, 12, 7, 0), utc(2026, 12, 14, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			monday, err := pairing.ParseRoundID(tt.week)
			if err != nil {
				t.Fatal(err)
			}
			from, to := digestWindow(pairing.TeamSettings{Digest: tt.digest, TimeZone: tt.zone}, monday)
			if !from.Equal(tt.from) || !to.Equal(tt.to) {
				t.Errorf("window [%v, %v), want [%v, %v)", from.UTC(), to.UTC(), tt.from, tt.to)
			}
		})
	}
}
