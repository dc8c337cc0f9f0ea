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
