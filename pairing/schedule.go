package pairing

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// parser reads the five standard fields plus descriptors such as @weekly.
// Seconds are not offered: a team schedule never needs them.
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Schedule is a team's cron schedule in its time zone.
type Schedule struct {
	spec  string
	loc   *time.Location
	sched cron.Schedule
}

// ParseSchedule validates a five-field cron expression and an IANA zone.
// The zone is kept apart from the spec and never typed by the user into
// it: robfig/cron panics on some malformed TZ= prefixes, so the spec is
// refused if it tries.
func ParseSchedule(spec, zone string) (s Schedule, err error) {
	spec = strings.TrimSpace(spec)
	if strings.Contains(spec, "TZ=") {
		return Schedule{}, Errorf(CodeInvalid, "put the time zone in /pair config timezone, not in the schedule")
	}
	loc, err := LoadZone(zone)
	if err != nil || zone == "" || zone == "Local" {
		return Schedule{}, Errorf(CodeInvalid, "%q is not an IANA time zone such as Europe/Berlin", zone)
	}
	defer func() { // belt and braces: cron v3 has known panics on odd input
		if r := recover(); r != nil {
			s, err = Schedule{}, Errorf(CodeInvalid, "%q is not a cron expression", spec)
		}
	}()
	sched, err := parser.Parse(spec)
	if err != nil {
		return Schedule{}, Errorf(CodeInvalid, "%q is not a cron expression (%v): use five fields, e.g. \"0 9 * * MON\"", spec, err)
	}
	return Schedule{spec: spec, loc: loc, sched: sched}, nil
}

// weeklyHorizon is how far ahead ParseWeeklySchedule looks for a second
// firing in one week: long enough to see any day-of-week or day-of-month
// pattern come round, short enough to stay instant even for "* * * * *".
const weeklyHorizon = 8 * 7 * 24 * time.Hour

// ParseWeeklySchedule is ParseSchedule for the round schedule. Rounds are
// keyed by ISO week (RoundID), so a schedule that fires twice in
// one week would plan the first firing's round and silently do nothing at
// the second; it is refused if any two of its firings in the eight weeks
// after from fall in the same ISO week of the team's zone.
func ParseWeeklySchedule(spec, zone string, from time.Time) (Schedule, error) {
	s, err := ParseSchedule(spec, zone)
	if err != nil {
		return Schedule{}, err
	}
	seen := map[string]time.Time{}
	end := from.Add(weeklyHorizon)
	for t := s.Next(from); !t.IsZero() && t.Before(end); t = s.Next(t) {
		t = t.In(s.loc)
		week := RoundID(t)
		if first, ok := seen[week]; ok {
			return Schedule{}, Errorf(CodeInvalid,
				"%q runs more than once a week (%s and %s), but there is one round a week: give one day and time, e.g. \"0 9 * * MON\"",
				s.spec, first.Format("Mon 2 Jan 15:04"), t.Format("Mon 2 Jan 15:04"))
		}
		seen[week] = t
	}
	return s, nil
}

// Next is the first scheduled instant after t. With it a Schedule is a
// cron.Schedule that runs in the team's zone.
func (s Schedule) Next(t time.Time) time.Time { return s.sched.Next(t.In(s.loc)) }

// Location is the schedule's time zone.
func (s Schedule) Location() *time.Location { return s.loc }

func (s Schedule) String() string { return fmt.Sprintf("%s (%s)", s.spec, s.loc) }
