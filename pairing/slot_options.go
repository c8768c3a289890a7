package pairing

import (
	"slices"
	"time"
)

// OtherSlots offers up to n alternatives to a session's planned slot: the
// earliest slot inside every participant's working hours on each later day
// (UTC) of the round's week [weekStart, weekStart+7 days), one per day,
// never on the planned slot's day and never before after. It is pure: the
// bot shows them on the proposal and checks a chosen one against them.
func OtherSlots(people []Person, planned time.Time, length time.Duration, weekStart, after time.Time, n int,
	locate func(string) (*time.Location, error)) []time.Time {
	var out []time.Time
	weekEnd := weekStart.AddDate(0, 0, 7)
	y, m, d := planned.UTC().Date()
	for day := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC); len(out) < n && day.Before(weekEnd); day = day.AddDate(0, 0, 1) {
		from := day
		if from.Before(after) {
			from = after
		}
		slot, ok := FirstSlot(people, from, length, locate)
		if ok && slot.Before(day.AddDate(0, 0, 1)) && !slot.Add(length).After(weekEnd) {
			out = append(out, slot)
		}
	}
	return out
}

// IsOtherSlot reports whether t is one of the alternatives OtherSlots
// offers now, so a click on an old alternative that no longer fits anyone's
// hours changes nothing.
func IsOtherSlot(t time.Time, people []Person, planned time.Time, length time.Duration, weekStart, after time.Time, n int,
	locate func(string) (*time.Location, error)) bool {
	return slices.ContainsFunc(OtherSlots(people, planned, length, weekStart, after, n, locate), t.Equal)
}
