package vouch

import "testing"

func TestFatigueHoldBack(t *testing.T) {
	day := func(s string) Date {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	today := day("2027-01-01")
	base := FatigueFacts{ReferenceName: "Maya Okafor", AccountName: "Acme Corp"}
	for _, c := range []struct {
		name  string
		rules FatigueRules
		facts func(f *FatigueFacts)
		want  string
	}{
		{"no rules, many asks", FatigueRules{PeriodDays: 90}, func(f *FatigueFacts) {
			f.AccountAsks = []Date{today, today, today, today}
		}, ""},
		{"the account at its cap", FatigueRules{PeriodDays: 90, AccountCap: 3}, func(f *FatigueFacts) {
			f.AccountAsks = []Date{today, day("2026-11-01"), day("2026-10-04")}
		}, "Acme Corp has been asked 3 times in 90 days (cap 3)"},
		{"an ask 90 days ago has left the window", FatigueRules{PeriodDays: 90, AccountCap: 3}, func(f *FatigueFacts) {
			f.AccountAsks = []Date{today, day("2026-11-01"), day("2026-10-03")}
		}, ""},
		{"the reference at its cap", FatigueRules{PeriodDays: 30, ReferenceCap: 1}, func(f *FatigueFacts) {
			f.ReferenceAsks = []Date{day("2026-12-20")}
		}, "Maya Okafor has been asked 1 time in 30 days (cap 1)"},
		{"cool-down after a call", FatigueRules{PeriodDays: 90, CooldownDays: 30}, func(f *FatigueFacts) {
			f.LastActivity, f.ActivityType = day("2026-12-15"), "Call"
		}, "Maya Okafor: cool-down until 14 Jan 2027 after a call on 15 Dec 2026"},
		{"cool-down over", FatigueRules{PeriodDays: 90, CooldownDays: 30}, func(f *FatigueFacts) {
			f.LastActivity, f.ActivityType = day("2026-12-02"), "Call"
		}, ""},
		{"flagged through its until day", FatigueRules{PeriodDays: 90}, func(f *FatigueFacts) {
			f.FlagReason, f.FlagUntil = "renewal", today
		}, "Acme Corp is flagged: renewal until 1 Jan 2027"},
		{"a flag that ended", FatigueRules{PeriodDays: 90}, func(f *FatigueFacts) {
			f.FlagReason, f.FlagUntil = "renewal", day("2026-12-31")
		}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := base
			c.facts(&f)
			if got := c.rules.HoldBack(f, today); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
