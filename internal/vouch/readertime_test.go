package vouch

import (
	"testing"
	"time"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, ok := Zone(name)
	if !ok {
		t.Fatalf("no zone %s", name)
	}
	return loc
}

// A call is written in the other party's zone, with the reader's own time
// beside it only where their clocks differ.
func TestTimeFor(t *testing.T) {
	denver, berlin, phoenix, tokyo := zone(t, "America/Denver"), zone(t, "Europe/Berlin"), zone(t, "America/Phoenix"), zone(t, "Asia/Tokyo")
	winter := time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC) // 10:00 in Denver
	summer := time.Date(2026, 7, 6, 16, 0, 0, 0, time.UTC) // 10:00 in Denver (MDT)
	for _, c := range []struct {
		name          string
		at            time.Time
		other, reader *time.Location
		want          string
	}{
		{"same zone", winter, denver, denver, "Mon 2 Mar 2026, 10:00 MST"},
		{"a seller in Berlin reads the advocate's call", winter, denver, berlin, "Mon 2 Mar 2026, 10:00 MST · 18:00 your time"},
		{"the advocate's summer time", summer, denver, berlin, "Mon 6 Jul 2026, 10:00 MDT · 18:00 your time"},
		{"zones whose clocks agree are one", winter, denver, phoenix, "Mon 2 Mar 2026, 10:00 MST"},
		{"but not in summer", summer, denver, phoenix, "Mon 6 Jul 2026, 10:00 MDT · 09:00 your time"},
		{"the reader's day is another", winter, denver, tokyo, "Mon 2 Mar 2026, 10:00 MST · Tue 3 Mar, 02:00 your time"},
		{"no zones are UTC", winter, nil, nil, "Mon 2 Mar 2026, 17:00 UTC"},
		{"a reader in UTC", winter, denver, time.UTC, "Mon 2 Mar 2026, 10:00 MST · 17:00 your time"},
	} {
		if got := TimeFor(c.at, c.other, c.reader); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := TimeIn(winter, berlin); got != "Mon 2 Mar 2026, 18:00 CET" {
		t.Errorf("TimeIn: %q", got)
	}
}

// The timeline's stored UTC time of a call is rewritten for each reader;
// other entries are left as written.
func TestEventFor(t *testing.T) {
	denver, berlin := zone(t, "America/Denver"), zone(t, "Europe/Berlin")
	at := time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		body, want string
	}{
		{ScheduledEvent(at, false), "Scheduled for Mon 2 Mar 2026, 10:00 MST · 18:00 your time"},
		{ScheduledEvent(at, true), "Rescheduled to Mon 2 Mar 2026, 10:00 MST · 18:00 your time"},
		{"Scheduled for a day nobody wrote down", "Scheduled for a day nobody wrote down"},
		{"Asked Dana Ruiz", "Asked Dana Ruiz"},
	} {
		if got := EventFor(c.body, denver, berlin); got != c.want {
			t.Errorf("EventFor(%q) = %q, want %q", c.body, got, c.want)
		}
	}
	if got := EventFor(ScheduledEvent(at, false), berlin, berlin); got != "Scheduled for Mon 2 Mar 2026, 18:00 CET" {
		t.Errorf("a reader in the advocate's zone: %q", got)
	}
}

// A user's zone is an IANA zone or empty (the program's); anything else is
// refused on time_zone.
func TestUserTimeZone(t *testing.T) {
	for _, c := range []struct {
		zone string
		ok   bool
	}{{"", true}, {"Europe/Berlin", true}, {" America/Denver ", true}, {"Local", false}, {"Mars/Olympus", false}} {
		u := &User{Email: "ada@example.com", Name: "Ada", Role: RoleSeller, TimeZone: c.zone}
		err := u.Validate()
		if c.ok && err != nil || !c.ok && ErrorFields(err)["time_zone"] == "" {
			t.Errorf("zone %q: %v, want ok %v", c.zone, err, c.ok)
		}
	}
}
