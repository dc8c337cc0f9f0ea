package vouch

import (
	"sync"
	"time"
)

// zones remembers the time zone names that exist: time.LoadLocation reads
// the zone database from disk on every call, slower than saving a reference.
// Only names that exist are kept, so bad input cannot grow it.
var zones sync.Map // name → struct{}

// KnownTimeZone reports whether name is an IANA time zone such as
// "Europe/Berlin". "Local" is not: it means the server's zone, not the person's.
func KnownTimeZone(name string) bool {
	if _, ok := zones.Load(name); ok {
		return true
	}
	if name == "" || name == "Local" {
		return false
	}
	if _, err := time.LoadLocation(name); err != nil {
		return false
	}
	zones.Store(name, struct{}{})
	return true
}
