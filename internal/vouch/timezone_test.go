package vouch

import "testing"

// A zone is read from disk once and then shared; names that are not zones
// (or mean the server's own) are refused.
func TestZone(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{{"Europe/Berlin", true}, {"UTC", true}, {"America/Los_Angeles", true},
		{"", false}, {"Local", false}, {"Mars/Olympus", false}, {"europe/berlin x", false}} {
		loc, ok := Zone(c.name)
		if ok != c.ok || (ok && loc.String() != c.name) {
			t.Errorf("Zone(%q) = %v, %v; want ok %v", c.name, loc, ok, c.ok)
		}
		if KnownTimeZone(c.name) != c.ok {
			t.Errorf("KnownTimeZone(%q) = %v, want %v", c.name, !c.ok, c.ok)
		}
	}
	a, _ := Zone("Asia/Tokyo")
	b, _ := Zone("Asia/Tokyo")
	if a != b {
		t.Error("a zone was read twice instead of shared")
	}
}
