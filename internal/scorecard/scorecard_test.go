package scorecard_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// testCatalog is a catalog with a few values and a fiscal year starting in start.
func testCatalog(start int) *catalog.Catalog {
	cat := catalog.New(nil)
	ps := vouch.DefaultProgramSettings()
	ps.FiscalYearStart = start
	cat.Replace([]*vouch.TaxonomyValue{
		{ID: 1, Kind: vouch.TaxIndustry, Name: "Healthcare"},
		{ID: 2, Kind: vouch.TaxIndustry, Name: "Financial Services"},
		{ID: 3, Kind: vouch.TaxRegion, Name: "EMEA"},
		{ID: 4, Kind: vouch.TaxSegment, Name: "Enterprise"},
		{ID: 5, Kind: vouch.TaxActivityType, Name: "Call"},
	}, ps)
	return cat
}

func TestResolvePeriodsAndFilters(t *testing.T) {
	today := func() vouch.Date { return vouch.NewDate(2026, 11, 14) }
	for _, c := range []struct {
		name       string
		start      int
		query      string
		from, to   string
		kind, nm   string
		prev       string
		filterText string
	}{
		{"nothing is the current quarter", 1, "", "2026-10-01", "2026-12-31", "quarter", "2026-Q4", "2026-Q3", "All segments"},
		{"nothing is the current fiscal quarter", 2, "", "2026-11-01", "2027-01-31", "quarter", "FY2027 Q4", "FY2027 Q3", "All segments"},
		{"a month by kind", 2, "kind=month", "2026-11-01", "2026-11-30", "month", "November 2026", "October 2026", "All segments"},
		{"a fiscal year by kind and anchor", 2, "kind=year&anchor=2026-01-15", "2025-02-01", "2026-01-31", "year", "FY2026", "FY2025", "All segments"},
		{"a fiscal quarter by name", 2, "period=FY2027+Q1", "2026-02-01", "2026-04-30", "quarter", "FY2027 Q1", "FY2026 Q4", "All segments"},
		{"a calendar quarter in a fiscal program", 2, "period=2026-Q3", "2026-07-01", "2026-09-30", "quarter", "2026-Q3", "2026-Q2", "All segments"},
		{"custom days win", 1, "period=2026-Q3&from=2026-03-01&to=2026-04-15", "2026-03-01", "2026-04-15", "custom", "1 Mar 2026 – 15 Apr 2026", "14 Jan 2026 – 28 Feb 2026", "All segments"},
		{"filters by name, any case", 1, "period=2026-11&industry=healthcare&industry=Financial+Services&region=EMEA", "2026-11-01", "2026-11-30", "month", "November 2026", "October 2026",
			"Industry: Healthcare, Financial Services; Region: EMEA"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := scorecard.New(nil, testCatalog(c.start), today, nil)
			q, _ := url.ParseQuery(c.query)
			req, err := scorecard.ParseRequest(q)
			if err != nil {
				t.Fatal(err)
			}
			sel, err := s.Resolve(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if sel.Query.From.String() != c.from || sel.Query.To.String() != c.to || sel.Kind != c.kind || sel.Name != c.nm || sel.PreviousName != c.prev || sel.FiltersText() != c.filterText {
				t.Errorf("got %s … %s %s %q (previous %q) %q", sel.Query.From, sel.Query.To, sel.Kind, sel.Name, sel.PreviousName, sel.FiltersText())
			}
			// The URL round trip: the selection's parameters resolve to the same selection.
			req2, err := scorecard.ParseRequest(sel.Values())
			if err != nil {
				t.Fatal(err)
			}
			sel2, err := s.Resolve(context.Background(), req2)
			if err != nil {
				t.Fatal(err)
			}
			if sel2.Query.From != sel.Query.From || sel2.Query.To != sel.Query.To || sel2.FiltersText() != sel.FiltersText() || sel2.Name != sel.Name {
				t.Errorf("round trip %q: %+v, want %+v", sel.Encode(), sel2.Query, sel.Query)
			}
		})
	}
	// Filters reach the engine's query as ids.
	s := scorecard.New(nil, testCatalog(1), today, nil)
	q, _ := url.ParseQuery("industry=Healthcare&segment=Enterprise&activity_type=call")
	req, _ := scorecard.ParseRequest(q)
	sel, err := s.Resolve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if f := sel.Query.Filter; len(f.IndustryIDs) != 1 || f.IndustryIDs[0] != 1 || f.SegmentIDs[0] != 4 || f.ActivityTypeIDs[0] != 5 {
		t.Errorf("filter %+v", f)
	}
}

func TestResolveRefusesNamingTheParameter(t *testing.T) {
	s := scorecard.New(nil, testCatalog(1), func() vouch.Date { return vouch.NewDate(2026, 11, 14) }, nil)
	for _, c := range []struct{ query, field, says string }{
		{"from=2026-13-01&to=2026-12-31", "from", "must be a date like 2026-07-01"},
		{"from=2026-07-01", "to", "is required with from"},
		{"to=2026-07-01", "from", "is required with to"},
		{"from=2026-07-01&to=2026-06-30", "to", "is before from (2026-07-01)"},
		{"from=2000-01-01&to=2026-06-30", "to", "at most ten years"},
		{"period=2026-Q5", "period", `"2026-Q5" is not a period`},
		{"period=2026-W05", "period", "must be a month, a quarter or a year"},
		{"kind=fortnight", "kind", "not a period kind"},
		{"kind=custom", "from", "is required for a custom period"},
		{"anchor=yesterday", "anchor", "must be a date"},
		{"industry=Agriculture", "industry", `has no industry value named "Agriculture"`},
		{"region=Mars&region=EMEA", "region", `"Mars"`},
		{"owner=nobody", "owner", "is not a user id or the email of a user"},
	} {
		q, _ := url.ParseQuery(c.query)
		req, err := scorecard.ParseRequest(q)
		if err == nil {
			_, err = s.Resolve(context.Background(), req)
		}
		if vouch.ErrorCode(err) != vouch.EINVALID || !strings.Contains(vouch.ErrorFields(err)[c.field], c.says) {
			t.Errorf("%s: %v (fields %v), want %s %q", c.query, err, vouch.ErrorFields(err), c.field, c.says)
		}
	}
}

func TestFormatNeverShowsZeroForNothing(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		unit string
		v    *float64
		want string
	}{
		{vouch.UnitFraction, nil, "—"}, {vouch.UnitFraction, f(math.NaN()), "—"}, {vouch.UnitCount, nil, "—"},
		{vouch.UnitFraction, f(0.75), "75%"}, {vouch.UnitFraction, f(0.125), "12.5%"}, {vouch.UnitCount, f(1234), "1,234"},
		{vouch.UnitDays, f(4.5), "4.5 days"}, {vouch.UnitRating, f(4.25), "4.2 / 5"}, {vouch.UnitPoints, f(120), "120 points"},
	} {
		if got := scorecard.FormatValue(c.unit, c.v); got != c.want {
			t.Errorf("FormatValue(%s, %v) = %q, want %q", c.unit, c.v, got, c.want)
		}
	}
	up := scorecard.ChangeOf(vouch.Metric(vouch.MetricRequestsReceived), f(12), f(9), "")
	if up.Arrow != "▲" || up.Sense != "good" || up.Text != "+3 from 9" {
		t.Errorf("up: %+v", up)
	}
	slower := scorecard.ChangeOf(vouch.Metric(vouch.MetricFulfilMedianDays), f(6), f(4), "")
	if slower.Arrow != "▲" || slower.Sense != "bad" || slower.Text != "+2 from 4 days" {
		t.Errorf("slower: %+v", slower)
	}
	rate := scorecard.ChangeOf(vouch.Metric(vouch.MetricFulfillmentRate), f(0.6), f(0.75), "")
	if rate.Arrow != "▼" || rate.Sense != "bad" || rate.Text != "−15 pts from 75%" {
		t.Errorf("rate: %+v", rate)
	}
	if none := scorecard.ChangeOf(vouch.Metric(vouch.MetricFulfillmentRate), nil, f(0.5), ""); none.Arrow != "" || none.Text != "" {
		t.Errorf("no figure now: %+v", none)
	}
}

// engineFor loads the metrics engine over db as the server does at start.
func engineFor(t *testing.T, db *store.DB) (*analytics.Model, *catalog.Catalog) {
	t.Helper()
	cat := catalog.New(db)
	if err := cat.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	mx := analytics.New(db, cat, nil)
	if err := mx.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return mx, cat
}

func card(t *testing.T, s *scorecard.Service, query string) *scorecard.Card {
	t.Helper()
	q, _ := url.ParseQuery(query)
	req, err := scorecard.ParseRequest(q)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Build(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestScorecardOfKnownDeals holds the engine's figures, through the
// service, to the ones worked out by hand from docs/metrics.md.
func TestScorecardOfKnownDeals(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := testutil.AddScorecardDeals(t, db)
		mx, cat := engineFor(t, db)
		s := scorecard.New(mx, cat, db.Today, nil)
		c := card(t, s, "period=2026-Q3")
		doc := scorecard.NewDocument(c)
		if got := doc.RevenueInfluenced["USD"]; got.WonAmount != f.RevenueUSD || got.Deals != f.RevenueUSDDeal {
			t.Errorf("revenue influenced USD = %+v, want %v over %d deals", got, f.RevenueUSD, f.RevenueUSDDeal)
		}
		if got := doc.RevenueInfluenced["EUR"]; got.WonAmount != f.RevenueEUR || got.Deals != 1 {
			t.Errorf("revenue influenced EUR = %+v (never added to USD)", got)
		}
		if got := doc.PipelineInfluenced["USD"]; got.OpenAmount != f.PipelineUSD || got.Deals != 1 {
			t.Errorf("pipeline influenced = %+v", got)
		}
		wr := doc.WinRate
		if wr.With.Won != f.WonWith || wr.With.Lost != f.LostWith || wr.Without.Won != f.WonWithout || wr.Without.Lost != f.LostWithout {
			t.Fatalf("win rate counts: %+v", wr)
		}
		if wr.With.Rate == nil || *wr.With.Rate != 0.75 || wr.Without.Rate == nil || *wr.Without.Rate != 0.5 {
			t.Errorf("win rates: %v %v", wr.With.Rate, wr.Without.Rate)
		}
		if wr.Lift == nil || math.Abs(*wr.Lift-0.25) > 1e-9 || wr.CI95 == nil || wr.CI95[0] >= 0.25 || wr.CI95[1] <= 0.25 {
			t.Errorf("lift %v, ci %v", wr.Lift, wr.CI95)
		}
		// The influenced opportunities are exactly the influenced won ones and the open one.
		names := map[string]bool{}
		for _, o := range s.Opportunities(c.Selection) {
			names[o.Label] = true
		}
		for _, n := range append(f.InfluencedNames, f.OpenName) {
			if !names[n] {
				t.Errorf("influenced opportunities lack %q: %v", n, names)
			}
		}
		if names[f.LateName] || len(names) != len(f.InfluencedNames)+1 {
			t.Errorf("influenced opportunities: %v", names)
		}

		// An empty period: no figure, never 0%.
		empty := scorecard.NewDocument(card(t, s, "period=2025-Q1"))
		for _, id := range []vouch.MetricID{vouch.MetricFulfillmentRate, vouch.MetricWinRateWith, vouch.MetricWinRateLift, vouch.MetricAskAcceptance} {
			if v := empty.Tiles[id].Value; v != nil {
				t.Errorf("%s of an empty period = %v, want null", id, *v)
			}
		}
		if empty.WinRate.Lift != nil || len(empty.RevenueInfluenced) != 0 {
			t.Errorf("empty period: %+v", empty.WinRate)
		}
		// A segment without deals has not enough data either.
		fs := scorecard.NewDocument(card(t, s, "period=2026-Q3&industry=Financial+Services"))
		if fs.WinRate.Lift != nil || len(fs.RevenueInfluenced) != 0 {
			t.Errorf("Financial Services: %+v %+v", fs.WinRate, fs.RevenueInfluenced)
		}
		hc := scorecard.NewDocument(card(t, s, "period=2026-Q3&industry=Healthcare"))
		if hc.RevenueInfluenced["USD"].WonAmount != f.RevenueUSD {
			t.Errorf("Healthcare: %+v", hc.RevenueInfluenced)
		}
	})
}

// TestExportsParseBackToTheSameNumbers reads the CSV and the XLSX back and
// compares every figure with the JSON document's.
func TestExportsParseBackToTheSameNumbers(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := testutil.AddScorecardDeals(t, db)
		mx, cat := engineFor(t, db)
		s := scorecard.New(mx, cat, db.Today, nil)
		c := card(t, s, "period=2026-Q3&industry=Healthcare")
		opps := s.Opportunities(c.Selection)
		var csvBuf, xlsxBuf bytes.Buffer
		if err := scorecard.WriteCSV(&csvBuf, c, opps); err != nil {
			t.Fatal(err)
		}
		if err := scorecard.WriteXLSX(&xlsxBuf, c, opps); err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(scorecard.NewDocument(c))
		var doc scorecard.Document
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(bytes.NewReader(csvBuf.Bytes())).ReadAll()
		if err != nil {
			// Lines of different lengths: read them field count free.
			r := csv.NewReader(bytes.NewReader(csvBuf.Bytes()))
			r.FieldsPerRecord = -1
			if records, err = r.ReadAll(); err != nil {
				t.Fatal(err)
			}
		}
		x, err := excelize.OpenReader(bytes.NewReader(xlsxBuf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		figures, err := x.GetRows(scorecard.SheetFigures)
		if err != nil {
			t.Fatal(err)
		}
		dealRows, err := x.GetRows(scorecard.SheetOpportunities)
		if err != nil {
			t.Fatal(err)
		}
		for name, rows := range map[string][][]string{"CSV": records, "XLSX": figures} {
			if rows[1][1] != "2026-07-01" || rows[1][2] != "2026-09-30" || rows[3][1] != "Industry: Healthcare" {
				t.Errorf("%s heading: %v", name, rows[:4])
			}
			checkFigures(t, name, rows, &doc)
		}
		// An empty quarter: no figure anywhere, each shown as —.
		empty := card(t, s, "period=2025-Q1")
		var emptyCSV bytes.Buffer
		if err := scorecard.WriteCSV(&emptyCSV, empty, s.Opportunities(empty.Selection)); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(emptyCSV.Bytes()))
		r.FieldsPerRecord = -1
		emptyRows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		dashes := 0
		for _, row := range emptyRows {
			if len(row) == len(scorecard.FiguresHeader) && row[0] != "metric" {
				if row[2] != "" || row[3] != "" || row[8] != "—" {
					t.Errorf("empty quarter, CSV %s: value %q previous %q shown %q", row[0], row[2], row[3], row[8])
				}
				dashes++
			}
		}
		if dashes < len(empty.Scorecard.Tiles) {
			t.Errorf("the empty quarter's CSV has %d figures for %d tiles", dashes, len(empty.Scorecard.Tiles))
		}

		// The opportunities: the CSV's second table and the XLSX's second sheet.
		start := -1
		for i, r := range records {
			if len(r) > 0 && r[0] == "Influenced opportunities" {
				start = i + 2
			}
		}
		if start < 0 {
			t.Fatal("the CSV has no influenced opportunities table")
		}
		for name, rows := range map[string][][]string{"CSV": records[start:], "XLSX": dealRows[6:]} {
			got := map[string]float64{}
			for _, r := range rows {
				if len(r) < 6 {
					continue
				}
				a, _ := strconv.ParseFloat(r[4], 64)
				got[r[5]+" "+r[0]] += a
			}
			if got["USD revenue influenced (won)"] != f.RevenueUSD || got["EUR revenue influenced (won)"] != f.RevenueEUR ||
				got["USD pipeline influenced (open)"] != f.PipelineUSD {
				t.Errorf("%s opportunities add up to %v", name, got)
			}
		}
	})
}

// checkFigures compares the figures table's rows with the document.
func checkFigures(t *testing.T, name string, rows [][]string, doc *scorecard.Document) {
	t.Helper()
	seen := 0
	header := -1
	for i, r := range rows {
		if len(r) > 0 && r[0] == "metric" {
			header = i
			break
		}
	}
	if header < 0 {
		t.Fatalf("%s: no figures table", name)
	}
	for _, r := range rows[header+1:] {
		if len(r) == 0 || r[0] == "" || r[0] == "Influenced opportunities" {
			break
		}
		for len(r) < 9 {
			r = append(r, "")
		}
		// shown is "—" exactly where value is empty, and never NaN.
		if (r[2] == "") != (r[8] == "—") || strings.Contains(r[8], "NaN") || r[8] == "" {
			t.Errorf("%s %s: value %q shown as %q", name, r[0], r[2], r[8])
		}
		tile, ok := doc.Tiles[vouch.MetricID(r[0])]
		if !ok {
			continue // the lift's interval and the stage lift
		}
		seen++
		if tile.Unit == vouch.UnitMoney {
			if r[5] == "" {
				if len(tile.Money) != 0 {
					t.Errorf("%s %s: no currency rows, document %v", name, r[0], tile.Money)
				}
				continue
			}
			m := tile.Money[r[5]]
			if m == nil || r[2] != strconv.FormatFloat(m.Amount, 'f', -1, 64) || r[6] != strconv.Itoa(m.Deals) {
				t.Errorf("%s %s %s: %v, document %+v", name, r[0], r[5], r, m)
			}
			continue
		}
		want := ""
		if tile.Value != nil {
			want = strconv.FormatFloat(*tile.Value, 'f', -1, 64)
		}
		prev := ""
		if tile.Previous != nil {
			prev = strconv.FormatFloat(*tile.Previous, 'f', -1, 64)
		}
		if r[2] != want || r[3] != prev {
			t.Errorf("%s %s: value %q previous %q, document %q %q", name, r[0], r[2], r[3], want, prev)
		}
	}
	if seen < len(doc.Tiles)-2 {
		t.Errorf("%s: %d figures of %d tiles", name, seen, len(doc.Tiles))
	}
}

// TestMoneyChange: the page, the files and mail compare the same amount
// for a money tile's change.
func TestMoneyChange(t *testing.T) {
	usd := func(a float64) *vouch.Money { return &vouch.Money{Currency: "USD", Amount: a, Deals: 1} }
	eur := func(a float64) *vouch.Money { return &vouch.Money{Currency: "EUR", Amount: a, Deals: 1} }
	money := func(ms ...*vouch.Money) vouch.MetricValue {
		v := vouch.MetricValue{Metric: vouch.MetricRevenueInfluenced, Money: map[string]*vouch.Money{}}
		for _, m := range ms {
			v.Money[m.Currency] = m
		}
		return v
	}
	converted := func(v vouch.MetricValue, a float64) vouch.MetricValue {
		v.Converted = &vouch.Money{Currency: "USD", Amount: a, Deals: 2}
		return v
	}
	show := func(v *float64) string {
		if v == nil {
			return "nil"
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	for _, c := range []struct {
		name           string
		now, prev      vouch.MetricValue
		cur, want, was string
	}{
		{"one currency both times", money(usd(100)), money(usd(80)), "USD", "100", "80"},
		{"nothing before is from 0", money(usd(100)), money(), "USD", "100", "0"},
		{"the largest currency against the same one before", money(usd(100), eur(50)), money(eur(500), usd(80)), "USD", "100", "80"},
		{"only another currency before: no comparison", money(usd(100)), money(eur(500)), "USD", "100", "nil"},
		{"nothing now", money(), money(usd(80)), "", "nil", "nil"},
		{"converted both times", converted(money(usd(100), eur(50)), 155), converted(money(eur(500)), 550), "USD", "155", "550"},
		{"converted now, nothing before", converted(money(usd(100), eur(50)), 155), money(), "USD", "155", "0"},
	} {
		cur, now, prev := scorecard.MoneyChange(&vouch.Tile{MetricValue: c.now, Previous: c.prev})
		if cur != c.cur || show(now) != c.want || show(prev) != c.was {
			t.Errorf("%s: %s %s from %s, want %s %s from %s", c.name, cur, show(now), show(prev), c.cur, c.want, c.was)
		}
	}
}
