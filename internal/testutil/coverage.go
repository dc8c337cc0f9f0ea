package testutil

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// CoverageProgram is a small program whose coverage matrix by industry is
// known by hand (docs/coverage.md states the formulas). Today is
// 15 January 2027.
//
// Supply: Healthcare has Nia (active; Call and Case study, nothing done)
// and two who do not count — Omar (active, Call, but a capacity of 0, so
// no free slot in the next 90 days) and Pia (retired). Financial Services
// has Quinn (active, Call).
//
// Demand: 10 open Healthcare deals. Requests in the 6 months before today:
// two Healthcare Calls, one Healthcare Case study, one Financial Services
// Call (on a won deal); one more Healthcare Call from March 2026 counts
// only in a 12-month window. Of the 4 requests in 6 months, 3 are Calls:
// the open pipeline's demand is 75 % Call, 25 % Case study.
//
// With 50 % of open deals needing a reference and 2 references each (1 per
// open deal), the matrix by industry over 6 months is
//
//	Healthcare × Call:          supply 1, demand 2 + 7.5 = 9.5, gap 8.5
//	Healthcare × Case study:    supply 1, demand 1 + 2.5 = 3.5, gap 2.5
//	Financial Services × Call:  supply 1, demand 1,             gap 0
//
// Two deals closed in the last 12 months (Financial Services, won), one of
// them with a request: the learned share is 50 %.
type CoverageProgram struct {
	Today                 time.Time
	Healthcare, Financial int64
	Call, CaseStudy       int64
	HealthcareAccount     *vouch.Account
	Nia, Omar, Pia, Quinn *vouch.Reference
	OpenHealthcare        []*vouch.Opportunity
	CandidateAccount      *vouch.Account // a Healthcare customer with no reference
	CandidateContactEmail string
}

// AddCoverageProgram stores CoverageProgram through db and leaves the
// clock at its today.
func AddCoverageProgram(t testing.TB, db *store.DB, requester int64) *CoverageProgram {
	t.Helper()
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
	val := func(kind vouch.TaxonomyKind, name string) int64 { return ValueID(t, db, kind, name) }
	p := &CoverageProgram{Today: time.Date(2027, time.January, 15, 12, 0, 0, 0, time.UTC),
		Healthcare: val(vouch.TaxIndustry, "Healthcare"), Financial: val(vouch.TaxIndustry, "Financial Services"),
		Call: val(vouch.TaxActivityType, "Call"), CaseStudy: val(vouch.TaxActivityType, "Case study")}
	at := func(y int, m time.Month, d int) { db.Clock.Set(time.Date(y, m, d, 12, 0, 0, 0, time.UTC)) }
	at(2026, time.March, 1)
	account := func(name string, industry int64) *vouch.Account {
		a := &vouch.Account{Name: name, IndustryID: industry, Health: "good", CustomerSince: vouch.NewDate(2023, 5, 1)}
		if err := db.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	hc, fs := account("Mercy Clinics", p.Healthcare), account("First Harbour Bank", p.Financial)
	p.HealthcareAccount = hc
	p.CandidateAccount = account("St Olave Hospitals", p.Healthcare)
	zero := 0
	reference := func(acct *vouch.Account, name string, st vouch.Status, capacity *int, types ...int64) *vouch.Reference {
		r := &vouch.Reference{AccountID: acct.ID, Name: name, Title: "CIO", Status: st, CapacityOverride: capacity,
			Email: fmt.Sprintf("%s@example.org", name), LastVerified: vouch.NewDate(2026, 3, 1)}
		if st == vouch.StatusRetired {
			r.StatusReason = "Left the company"
		}
		for _, ty := range types {
			r.Activities = append(r.Activities, vouch.AgreedActivity{TypeID: ty})
		}
		if err := db.CreateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	p.Nia = reference(hc, "nia", vouch.StatusActive, nil, p.Call, p.CaseStudy)
	p.Omar = reference(hc, "omar", vouch.StatusActive, &zero, p.Call)
	p.Pia = reference(hc, "pia", vouch.StatusRetired, nil, p.Call)
	p.Quinn = reference(fs, "quinn", vouch.StatusActive, nil, p.Call)
	n := 0
	deal := func(industry int64, status vouch.OpportunityStatus, close vouch.Date) *vouch.Opportunity {
		n++
		stage := map[vouch.OpportunityStatus]string{vouch.OpportunityWon: "Closed Won", vouch.OpportunityOpen: "Proposal"}[status]
		o := &vouch.Opportunity{Name: fmt.Sprintf("Deal %d", n), Prospect: fmt.Sprintf("Prospect %d", n), AmountCents: 1000000,
			Currency: "USD", Stage: stage, Status: status, CloseDate: close, IndustryID: industry,
			CreatedOn: vouch.NewDate(2026, 3, 1), CRMID: fmt.Sprintf("COV-%03d", n)}
		if err := db.CreateOpportunity(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	for range 10 {
		p.OpenHealthcare = append(p.OpenHealthcare, deal(p.Healthcare, vouch.OpportunityOpen, vouch.NewDate(2027, 6, 30)))
	}
	won := deal(p.Financial, vouch.OpportunityWon, vouch.NewDate(2026, 10, 1))
	deal(p.Financial, vouch.OpportunityWon, vouch.NewDate(2026, 10, 2))
	request := func(o *vouch.Opportunity, ty int64) {
		r := &vouch.Request{RequesterID: requester, OpportunityID: o.ID, ActivityTypeID: ty, ReferencesNeeded: 1,
			DueDate: db.Today().AddDays(14), Context: "Coverage test"}
		if err := db.CreateRequest(ctx, r, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
	}
	request(p.OpenHealthcare[3], p.Call) // 1 March 2026: outside 6 months
	at(2026, time.September, 1)
	request(won, p.Call)
	at(2026, time.November, 1)
	request(p.OpenHealthcare[2], p.CaseStudy)
	at(2026, time.December, 1)
	request(p.OpenHealthcare[1], p.Call)
	at(2027, time.January, 5)
	request(p.OpenHealthcare[0], p.Call)
	db.Clock.Set(p.Today)
	return p
}

// ValueID is the id of the picklist value of kind named name.
func ValueID(t testing.TB, db *store.DB, kind vouch.TaxonomyKind, name string) int64 {
	t.Helper()
	vals, err := db.ListTaxonomy(context.Background(), kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		if v.Name == name {
			return v.ID
		}
	}
	t.Fatalf("no %s %q", kind, name)
	return 0
}

// AddCoverageContentRequests adds CoverageProgram's open content requests,
// as requester, so that the matrix by industry over 6 months (50 %, 2 each)
// becomes
//
//	Healthcare × Call:           supply 1, demand 9.5,           gap 8.5
//	Healthcare × Case study:     supply 1, demand 3.5 + 1 = 4.5, gap 3.5
//	Financial Services × Video:  supply 0, demand 1,             gap 1
//	Financial Services × Call:   supply 1, demand 1,             gap 0
//
// The requests: an open Healthcare "Case study" (the activity type of that
// name: 1 in that cell); an open "Slide deck" for Healthcare and Financial
// Services (no activity type of that name: beside the matrix only); an
// in-progress Financial Services "Video"; a declined Healthcare "Case
// study" (closed: not counted). Beside the matrix: Financial Services 2
// open content requests (1 in cells), Healthcare 2 (1 in cells).
func AddCoverageContentRequests(t testing.TB, db *store.DB, p *CoverageProgram, requester int64) {
	t.Helper()
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test", UserID: requester})
	add := func(typ string, state string, industries ...int64) {
		r := &vouch.ContentRequest{Description: typ + " wanted", TypeID: ValueID(t, db, vouch.TaxContentType, typ), IndustryIDs: industries}
		if err := db.CreateContentRequest(ctx, r); err != nil {
			t.Fatal(err)
		}
		if state == vouch.ContentRequestOpen {
			return
		}
		note := "Not this quarter"
		if _, err := db.MoveContentRequest(ctx, r.ID, vouch.ContentRequestMove{State: state, Note: &note, Version: r.Version},
			func(*vouch.ContentRequest) (vouch.Outgoing, error) { return vouch.Outgoing{}, nil }); err != nil {
			t.Fatal(err)
		}
	}
	add("Case study", vouch.ContentRequestOpen, p.Healthcare)
	add("Slide deck", vouch.ContentRequestOpen, p.Healthcare, p.Financial)
	add("Video", vouch.ContentRequestInProgress, p.Financial)
	add("Case study", vouch.ContentRequestDeclined, p.Healthcare)
}
