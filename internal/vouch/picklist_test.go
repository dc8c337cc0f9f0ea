package vouch

import (
	"strings"
	"testing"
)

func TestValueKey(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"1,001–5,000", "1001-5000"}, {"1,001 – 5,000", "1,001-5,000"}, {"10,001+", "10001+"},
		{"  Data   Platform ", "data platform"}, {"Mid—Market", "mid-market"}, {"Energy & Utilities", "energy & utilities"},
	} {
		if ValueKey(c.a) != ValueKey(c.b) {
			t.Errorf("ValueKey(%q) = %q, ValueKey(%q) = %q; want equal", c.a, ValueKey(c.a), c.b, ValueKey(c.b))
		}
	}
	if ValueKey("Retail") == ValueKey("Retails") {
		t.Error("different names have one key")
	}
}

func TestClosestName(t *testing.T) {
	options := []string{"Healthcare", "Retail", "Financial Services", "SMB", "APAC", "Analytics", "Automation"}
	for _, c := range []struct{ name, want string }{
		{"Heathcare", "Healthcare"},      // one edit
		{"Helthcar", "Healthcare"},       // two edits in a long name
		{"Hxlthcar", ""},                 // three are too many
		{"SMV", "SMB"},                   // one edit in a short name
		{"SXV", ""},                      // two are too many for a short one
		{"Financ", "Financial Services"}, // the only value that starts so
		{"Au", ""},                       // too short to be a prefix
		{"An", ""},
		{"Aut", "Automation"},
		{"A", ""},
		{"retial", "Retail"},
		{"Finance Services", "Financial Services"}, // three edits in a long name
		{"Fin Services", ""},                       // four are too many
	} {
		if got := ClosestName(c.name, options); got != c.want {
			t.Errorf("ClosestName(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestChooseValue(t *testing.T) {
	vals := []*TaxonomyValue{{ID: 1, Name: "Healthcare"}, {ID: 2, Name: "Retail"}, {ID: 3, Name: "Legacy", Retired: true},
		{ID: 4, Name: "1,001–5,000"}}
	for _, c := range []struct {
		name   string
		kept   []int64
		id     int64
		reason string // contains
	}{
		{"healthcare", nil, 1, ""},
		{"1001-5000", nil, 4, ""},
		{"", nil, 0, ""},
		{"Legacy", nil, 0, "Legacy is retired; choose another value or restore it in Settings → Taxonomies"},
		{"Legacy", []int64{3}, 3, ""}, // a value the record has stays
		{"Retial", nil, 0, `did you mean "Retail"?`},
		{"Legac", nil, 0, `it is one of Healthcare, Retail, 1,001–5,000`}, // retired values are never suggested
	} {
		id, reason := ChooseValue(vals, c.name, c.kept)
		if id != c.id || (c.reason == "") != (reason == "") || !strings.Contains(reason, c.reason) {
			t.Errorf("ChooseValue(%q, kept %v) = %d, %q; want %d, %q", c.name, c.kept, id, reason, c.id, c.reason)
		}
	}
}

func TestCheckInitialStatus(t *testing.T) {
	for _, s := range Statuses {
		want := s == StatusNominated || s == StatusQualifying || s == StatusActive
		if got := CheckInitialStatus(s) == ""; got != want {
			t.Errorf("a new reference may start %s: %v, want %v", s, got, want)
		}
	}
}

func TestCheckVerifiedOn(t *testing.T) {
	today := NewDate(2026, 3, 14)
	for _, c := range []struct {
		day Date
		ok  bool
	}{{Date{}, true}, {today, true}, {today.AddDays(-400), true}, {today.AddDays(1), false}} {
		if got := CheckVerifiedOn(c.day, today) == ""; got != c.ok {
			t.Errorf("verified on %s, today %s: allowed %v, want %v", c.day, today, got, c.ok)
		}
	}
}

func TestCheckBulkIDs(t *testing.T) {
	many := make([]int64, MaxBulk+1)
	for i := range many {
		many[i] = int64(i + 1)
	}
	for _, c := range []struct {
		ids []int64
		ok  bool
	}{{nil, false}, {[]int64{1, 2}, true}, {[]int64{1, -2}, false}, {many, false}, {many[:MaxBulk], true}} {
		if got := CheckBulkIDs(c.ids) == ""; got != c.ok {
			t.Errorf("%d ids: allowed %v, want %v", len(c.ids), got, c.ok)
		}
	}
}
