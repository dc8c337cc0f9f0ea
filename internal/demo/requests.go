package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/changefeed"
	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// activityRules configures the demo's activity types: most are run by the
// program team; reviews and quotes are self-serve; a site visit needs the
// account owner's approval. Bigger asks earn more points.
var activityRules = map[string]vouch.ActivityTypeRule{
	"Call":       {Workflow: vouch.WorkflowProgramManaged, Points: 10},
	"Site visit": {Workflow: vouch.WorkflowProgramManaged, Approval: true, Points: 30},
	"Case study": {Workflow: vouch.WorkflowProgramManaged, Points: 50},
	"Press":      {Workflow: vouch.WorkflowProgramManaged, Points: 30},
	"Analyst":    {Workflow: vouch.WorkflowProgramManaged, Points: 30},
	"Speaking":   {Workflow: vouch.WorkflowProgramManaged, Points: 40},
	"RFP":        {Workflow: vouch.WorkflowProgramManaged, Points: 15},
	"Logo":       {Workflow: vouch.WorkflowProgramManaged, Points: 5},
	"Quote":      {Workflow: vouch.WorkflowSelfServe, Points: 5},
	"Review":     {Workflow: vouch.WorkflowSelfServe, Points: 5},
	"Video":      {Workflow: vouch.WorkflowProgramManaged, Points: 40},
}

// requestTypes weighs which activity types sellers ask for: mostly calls.
var requestTypes = []string{"Call", "Call", "Call", "Call", "Call", "Call", "Site visit", "Case study", "RFP", "Review", "Quote", "Analyst"}

// stages are the demo CRM's open stages; a deal ends at one of the
// program settings' default won or lost stages.
var stages = []string{"Discovery", "Evaluation", "Proposal", "Negotiation"}

// Win rates of the demo's deals, in percent: deals a reference or content
// helped win more often than the others, by a margin programs report, not
// by a miracle.
const (
	winRateWithReference = 60
	winRateWithout       = 42
)

// recentDays is how far back the demo's densest deal history goes (15
// months): a scorecard's periods have enough closed deals on either side.
const recentDays = 456

var sellerComments = []string{"Exactly the peer the CFO wanted to hear from.", "Helped us get past the security review.",
	"Good call, though the prospect wanted a larger customer.", "The advocate's migration story closed the deal.",
	"Prospect asked sharp questions; the advocate handled them well.", ""}

var advocateComments = []string{"Happy to help again.", "Nice people, good questions.", "A bit long, but fine.",
	"Please give me more notice next time.", ""}

// DemoMailSettings name the company the demo's program belongs to.
var DemoMailSettings = vouch.MailSettings{Company: "Orbital Software", SenderName: "Orbital customer references",
	SenderEmail: "references@orbital.example"}

// history is how far back the demo's requests go.
const historyDays = 730

// replay runs the program's requests through the fulfillment service with
// the database clock set back, so timelines, bookings, points, feedback
// and the audit log are exactly what the UI would have produced.
type replay struct {
	ctx     context.Context
	db      *store.DB
	svc     *fulfillment.Service
	rng     *rand.Rand
	now     time.Time // the real time
	clock   time.Time // the replayed time
	tokens  map[string]string
	sellers []*vouch.User
	team    []*vouch.User
	values  Values
	typeIDs map[string]int64
	oppN    int
	res     *Result
	// closing are the deals whose close date is still ahead of the replayed
	// clock, with how they end; closeDue moves them once it passes.
	closing []closing
	// dbClock is the database's clock during the replay, standing at clock.
	dbClock *vouch.Clock
	// content is the content service and the items sellers may share.
	content *content.Service
	items   []*vouch.ContentItem
}

func (r *replay) at(t time.Time) {
	r.clock = t.UTC().Truncate(time.Microsecond)
	r.dbClock.Set(r.clock)
}

// day is the day of t in the program's time zone.
func (r *replay) day(t time.Time) vouch.Date { return r.dbClock.DayOf(t) }

func (r *replay) as(u *vouch.User) context.Context { return vouch.WithActor(r.ctx, vouch.UserActor(u)) }

func (r *replay) pick(kind vouch.TaxonomyKind) int64 {
	vs := r.values[kind]
	if len(vs) == 0 {
		return 0
	}
	return vs[r.rng.IntN(len(vs))].ID
}

// closing is a deal that ends won or lost on its close date.
type closing struct {
	opp    *vouch.Opportunity
	owner  *vouch.User
	status vouch.OpportunityStatus
}

// opportunity adds an open deal for seller, created at created. When its
// close date is before now it is won (winRate percent of the time) or lost
// on that day, as the replayed clock passes it (closeDue): a request made
// for it meanwhile records the open stage it was in.
func (r *replay) opportunity(seller *vouch.User, created time.Time, winRate int) (*vouch.Opportunity, error) {
	r.oppN++
	prospect := companyHeads[r.rng.IntN(len(companyHeads))] + companyTails[r.rng.IntN(len(companyTails))] + " " +
		[]string{"Group", "Holdings", "Systems", "Partners", "Labs"}[r.rng.IntN(5)]
	closeDate := r.day(created).AddDays(20 + r.rng.IntN(70))
	currency := "USD"
	if r.rng.IntN(100) < 15 {
		currency = "EUR"
	}
	o := &vouch.Opportunity{Name: fmt.Sprintf("%s — new business", prospect), Prospect: prospect,
		AmountCents: int64(10+r.rng.IntN(490)) * 100000, Currency: currency, Stage: stages[r.rng.IntN(len(stages))],
		CloseDate: closeDate, Status: vouch.OpportunityOpen, OwnerID: seller.ID, CreatedOn: r.day(created),
		IndustryID: r.pick(vouch.TaxIndustry), RegionID: r.pick(vouch.TaxRegion), CountryID: r.pick(vouch.TaxCountry),
		SegmentID: r.pick(vouch.TaxSegment), SizeID: r.pick(vouch.TaxCompanySize),
		ProductID: r.pick(vouch.TaxProduct), CompetitorID: r.pick(vouch.TaxCompetitor), CRMID: fmt.Sprintf("OPP-%06d", r.oppN)}
	r.at(created)
	if err := r.svc.CreateOpportunity(r.as(seller), o); err != nil {
		return nil, fmt.Errorf("demo opportunity: %w", err)
	}
	r.res.OpportunitiesAdded++
	if closeDate.Before(r.day(r.now)) {
		status := vouch.OpportunityLost
		if r.rng.IntN(100) < winRate {
			status = vouch.OpportunityWon
		}
		r.closing = append(r.closing, closing{opp: o, owner: seller, status: status})
	}
	return o, nil
}

// Shares of the deals without a request that a seller sent content to, in
// percent, by how the deal ends: content goes out on deals that win more.
const (
	contentOnWon  = 30
	contentOnLost = 15
	contentOnOpen = 25
)

// plainDeal adds a deal no reference was requested for; a seller shares a
// content item on some of them a day later, while the deal is open.
func (r *replay) plainDeal(created time.Time) error {
	seller := r.sellers[r.rng.IntN(len(r.sellers))]
	o, err := r.opportunity(seller, created, winRateWithout)
	if err != nil || len(r.items) == 0 {
		return err
	}
	share := contentOnOpen
	if n := len(r.closing); n > 0 && r.closing[n-1].opp == o {
		share = contentOnLost
		if r.closing[n-1].status == vouch.OpportunityWon {
			share = contentOnWon
		}
	}
	at := created.Add(24 * time.Hour)
	if r.rng.IntN(100) >= share || !at.Before(r.now) || !r.day(at).Before(o.CloseDate) {
		return nil
	}
	r.at(at)
	it := r.items[r.rng.IntN(len(r.items))]
	if _, _, err := r.content.Use(r.as(seller), it.ID, content.UseInput{Kind: vouch.UseCopyLink, OpportunityID: o.ID}); err != nil {
		return fmt.Errorf("demo content use: %w", err)
	}
	r.res.ContentUsesAdded++
	return nil
}

// closeDue records the outcome of every deal whose close date is before
// day, on its close date, oldest first; the clock ends where it was.
func (r *replay) closeDue(day vouch.Date) error {
	slices.SortStableFunc(r.closing, func(a, b closing) int {
		switch {
		case a.opp.CloseDate.Before(b.opp.CloseDate):
			return -1
		case b.opp.CloseDate.Before(a.opp.CloseDate):
			return 1
		}
		return 0
	})
	was, n := r.clock, 0
	for _, c := range r.closing {
		if !c.opp.CloseDate.Before(day) {
			break
		}
		n++
		stage := vouch.DefaultLostStages[0]
		if c.status == vouch.OpportunityWon {
			stage = vouch.DefaultWonStages[0]
		}
		r.at(c.opp.CloseDate.Time().Add(16 * time.Hour))
		moved, err := r.svc.RecordDealOutcome(r.as(c.owner), c.opp.ID, c.status, stage, c.opp.CloseDate)
		if err != nil {
			return fmt.Errorf("demo deal outcome: %w", err)
		}
		*c.opp = *moved
	}
	r.closing = r.closing[n:]
	if n > 0 && !was.IsZero() {
		r.at(was)
	}
	return nil
}

// outcome is how far a replayed request gets.
type outcome int

const (
	stopSubmitted outcome = iota
	stopAssigned
	stopAsked
	stopScheduled
	stopCompleted // feedback links still open
	stopFeedback  // feedback given, thank-you sent
	stopCancelled
	stopUnfulfilled
)

// request replays one request from t0 to the given outcome.
func (r *replay) request(t0 time.Time, typeName string, out outcome) error {
	seller := r.sellers[r.rng.IntN(len(r.sellers))]
	member := r.team[r.rng.IntN(len(r.team))]
	opp, err := r.opportunity(seller, t0.Add(-72*time.Hour), winRateWithReference)
	if err != nil {
		return err
	}
	req := &vouch.Request{OpportunityID: opp.ID, ActivityTypeID: r.typeIDs[typeName], ReferencesNeeded: 1,
		DueDate:  r.day(t0).AddDays(7 + r.rng.IntN(14)),
		Criteria: vouch.Criteria{IndustryID: opp.IndustryID, ProductID: opp.ProductID},
		Context:  fmt.Sprintf("%s is comparing us with a competitor; they want to hear how a peer rolled out and what it took.", opp.Prospect)}
	if r.rng.IntN(3) == 0 {
		req.Criteria.RegionID = opp.RegionID
	}
	r.at(t0)
	if err := r.svc.CreateRequest(r.as(seller), seller, req, nil); err != nil {
		return fmt.Errorf("demo request: %w", err)
	}
	r.res.RequestsAdded++
	if out == stopSubmitted {
		return nil
	}
	if out == stopCancelled {
		r.at(t0.Add(20 * time.Hour))
		_, err := r.svc.ChangeState(r.as(seller), seller, req.ID, 0, vouch.RequestChange{To: vouch.RequestCancelled, Reason: "The prospect paused the evaluation"})
		return err
	}
	r.at(t0.Add(3 * time.Hour))
	if _, err := r.svc.Assign(r.as(member), member, req.ID, 0, member.ID); err != nil {
		return fmt.Errorf("demo assign: %w", err)
	}
	if out == stopAssigned {
		return nil
	}
	// Ask the best matches in turn until one accepts (or nobody is left).
	r.at(t0.Add(20 * time.Hour))
	var ask *vouch.Ask
	for attempt := 0; attempt < 3 && ask == nil; attempt++ {
		res, err := r.svc.Matches(r.ctx, req, 0, 3)
		if err != nil {
			return err
		}
		if len(res.Items) == 0 {
			break
		}
		m := res.Items[r.rng.IntN(len(res.Items))]
		a, err := r.svc.Ask(r.as(member), member, req.ID, m.Reference.ID, true)
		if err != nil {
			return fmt.Errorf("demo ask: %w", err)
		}
		if a.State == vouch.AskAwaitingApproval {
			owner, err := r.accountOwner(m.Account)
			if err != nil {
				return err
			}
			if out == stopAsked {
				return nil // waiting for the owner's approval
			}
			r.at(r.clock.Add(5 * time.Hour))
			if _, err := r.svc.Approve(r.as(owner), owner, a.ID, true, "Good relationship; go ahead."); err != nil {
				return fmt.Errorf("demo approve: %w", err)
			}
		}
		if out == stopAsked {
			return nil
		}
		r.at(r.clock.Add(time.Duration(4+r.rng.IntN(40)) * time.Hour))
		ans := vouch.Answer{Action: vouch.AnswerAccept, ProposedTimes: "Tuesday or Thursday afternoon"}
		if r.rng.IntN(6) == 0 && attempt < 2 {
			ans = vouch.Answer{Action: vouch.AnswerDecline, Note: "Busy with our quarter-end close; ask me again next month."}
		}
		a, err = r.svc.Answer(r.ctx, r.tokens[vouch.LinkAnswer], ans)
		if errors.Is(err, vouch.ErrNoLongerAvailable) {
			continue
		} else if err != nil {
			return fmt.Errorf("demo answer: %w", err)
		}
		if a.State == vouch.AskAccepted {
			ask = a
		}
	}
	if ask == nil {
		r.at(r.clock.Add(24 * time.Hour))
		_, err := r.svc.ChangeState(r.as(member), member, req.ID, 0, vouch.RequestChange{To: vouch.RequestUnfulfilled,
			Reason: "No matching reference was available in time"})
		return err
	}
	if out == stopUnfulfilled {
		r.at(r.clock.Add(24 * time.Hour))
		_, err := r.svc.Withdraw(r.as(member), member, ask.ID, "The prospect chose another path")
		if err != nil {
			return err
		}
		_, err = r.svc.ChangeState(r.as(member), member, req.ID, 0, vouch.RequestChange{To: vouch.RequestUnfulfilled, Reason: "The prospect dropped the reference step"})
		return err
	}
	r.at(r.clock.Add(6 * time.Hour))
	day := r.day(r.clock).AddDays(2 + r.rng.IntN(3))
	when := day.Time().Add(time.Duration(14+r.rng.IntN(4)) * time.Hour)
	sched := vouch.Schedule{At: when, DurationMinutes: 30, MeetingURL: fmt.Sprintf("https://meet.example.com/vouch-%d", ask.ID)}
	_, err = r.svc.Schedule(r.as(member), member, ask.ID, sched)
	if vouch.ErrorCode(err) == vouch.ECONFLICT {
		// That day's windows are full: take the day the booking holds.
		booked, berr := r.bookedDay(ask)
		if berr != nil {
			return berr
		}
		when = booked.Time().Add(time.Duration(14+r.rng.IntN(4)) * time.Hour)
		if when.Before(r.clock) {
			r.at(when.Add(-time.Hour))
		}
		sched.At = when
		_, err = r.svc.Schedule(r.as(member), member, ask.ID, sched)
	}
	if err != nil {
		return fmt.Errorf("demo schedule: %w", err)
	}
	if out == stopScheduled {
		return nil
	}
	r.at(when.Add(2 * time.Hour))
	if _, err := r.svc.Complete(r.as(member), member, ask.ID, vouch.OutcomeCompleted, r.day(when)); err != nil {
		return fmt.Errorf("demo complete: %w", err)
	}
	r.res.ActivitiesAdded++
	if out == stopCompleted {
		return nil
	}
	r.at(r.clock.Add(time.Duration(5+r.rng.IntN(40)) * time.Hour))
	if r.rng.IntN(5) > 0 {
		infl := r.rng.IntN(3) > 0
		f := &vouch.Feedback{Rating: 3 + r.rng.IntN(3), Influenced: &infl, Impact: vouch.DealImpacts[r.rng.IntN(2)],
			Comment: sellerComments[r.rng.IntN(len(sellerComments))]}
		if err := r.svc.Feedback(r.ctx, r.tokens[vouch.LinkSellerFeedback], f); err != nil {
			return fmt.Errorf("demo seller feedback: %w", err)
		}
		r.res.FeedbackAdded++
	}
	if r.rng.IntN(5) > 1 {
		f := &vouch.Feedback{Rating: 3 + r.rng.IntN(3), ThankYou: vouch.ThankYous[r.rng.IntN(len(vouch.ThankYous))],
			Comment: advocateComments[r.rng.IntN(len(advocateComments))]}
		if err := r.svc.Feedback(r.ctx, r.tokens[vouch.LinkAdvocateFeedback], f); err != nil {
			return fmt.Errorf("demo advocate feedback: %w", err)
		}
		r.res.FeedbackAdded++
	}
	if r.rng.IntN(4) > 0 {
		r.at(r.clock.Add(72 * time.Hour))
		got, err := r.svc.AskByID(r.ctx, ask.ID)
		if err != nil {
			return err
		}
		if err := r.svc.MarkThankYouSent(r.as(member), got.ActivityID, "", r.day(r.clock)); err != nil {
			return fmt.Errorf("demo thank-you: %w", err)
		}
	}
	return nil
}

// bookedDay is the day an accepted ask's booking holds.
func (r *replay) bookedDay(a *vouch.Ask) (vouch.Date, error) {
	acts, err := r.svc.Activities(r.ctx, a.ReferenceID)
	if err != nil {
		return vouch.Date{}, err
	}
	for _, act := range acts {
		if act.ID == a.ActivityID {
			return act.OccurredOn, nil
		}
	}
	return vouch.Date{}, fmt.Errorf("demo: the booking of ask %d is gone", a.ID)
}

func (r *replay) accountOwner(a *vouch.Account) (*vouch.User, error) {
	if a.OwnerID == 0 {
		return r.team[0], nil
	}
	return r.svc.User(r.ctx, a.OwnerID)
}

// loadRequests adds two years of opportunities, requests in every state,
// activities with feedback and the activity type rules, unless the
// database already has requests.
func loadRequests(ctx context.Context, db *store.DB, opts Options, res *Result) (err error) {
	if _, n, err := db.ListRequests(ctx, vouch.RequestFilter{Limit: 1}); err != nil || n > 0 {
		return err
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	r := &replay{ctx: ctx, db: db, rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x7265717565737473)), now: db.Now(),
		dbClock: db.Clock, tokens: map[string]string{}, typeIDs: map[string]int64{}, res: res}
	for _, u := range users {
		switch u.Role {
		case vouch.RoleSeller:
			r.sellers = append(r.sellers, u)
		case vouch.RoleProgramManager, vouch.RoleTeamMember:
			r.team = append(r.team, u)
		}
	}
	if len(r.sellers) == 0 || len(r.team) == 0 {
		return nil
	}
	if r.values, err = activeValues(ctx, db); err != nil {
		return err
	}
	for _, v := range r.values[vouch.TaxActivityType] {
		r.typeIDs[v.Name] = v.ID
		if rule, ok := activityRules[v.Name]; ok {
			rule.TypeID = v.ID
			if err := db.SetActivityTypeRule(ctx, rule); err != nil {
				return err
			}
		}
	}
	for _, name := range requestTypes {
		if r.typeIDs[name] == 0 {
			return nil // the activity types were renamed: nothing sensible to replay
		}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	feed := changefeed.New(db, quiet)
	defer feed.Close()
	cat := catalog.New(db)
	if _, err := feed.Subscribe(ctx, "catalog", catalog.Kinds, cat); err != nil {
		return err
	}
	ix := refindex.New(db, cat, quiet)
	if _, err := feed.Subscribe(ctx, "reference index", refindex.Kinds, ix); err != nil {
		return err
	}
	if r.svc, err = fulfillment.New(ctx, db, ix, opts.BaseURL, quiet); err != nil {
		return err
	}
	r.svc.OnLink(func(purpose, token string) { r.tokens[purpose] = token })
	// Content sellers share on deals: the items approved for prospects.
	r.content = content.New(db, cat)
	items, err := db.ContentItems(ctx, nil)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.State == vouch.ContentApprovedExternal {
			r.items = append(r.items, it)
		}
	}
	// The demo's own company, so its mails and answer pages name who asks;
	// a company someone already set stays.
	for _, u := range users {
		if !u.Can(vouch.PermEditMails) {
			continue
		}
		ms, err := r.svc.MailSettings(ctx, u)
		if err != nil {
			return err
		}
		if ms.Company == "" {
			ms.Company, ms.SenderName, ms.SenderEmail = DemoMailSettings.Company, DemoMailSettings.SenderName, DemoMailSettings.SenderEmail
			if err := r.svc.SaveMailSettings(ctx, u, ms); err != nil {
				return err
			}
		}
		break
	}
	// The replay moves the database's own clock — atomically, since a
	// server may be reading it meanwhile — and gives it back as it was.
	pinned := db.Clock.Pinned()
	db.Clock.Set(r.now)
	defer db.Clock.Restore(pinned)

	// Two years of history, a request every few days, most completed.
	// Between them, deals that never used a reference, which win less often.
	start := r.now.AddDate(0, 0, -historyDays)
	const historyRequests = 180
	step := time.Duration(historyDays-21) * 24 * time.Hour / historyRequests
	for i := 0; i < historyRequests; i++ {
		t0 := start.Add(time.Duration(i)*step + time.Duration(r.rng.IntN(10))*time.Hour)
		if err := r.closeDue(r.day(t0)); err != nil {
			return err
		}
		out := stopFeedback
		switch k := r.rng.IntN(100); {
		case k < 6:
			out = stopCancelled
		case k < 10:
			out = stopUnfulfilled
		}
		if err := r.request(t0, requestTypes[r.rng.IntN(len(requestTypes))], out); err != nil {
			return err
		}
		if err := r.plainDeal(t0.Add(36 * time.Hour)); err != nil {
			return err
		}
		if r.now.Sub(t0) < recentDays*24*time.Hour {
			// The last 15 months have more deals: enough on either side
			// of a scorecard's win rate.
			if err := r.plainDeal(t0.Add(60 * time.Hour)); err != nil {
				return err
			}
		}
	}
	// Mail of the replayed past would only confuse a new outbox.
	if _, err := db.DiscardMailBefore(ctx, r.now.AddDate(0, 0, -14)); err != nil {
		return err
	}
	// The program today: requests in every state, the newest first to act on.
	current := []struct {
		daysAgo int
		kind    string
		out     outcome
	}{
		{1, "Call", stopSubmitted}, {2, "Case study", stopSubmitted}, {0, "Call", stopSubmitted},
		{3, "Call", stopAssigned}, {4, "RFP", stopAssigned},
		{3, "Call", stopAsked}, {5, "Call", stopAsked}, {2, "Site visit", stopAsked},
		{6, "Call", stopScheduled}, {7, "Call", stopScheduled},
		{9, "Call", stopCompleted}, {11, "Case study", stopCompleted},
		{12, "Call", stopFeedback}, {8, "Call", stopCancelled},
	}
	for _, c := range current {
		t0 := r.now.AddDate(0, 0, -c.daysAgo).Add(-time.Duration(1+r.rng.IntN(6)) * time.Hour)
		if c.out == stopScheduled {
			// Scheduled calls happen in the coming days.
			t0 = r.now.Add(-30 * time.Hour)
		}
		if err := r.closeDue(r.day(t0)); err != nil {
			return err
		}
		if err := r.request(t0, c.kind, c.out); err != nil {
			return err
		}
	}
	r.at(r.now)
	return r.closeDue(r.day(r.now))
}
