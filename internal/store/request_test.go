package store_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// rqFixture is a database with what a reference request needs: a seller, a
// team member, an account, an activity type and a clock the test moves.
type rqFixture struct {
	db     *store.DB
	seller *vouch.User
	team   *vouch.User
	acct   *vouch.Account
	call   int64 // the activity type "Call"
	visit  int64 // the activity type "Site visit"
	now    time.Time
	n      atomic.Int64 // for unique names
}

func newRQFixture(t *testing.T, db *store.DB) *rqFixture {
	t.Helper()
	f := &rqFixture{db: db, now: time.Now().UTC().Truncate(time.Microsecond)}
	db.Clock = vouch.NewClock(func() time.Time { return f.now })
	f.seller = mustUser(t, db, "sally@example.com", vouch.RoleSeller)
	f.team = mustUser(t, db, "tom@example.com", vouch.RoleTeamMember)
	f.acct = mustAccount(t, db, "Northwind Health")
	f.call = valueID(t, db, vouch.TaxActivityType, "Call")
	f.visit = valueID(t, db, vouch.TaxActivityType, "Site visit")
	return f
}

func (f *rqFixture) today() vouch.Date { return f.db.Today() }

// advance moves the database's clock; tests run their steps one at a time.
func (f *rqFixture) advance(d time.Duration) { f.now = f.now.Add(d) }

// ref creates an active reference who agreed to calls.
func (f *rqFixture) ref(t *testing.T, name string, edit func(*vouch.Reference)) *vouch.Reference {
	t.Helper()
	r := &vouch.Reference{AccountID: f.acct.ID, Name: name, Status: vouch.StatusActive,
		Email:      strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@northwind.example",
		Activities: []vouch.AgreedActivity{{TypeID: f.call, ConsentedOn: f.today().AddDays(-100)}}}
	if edit != nil {
		edit(r)
	}
	if err := f.db.CreateReference(ctx, r); err != nil {
		t.Fatalf("create reference %s: %v", name, err)
	}
	return r
}

func (f *rqFixture) opportunity(t *testing.T) *vouch.Opportunity {
	t.Helper()
	o := &vouch.Opportunity{Name: fmt.Sprintf("Deal %d", f.n.Add(1)), Prospect: "Contoso", AmountCents: 5000000, OwnerID: f.seller.ID}
	if err := f.db.CreateOpportunity(ctx, o); err != nil {
		t.Fatal(err)
	}
	return o
}

// request creates a request for a call due in 30 days, for opp (a new
// opportunity when nil).
func (f *rqFixture) request(t *testing.T, opp *vouch.Opportunity, edit func(*vouch.Request)) *vouch.Request {
	t.Helper()
	if opp == nil {
		opp = f.opportunity(t)
	}
	r := &vouch.Request{RequesterID: f.seller.ID, OpportunityID: opp.ID, ActivityTypeID: f.call, DueDate: f.today().AddDays(30),
		Context: "Needs a peer in healthcare.", ReferencesNeeded: 1}
	if edit != nil {
		edit(r)
	}
	if err := f.db.CreateRequest(ctx, r, vouch.Outgoing{}); err != nil {
		t.Fatalf("create request: %v", err)
	}
	return r
}

// link is a fresh answer link (its hash stands for the hash of a secret).
func (f *rqFixture) link(purpose string) vouch.NewLink {
	return vouch.NewLink{Purpose: purpose, NonceHash: fmt.Sprintf("hash-%s-%d", purpose, f.n.Add(1)), ExpiresAt: f.now.Add(14 * 24 * time.Hour)}
}

// ask asks ref for req (pending, mailed) and returns the ask and its link's hash.
func (f *rqFixture) ask(t *testing.T, req *vouch.Request, ref *vouch.Reference) (*vouch.Ask, string) {
	t.Helper()
	l := f.link(vouch.LinkAnswer)
	a := &vouch.Ask{RequestID: req.ID, ReferenceID: ref.ID, State: vouch.AskPending, Score: 40,
		Reasons: []vouch.Reason{{Label: "industry: Healthcare", Points: 40}}}
	if err := f.db.CreateAsk(ctx, a, l, vouch.Outgoing{}); err != nil {
		t.Fatalf("ask %s: %v", ref.Name, err)
	}
	return a, l.NonceHash
}

func (f *rqFixture) mustRequest(t *testing.T, id int64) *vouch.Request {
	t.Helper()
	r, err := f.db.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *rqFixture) mustAsk(t *testing.T, id int64) *vouch.Ask {
	t.Helper()
	a, err := f.db.Ask(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *rqFixture) activities(t *testing.T, refID int64) []vouch.Activity {
	t.Helper()
	as, err := f.db.Activities(ctx, refID)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func (f *rqFixture) events(t *testing.T, requestID int64) []vouch.RequestEvent {
	t.Helper()
	es, err := f.db.RequestEvents(ctx, requestID)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func (f *rqFixture) audit(t *testing.T, entityType string, id int64) []*vouch.AuditEntry {
	t.Helper()
	es, _, err := f.db.ListAudit(ctx, vouch.AuditFilter{EntityType: entityType, EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func rqWantState(t *testing.T, f *rqFixture, requestID int64, want vouch.RequestState) {
	t.Helper()
	if got := f.mustRequest(t, requestID).State; got != want {
		t.Errorf("request %d is %s, want %s", requestID, got, want)
	}
}

func rqWantAskState(t *testing.T, f *rqFixture, askID int64, want vouch.AskState) {
	t.Helper()
	if got := f.mustAsk(t, askID).State; got != want {
		t.Errorf("ask %d is %s, want %s", askID, got, want)
	}
}

func TestOpportunities(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		o := &vouch.Opportunity{Name: "  Contoso   expansion ", Prospect: "Contoso", AmountCents: 12000000, Currency: "eur",
			CloseDate: f.today().AddDays(60), OwnerID: f.seller.ID, IndustryID: valueID(t, db, vouch.TaxIndustry, "Healthcare")}
		if err := db.CreateOpportunity(ctx, o); err != nil {
			t.Fatal(err)
		}
		got, err := db.Opportunity(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Contoso expansion" || got.Currency != "EUR" || got.Status != vouch.OpportunityOpen || got.Version != 1 ||
			got.CloseDate != o.CloseDate || got.OwnerID != f.seller.ID || got.IndustryID != o.IndustryID || got.AmountCents != 12000000 {
			t.Errorf("read back %+v", got)
		}
		if len(f.audit(t, "opportunity", o.ID)) != 1 {
			t.Error("creating an opportunity left no audit entry")
		}

		// Unknown taxonomy values and owners are field errors.
		bad := &vouch.Opportunity{Name: "Bad", IndustryID: valueID(t, db, vouch.TaxRegion, "EMEA"), OwnerID: 9999}
		err = db.CreateOpportunity(ctx, bad)
		if fl := vouch.ErrorFields(err); fl["industry"] == "" || fl["owner"] == "" {
			t.Errorf("opportunity with a region as industry and an unknown owner: %v", err)
		}

		// Two people edit the same version: the second gets a conflict and changes nothing.
		first, second := *got, *got
		first.Stage, second.Stage = "Negotiation", "Proposal"
		if err := db.UpdateOpportunity(ctx, &first); err != nil {
			t.Fatal(err)
		}
		if first.Version != 2 {
			t.Errorf("after an update version is %d, want 2", first.Version)
		}
		err = db.UpdateOpportunity(ctx, &second)
		if vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorFields(err)["version"] == "" {
			t.Errorf("stale update: %v, want a version conflict", err)
		}
		if got, _ := db.Opportunity(ctx, o.ID); got.Stage != "Negotiation" || got.Version != 2 {
			t.Errorf("after the stale update: stage %q version %d", got.Stage, got.Version)
		}
		// Saving without a change keeps the version and writes no audit entry.
		same := first
		if err := db.UpdateOpportunity(ctx, &same); err != nil || same.Version != 2 {
			t.Errorf("no-op update: version %d, %v", same.Version, err)
		}
		if n := len(f.audit(t, "opportunity", o.ID)); n != 2 {
			t.Errorf("%d audit entries after create, update and a no-op, want 2", n)
		}

		// Upsert by CRM id: creates, then updates the same record whatever its version.
		crm := &vouch.Opportunity{Name: "Fabrikam", CRMID: "006A1", Stage: "Discovery", AmountCents: 1000}
		created, err := db.UpsertOpportunity(ctx, crm)
		if err != nil || !created || crm.ID == 0 {
			t.Fatalf("first upsert: created %v id %d, %v", created, crm.ID, err)
		}
		again := &vouch.Opportunity{Name: "Fabrikam", CRMID: " 006A1 ", Stage: "Closed won", Status: vouch.OpportunityWon, AmountCents: 1200}
		created, err = db.UpsertOpportunity(ctx, again)
		if err != nil || created || again.ID != crm.ID {
			t.Fatalf("second upsert: created %v id %d (first %d), %v", created, again.ID, crm.ID, err)
		}
		if got, _ := db.Opportunity(ctx, crm.ID); got.Status != vouch.OpportunityWon || got.AmountCents != 1200 || got.Version != 2 {
			t.Errorf("after the upsert: %+v", got)
		}
		if _, err := db.UpsertOpportunity(ctx, &vouch.Opportunity{Name: "No id"}); vouch.ErrorFields(err)["crm_id"] == "" {
			t.Errorf("upsert without a CRM id: %v", err)
		}
		// The CRM id is unique.
		err = db.CreateOpportunity(ctx, &vouch.Opportunity{Name: "Copy", CRMID: "006A1"})
		if vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("second opportunity with CRM id 006A1: %v, want conflict", err)
		}
		list, total, err := db.ListOpportunities(ctx, vouch.OpportunityFilter{Text: "fabri"})
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != crm.ID {
			t.Errorf("search 'fabri': %d found, %v", total, err)
		}
		if _, total, _ := db.ListOpportunities(ctx, vouch.OpportunityFilter{Status: vouch.OpportunityOpen}); total != 1 {
			t.Errorf("%d open opportunities, want 1", total)
		}
	})
}

func TestRequestLifecycle(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		opp := f.opportunity(t)
		// One reference unless said otherwise is the service's default
		// (fulfillment's TestCreateRequestChecksEverythingAtOnce).
		req := &vouch.Request{RequesterID: f.seller.ID, OpportunityID: opp.ID, ActivityTypeID: f.call, DueDate: f.today().AddDays(14),
			Criteria: vouch.Criteria{IndustryID: valueID(t, db, vouch.TaxIndustry, "Healthcare"), Language: "German"}, ReferencesNeeded: 1}
		out := vouch.Outgoing{Mails: []vouch.Mail{{To: "team@example.com", Subject: "New request"}},
			Notifications: []vouch.Notification{{UserID: f.team.ID, Body: "New request"}}}
		if err := db.CreateRequest(ctx, req, out); err != nil {
			t.Fatal(err)
		}
		got := f.mustRequest(t, req.ID)
		if got.State != vouch.RequestSubmitted || got.Workflow != vouch.WorkflowProgramManaged || got.ReferencesNeeded != 1 ||
			got.Criteria != req.Criteria || got.DueDate != req.DueDate || got.ClosedAt != nil || got.Version != 1 {
			t.Errorf("read back %+v", got)
		}
		ev := f.events(t, req.ID)
		if len(ev) != 1 || ev[0].Kind != vouch.EventState || ev[0].To != vouch.RequestSubmitted || ev[0].Actor != "test" {
			t.Errorf("timeline after create: %+v", ev)
		}
		if a := f.audit(t, "request", req.ID); len(a) != 1 || a[0].Action != "create" {
			t.Errorf("audit after create: %+v", a)
		}
		// What the change tells is stored with it, linked to the request.
		mails, _, _ := db.ListOutbox(ctx, vouch.OutboxFilter{})
		if len(mails) != 1 || mails[0].RequestID != req.ID {
			t.Errorf("outbox after create: %+v", mails)
		}
		if _, n, _ := db.Notifications(ctx, f.team.ID, 10); n != 1 {
			t.Errorf("team member has %d notifications, want 1", n)
		}
		if list, total, _ := db.ListRequests(ctx, vouch.RequestFilter{Unassigned: true, Open: true}); total != 1 || list[0].ID != req.ID {
			t.Errorf("unassigned open requests: %d", total)
		}

		// Assigned, a submitted request is in progress.
		r, err := db.AssignRequest(ctx, req.ID, 1, f.team.ID, vouch.Outgoing{})
		if err != nil {
			t.Fatal(err)
		}
		if r.State != vouch.RequestInProgress || r.AssigneeID != f.team.ID {
			t.Errorf("after assign: %+v", r)
		}
		got = f.mustRequest(t, req.ID)
		if got.State != vouch.RequestInProgress || got.AssigneeID != f.team.ID || got.Version != r.Version {
			t.Errorf("read back after assign: state %s assignee %d version %d (returned %d)", got.State, got.AssigneeID, got.Version, r.Version)
		}
		if list, total, _ := db.ListRequests(ctx, vouch.RequestFilter{AssigneeID: f.team.ID}); total != 1 || list[0].ID != req.ID {
			t.Errorf("requests assigned to the team member: %d", total)
		}
		// A stale version is a conflict.
		if _, err := db.AssignRequest(ctx, req.ID, 1, 0, vouch.Outgoing{}); vouch.ErrorFields(err)["version"] == "" {
			t.Errorf("assign at a stale version: %v", err)
		}
		if _, err := db.AssignRequest(ctx, req.ID, 0, 9999, vouch.Outgoing{}); vouch.ErrorFields(err)["assignee"] == "" {
			t.Errorf("assign to an unknown user: %v", err)
		}

		// A move that is not allowed, and one without its reason, change nothing.
		if _, err := db.ChangeRequestState(ctx, req.ID, 0, vouch.RequestChange{To: vouch.RequestCompleted}, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("in progress → completed: %v, want conflict", err)
		}
		if _, err := db.ChangeRequestState(ctx, req.ID, 0, vouch.RequestChange{To: vouch.RequestUnfulfilled, Reason: " "}, vouch.Outgoing{}); vouch.ErrorFields(err)["reason"] == "" {
			t.Errorf("unfulfilled without reason: %v", err)
		}
		if _, err := db.ChangeRequestState(ctx, req.ID, 1, vouch.RequestChange{To: vouch.RequestUnfulfilled, Reason: "x"}, vouch.Outgoing{}); vouch.ErrorFields(err)["version"] == "" {
			t.Errorf("change at a stale version: %v", err)
		}
		if got := f.mustRequest(t, req.ID); got.State != vouch.RequestInProgress || got.Version != r.Version {
			t.Errorf("refused changes changed the request: %+v", got)
		}

		f.advance(time.Hour)
		_, err = db.ChangeRequestState(ctx, req.ID, r.Version, vouch.RequestChange{To: vouch.RequestUnfulfilled, Reason: "  nobody in EMEA  "}, vouch.Outgoing{})
		if err != nil {
			t.Fatal(err)
		}
		got = f.mustRequest(t, req.ID)
		if got.State != vouch.RequestUnfulfilled || got.StateReason != "nobody in EMEA" || got.ClosedAt == nil || !got.ClosedAt.Equal(f.now) {
			t.Errorf("after unfulfilled: %+v", got)
		}
		ev = f.events(t, req.ID)
		last := ev[len(ev)-1]
		if last.Kind != vouch.EventState || last.From != vouch.RequestInProgress || last.To != vouch.RequestUnfulfilled ||
			last.Body != "nobody in EMEA" || !last.At.Equal(f.now) {
			t.Errorf("last event %+v", last)
		}
		// The timeline records every state, in order.
		var states []string
		for _, e := range ev {
			if e.Kind == vouch.EventState {
				states = append(states, string(e.To))
			}
		}
		if strings.Join(states, ",") != "submitted,in_progress,unfulfilled" {
			t.Errorf("states in the timeline: %v", states)
		}
		times, err := db.RequestStateTimes(ctx)
		if err != nil || len(times[req.ID]) != 3 || !times[req.ID][vouch.RequestUnfulfilled].Equal(f.now) {
			t.Errorf("state times %v, %v", times[req.ID], err)
		}
		// Closed: no more moves, no assignment, no open filter.
		if _, err := db.ChangeRequestState(ctx, req.ID, 0, vouch.RequestChange{To: vouch.RequestInProgress}, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("unfulfilled → in progress: %v", err)
		}
		if _, err := db.AssignRequest(ctx, req.ID, 0, 0, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("assigning a closed request: %v", err)
		}
		if _, total, _ := db.ListRequests(ctx, vouch.RequestFilter{Open: true}); total != 0 {
			t.Errorf("%d open requests, want 0", total)
		}
		if err := db.AddRequestMessage(ctx, req.ID, "  Thanks anyway  ", vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if ev := f.events(t, req.ID); ev[len(ev)-1].Kind != vouch.EventMessage || ev[len(ev)-1].Body != "Thanks anyway" {
			t.Errorf("message event %+v", ev[len(ev)-1])
		}
	})
}

func TestCreateRequestRefusesBadInput(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		opp := f.opportunity(t)
		cases := []struct {
			name  string
			r     vouch.Request
			field string
		}{
			{"unknown opportunity", vouch.Request{OpportunityID: 9999, ActivityTypeID: f.call, DueDate: f.today()}, "opportunity"},
			{"an industry as activity type", vouch.Request{OpportunityID: opp.ID, ActivityTypeID: valueID(t, db, vouch.TaxIndustry, "Healthcare"),
				DueDate: f.today()}, "activity_type"},
			{"a region as industry", vouch.Request{OpportunityID: opp.ID, ActivityTypeID: f.call, DueDate: f.today(),
				Criteria: vouch.Criteria{IndustryID: valueID(t, db, vouch.TaxRegion, "EMEA")}}, "industry"},
		}
		// The request's own rules (a due date in the past …) are the
		// service's: fulfillment's TestCreateRequestChecksEverythingAtOnce.
		for _, c := range cases {
			c.r.RequesterID = f.seller.ID
			err := db.CreateRequest(ctx, &c.r, vouch.Outgoing{})
			if vouch.ErrorCode(err) != vouch.EINVALID || vouch.ErrorFields(err)[c.field] == "" {
				t.Errorf("%s: %v, want a %s field error", c.name, err, c.field)
			}
		}
		if _, total, _ := db.ListRequests(ctx, vouch.RequestFilter{}); total != 0 {
			t.Errorf("refused requests left %d requests", total)
		}
		// Created with an assignee, a request starts in progress; the
		// activity type's rule decides the workflow.
		if err := db.SetActivityTypeRule(ctx, vouch.ActivityTypeRule{TypeID: f.visit, Workflow: vouch.WorkflowSelfServe, Points: 50}); err != nil {
			t.Fatal(err)
		}
		r := f.request(t, opp, func(r *vouch.Request) { r.AssigneeID = f.team.ID; r.ActivityTypeID = f.visit })
		if got := f.mustRequest(t, r.ID); got.State != vouch.RequestInProgress || got.Workflow != vouch.WorkflowSelfServe {
			t.Errorf("request with an assignee: state %s workflow %s", got.State, got.Workflow)
		}
	})
}

func TestCreateAskHardRules(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		opp := f.opportunity(t)
		req := f.request(t, opp, nil)
		cases := []struct {
			name string
			ref  *vouch.Reference
			want string
		}{
			{"nominated", f.ref(t, "Nina Nominated", func(r *vouch.Reference) { r.Status = vouch.StatusNominated }), "not active"},
			{"resting", f.ref(t, "Rita Resting", func(r *vouch.Reference) {
				r.Status, r.RestingUntil = vouch.StatusResting, f.today().AddDays(20)
			}), "not active"},
			{"retired", f.ref(t, "Rob Retired", func(r *vouch.Reference) { r.Status, r.StatusReason = vouch.StatusRetired, "left" }), "not active"},
			{"do not contact", f.ref(t, "Dan Donot", func(r *vouch.Reference) {
				r.Status, r.StatusReason = vouch.StatusDoNotContact, "asked us to stop"
			}), "not active"},
			{"not agreed to calls", f.ref(t, "Vic Visits", func(r *vouch.Reference) {
				r.Activities = []vouch.AgreedActivity{{TypeID: f.visit, ConsentedOn: f.today()}}
			}), "not agreed"},
		}
		for _, c := range cases {
			a := &vouch.Ask{RequestID: req.ID, ReferenceID: c.ref.ID, State: vouch.AskPending}
			err := db.CreateAsk(ctx, a, f.link(vouch.LinkAnswer), vouch.Outgoing{Mails: []vouch.Mail{{To: c.ref.Email, Subject: "Would you?"}}})
			if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want a conflict saying %q", c.name, err, c.want)
			}
		}
		// A rest that ended counts as active.
		woke := f.ref(t, "Willa Woke", func(r *vouch.Reference) { r.Status, r.RestingUntil = vouch.StatusResting, f.today().AddDays(2) })
		f.advance(2 * 24 * time.Hour)
		req = f.request(t, opp, nil)
		// Nothing was asked, mailed or moved by the refused asks.
		if asks, _ := db.Asks(ctx, req.ID); len(asks) != 0 {
			t.Errorf("refused asks left %d asks", len(asks))
		}
		if _, n, _ := db.ListOutbox(ctx, vouch.OutboxFilter{}); n != 0 {
			t.Errorf("refused asks queued %d mails", n)
		}

		a, _ := f.ask(t, req, woke)
		got := f.mustAsk(t, a.ID)
		if got.State != vouch.AskPending || got.SentAt == nil || len(got.Reasons) != 1 || got.Score != 40 || got.RequestID != req.ID {
			t.Errorf("ask read back %+v", got)
		}
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate)
		ev := f.events(t, req.ID)
		if !rqHasEvent(ev, vouch.EventAsk, "Asked Willa Woke") {
			t.Errorf("timeline lacks the ask: %+v", ev)
		}
		if len(f.audit(t, "ask", a.ID)) != 1 {
			t.Error("the ask is not audited")
		}

		// Nobody is asked twice for one opportunity, even by another request.
		other := f.request(t, opp, nil)
		err := db.CreateAsk(ctx, &vouch.Ask{RequestID: other.ID, ReferenceID: woke.ID, State: vouch.AskPending}, f.link(vouch.LinkAnswer), vouch.Outgoing{})
		if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "already been asked") {
			t.Errorf("asking again for the same opportunity: %v", err)
		}
		rqWantState(t, f, other.ID, vouch.RequestSubmitted)
		asked, err := db.AskedForOpportunity(ctx, opp.ID)
		if err != nil || len(asked) != 1 || !asked[woke.ID] {
			t.Errorf("asked for the opportunity: %v %v", asked, err)
		}
		// … but may be asked for another opportunity.
		f.ask(t, f.request(t, nil, nil), woke)

		// A closed request asks nobody.
		fresh := f.ref(t, "Fay Fresh", nil)
		if _, err := db.ChangeRequestState(ctx, other.ID, 0, vouch.RequestChange{To: vouch.RequestCancelled, Reason: "deal lost"}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		err = db.CreateAsk(ctx, &vouch.Ask{RequestID: other.ID, ReferenceID: fresh.ID, State: vouch.AskPending}, f.link(vouch.LinkAnswer), vouch.Outgoing{})
		if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "cancelled") {
			t.Errorf("asking for a cancelled request: %v", err)
		}
		if err := db.CreateAsk(ctx, &vouch.Ask{RequestID: req.ID, ReferenceID: fresh.ID, State: vouch.AskAccepted}, vouch.NewLink{}, vouch.Outgoing{}); err == nil {
			t.Error("created an ask that is accepted from the start")
		}
	})
}

func rqHasEvent(ev []vouch.RequestEvent, kind, body string) bool {
	for _, e := range ev {
		if e.Kind == kind && strings.Contains(e.Body, body) {
			return true
		}
	}
	return false
}

func TestClosedRequestReleasesItsReferences(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		req := f.request(t, nil, func(r *vouch.Request) { r.ReferencesNeeded = 3 })
		one := 1
		ada := f.ref(t, "Ada Accepted", func(r *vouch.Reference) { r.CapacityOverride = &one })
		pat := f.ref(t, "Pat Pending", nil)
		sam := f.ref(t, "Sam Scheduled", nil)
		accepted, adaLink := f.ask(t, req, ada)
		pending, patLink := f.ask(t, req, pat)
		scheduled, samLink := f.ask(t, req, sam)
		if _, err := db.AnswerAsk(ctx, adaLink, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerAsk(ctx, samLink, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ScheduleAsk(ctx, scheduled.ID, vouch.Schedule{At: f.now.Add(72 * time.Hour)}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if n := len(f.activities(t, ada.ID)); n != 1 {
			t.Fatalf("Ada has %d activities after accepting, want 1 booked", n)
		}

		if _, err := db.ChangeRequestState(ctx, req.ID, 0, vouch.RequestChange{To: vouch.RequestCancelled, Reason: "prospect went silent"}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*vouch.Ask{accepted, pending, scheduled} {
			got := f.mustAsk(t, a.ID)
			if got.State != vouch.AskWithdrawn || got.ActivityID != 0 || !strings.Contains(got.AnswerNote, "cancelled") {
				t.Errorf("ask %d after the request was cancelled: %+v", a.ID, got)
			}
		}
		for _, r := range []*vouch.Reference{ada, sam} {
			if as := f.activities(t, r.ID); len(as) != 0 {
				t.Errorf("%s keeps %d booked activities after the request was cancelled", r.Name, len(as))
			}
		}
		// Ada's capacity is free again: another request may book her.
		req2 := f.request(t, nil, nil)
		_, l := f.ask(t, req2, ada)
		if _, err := db.AnswerAsk(ctx, l, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{}); err != nil {
			t.Errorf("accepting once the cancelled request released the slot: %v", err)
		}
		// Pat's link no longer answers anything, and does not claim she answered.
		_, err := db.AnswerAsk(ctx, patLink, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{})
		if vouch.ErrorCode(err) != vouch.ECONFLICT || strings.Contains(err.Error(), "answered") || !strings.Contains(err.Error(), "no longer open") {
			t.Errorf("answering a withdrawn ask: %v, want 'no longer open'", err)
		}
		if n := len(f.activities(t, pat.ID)); n != 0 {
			t.Errorf("Pat has %d activities", n)
		}
		if ev := f.events(t, req.ID); ev[len(ev)-1].To != vouch.RequestCancelled {
			t.Errorf("the last event is %+v, want the cancellation", ev[len(ev)-1])
		}
	})
}
