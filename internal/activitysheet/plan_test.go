package activitysheet_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/activitysheet"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func sheet(t *testing.T, csv string) *refsheet.Sheet {
	t.Helper()
	s, err := refsheet.Read("history.csv", strings.NewReader(csv), refsheet.ReadOptions{Layout: &activitysheet.Layout})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func apply(t *testing.T, db *store.DB, csv string) *refsheet.Report {
	t.Helper()
	rep, err := activitysheet.Apply(ctx, db, sheet(t, csv), nil, refsheet.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// problems lists a report's problems as the command line prints them.
func problems(rep *refsheet.Report) string {
	var out []string
	for _, e := range rep.Errors {
		out = append(out, e.String())
	}
	return strings.Join(out, "\n")
}

// fixture is two references and three deals: one open, one won, and one
// whose name another deal shares.
type fixture struct {
	maya, tom        int64
	open, won, twin1 *vouch.Opportunity
}

func setup(t *testing.T, db *store.DB) fixture {
	t.Helper()
	people := "Account,Name,Email,CRM ID\nNorthwind Health,Maya Okafor,maya@northwind.example,C-100\nCedar Labs,Tom Becker,tom@cedar.example,C-200\n"
	s, err := refsheet.Read("people.csv", strings.NewReader(people), refsheet.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := refsheet.Apply(ctx, db, s, nil, refsheet.Options{}, nil); err != nil || rep.Created != 2 {
		t.Fatalf("references: %+v %v", rep, err)
	}
	var f fixture
	var err2 error
	if f.maya, err2 = db.ReferenceIDByEmail(ctx, "maya@northwind.example"); err2 != nil {
		t.Fatal(err2)
	}
	if f.tom, err2 = db.ReferenceIDByEmail(ctx, "tom@cedar.example"); err2 != nil {
		t.Fatal(err2)
	}
	opp := func(name, crm, stage string, status vouch.OpportunityStatus, cents int64) *vouch.Opportunity {
		o := &vouch.Opportunity{Name: name, CRMID: crm, Stage: stage, Status: status, AmountCents: cents, Currency: "USD"}
		if err := db.CreateOpportunity(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.open = opp("Globex expansion", "OPP-1", "Negotiation", vouch.OpportunityOpen, 12_500_00)
	f.won = opp("Initech platform", "OPP-2", "Closed Won", vouch.OpportunityWon, 80_000_00)
	f.twin1 = opp("Renewal", "OPP-3", "Discovery", vouch.OpportunityOpen, 1_000_00)
	opp("Renewal", "OPP-4", "Discovery", vouch.OpportunityOpen, 2_000_00)
	return f
}

// TestImportActivities holds the rules of docs/import.md, "Reference
// history (activities)", on both engines.
func TestImportActivities(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		good := "Reference,Activity Type,Date,Opportunity,Notes,Points,Thank-you,Stage at activity\n" +
			"maya@northwind.example,Call,2026-03-14,OPP-1,first call,10,gift,\n" + // open deal: its stage now
			"C-200,Site visit,03/20/2026,Initech platform,,,,\n" + // won deal by name, no stage given: empty
			"MAYA@northwind.example,Case study,20.04.2026,OPP-2,,,,Proposal\n" + // the file's stage
			"tom@cedar.example,Call,2026-05-01,,no deal,,,\n"
		rep := apply(t, db, good)
		if !rep.Written || rep.Created != 4 || rep.Rejected != 0 {
			t.Fatalf("report %+v\n%s", rep, problems(rep))
		}
		acts, err := db.Activities(ctx, f.maya)
		if err != nil {
			t.Fatal(err)
		}
		if len(acts) != 2 {
			t.Fatalf("Maya's activities: %+v", acts)
		}
		cs, call := acts[0], acts[1] // newest first
		if call.OccurredOn.String() != "2026-03-14" || call.OpportunityID != f.open.ID || call.OppStage != "Negotiation" ||
			call.OppAmountCents != 12_500_00 || call.Points != 10 || call.ThankYou != "gift" || call.Notes != "first call" {
			t.Errorf("the call: %+v", call)
		}
		if cs.OccurredOn.String() != "2026-04-20" || cs.OpportunityID != f.won.ID || cs.OppStage != "Proposal" {
			t.Errorf("the case study (stage from the file): %+v", cs)
		}
		tom, _ := db.Activities(ctx, f.tom)
		if len(tom) != 2 || tom[1].OccurredOn.String() != "2026-03-20" || tom[1].OpportunityID != f.won.ID || tom[1].OppStage != "" ||
			tom[0].OpportunityID != 0 || tom[0].OppStage != "" {
			t.Errorf("Tom's (a closed deal with no stage given keeps none): %+v", tom)
		}

		// The same file again adds nothing.
		if rep := apply(t, db, good); !rep.Written || rep.Created != 0 || rep.Unchanged != 4 {
			t.Errorf("re-import: %+v %s", rep, problems(rep))
		}
		if acts, _ := db.Activities(ctx, f.maya); len(acts) != 2 {
			t.Errorf("after the re-import Maya has %d activities", len(acts))
		}
	})
}

// TestImportActivitiesBroken: each broken file says what is wrong, where,
// and writes nothing.
func TestImportActivitiesBroken(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		head := "Reference,Activity Type,Date,Opportunity\n"
		ok := "maya@northwind.example,Call,2026-03-14,OPP-1\n"
		for _, c := range []struct{ name, row, want string }{
			{"unknown reference email", "nobody@example.com,Call,2026-03-14,\n",
				"row 3, column 'Reference': 'nobody@example.com' — no reference in Vouch has this email"},
			{"unknown reference CRM id", "C-999,Call,2026-03-14,\n",
				"row 3, column 'Reference': 'C-999' — no reference in Vouch has this email or CRM id"},
			{"unknown type", "maya@northwind.example,Cal,2026-03-14,\n",
				"row 3, column 'Activity Type': 'Cal' — did you mean 'Call'?"},
			{"unknown opportunity", "maya@northwind.example,Call,2026-03-14,Acme renewal\n",
				"row 3, column 'Opportunity': 'Acme renewal' — no opportunity in Vouch has this CRM id or name; import the deals first (vouch import opportunities)"},
			{"ambiguous opportunity", "maya@northwind.example,Call,2026-03-14,renewal\n",
				"row 3, column 'Opportunity': 'renewal' — 2 opportunities have this name; give the CRM id of the one meant"},
			{"bad date", "maya@northwind.example,Call,31/12/2026,\n",
				"row 3, column 'Date': '31/12/2026' — not a date: slashed dates are read as month/day/year; write it as YYYY-MM-DD, e.g. 2026-03-14"},
			{"no date", "maya@northwind.example,Call,,\n",
				"row 3, column 'Date': is empty; every activity needs the day it happened"},
		} {
			t.Run(c.name, func(t *testing.T) {
				rep := apply(t, db, head+ok+c.row)
				if rep.Written || rep.Rejected != 1 || problems(rep) != c.want {
					t.Errorf("report %+v\ngot  %s\nwant %s", rep, problems(rep), c.want)
				}
				if acts, _ := db.Activities(ctx, f.maya); len(acts) != 0 {
					t.Errorf("all or nothing: %d activities written", len(acts))
				}
			})
		}
		// A missing required column fails the file, naming it.
		_, err := activitysheet.Apply(ctx, db, sheet(t, "Reference,Date\nmaya@northwind.example,2026-03-14\n"), nil, refsheet.Options{}, nil)
		if vouch.ErrorMessage(err) != "history.csv: No column for Activity Type, which every activity needs. The headers found are 'Reference', 'Date'; map one of them to Activity Type." {
			t.Errorf("no type column: %v", err)
		}
		_ = f.twin1
	})
}
