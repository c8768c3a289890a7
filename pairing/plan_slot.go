package pairing

import (
	"fmt"
	"slices"
	"time"
)

// slotStep aligns proposed slots to the quarter hour, which is also a
// quarter hour in every time zone.
const slotStep = 15 * time.Minute

// availability knows everyone's working windows in the round's week, as
// instants, and finds the earliest slot that several people share. People
// with the same time zone and hours share a profile, so overlaps are
// computed once per pair of profiles, not per pair of people.
type availability struct {
	start, end time.Time
	length     time.Duration
	locate     func(string) (*time.Location, error)

	byKey    map[profileKey]int32
	windows  [][]window          // per profile, sorted, disjoint
	labels   []string            // per profile, e.g. "09:00-17:00 Europe/Berlin"
	pairSlot map[uint64]slotAt   // per pair of profiles
	trioSlot map[[3]int32]slotAt // per sorted triple of profiles
}

type profileKey struct {
	tz    string
	hours WorkingHours
}

// window is a working window [from, to) in Unix seconds.
type window struct{ from, to int64 }

type slotAt struct {
	at time.Time
	ok bool
}

func newAvailability(start time.Time, length time.Duration, locate func(string) (*time.Location, error)) *availability {
	return &availability{
		start: start, end: start.Add(7 * 24 * time.Hour), length: length, locate: locate,
		byKey: map[profileKey]int32{}, pairSlot: map[uint64]slotAt{}, trioSlot: map[[3]int32]slotAt{},
	}
}

// profileOf returns the person's profile, computing its windows the first
// time: Monday to Friday, their working hours in their own zone, within the
// round's week. Invalid hours fall back to DefaultHours.
func (a *availability) profileOf(per Person) (int32, error) {
	hours := per.Hours
	if hours.Validate() != nil {
		hours = DefaultHours
	}
	key := profileKey{per.TZ, hours}
	if id, ok := a.byKey[key]; ok {
		return id, nil
	}
	loc, err := a.location(per.TZ)
	if err != nil {
		return -1, err
	}
	var ws []window
	first := a.start.In(loc).AddDate(0, 0, -1)
	for d := 0; d < 9; d++ {
		day := time.Date(first.Year(), first.Month(), first.Day()+d, 0, 0, 0, 0, loc)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		from := time.Date(day.Year(), day.Month(), day.Day(), 0, hours.Start, 0, 0, loc)
		to := time.Date(day.Year(), day.Month(), day.Day(), 0, hours.End, 0, 0, loc)
		if from.Before(a.start) {
			from = a.start
		}
		if to.After(a.end) {
			to = a.end
		}
		if to.After(from) {
			ws = append(ws, window{from.Unix(), to.Unix()})
		}
	}
	id := int32(len(a.windows))
	a.byKey[key] = id
	a.windows = append(a.windows, ws)
	a.labels = append(a.labels, fmt.Sprintf("%s %s", hours, zoneLabel(per.TZ)))
	return id, nil
}

func (a *availability) location(tz string) (*time.Location, error) {
	if a.locate != nil {
		return a.locate(tz)
	}
	if tz == "" || tz == "UTC" {
		return time.UTC, nil
	}
	return nil, fmt.Errorf("unknown time zone %q", tz)
}

func zoneLabel(tz string) string {
	if tz == "" {
		return "UTC"
	}
	return tz
}

// pair is the earliest slot two profiles share, cached.
func (a *availability) pair(x, y int32) (time.Time, bool) {
	k := pairKey(x, y)
	if s, ok := a.pairSlot[k]; ok {
		return s.at, s.ok
	}
	at, ok := a.earliest(a.windows[x], a.windows[y])
	a.pairSlot[k] = slotAt{at, ok}
	return at, ok
}

// slot is the earliest slot that two or three profiles share, cached.
func (a *availability) slot(profiles ...int32) (time.Time, bool) {
	if len(profiles) == 2 {
		return a.pair(profiles[0], profiles[1])
	}
	key := [3]int32{profiles[0], profiles[1], profiles[2]}
	slices.Sort(key[:])
	if s, ok := a.trioSlot[key]; ok {
		return s.at, s.ok
	}
	at, ok := a.earliest(a.windows[key[0]], a.windows[key[1]], a.windows[key[2]])
	a.trioSlot[key] = slotAt{at, ok}
	return at, ok
}

// earliest is the first quarter-hour-aligned start of a slot of the
// session length inside the intersection of the windows.
func (a *availability) earliest(lists ...[]window) (time.Time, bool) {
	ws := lists[0]
	for _, l := range lists[1:] {
		ws = intersect(ws, l)
	}
	step, length := int64(slotStep/time.Second), int64(a.length/time.Second)
	for _, w := range ws {
		from := (w.from + step - 1) / step * step
		if from+length <= w.to {
			return time.Unix(from, 0).UTC(), true
		}
	}
	return time.Time{}, false
}

// intersect returns the overlap of two sorted lists of disjoint windows.
func intersect(a, b []window) []window {
	var out []window
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		from, to := max(a[i].from, b[j].from), min(a[i].to, b[j].to)
		if from < to {
			out = append(out, window{from, to})
		}
		if a[i].to < b[j].to {
			i++
		} else {
			j++
		}
	}
	return slices.Clip(out)
}
