package vouch

import (
	"strings"
	"testing"
	"time"
)

// Closing records the day, who and the outcome; a second close only
// changes the outcome; reopening clears them; a bad change leaves the
// campaign as it was.
func TestCampaignChangeApply(t *testing.T) {
	day := NewDate(2026, time.December, 3)
	closed, open, bad := CampaignClosed, CampaignOpen, CampaignState("archived")
	note, other, long := " Two recruited. ", "Three recruited.", strings.Repeat("é", 201)
	c := &Campaign{Name: "Spring", State: CampaignOpen}
	if changed, err := (CampaignChange{Name: &long, State: &bad}).Apply(c, day, 7); changed || ErrorFields(err)["name"] == "" ||
		ErrorFields(err)["state"] == "" || c.Name != "Spring" {
		t.Errorf("a bad change: %v %v %+v", changed, err, c)
	}
	if _, err := (CampaignChange{Note: &note}).Apply(c, day, 7); ErrorFields(err)["note"] == "" {
		t.Errorf("an outcome on an open campaign: %v", err)
	}
	if changed, err := (CampaignChange{State: &closed, Note: &note}).Apply(c, day, 7); !changed || err != nil ||
		c.ClosedOn != day || c.ClosedBy != 7 || c.Outcome != "Two recruited." {
		t.Errorf("closed: %v %v %+v", changed, err, c)
	}
	if changed, err := (CampaignChange{State: &closed}).Apply(c, day.AddDays(1), 8); changed || err != nil || c.ClosedOn != day || c.ClosedBy != 7 {
		t.Errorf("closed again: %v %v %+v", changed, err, c)
	}
	if changed, err := (CampaignChange{Note: &other}).Apply(c, day, 8); !changed || err != nil || c.Outcome != other {
		t.Errorf("a new outcome: %v %v %+v", changed, err, c)
	}
	if changed, err := (CampaignChange{State: &open}).Apply(c, day, 8); !changed || err != nil || c.Closed() ||
		!c.ClosedOn.IsZero() || c.ClosedBy != 0 || c.Outcome != "" {
		t.Errorf("reopened: %v %v %+v", changed, err, c)
	}
}
