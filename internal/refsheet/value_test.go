package refsheet

import "testing"

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in     string
		xlsx   bool
		want   string
		reason string
	}{
		{"2026-03-14", false, "2026-03-14", ""},
		{"2026-3-4", false, "2026-03-04", ""},
		{"2026/03/14", false, "2026-03-14", ""},
		{"14.03.2026", false, "2026-03-14", ""},
		{"4.3.2026", false, "2026-03-04", ""},
		{"14 Mar 2026", false, "2026-03-14", ""},
		{"14 march 2026", false, "2026-03-14", ""},
		{"14-Mar-2026", false, "2026-03-14", ""},
		{"Mar 14, 2026", false, "2026-03-14", ""},
		{"March 14, 2026", false, "2026-03-14", ""},
		{"3/14/2026", false, "2026-03-14", ""},
		{"3/4/2026", false, "2026-03-04", ""}, // US: the 4th of March
		{"2026-03-14T09:30:00Z", false, "2026-03-14", ""},
		{"2026-03-14 09:30:00", false, "2026-03-14", ""},
		{"46095", true, "2026-03-14", ""},    // Excel's serial number for the day
		{"46095.75", true, "2026-03-14", ""}, // … with a time of day
		{"46095", false, "", "not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"},
		{"14/03/2026", false, "", "not a date: slashed dates are read as month/day/year; write it as YYYY-MM-DD, e.g. 2026-03-14"},
		{"2026-02-30", false, "", "not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"},
		{"soon", false, "", "not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"},
	} {
		d, reason := parseDate(tc.in, tc.xlsx)
		if d.String() != tc.want || reason != tc.reason {
			t.Errorf("parseDate(%q, %v) = %q, %q; want %q, %q", tc.in, tc.xlsx, d, reason, tc.want, tc.reason)
		}
	}
}

func TestParseCells(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
		ok   bool
	}{{"Y", true, true}, {"yes", true, true}, {"TRUE", true, true}, {"1", true, true}, {"x", true, true},
		{"N", false, true}, {"No", false, true}, {"false", false, true}, {"0", false, true}, {"maybe", false, false}} {
		got, reason := parseBool(tc.in)
		if got != tc.want || (reason == "") != tc.ok {
			t.Errorf("parseBool(%q) = %v, %q", tc.in, got, reason)
		}
	}
	for in, want := range map[string]string{"Exec": "executive", "VP": "executive", "Director": "director", "mgr": "manager"} {
		if got, reason := parseSeniority(in); got != want || reason != "" {
			t.Errorf("parseSeniority(%q) = %q, %q", in, got, reason)
		}
	}
	if _, reason := parseSeniority("Directr"); reason != "did you mean 'director'?" {
		t.Errorf("typo in seniority: %q", reason)
	}
	if _, reason := parseStatus("on hold"); reason != "not a status; use Nominated, Qualifying, Active, Resting, Retired or Do not contact" {
		t.Errorf("unknown status: %q", reason)
	}
	for in, want := range map[string]string{"SaaS": "cloud", "On-Prem": "on-premises", "on premise": "on-premises", "Hybrid": "hybrid"} {
		if got, reason := parseDeployment(in); got != want || reason != "" {
			t.Errorf("parseDeployment(%q) = %q, %q", in, got, reason)
		}
	}
	for in, want := range map[string]string{"Maya <Maya@Example.com>": "maya@example.com", "mailto:ada@example.com": "ada@example.com"} {
		if got, reason := parseEmail(in); got != want || reason != "" {
			t.Errorf("parseEmail(%q) = %q, %q", in, got, reason)
		}
	}
	if got := plainNumber("4.915112345678E+12", true); got != "4915112345678" {
		t.Errorf("plainNumber = %q", got)
	}
	if got := splitList("Analytics; Data Platform, Security"); len(got) != 2 || got[1] != "Data Platform, Security" {
		t.Errorf("a semicolon wins over commas: %q", got)
	}
	if got := valueKey("1,001 – 5,000"); got != valueKey("1001-5000") {
		t.Errorf("valueKey: %q vs %q", got, valueKey("1001-5000"))
	}
	if got := closest("Finance Services", []string{"Financial Services", "Retail"}); got != "Financial Services" {
		t.Errorf("closest = %q", got)
	}
	if got := closest("Agritech", []string{"Healthcare", "Retail"}); got != "" {
		t.Errorf("closest to nothing = %q", got)
	}
}
