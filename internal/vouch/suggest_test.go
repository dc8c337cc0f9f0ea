package vouch

import "testing"

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"heathcare", "healthcare", 1}, {"", "abc", 3}, {"same", "same", 0}, {"retial", "retail", 2}, {"größe", "grosse", 3}} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestKnownTimeZone(t *testing.T) {
	for name, want := range map[string]bool{"Europe/Berlin": true, "America/New_York": true, "UTC": true,
		"Mars/Olympus": false, "": false, "Local": false, "europe/berlin": false} {
		for i := 0; i < 2; i++ { // the second answer comes from the cache
			if got := KnownTimeZone(name); got != want {
				t.Errorf("KnownTimeZone(%q) = %v, want %v", name, got, want)
			}
		}
	}
}
