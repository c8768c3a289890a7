package pairing

import (
	"testing"
	"time"
)

func TestOtherSlots(t *testing.T) {
	locate := func(tz string) (*time.Location, error) { return time.LoadLocation(tz) }
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	london := Person{Profile: Profile{ID: "cy", TZ: "Europe/London", Hours: DefaultHours}}
	berlin := Person{Profile: Profile{ID: "ana", TZ: "Europe/Berlin", Hours: DefaultHours}}
	tokyo := Person{Profile: Profile{ID: "di", TZ: "Asia/Tokyo", Hours: DefaultHours}}
	tests := []struct {
		name    string
		people  []Person
		planned time.Time
		n       int
		want    []time.Time
	}{
		{"later weekdays, earliest shared hour", []Person{berlin, london}, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), 2,
			[]time.Time{time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}},
		{"not past the week", []Person{berlin, london}, time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), 2,
			[]time.Time{time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}},
		{"no shared hours, no options", []Person{london, tokyo}, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), 2, nil},
		{"at most n", []Person{berlin, london}, time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), 1,
			[]time.Time{time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OtherSlots(tt.people, tt.planned, time.Hour, monday, monday, tt.n, locate)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if !got[i].Equal(tt.want[i]) {
					t.Errorf("option %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
