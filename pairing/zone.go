package pairing

import (
	"path"
	"sync"
	"time"
)

// zones holds the time zones LoadZone found, by name.
var zones sync.Map // string → *time.Location

// LoadZone is time.LoadLocation, remembered: time.LoadLocation reads the
// zone database from disk at every call, and the bot asks for a zone at
// every join, schedule and reminder (under a burst of 200 joins it was 8%
// of the CPU). Only zones found under their clean name are kept (the
// zone database holds a few hundred): names that are not zones, and other
// spellings time.LoadLocation also accepts ("Europe//Berlin"), are looked
// up each time, so what people type cannot grow it. The zone database
// does not change under a running process.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	if path.Clean(name) == name {
		zones.Store(name, loc)
	}
	return loc, nil
}
