package vouch

import "testing"

func TestParseFiscalPeriod(t *testing.T) {
	for _, c := range []struct {
		in          string
		start       int
		first, last string
		name        string
	}{
		{"2026-Q3", 1, "2026-07-01", "2026-09-30", "2026-Q3"},
		{"2026-11", 2, "2026-11-01", "2026-11-30", "2026-11"},
		{"FY2027", 2, "2026-02-01", "2027-01-31", "FY2027"},
		{"FY2027 Q1", 2, "2026-02-01", "2026-04-30", "FY2027 Q1"},
		{"fy2027-q4", 2, "2026-11-01", "2027-01-31", "FY2027 Q4"},
		{"FY2026", 1, "2026-01-01", "2026-12-31", "2026"},
		{"FY2026 Q2", 1, "2026-04-01", "2026-06-30", "2026-Q2"},
		{"FY2027 Q3", 7, "2027-01-01", "2027-03-31", "FY2027 Q3"},
	} {
		p, err := ParseFiscalPeriod(c.in, c.start)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if p.First.String() != c.first || p.Last.String() != c.last || FiscalName(p, c.start) != c.name {
			t.Errorf("%q (start %d) = %s … %s %q, want %s … %s %q", c.in, c.start, p.First, p.Last, FiscalName(p, c.start), c.first, c.last, c.name)
		}
	}
	for _, in := range []string{"", "FY", "FY20", "FY2027 Q5", "FY2027Q", "FY2027 H1", "2026-Q5", "next quarter"} {
		if _, err := ParseFiscalPeriod(in, 2); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
