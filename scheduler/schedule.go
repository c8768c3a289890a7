package scheduler

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/pollen-team/pollen/pairing"
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
		return Schedule{}, pairing.Errorf(pairing.CodeInvalid, "put the time zone in /pair config timezone, not in the schedule")
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || zone == "Local" {
		return Schedule{}, pairing.Errorf(pairing.CodeInvalid, "%q is not an IANA time zone such as Europe/Berlin", zone)
	}
	defer func() { // belt and braces: cron v3 has known panics on odd input
		if r := recover(); r != nil {
			s, err = Schedule{}, pairing.Errorf(pairing.CodeInvalid, "%q is not a cron expression", spec)
		}
	}()
	sched, err := parser.Parse(spec)
	if err != nil {
		return Schedule{}, pairing.Errorf(pairing.CodeInvalid, "%q is not a cron expression (%v): use five fields, e.g. \"0 9 * * MON\"", spec, err)
	}
	return Schedule{spec: spec, loc: loc, sched: sched}, nil
}

// Next is the first scheduled instant after t.
func (s Schedule) Next(t time.Time) time.Time { return s.sched.Next(t.In(s.loc)) }

// sched2 is the schedule as cron runs it: in the team's zone.
func (s Schedule) sched2() cron.Schedule { return zoned{s} }

type zoned struct{ s Schedule }

func (z zoned) Next(t time.Time) time.Time { return z.s.Next(t) }

// Location is the schedule's time zone.
func (s Schedule) Location() *time.Location { return s.loc }

func (s Schedule) String() string { return fmt.Sprintf("%s (%s)", s.spec, s.loc) }
