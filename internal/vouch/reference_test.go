package vouch

import (
	"strings"
	"testing"
	"time"
)

func TestCheckTransition(t *testing.T) {
	today := NewDate(2026, 11, 23)
	cases := []struct {
		from    Status
		change  StatusChange
		wantErr string // substring; "" means allowed
	}{
		{StatusNominated, StatusChange{To: StatusQualifying}, ""},
		{StatusNominated, StatusChange{To: StatusActive}, "cannot become active"},
		{StatusQualifying, StatusChange{To: StatusActive}, ""},
		{StatusActive, StatusChange{To: StatusResting, Until: today.AddDays(30)}, ""},
		{StatusActive, StatusChange{To: StatusResting}, "until: is required"},
		{StatusActive, StatusChange{To: StatusResting, Until: today}, "until: must be after today"},
		{StatusActive, StatusChange{To: StatusRetired}, "reason: is required"},
		{StatusActive, StatusChange{To: StatusRetired, Reason: "left the company"}, ""},
		{StatusResting, StatusChange{To: StatusActive}, ""},
		{StatusRetired, StatusChange{To: StatusActive}, "cannot become active"},
		{StatusRetired, StatusChange{To: StatusQualifying}, ""},
		{StatusNominated, StatusChange{To: StatusDoNotContact, Reason: "asked"}, ""},
		{StatusRetired, StatusChange{To: StatusDoNotContact, Reason: "asked"}, ""},
		{StatusDoNotContact, StatusChange{To: StatusDoNotContact, Reason: "asked"}, ""},
		{StatusDoNotContact, StatusChange{To: StatusActive}, "cannot become active"},
		{StatusDoNotContact, StatusChange{To: StatusQualifying}, ""},
		{StatusActive, StatusChange{To: "famous"}, "status: must be one of"},
	}
	for _, c := range cases {
		err := CheckTransition(c.from, c.change, today)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s → %s: %v, want allowed", c.from, c.change.To, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%s → %s: %v, want an error with %q", c.from, c.change.To, err, c.wantErr)
		}
	}
}

func TestComputeCapacity(t *testing.T) {
	today := NewDate(2026, 3, 1)
	day := func(n int) Date { return today.AddDays(-n) }
	cases := []struct {
		name     string
		max      int
		dates    []Date
		used     int
		free     bool
		nextFree Date
	}{
		{"none", 3, nil, 0, true, Date{}},
		{"two of three", 3, []Date{day(5), day(40)}, 2, true, Date{}},
		{"full: the oldest leaves first", 3, []Date{day(5), day(80), day(40)}, 3, false, day(80).AddDays(90)},
		{"outside the window does not count", 3, []Date{day(90), day(200)}, 0, true, Date{}},
		{"the window's first day counts", 1, []Date{day(89)}, 1, false, day(89).AddDays(90)},
		{"over capacity: enough must leave", 2, []Date{day(1), day(2), day(3), day(4)}, 4, false, day(2).AddDays(90)},
		{"a limit of zero is never free", 0, []Date{day(1)}, 1, false, Date{}},
		{"a limit of zero without activities", 0, nil, 0, false, Date{}},
	}
	for _, c := range cases {
		got := ComputeCapacity(c.max, c.dates, today)
		if got.Used != c.used || got.Free() != c.free || got.NextFree != c.nextFree {
			t.Errorf("%s: %+v (free %v), want used %d free %v next %s", c.name, got, got.Free(), c.used, c.free, c.nextFree)
		}
	}
}

func TestEffectiveStatusAndStale(t *testing.T) {
	today := NewDate(2026, 3, 1)
	r := &Reference{Status: StatusResting, RestingUntil: today.AddDays(1)}
	if r.EffectiveStatus(today) != StatusResting || r.EffectiveStatus(today.AddDays(1)) != StatusActive {
		t.Error("a rest ends on its until day")
	}
	r = &Reference{LastVerified: today.AddDays(-365)}
	if r.Stale(today) || !r.Stale(today.AddDays(1)) || !(&Reference{}).Stale(today) {
		t.Error("verification lasts 12 months; never verified is stale")
	}
}

func TestParseStatusAndDomain(t *testing.T) {
	for in, want := range map[string]Status{"Active": StatusActive, "do not contact": StatusDoNotContact,
		"Do-Not-Contact": StatusDoNotContact, "DNC": StatusDoNotContact, " resting ": StatusResting} {
		if got, ok := ParseStatus(in); !ok || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseStatus("famous"); ok {
		t.Error("an unknown status parsed")
	}
	for in, want := range map[string]string{"https://www.Example.com/about": "example.com", "example.com": "example.com",
		"WWW.acme.co.uk?x=1": "acme.co.uk", "": ""} {
		if got := NormalizeDomain(in); got != want {
			t.Errorf("NormalizeDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReferenceValidate(t *testing.T) {
	r := &Reference{Name: "  Maya   Okafor ", AccountID: 1, Email: " Maya@X.com ", Seniority: "Executive",
		TimeZone: "Mars/Olympus", Languages: []string{"English", " english", "", "German"}}
	err := r.Validate()
	if ErrorFields(err)["time_zone"] == "" || len(ErrorFields(err)) != 1 {
		t.Errorf("fields %v, want only time_zone", ErrorFields(err))
	}
	if r.Name != "Maya Okafor" || r.Email != "maya@x.com" || r.Seniority != "executive" || strings.Join(r.Languages, ",") != "English,German" {
		t.Errorf("normalised to %+v", r)
	}
	if err := (&Reference{}).Validate(); ErrorFields(err)["name"] == "" || ErrorFields(err)["account"] == "" {
		t.Errorf("empty reference: %v", err)
	}
}

func TestAvailabilityOf(t *testing.T) {
	until := NewDate(2027, time.March, 14)
	for _, c := range []struct {
		status  Status
		until   Date
		askable bool
		note    string
	}{
		{StatusActive, Date{}, true, ""},
		{StatusNominated, Date{}, false, "Nominated — not asked before qualifying"},
		{StatusQualifying, Date{}, false, "Qualifying — not asked yet"},
		{StatusResting, until, false, "Resting — not asked before 14 Mar 2027"},
		{StatusResting, Date{}, false, "Resting — not asked for now"},
		{StatusRetired, Date{}, false, "Retired — not asked any more"},
		{StatusDoNotContact, Date{}, false, "Do not contact"},
	} {
		if got := AvailabilityOf(c.status, c.until); got.Askable != c.askable || got.Note != c.note {
			t.Errorf("%s: %+v, want askable %v, %q", c.status, got, c.askable, c.note)
		}
	}
}
