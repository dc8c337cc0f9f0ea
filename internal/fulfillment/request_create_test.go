package fulfillment_test

import (
	"context"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A new request is checked once, and every problem is named at once: the
// request's own rules, the opportunity's, the values named and whose
// opportunity it is. Nothing is written until there are none.
func TestCreateRequestChecksEverythingAtOnce(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		other := l.user(t, "sid@example.com", vouch.RoleSeller)
		theirs := &vouch.Opportunity{Name: "Sid's deal", OwnerID: other.ID}
		mine := &vouch.Opportunity{Name: "Sally's deal", OwnerID: l.seller.ID}
		for _, o := range []*vouch.Opportunity{theirs, mine} {
			if err := db.CreateOpportunity(l.ctx(l.pm), o); err != nil {
				t.Fatal(err)
			}
		}
		today := vouch.DateOf(l.now)
		region := l.value(t, vouch.TaxRegion, "EMEA")
		for _, c := range []struct {
			name   string
			by     *vouch.User
			r      vouch.Request
			opp    *vouch.Opportunity
			fields []string // every field named; none: stored
		}{
			{"due yesterday", l.seller, vouch.Request{OpportunityID: mine.ID, ActivityTypeID: l.call, DueDate: today.AddDays(-1)},
				nil, []string{"due_date"}},
			{"everything wrong at once", l.seller, vouch.Request{OpportunityID: theirs.ID, ActivityTypeID: region,
				DueDate: today.AddDays(-1), ReferencesNeeded: 11, Criteria: vouch.Criteria{IndustryID: region, Seniority: "boss"}},
				nil, []string{"opportunity", "activity_type", "due_date", "references_needed", "industry", "seniority"}},
			{"a new opportunity and the request, both wrong", l.seller, vouch.Request{ActivityTypeID: l.call},
				&vouch.Opportunity{Currency: "dollars"}, []string{"due_date", "opportunity.name", "opportunity.currency"}},
			{"an unknown opportunity", l.seller, vouch.Request{OpportunityID: 99999, ActivityTypeID: l.call, DueDate: today},
				nil, []string{"opportunity"}},
			{"another seller's opportunity", l.seller, vouch.Request{OpportunityID: theirs.ID, ActivityTypeID: l.call, DueDate: today},
				nil, []string{"opportunity"}},
			{"the program team requests for any", l.pm, vouch.Request{OpportunityID: theirs.ID, ActivityTypeID: l.call, DueDate: today},
				nil, nil},
			{"a seller for their own", l.seller, vouch.Request{OpportunityID: mine.ID, ActivityTypeID: l.call, DueDate: today},
				nil, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, before, _ := db.ListRequests(context.Background(), vouch.RequestFilter{})
				err := l.s.CreateRequest(l.ctx(c.by), c.by, &c.r, c.opp)
				_, after, _ := db.ListRequests(context.Background(), vouch.RequestFilter{})
				if len(c.fields) == 0 {
					if err != nil || after != before+1 || c.r.ReferencesNeeded != 1 {
						t.Fatalf("%v (%d requests, %d before; %d references needed)", err, after, before, c.r.ReferencesNeeded)
					}
					return
				}
				got := vouch.ErrorFields(err)
				if vouch.ErrorCode(err) != vouch.EINVALID || len(got) != len(c.fields) {
					t.Errorf("%v, fields %v; want exactly %v", err, got, c.fields)
				}
				for _, f := range c.fields {
					if got[f] == "" {
						t.Errorf("%s not named: %v", f, got)
					}
				}
				if after != before {
					t.Errorf("a refused request was stored")
				}
			})
		}
	})
}

// A deal a seller creates with a request gets the status its stage means,
// by the program's stage mapping, as a deal the CRM import or the API
// writes does: "Closed Won" is won, a stage added to the won stages too.
func TestRequestsNewOpportunityFollowsTheStageMapping(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ps, err := db.ProgramSettings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ps.WonStages = append(ps.WonStages, "Signed")
		if err := db.SetProgramSettings(l.ctx(l.pm), ps); err != nil {
			t.Fatal(err)
		}
		today := vouch.DateOf(l.now)
		for stage, want := range map[string]vouch.OpportunityStatus{
			"Closed Won": vouch.OpportunityWon, "Signed": vouch.OpportunityWon,
			"Closed Lost": vouch.OpportunityLost, "Proposal": vouch.OpportunityOpen,
		} {
			opp := &vouch.Opportunity{Name: "Deal at " + stage, Stage: stage}
			r := vouch.Request{ActivityTypeID: l.call, DueDate: today.AddDays(3)}
			if err := l.s.CreateRequest(l.ctx(l.seller), l.seller, &r, opp); err != nil {
				t.Fatal(err)
			}
			stored, err := db.Opportunity(context.Background(), r.OpportunityID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Status != want {
				t.Errorf("a new deal at stage %q is %s; want %s", stage, stored.Status, want)
			}
		}
	})
}
