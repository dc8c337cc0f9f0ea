package web

import "testing"

func TestListOrdersFromTheURL(t *testing.T) {
	for _, c := range []struct {
		raw           string
		value         string // the canonical value; "" is best match
		sort          string // the index's order
		reverse, desc bool
		ok            bool
	}{
		{"", "", "", false, false, true},
		{"relevance", "", "", false, false, true},
		{"name", "name", "name", false, false, true},
		{"name-asc", "name", "name", false, false, true},
		{" Name-DESC ", "name-desc", "name", true, true, true},
		{"updated", "updated", "updated", false, true, true}, // newest first is descending
		{"updated-desc", "updated", "updated", false, true, true},
		{"updated-asc", "updated-asc", "updated", true, false, true},
		{"asked", "asked", "asked", false, true, true},
		{"verified", "verified", "verified", false, false, true}, // stalest first is ascending
		{"verified-desc", "verified-desc", "verified", true, true, true},
		{"status-desc", "status-desc", "status", true, true, true},
		{"relevance-desc", "", "", false, false, false},
		{"title", "", "", false, false, false},
		{"name-up", "", "", false, false, false},
	} {
		o, ok := parseOrder(c.raw)
		if o.Value != c.value || o.Sort != c.sort || o.Reverse != c.reverse || o.Desc != c.desc || ok != c.ok {
			t.Errorf("parseOrder(%q) = %+v, %v; want value %q, sort %q, reverse %v, desc %v, %v",
				c.raw, o, ok, c.value, c.sort, c.reverse, c.desc, c.ok)
		}
	}
}
