package vouch

import (
	"sync"
	"time"
)

// zones keeps the time zones that exist, by name: time.LoadLocation reads
// the zone database from disk on every call, slower than rendering a page.
// Only names that exist are kept, so bad input cannot grow it.
var zones sync.Map // name → *time.Location

// Zone returns the IANA time zone called name, such as "Europe/Berlin",
// read from disk once. "Local" is not one: it means the server's zone, not
// the person's.
func Zone(name string) (*time.Location, bool) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), true
	}
	if name == "" || name == "Local" {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	zones.Store(name, loc)
	return loc, true
}

// KnownTimeZone reports whether name is an IANA time zone such as
// "Europe/Berlin" ("Local" is not).
func KnownTimeZone(name string) bool {
	_, ok := Zone(name)
	return ok
}
