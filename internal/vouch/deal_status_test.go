package vouch

import "testing"

// TestDealStatus: a listed won or lost stage decides a deal's status; at
// any other stage the status given stands.
func TestDealStatus(t *testing.T) {
	ps := DefaultProgramSettings()
	ps.WonStages, ps.LostStages = []string{"Closed Won", "Signed"}, []string{"Closed Lost"}
	for _, c := range []struct {
		stage   string
		given   OpportunityStatus
		want    OpportunityStatus
		problem string
	}{
		{"", "", OpportunityOpen, ""},
		{"Negotiation", "", OpportunityOpen, ""},
		{"Negotiation", "won", OpportunityWon, ""},
		{"", "Lost", OpportunityLost, ""},
		{"signed", "", OpportunityWon, ""},
		{"Signed", "won", OpportunityWon, ""},
		{" closed lost ", "LOST", OpportunityLost, ""},
		{"Closed Won", "lost", OpportunityWon, "is lost, but the stage “Closed Won” is one of the program's won stages; leave the status out or change the stage"},
		{"Closed Lost", "open", OpportunityLost, "is open, but the stage “Closed Lost” is one of the program's lost stages; leave the status out or change the stage"},
	} {
		got, problem := ps.DealStatus(c.stage, c.given)
		if got != c.want || problem != c.problem {
			t.Errorf("DealStatus(%q, %q) = %q, %q; want %q, %q", c.stage, c.given, got, problem, c.want, c.problem)
		}
	}
}
