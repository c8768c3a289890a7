package pairing

import (
	"sync"
	"time"
)

// zones holds the time zones LoadZone found, by name.
var zones sync.Map // string → *time.Location

// LoadZone is time.LoadLocation, remembered: time.LoadLocation reads the
// zone database from disk at every call, and the bot asks for a zone at
// every join, schedule and reminder (under a burst of 200 joins it was 8%
// of the CPU). Only zones found are kept, so names people mistype do not
// grow it; the zone database does not change under a running process.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
