package analytics_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func revenue(t *testing.T, f *fixture, q vouch.MetricQuery) string {
	t.Helper()
	return showMoney(f.model.Scorecard(q).RevenueInfluenced)
}

// TestRevenueInfluencedEdges: several activities on one deal count once;
// an activity after the close date does not count; dollars and euros are
// never added until a rate table says how; a deal that moves from open to
// won moves from pipeline to revenue as soon as the change is written; a
// deal another instance writes counts after the change feed's next poll.
func TestRevenueInfluencedEdges(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		call := f.value(t, vouch.TaxActivityType, "Call")
		acct := f.account(t, &vouch.Account{Name: "Northwind"})
		f.at(vouch.NewDate(2026, 1, 5), 0)
		ref := f.reference(t, &vouch.Reference{AccountID: acct.ID, Name: "Maya Okafor", Status: vouch.StatusActive})
		nov := func(d int) vouch.Date { return vouch.NewDate(2026, 11, d) }
		won := func(name, cur string, cents int64, closed vouch.Date) *vouch.Opportunity {
			return f.opportunity(t, &vouch.Opportunity{Name: name, Currency: cur, AmountCents: cents, Status: vouch.OpportunityWon,
				Stage: "Closed Won", CloseDate: closed, CreatedOn: closed.AddDays(-60)})
		}
		twice := won("Initech renewal", "USD", 1000000, nov(10))
		late := won("Globex expansion", "USD", 500000, nov(10))
		euro := won("Umbrella GmbH", "EUR", 200000, nov(12))
		open := f.opportunity(t, &vouch.Opportunity{Name: "Hooli platform", AmountCents: 700000, Status: vouch.OpportunityOpen,
			Stage: "Proposal", CloseDate: vouch.NewDate(2027, 1, 31), CreatedOn: nov(1)})
		// Two calls before Initech closed, one after Globex closed.
		f.activity(t, ref.ID, call, nov(1), twice.ID, "Proposal")
		f.activity(t, ref.ID, call, nov(5), twice.ID, "Negotiation")
		f.activity(t, ref.ID, call, nov(15), late.ID, "Negotiation")
		f.subscribe(t)
		november := vouch.MetricQuery{From: nov(1), To: nov(30)}

		if got := revenue(t, f, november); got != "{USD 10000.00 (1)}" {
			t.Errorf("two calls on Initech and one after Globex closed: revenue influenced %s, want USD 10000.00 from 1 deal", got)
		}
		if v := f.model.Metric(vouch.MetricDealsInfluenced, november); v.Value == nil || *v.Value != 1 {
			t.Errorf("deals influenced %s, want 1", show(v.Value))
		}
		rows := f.model.Rows(vouch.MetricRevenueInfluenced, november, 0)
		if len(rows) != 1 || rows[0].Label != "Initech renewal" || rows[0].Amount != 10000 || rows[0].Note != "won · stage at request: Proposal" {
			t.Errorf("rows behind revenue influenced: %+v", rows)
		}

		// A euro deal influenced by a case study: kept apart from dollars.
		f.at(nov(2), 0)
		item := &vouch.ContentItem{TypeID: f.value(t, vouch.TaxContentType, "Case study"), Title: "Brewery story", State: vouch.ContentDraft}
		if err := db.CreateContent(ctx, item); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordContentUse(ctx, &vouch.ContentUse{ContentID: item.ID, Kind: vouch.UseCopyLink, OpportunityID: euro.ID}); err != nil {
			t.Fatal(err)
		}
		v := f.model.Metric(vouch.MetricRevenueInfluenced, november)
		if got := showMoney(v.Money); got != "{EUR 2000.00 (1), USD 10000.00 (1)}" || v.Value != nil || v.Converted != nil {
			t.Errorf("dollars and euros: %s, value %s, converted %+v; want both apart and no total", got, show(v.Value), v.Converted)
		}
		// With a rate table the total is in the report currency.
		ps := f.cat.ProgramSettings()
		ps.ReportCurrency, ps.CurrencyRates = "USD", map[string]float64{"EUR": 1.1}
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		v = f.model.Metric(vouch.MetricRevenueInfluenced, november)
		if v.Converted == nil || v.Converted.Currency != "USD" || v.Converted.Amount != 12200 || v.Converted.Deals != 2 || v.Value == nil || *v.Value != 12200 {
			t.Errorf("with EUR at 1.1 USD: converted %+v, value %s; want USD 12200.00 from 2 deals", v.Converted, show(v.Value))
		}

		// Hooli is open and influenced: pipeline, until it is won.
		f.at(nov(3), 0)
		if err := db.RecordContentUse(ctx, &vouch.ContentUse{ContentID: item.ID, Kind: vouch.UseDownload, OpportunityID: open.ID}); err != nil {
			t.Fatal(err)
		}
		f.at(vouch.NewDate(2026, 12, 15), 0)
		if got := showMoney(f.model.Scorecard(november).PipelineInfluenced); got != "{USD 7000.00 (1)}" {
			t.Errorf("pipeline influenced %s, want Hooli's USD 7000.00", got)
		}
		open.Status, open.Stage, open.CloseDate = vouch.OpportunityWon, "Closed Won", nov(20)
		if err := db.UpdateOpportunity(ctx, open); err != nil {
			t.Fatal(err)
		}
		sc := f.model.Scorecard(november)
		if got := showMoney(sc.RevenueInfluenced); got != "{EUR 2000.00 (1), USD 17000.00 (2)}" {
			t.Errorf("after Hooli was won: revenue influenced %s, want USD 17000.00 from 2 deals and EUR 2000.00", got)
		}
		if len(sc.PipelineInfluenced) != 0 {
			t.Errorf("after Hooli was won it is still pipeline: %s", showMoney(sc.PipelineInfluenced))
		}
		if w := sc.WinRate; w.With.Won != 3 || w.Without.Won != 1 || w.With.Rate != nil || w.Lift != nil {
			t.Errorf("win rate %+v: want 3 won with, 1 without (Globex), and not enough data for rates", w)
		}

		// Another instance writes a deal and a use on it; this one sees them
		// after its feed polls.
		other, err := store.Open(ctx, otherConfig(db))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		other.Clock = vouch.NewClock(func() time.Time { return nov(24).Time().Add(9 * time.Hour) })
		far := &vouch.Opportunity{Name: "Stark supply", Currency: "USD", AmountCents: 100000, Status: vouch.OpportunityWon, Stage: "Closed Won",
			CloseDate: nov(25)}
		if err := other.CreateOpportunity(ctx, far); err != nil {
			t.Fatal(err)
		}
		if err := other.RecordContentUse(ctx, &vouch.ContentUse{ContentID: item.ID, Kind: vouch.UseDownload, OpportunityID: far.ID}); err != nil {
			t.Fatal(err)
		}
		if got := revenue(t, f, november); got != "{EUR 2000.00 (1), USD 17000.00 (2)}" {
			t.Errorf("before polling, this instance already counts the other's write: %s", got)
		}
		if err := f.feed.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if got := revenue(t, f, november); got != "{EUR 2000.00 (1), USD 18000.00 (3)}" {
			t.Errorf("after polling: revenue influenced %s, want the other instance's USD 1000.00 added", got)
		}

		// An empty period shows — everywhere.
		empty := f.model.Scorecard(vouch.MetricQuery{From: vouch.NewDate(2020, 10, 1), To: vouch.NewDate(2020, 10, 31)})
		for id, tile := range empty.Tiles {
			if tile.Value != nil || tile.Money != nil {
				t.Errorf("October 2020: %s is %s, want —", id, show(tile.Value))
			}
		}
		if empty.WinRate.With.Rate != nil || empty.WinRate.Lift != nil || len(empty.RevenueInfluenced) != 0 {
			t.Errorf("October 2020 win rate %+v", empty.WinRate)
		}
	})
}

// otherConfig opens the same database a second time, as a second server would.
func otherConfig(db *store.DB) store.Config {
	if db.Engine == store.SQLite {
		return store.Config{DataDir: strings.TrimSuffix(db.Path, "/"+store.DBFileName)}
	}
	return store.Config{URL: db.URL}
}

// TestActivityTypeFilter: with an activity type filter only activities of
// those types make a deal influenced (content uses do not).
func TestActivityTypeFilter(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		call, visit := f.value(t, vouch.TaxActivityType, "Call"), f.value(t, vouch.TaxActivityType, "Site visit")
		acct := f.account(t, &vouch.Account{Name: "Northwind"})
		f.at(vouch.NewDate(2026, 1, 5), 0)
		ref := f.reference(t, &vouch.Reference{AccountID: acct.ID, Name: "Maya Okafor", Status: vouch.StatusActive})
		o := f.opportunity(t, &vouch.Opportunity{Name: "Initech", AmountCents: 100, Status: vouch.OpportunityWon, Stage: "Closed Won",
			CloseDate: vouch.NewDate(2026, 3, 10)})
		f.activity(t, ref.ID, visit, vouch.NewDate(2026, 3, 1), o.ID, "")
		f.subscribe(t)
		q := vouch.MetricQuery{From: vouch.NewDate(2026, 3, 1), To: vouch.NewDate(2026, 3, 31)}
		if v := f.model.Metric(vouch.MetricDealsInfluenced, q); v.N != 1 {
			t.Errorf("a site visit before the close: %d deals influenced, want 1", v.N)
		}
		q.Filter.ActivityTypeIDs = []int64{call}
		if v := f.model.Metric(vouch.MetricDealsInfluenced, q); v.N != 0 {
			t.Errorf("calls only: %d deals influenced by a site visit, want 0", v.N)
		}
		q.Filter.ActivityTypeIDs = []int64{visit}
		if v := f.model.Metric(vouch.MetricDealsInfluenced, q); v.N != 1 {
			t.Errorf("site visits only: %d deals influenced, want 1", v.N)
		}
	})
}

// TestInfluenceCutoffsAndTheTenDealFloor: an open deal is pipeline
// influenced for a period only when a completed activity on or before the
// period's last day is tied to it (a booked one does not count); a win
// rate needs 10 closed deals on its side, and the lift 10 on both.
func TestInfluenceCutoffsAndTheTenDealFloor(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		call := f.value(t, vouch.TaxActivityType, "Call")
		acct := f.account(t, &vouch.Account{Name: "Northwind"})
		f.at(vouch.NewDate(2026, 1, 5), 0)
		ref := f.reference(t, &vouch.Reference{AccountID: acct.ID, Name: "Maya Okafor", Status: vouch.StatusActive})
		d := func(m, day int) vouch.Date { return vouch.NewDate(2026, time.Month(m), day) }
		hooli := f.opportunity(t, &vouch.Opportunity{Name: "Hooli platform", AmountCents: 700000, Status: vouch.OpportunityOpen,
			Stage: "Proposal", CloseDate: vouch.NewDate(2027, 2, 28), CreatedOn: d(10, 1)})
		f.activity(t, ref.ID, call, d(12, 5), hooli.ID, "Proposal")
		booked := f.opportunity(t, &vouch.Opportunity{Name: "Pied Piper", AmountCents: 300000, Status: vouch.OpportunityOpen,
			Stage: "Discovery", CloseDate: vouch.NewDate(2027, 3, 31), CreatedOn: d(10, 1)})
		planned := f.activity(t, ref.ID, call, d(11, 5), booked.ID, "Discovery")
		f.exec(t, `UPDATE activities SET state = 'booked' WHERE id = ?`, planned)

		// Q4: 10 closed deals with a call before their close (7 won), 9 without (4 won).
		closed := func(name string, won bool, day vouch.Date) *vouch.Opportunity {
			o := &vouch.Opportunity{Name: name, AmountCents: 100000, Status: vouch.OpportunityLost, Stage: "Closed Lost",
				CloseDate: day, CreatedOn: d(9, 1)}
			if won {
				o.Status, o.Stage = vouch.OpportunityWon, "Closed Won"
			}
			return f.opportunity(t, o)
		}
		for i := 0; i < 10; i++ {
			o := closed(fmt.Sprintf("With %d", i), i < 7, d(11, 10+i))
			f.activity(t, ref.ID, call, d(11, 1), o.ID, "Negotiation")
		}
		for i := 0; i < 9; i++ {
			closed(fmt.Sprintf("Without %d", i), i < 4, d(11, 10+i))
		}
		f.at(vouch.NewDate(2027, 3, 1), 0)
		f.subscribe(t)

		november := vouch.MetricQuery{From: d(11, 1), To: d(11, 30)}
		december := vouch.MetricQuery{From: d(12, 1), To: d(12, 31)}
		if got := showMoney(f.model.Scorecard(november).PipelineInfluenced); got != "{}" {
			t.Errorf("November: pipeline influenced %s, want none (Hooli's call is in December, Pied Piper's is only booked)", got)
		}
		if got := showMoney(f.model.Scorecard(december).PipelineInfluenced); got != "{USD 7000.00 (1)}" {
			t.Errorf("December: pipeline influenced %s, want Hooli's USD 7000.00", got)
		}

		q4 := vouch.MetricQuery{From: d(10, 1), To: d(12, 31)}
		sc := f.model.Scorecard(q4)
		w := sc.WinRate
		if w.With.Won != 7 || w.With.Lost != 3 || w.With.Rate == nil || *w.With.Rate != 0.7 {
			t.Errorf("with references: %+v (rate %s), want 7 won, 3 lost, 70%%", w.With, show(w.With.Rate))
		}
		if w.Without.Won != 4 || w.Without.Lost != 5 || w.Without.Rate != nil || w.Lift != nil || w.CI95 != nil {
			t.Errorf("9 closed deals without references: %+v, lift %s, ci %v; want the counts and not enough data", w.Without, show(w.Lift), w.CI95)
		}
		if v := sc.Tiles[vouch.MetricWinRateWithout].Value; v != nil {
			t.Errorf("the win rate without tile shows %s with 9 closed deals", show(v))
		}

		// The tenth closed deal without references is written: the lift appears.
		closed("Without 9", false, d(12, 1))
		w = f.model.Scorecard(q4).WinRate
		if w.Without.Rate == nil || *w.Without.Rate != 0.4 || w.Lift == nil || math.Abs(*w.Lift-0.3) > 1e-9 || w.CI95 == nil ||
			w.CI95[0] > 0.3 || w.CI95[1] < 0.3 {
			t.Errorf("10 closed deals on each side: without %s, lift %s, ci %v; want 40%%, +30 pts inside its interval",
				show(w.Without.Rate), show(w.Lift), w.CI95)
		}
	})
}

// TestDaysAreTheProgramsDays: with the program in Berlin, a request made
// at 23:30 UTC on 30 November was made on 1 December, and a case study
// used then came after a deal that closed on 30 November: it does not
// make the deal influenced.
func TestDaysAreTheProgramsDays(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ps := f.cat.ProgramSettings()
		ps.TimeZone = "Europe/Berlin"
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		sally := f.user(t, "Sally Seller", vouch.RoleSeller)
		nov30 := vouch.NewDate(2026, 11, 30)
		won := f.opportunity(t, &vouch.Opportunity{Name: "Initech", AmountCents: 100000, Status: vouch.OpportunityWon, Stage: "Closed Won",
			CloseDate: nov30, CreatedOn: nov30.AddDays(-60)})
		f.now = time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC) // 00:30 on 1 December in Berlin
		f.request(t, &vouch.Request{RequesterID: sally.ID, OpportunityID: won.ID, ActivityTypeID: f.value(t, vouch.TaxActivityType, "Call"),
			DueDate: nov30.AddDays(14)})
		item := &vouch.ContentItem{TypeID: f.value(t, vouch.TaxContentType, "Case study"), Title: "Brewery story", State: vouch.ContentDraft}
		if err := db.CreateContent(ctx, item); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordContentUse(ctx, &vouch.ContentUse{ContentID: item.ID, Kind: vouch.UseCopyLink, OpportunityID: won.ID}); err != nil {
			t.Fatal(err)
		}
		f.now = time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC)
		f.subscribe(t)
		november := vouch.MetricQuery{From: vouch.NewDate(2026, 11, 1), To: nov30}
		december := vouch.MetricQuery{From: vouch.NewDate(2026, 12, 1), To: vouch.NewDate(2026, 12, 31)}
		if n, d := f.model.Metric(vouch.MetricRequestsReceived, november).N, f.model.Metric(vouch.MetricRequestsReceived, december).N; n != 0 || d != 1 {
			t.Errorf("requests received: %d in November, %d in December; want the request on 1 December", n, d)
		}
		if n := f.model.Metric(vouch.MetricContentUses, december).N; n != 1 {
			t.Errorf("content uses in December: %d, want 1", n)
		}
		if got := revenue(t, f, november); got != "{}" {
			t.Errorf("a use on 1 December made a deal closed on 30 November influenced: %s", got)
		}
	})
}

// TestInfluenceOnTheLastDay: an activity on a won deal's close date counts
// (on or before), and one on the period's last day counts an open deal
// as pipeline influenced for that period.
func TestInfluenceOnTheLastDay(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		call := f.value(t, vouch.TaxActivityType, "Call")
		acct := f.account(t, &vouch.Account{Name: "Northwind"})
		f.at(vouch.NewDate(2026, 1, 5), 0)
		ref := f.reference(t, &vouch.Reference{AccountID: acct.ID, Name: "Maya Okafor", Status: vouch.StatusActive})
		nov := func(d int) vouch.Date { return vouch.NewDate(2026, 11, d) }
		won := f.opportunity(t, &vouch.Opportunity{Name: "Initech", AmountCents: 400000, Status: vouch.OpportunityWon, Stage: "Closed Won",
			CloseDate: nov(20), CreatedOn: nov(1)})
		open := f.opportunity(t, &vouch.Opportunity{Name: "Hooli", AmountCents: 900000, Status: vouch.OpportunityOpen, Stage: "Proposal",
			CloseDate: vouch.NewDate(2027, 2, 1), CreatedOn: nov(1)})
		f.activity(t, ref.ID, call, nov(20), won.ID, "Negotiation")
		f.activity(t, ref.ID, call, nov(30), open.ID, "Proposal")
		f.at(vouch.NewDate(2026, 12, 15), 0)
		f.subscribe(t)
		sc := f.model.Scorecard(vouch.MetricQuery{From: nov(1), To: nov(30)})
		if got := showMoney(sc.RevenueInfluenced); got != "{USD 4000.00 (1)}" {
			t.Errorf("a call on the close date: revenue influenced %s, want USD 4000.00", got)
		}
		if got := showMoney(sc.PipelineInfluenced); got != "{USD 9000.00 (1)}" {
			t.Errorf("a call on the period's last day: pipeline influenced %s, want USD 9000.00", got)
		}
		if got := showMoney(f.model.Scorecard(vouch.MetricQuery{From: nov(1), To: nov(29)}).PipelineInfluenced); got != "{}" {
			t.Errorf("to 29 November: pipeline influenced %s, want none (the call was on the 30th)", got)
		}
	})
}
