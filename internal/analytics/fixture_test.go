package analytics_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/changefeed"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = context.Background()

// fixture is a database with a movable clock, the catalog and the metrics
// engine on one change feed, as the server wires them.
type fixture struct {
	db    *store.DB
	now   time.Time
	feed  *changefeed.Feed
	cat   *catalog.Catalog
	model *analytics.Model
	raw   *sql.DB // a plain connection for what no service writes yet
	n     int

	vals          map[string]int64 // taxonomy values by "kind:name"
	sellers, team []*vouch.User
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{db: db, now: time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC), vals: map[string]int64{}}
	db.Clock = vouch.NewClock(func() time.Time { return f.now })
	f.feed, f.cat, _ = testutil.ReadModels(t, db)
	var err error
	if db.Engine == store.SQLite {
		f.raw, err = sql.Open("sqlite", "file:"+db.Path+"?_pragma=busy_timeout(10000)&_time_format=sqlite")
	} else {
		f.raw, err = sql.Open("pgx", db.URL)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.raw.Close() })
	return f
}

// subscribe loads the metrics engine and keeps it on the feed.
func (f *fixture) subscribe(t *testing.T) {
	t.Helper()
	f.model = analytics.New(f.db, f.cat, nil)
	if _, err := f.feed.Subscribe(ctx, "metrics engine", analytics.Kinds, f.model); err != nil {
		t.Fatal(err)
	}
}

// at moves the clock to noon of day plus some minutes.
func (f *fixture) at(day vouch.Date, minutes int) {
	f.now = day.Time().Add(12*time.Hour + time.Duration(minutes)*time.Minute)
}

func (f *fixture) rebind(q string) string {
	if f.db.Engine != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// exec runs a plain statement on the database.
func (f *fixture) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := f.raw.Exec(f.rebind(q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) value(t *testing.T, kind vouch.TaxonomyKind, name string) int64 {
	t.Helper()
	key := string(kind) + ":" + name
	if id, ok := f.vals[key]; ok {
		return id
	}
	vals, err := f.db.ListTaxonomy(ctx, kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		if strings.EqualFold(v.Name, name) {
			f.vals[key] = v.ID
			return v.ID
		}
	}
	v := &vouch.TaxonomyValue{Kind: kind, Name: name}
	if err := f.db.CreateTaxonomyValue(ctx, v); err != nil {
		t.Fatal(err)
	}
	f.vals[key] = v.ID
	return v.ID
}

func (f *fixture) user(t *testing.T, name string, role vouch.Role) *vouch.User {
	t.Helper()
	u := &vouch.User{Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", Name: name, Role: role}
	if err := f.db.CreateUser(ctx, u, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) account(t *testing.T, a *vouch.Account) *vouch.Account {
	t.Helper()
	f.n++
	a.Name = fmt.Sprintf("%s %d", a.Name, f.n)
	if err := f.db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) reference(t *testing.T, r *vouch.Reference) *vouch.Reference {
	t.Helper()
	f.n++
	r.Email = fmt.Sprintf("ref%d@customer.example", f.n)
	if len(r.Activities) == 0 {
		r.Activities = []vouch.AgreedActivity{{TypeID: f.value(t, vouch.TaxActivityType, "Call"), ConsentedOn: vouch.NewDate(2025, 1, 1)},
			{TypeID: f.value(t, vouch.TaxActivityType, "Site visit"), ConsentedOn: vouch.NewDate(2025, 1, 1)}}
	}
	if err := f.db.CreateReference(ctx, r); err != nil {
		t.Fatalf("create reference: %v", err)
	}
	return r
}

func (f *fixture) status(t *testing.T, r *vouch.Reference, c vouch.StatusChange) {
	t.Helper()
	got, err := f.db.ChangeStatus(ctx, r.ID, 0, c)
	if err != nil {
		t.Fatalf("reference %d to %s: %v", r.ID, c.To, err)
	}
	*r = *got
}

func (f *fixture) opportunity(t *testing.T, o *vouch.Opportunity) *vouch.Opportunity {
	t.Helper()
	f.n++
	if o.Name == "" {
		o.Name = fmt.Sprintf("Deal %d", f.n)
	}
	if o.Currency == "" {
		o.Currency = "USD"
	}
	if err := f.db.CreateOpportunity(ctx, o); err != nil {
		t.Fatalf("create opportunity: %v", err)
	}
	return o
}

func (f *fixture) request(t *testing.T, r *vouch.Request) *vouch.Request {
	t.Helper()
	if r.ReferencesNeeded == 0 {
		r.ReferencesNeeded = 1
	}
	if r.Context == "" {
		r.Context = "A peer for the buyer."
	}
	if err := f.db.CreateRequest(ctx, r, vouch.Outgoing{}); err != nil {
		t.Fatalf("create request: %v", err)
	}
	return r
}

func (f *fixture) moveRequest(t *testing.T, r *vouch.Request, to ...vouch.RequestState) {
	t.Helper()
	for _, s := range to {
		got, err := f.db.ChangeRequestState(ctx, r.ID, 0, vouch.RequestChange{To: s, Reason: "as it went"}, vouch.Outgoing{})
		if err != nil {
			t.Fatalf("request %d %s → %s: %v", r.ID, r.State, s, err)
		}
		*r = *got
	}
}

// activity logs a done activity and ties it to opp (0: none), as the
// activity history import and the activity form do.
func (f *fixture) activity(t *testing.T, refID, typeID int64, day vouch.Date, oppID int64, stage string) int64 {
	t.Helper()
	a := &vouch.Activity{ReferenceID: refID, TypeID: typeID, OccurredOn: day}
	if err := f.db.LogActivity(ctx, a); err != nil {
		t.Fatalf("log activity: %v", err)
	}
	if oppID != 0 {
		f.exec(t, `UPDATE activities SET opportunity_id = ?, opp_stage = ? WHERE id = ?`, oppID, stage, a.ID)
	}
	return a.ID
}

// randomData writes a program's year: references with status changes,
// deals in two currencies, requests in every state, asks answered and
// completed with feedback, activities (several on some deals, some after
// the close date), content items with uses and ratings.
func (f *fixture) randomData(t *testing.T) {
	t.Helper()
	// The figures are what this test checks, not the ask ledger: its
	// random asks and activities fall where the fatigue rules would
	// refuse some, so the rules are off.
	ps, err := f.db.ProgramSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ps.LedgerAccountCap, ps.LedgerCooldownDays, ps.LedgerReferenceCap = 0, 0, 0
	if err := f.db.SetProgramSettings(ctx, ps); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 2026))
	pick := func(ids []int64) int64 {
		if rng.IntN(10) == 0 {
			return 0 // not set
		}
		return ids[rng.IntN(len(ids))]
	}
	day := func(from vouch.Date, days int) vouch.Date { return from.AddDays(rng.IntN(days)) }
	jan1 := vouch.NewDate(2026, 1, 1)
	industries := []int64{f.value(t, vouch.TaxIndustry, "Healthcare"), f.value(t, vouch.TaxIndustry, "Finance")}
	regions := []int64{f.value(t, vouch.TaxRegion, "EMEA"), f.value(t, vouch.TaxRegion, "Americas")}
	countries := []int64{f.value(t, vouch.TaxCountry, "Germany"), f.value(t, vouch.TaxCountry, "United States")}
	segments := []int64{f.value(t, vouch.TaxSegment, "Enterprise"), f.value(t, vouch.TaxSegment, "Mid-market"), f.value(t, vouch.TaxSegment, "SMB")}
	sizes := []int64{f.value(t, vouch.TaxCompanySize, "1,000+"), f.value(t, vouch.TaxCompanySize, "1–99")}
	products := []int64{f.value(t, vouch.TaxProduct, "Analytics"), f.value(t, vouch.TaxProduct, "Payments")}
	types := []int64{f.value(t, vouch.TaxActivityType, "Call"), f.value(t, vouch.TaxActivityType, "Site visit")}
	f.sellers = []*vouch.User{f.user(t, "Sally Seller", vouch.RoleSeller), f.user(t, "Sam Seller", vouch.RoleSeller), f.user(t, "Sue Seller", vouch.RoleSeller)}
	f.team = []*vouch.User{f.user(t, "Tom Team", vouch.RoleTeamMember), f.user(t, "Tina Team", vouch.RoleTeamMember)}
	sellerIDs := []int64{f.sellers[0].ID, f.sellers[1].ID, f.sellers[2].ID}
	teamIDs := []int64{f.team[0].ID, f.team[1].ID}
	stages := []string{"Discovery", "Proposal", "Negotiation"}

	var accounts []*vouch.Account
	for i := 0; i < 12; i++ {
		a := &vouch.Account{Name: "Customer", IndustryID: pick(industries), RegionID: pick(regions), CountryID: pick(countries),
			SegmentID: pick(segments), SizeID: pick(sizes)}
		if p := pick(products); p != 0 {
			a.ProductIDs = []int64{p}
		}
		accounts = append(accounts, f.account(t, a))
	}

	// References: 20 always active with room for asks, 50 with histories.
	var askRefs, refs []*vouch.Reference
	hundred := 100
	for i := 0; i < 20; i++ {
		f.at(vouch.NewDate(2025, 10, 1), i)
		r := f.reference(t, &vouch.Reference{AccountID: accounts[rng.IntN(len(accounts))].ID, Name: fmt.Sprintf("Advocate %d", i),
			Status: vouch.StatusActive, OwnerID: teamIDs[rng.IntN(2)], CapacityOverride: &hundred, LastVerified: day(vouch.NewDate(2025, 6, 1), 500)})
		askRefs = append(askRefs, r)
		refs = append(refs, r)
	}
	for i := 0; i < 50; i++ {
		f.at(day(vouch.NewDate(2025, 11, 1), 300), i)
		r := &vouch.Reference{AccountID: accounts[rng.IntN(len(accounts))].ID, Name: fmt.Sprintf("Reference %d", i),
			Status: vouch.StatusQualifying, OwnerID: pick(teamIDs)}
		if rng.IntN(3) > 0 {
			r.LastVerified = day(vouch.NewDate(2025, 1, 1), 680)
		}
		if rng.IntN(3) == 0 {
			limit := 1 + rng.IntN(4)
			r.CapacityOverride = &limit
		}
		if rng.IntN(4) == 0 {
			r.Status = vouch.StatusActive
		}
		f.reference(t, r)
		refs = append(refs, r)
		created := f.db.Today()
		if r.Status == vouch.StatusQualifying && rng.IntN(5) > 0 {
			f.at(created.AddDays(1+rng.IntN(60)), 0)
			f.status(t, r, vouch.StatusChange{To: vouch.StatusActive})
		}
		if r.Status == vouch.StatusActive {
			switch rng.IntN(5) {
			case 0:
				f.at(f.db.Today().AddDays(1+rng.IntN(100)), 0)
				f.status(t, r, vouch.StatusChange{To: vouch.StatusRetired, Reason: "moved on"})
			case 1:
				f.at(f.db.Today().AddDays(1+rng.IntN(100)), 0)
				f.status(t, r, vouch.StatusChange{To: vouch.StatusResting, Until: f.db.Today().AddDays(10 + rng.IntN(80))})
			case 2:
				f.at(f.db.Today().AddDays(1+rng.IntN(100)), 0)
				f.status(t, r, vouch.StatusChange{To: vouch.StatusDoNotContact, Reason: "asked us to stop"})
			}
		}
	}

	// Deals: won, lost and open, in dollars and euros.
	var opps []*vouch.Opportunity
	for i := 0; i < 420; i++ {
		o := &vouch.Opportunity{Prospect: "Prospect", AmountCents: int64(100000 + rng.IntN(20000000)), OwnerID: sellerIDs[rng.IntN(3)],
			IndustryID: pick(industries), RegionID: pick(regions), CountryID: pick(countries), ProductID: pick(products),
			SegmentID: pick(segments), SizeID: pick(sizes)}
		if rng.IntN(7) == 0 {
			o.Currency = "EUR"
		}
		switch n := rng.IntN(20); {
		case n < 7:
			o.Status, o.Stage, o.CloseDate = vouch.OpportunityWon, "Closed Won", day(jan1, 334)
		case n < 12:
			o.Status, o.Stage, o.CloseDate = vouch.OpportunityLost, "Closed Lost", day(jan1, 334)
		default:
			o.Status, o.Stage, o.CloseDate = vouch.OpportunityOpen, stages[rng.IntN(3)], day(vouch.NewDate(2026, 6, 1), 300)
		}
		if rng.IntN(7) > 0 {
			o.CreatedOn = o.CloseDate.AddDays(-20 - rng.IntN(200))
		}
		opps = append(opps, f.opportunity(t, o))
	}

	// Requests: some closed by hand in each way, some worked through asks.
	var open []*vouch.Request
	for i := 0; i < 260; i++ {
		created := day(jan1, 330)
		f.at(created, rng.IntN(600))
		o := opps[rng.IntN(len(opps))]
		r := &vouch.Request{RequesterID: sellerIDs[rng.IntN(3)], OpportunityID: o.ID, ActivityTypeID: types[rng.IntN(2)],
			DueDate: created.AddDays(5 + rng.IntN(40))}
		if rng.IntN(10) < 7 {
			r.AssigneeID = teamIDs[rng.IntN(2)]
		}
		f.request(t, r)
		f.exec(t, `UPDATE requests SET opp_stage = ? WHERE id = ?`, []string{"", "Discovery", "Proposal", "Negotiation"}[rng.IntN(4)], r.ID)
		if rng.IntN(10) < 6 {
			closeDay := created.AddDays(rng.IntN(30))
			if closeDay.After(vouch.NewDate(2026, 12, 10)) {
				closeDay = vouch.NewDate(2026, 12, 10)
			}
			f.at(closeDay, 700+rng.IntN(200))
			switch n := rng.IntN(20); {
			case n < 11:
				f.moveRequest(t, r, vouch.RequestAwaitingAdvocate, vouch.RequestScheduled, vouch.RequestCompleted)
			case n < 14:
				f.moveRequest(t, r, vouch.RequestDeclined)
			case n < 17:
				f.moveRequest(t, r, vouch.RequestCancelled)
			default:
				f.moveRequest(t, r, vouch.RequestUnfulfilled)
			}
		} else {
			open = append(open, r)
		}
	}
	yes := true
	// Asks on 60 open requests: accepted and completed, or declined.
	for i, r := range open {
		if i >= 60 {
			break
		}
		ref := askRefs[rng.IntN(len(askRefs))]
		f.at(vouch.DateOf(r.CreatedAt), 800)
		f.n++
		hash := fmt.Sprintf("answer-%d", f.n)
		a := &vouch.Ask{RequestID: r.ID, ReferenceID: ref.ID, State: vouch.AskPending, Score: 40}
		if err := f.db.CreateAsk(ctx, a, vouch.NewLink{Purpose: vouch.LinkAnswer, NonceHash: hash, ExpiresAt: f.now.Add(30 * 24 * time.Hour)}, vouch.Outgoing{}); err != nil {
			t.Fatalf("create ask: %v", err)
		}
		f.at(vouch.DateOf(r.CreatedAt).AddDays(rng.IntN(4)), 900)
		if rng.IntN(10) < 3 {
			if _, err := f.db.AnswerAsk(ctx, hash, vouch.Answer{Action: vouch.AnswerDecline}, vouch.Outgoing{}); err != nil {
				t.Fatalf("decline: %v", err)
			}
			continue
		}
		if _, err := f.db.AnswerAsk(ctx, hash, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{}); err != nil {
			t.Fatalf("accept: %v", err)
		}
		if rng.IntN(5) == 0 {
			continue // booked, not done yet
		}
		done := f.db.Today().AddDays(rng.IntN(5))
		f.at(done, 1000)
		sellerHash, advocateHash := fmt.Sprintf("seller-%d", f.n), fmt.Sprintf("advocate-%d", f.n)
		exp := f.now.Add(30 * 24 * time.Hour)
		if _, err := f.db.CompleteAsk(ctx, a.ID, vouch.OutcomeCompleted, done, []vouch.NewLink{
			{Purpose: vouch.LinkSellerFeedback, NonceHash: sellerHash, ExpiresAt: exp},
			{Purpose: vouch.LinkAdvocateFeedback, NonceHash: advocateHash, ExpiresAt: exp}}, vouch.Outgoing{}); err != nil {
			t.Fatalf("complete: %v", err)
		}
		f.at(done.AddDays(rng.IntN(3)), 1100)
		if rng.IntN(10) < 7 {
			if err := f.db.SaveFeedback(ctx, sellerHash, &vouch.Feedback{Source: vouch.FeedbackSeller, Rating: 1 + rng.IntN(5), Influenced: &yes, Impact: "accelerated"}, vouch.Outgoing{}); err != nil {
				t.Fatalf("seller feedback: %v", err)
			}
		}
		if rng.IntN(10) < 6 {
			thanks := []string{"gift", "donation", "none"}[rng.IntN(3)]
			if err := f.db.SaveFeedback(ctx, advocateHash, &vouch.Feedback{Source: vouch.FeedbackAdvocate, Rating: 1 + rng.IntN(5), ThankYou: thanks}, vouch.Outgoing{}); err != nil {
				t.Fatalf("advocate feedback: %v", err)
			}
		}
	}

	// Activities from the history: several on some deals, some after the
	// close date, some not tied to a deal; points and thank-yous.
	for i := 0; i < 500; i++ {
		ref := refs[rng.IntN(len(refs))]
		d := day(jan1, 340)
		f.at(d, 0)
		var oppID int64
		if rng.IntN(10) < 6 {
			oppID = opps[rng.IntN(len(opps))].ID
		}
		id := f.activity(t, ref.ID, types[rng.IntN(2)], d, oppID, []string{"", "Discovery", "Proposal", "Negotiation"}[rng.IntN(4)])
		thanks := []string{"", "", "gift", "none", "donation"}[rng.IntN(5)]
		sent := ""
		if thanks != "" && rng.IntN(2) == 0 {
			sent = d.AddDays(1 + rng.IntN(40)).String()
		}
		state := vouch.ActivityDone
		if rng.IntN(10) == 0 {
			state = vouch.ActivityBooked
		}
		f.exec(t, `UPDATE activities SET points = ?, thank_you = ?, thank_you_sent_on = ?, state = ? WHERE id = ?`,
			rng.IntN(30), thanks, sent, state, id)
	}

	// Content: items, uses by sellers on deals, ratings.
	var items []*vouch.ContentItem
	for i := 0; i < 15; i++ {
		f.at(day(vouch.NewDate(2025, 12, 1), 360), 0)
		c := &vouch.ContentItem{TypeID: f.value(t, vouch.TaxContentType, "Case study"), Title: fmt.Sprintf("Story %d", i),
			State: vouch.ContentDraft, OwnerID: teamIDs[rng.IntN(2)]}
		if err := f.db.CreateContent(ctx, c); err != nil {
			t.Fatalf("create content: %v", err)
		}
		items = append(items, c)
	}
	for i := 0; i < 300; i++ {
		f.at(day(jan1, 340), rng.IntN(600))
		u := &vouch.ContentUse{ContentID: items[rng.IntN(len(items))].ID, Kind: vouch.UseKinds[rng.IntN(2)], UserID: sellerIDs[rng.IntN(3)]}
		if rng.IntN(10) < 7 {
			u.OpportunityID = opps[rng.IntN(len(opps))].ID
		}
		if err := f.db.RecordContentUse(ctx, u); err != nil {
			t.Fatalf("record use: %v", err)
		}
		f.exec(t, `UPDATE content_uses SET opp_stage = ? WHERE id = ?`, []string{"", "Discovery", "Proposal", "Negotiation"}[rng.IntN(4)], u.ID)
	}
	for _, c := range items {
		for _, s := range sellerIDs {
			if rng.IntN(2) == 0 {
				continue
			}
			f.at(day(jan1, 340), 0)
			r := &vouch.ContentRating{ContentID: c.ID, UserID: s, Rating: 1 + rng.IntN(5)}
			if rng.IntN(2) == 0 {
				r.OpportunityID = opps[rng.IntN(len(opps))].ID
			}
			if err := f.db.RateContent(ctx, r); err != nil {
				t.Fatalf("rate content: %v", err)
			}
		}
	}
	f.at(vouch.NewDate(2026, 12, 15), 0)
}
