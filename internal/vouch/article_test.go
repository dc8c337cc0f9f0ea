package vouch

import "testing"

func TestWithArticle(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"Call", "a call"},
		{"Site visit", "a site visit"},
		{"Analyst", "an analyst"},
		{"RFP", "an RFP"},
		{"Case study", "a case study"},
		{"Logo", "a logo"},
		{"  Event  ", "an event"},
		{"", "the activity"},
	} {
		if got := WithArticle(c.name); got != c.want {
			t.Errorf("WithArticle(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
