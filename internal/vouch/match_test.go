package vouch_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

func TestCriterionString(t *testing.T) {
	for _, c := range []struct {
		c    vouch.Criterion
		want string
	}{
		{vouch.Criterion{Name: "industry", Value: "Insurance", Points: 40, Met: true}, "✓ industry: Insurance"},
		{vouch.Criterion{Name: "product", Value: "Mobile", Points: 20}, "✗ product: Mobile"},
	} {
		if got := c.c.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.c, got, c.want)
		}
	}
}

func TestRuleFailures(t *testing.T) {
	today := vouch.NewDate(2027, 3, 1)
	for _, c := range []struct {
		name string
		got  vouch.RuleFailure
		want string
	}{
		{"do not contact with its reason", vouch.StatusFailure(&vouch.Reference{Status: vouch.StatusDoNotContact, StatusReason: "renewal"}, today), "do not contact (“renewal”)"},
		{"retired", vouch.StatusFailure(&vouch.Reference{Status: vouch.StatusRetired}, today), "retired"},
		{"resting", vouch.StatusFailure(&vouch.Reference{Status: vouch.StatusResting, RestingUntil: vouch.NewDate(2027, 3, 14)}, today), "resting until 14 Mar"},
		{"resting into next year", vouch.StatusFailure(&vouch.Reference{Status: vouch.StatusResting, RestingUntil: vouch.NewDate(2028, 1, 2)}, today), "resting until 2 Jan 2028"},
		{"nominated", vouch.StatusFailure(&vouch.Reference{Status: vouch.StatusNominated}, today), "nominated, not active yet"},
		{"a call", vouch.ActivityFailure("Call"), "not agreed to a call"},
		{"an analyst", vouch.ActivityFailure("Analyst"), "not agreed to an analyst"},
		{"an RFP", vouch.ActivityFailure("RFP"), "not agreed to an RFP"},
		{"a case study", vouch.ActivityFailure("Case study"), "not agreed to a case study"},
		{"at capacity", vouch.CapacityFailure(3, vouch.NewDate(2027, 3, 14), today), "at capacity until 14 Mar"},
		{"capacity zero", vouch.CapacityFailure(0, vouch.Date{}, today), "takes no activities (capacity 0)"},
		{"asked for the deal", vouch.AskedForOpportunityFailure(), "already asked for this opportunity"},
	} {
		if c.got.Text != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got.Text, c.want)
		}
	}
}

func TestMatchSummary(t *testing.T) {
	for _, c := range []struct {
		eligible, meetAll, criteria int
		want                        string
	}{
		{115, 0, 2, "No reference meets every criterion; best first."},
		{115, 1, 2, "1 meets every criterion; the others follow, best first."},
		{115, 12, 2, "12 meet every criterion; the others follow, best first."},
		{115, 115, 2, ""},
		{115, 115, 0, ""},
		{0, 0, 2, ""},
	} {
		if got := vouch.MatchSummary(c.eligible, c.meetAll, c.criteria); got != c.want {
			t.Errorf("MatchSummary(%d, %d, %d) = %q, want %q", c.eligible, c.meetAll, c.criteria, got, c.want)
		}
	}
}

func TestAskWarnings(t *testing.T) {
	criteria := []vouch.Criterion{{Name: "industry", Value: "Insurance", Met: true}, {Name: "product", Value: "Mobile"}}
	got := vouch.AskWarnings(criteria, []string{"asked 9 days ago", "at capacity until 14 Mar"})
	want := []string{"Does not meet product: Mobile", "Asked 9 days ago", "At capacity until 14 Mar"}
	if !slices.Equal(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
	if got := vouch.AskWarnings([]vouch.Criterion{{Name: "industry", Value: "Insurance", Met: true}}, nil); len(got) != 0 {
		t.Errorf("nothing to warn about: %q", got)
	}
	err := error(&vouch.UnconfirmedAsk{Reference: "Ines Insurer", Warnings: want[:1]})
	if vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorMessage(err) != "Confirm asking Ines Insurer despite 1 warning: Does not meet product: Mobile." {
		t.Errorf("unconfirmed: %s %q", vouch.ErrorCode(err), vouch.ErrorMessage(err))
	}
	var u *vouch.UnconfirmedAsk
	if !errors.As(fmt.Errorf("ask: %w", err), &u) || len(u.Warnings) != 1 {
		t.Error("a wrapped unconfirmed ask loses its warnings")
	}
}
