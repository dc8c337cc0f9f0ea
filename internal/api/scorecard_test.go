package api_test

import (
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
)

// scorecardJSON is the part of GET /api/v1/scorecard these tests read.
type scorecardJSON struct {
	Period struct {
		Kind, Name string
		From, To   string
	} `json:"period"`
	Filters           map[string][]string `json:"filters"`
	RevenueInfluenced map[string]struct {
		WonAmount float64 `json:"won_amount"`
		Deals     int     `json:"deals"`
	} `json:"revenue_influenced"`
	PipelineInfluenced map[string]struct {
		OpenAmount float64 `json:"open_amount"`
		Deals      int     `json:"deals"`
	} `json:"pipeline_influenced"`
	WinRate struct {
		With struct {
			Won, Lost int
			Rate      *float64
		} `json:"with_references"`
		Without struct {
			Won, Lost int
			Rate      *float64
		} `json:"without_references"`
		Lift *float64    `json:"lift"`
		CI95 *[2]float64 `json:"ci95"`
	} `json:"win_rate"`
	Tiles map[string]struct {
		Value    *float64 `json:"value"`
		Previous *float64 `json:"previous"`
		Unit     string   `json:"unit"`
		Money    map[string]struct {
			Amount float64 `json:"amount"`
			Deals  int     `json:"deals"`
		} `json:"money"`
	} `json:"tiles"`
	Trend []json.RawMessage `json:"trend"`
}

func TestScorecardAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		deals := testutil.AddScorecardDeals(t, f.srv.DB)
		var sc scorecardJSON
		f.run(t, []scenario{
			{name: "a quarter of known deals", method: "GET", path: "/api/v1/scorecard?from=2026-07-01&to=2026-09-30&industry=Healthcare", as: "viewer", status: 200,
				want: []string{`"revenue_influenced":{"EUR":{"won_amount":20000,"deals":1},"USD":{"won_amount":360000,"deals":8}}`,
					`"with_references":{"won":9,"lost":3,"rate":0.75}`, `"without_references":{"won":6,"lost":6,"rate":0.5}`},
				check: func(t *testing.T, r response) { r.decode(t, &sc) }},
			{name: "one side under 10 closed deals", method: "GET", path: "/api/v1/scorecard?from=2026-07-01&to=2026-09-30&segment=Mid-Market", as: "viewer", status: 200,
				want: []string{`"revenue_influenced":{"EUR":{"won_amount":20000,"deals":1}}`, `"with_references":{"won":1,"lost":0,"rate":null}`,
					`"without_references":{"won":0,"lost":0,"rate":null}`, `"lift":null`, `"ci95":null`}},
			{name: "the shape the issue names", method: "GET", path: "/api/v1/scorecard?from=2026-07-01&to=2026-09-30&industry=Healthcare", as: "viewer", status: 200,
				check: func(t *testing.T, r response) { checkScorecardShape(t, r) }},
			{name: "a fiscal name", method: "GET", path: "/api/v1/scorecard?period=2026-Q3", as: "seller", status: 200, want: []string{`"name":"2026-Q3"`}},
			{name: "an empty period", method: "GET", path: "/api/v1/scorecard?period=2025-Q1", as: "viewer", status: 200,
				want: []string{`"lift":null`, `"ci95":null`, `"revenue_influenced":{}`}},
			{name: "a bad date", method: "GET", path: "/api/v1/scorecard?from=2026-02-30&to=2026-03-31", as: "viewer", status: 400, fields: []string{"from"},
				want: []string{"from must be a date like 2026-07-01."}},
			{name: "to before from", method: "GET", path: "/api/v1/scorecard?from=2026-07-01&to=2026-06-01", as: "viewer", status: 400, fields: []string{"to"}},
			{name: "an unknown industry", method: "GET", path: "/api/v1/scorecard?period=2026-Q3&industry=Agriculture", as: "viewer", status: 400, fields: []string{"industry"},
				want: []string{`has no industry value named \"Agriculture\"`}},
			{name: "two problems", method: "GET", path: "/api/v1/scorecard?period=2026-Q9&region=Mars", as: "viewer", status: 400, fields: []string{"period", "region"}},
			{name: "metric definitions", method: "GET", path: "/api/v1/metrics", as: "viewer", status: 200,
				want: []string{`"id":"revenue_influenced"`, `"unit":"money"`, `"id":"win_rate_lift"`}},
		})
		if sc.Period.Kind != "custom" || sc.Period.From != "2026-07-01" || sc.Filters["industry"][0] != "Healthcare" {
			t.Errorf("period %+v filters %v", sc.Period, sc.Filters)
		}
		if sc.WinRate.Lift == nil || *sc.WinRate.Lift != 0.25 || sc.WinRate.CI95 == nil || sc.PipelineInfluenced["USD"].OpenAmount != deals.PipelineUSD {
			t.Errorf("win rate %+v pipeline %+v", sc.WinRate, sc.PipelineInfluenced)
		}
		if len(sc.Trend) != 3 {
			t.Errorf("a quarter's trend has %d months", len(sc.Trend))
		}

		// The page's CSV export holds the same numbers as the JSON.
		b := testutil.Login(t, f.srv, "viewer@example.com")
		_, body := b.Get("/scorecard/export.csv?from=2026-07-01&to=2026-09-30&industry=Healthcare")
		r := csv.NewReader(strings.NewReader(body))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		compared := 0
		for _, rec := range recs {
			if len(rec) < 8 {
				continue
			}
			tile, ok := sc.Tiles[rec[0]]
			if !ok {
				continue
			}
			compared++
			if tile.Unit == "money" {
				if rec[5] == "" {
					continue
				}
				if m := tile.Money[rec[5]]; rec[2] != strconv.FormatFloat(m.Amount, 'f', -1, 64) || rec[6] != strconv.Itoa(m.Deals) {
					t.Errorf("CSV %v, JSON %+v", rec, m)
				}
				continue
			}
			want := ""
			if tile.Value != nil {
				want = strconv.FormatFloat(*tile.Value, 'f', -1, 64)
			}
			if rec[2] != want {
				t.Errorf("CSV %s = %q, JSON %q", rec[0], rec[2], want)
			}
		}
		if compared < 25 {
			t.Errorf("compared only %d figures", compared)
		}
	})
}

// checkScorecardShape reads the JSON without a Go type: amounts are numbers
// in units, deals are counts, rates are fractions, the interval is a pair.
func checkScorecardShape(t *testing.T, r response) {
	t.Helper()
	var doc map[string]any
	r.decode(t, &doc)
	usd, ok := doc["revenue_influenced"].(map[string]any)["USD"].(map[string]any)
	if !ok || usd["won_amount"] != 360000.0 || usd["deals"] != 8.0 {
		t.Errorf("revenue_influenced.USD = %#v, want won_amount 360000 and deals 8 as numbers", usd)
	}
	wr, _ := doc["win_rate"].(map[string]any)
	with, _ := wr["with_references"].(map[string]any)
	if with["won"] != 9.0 || with["lost"] != 3.0 || with["rate"] != 0.75 {
		t.Errorf("win_rate.with_references = %#v", with)
	}
	if without, _ := wr["without_references"].(map[string]any); without["won"] != 6.0 || without["lost"] != 6.0 || without["rate"] != 0.5 {
		t.Errorf("win_rate.without_references = %#v", without)
	}
	lift, _ := wr["lift"].(float64)
	ci, _ := wr["ci95"].([]any)
	if lift != 0.25 || len(ci) != 2 {
		t.Fatalf("win_rate lift %#v ci95 %#v", wr["lift"], wr["ci95"])
	}
	lo, okLo := ci[0].(float64)
	hi, okHi := ci[1].(float64)
	if !okLo || !okHi || lo >= lift || hi <= lift || lo < -1 || hi > 1 {
		t.Errorf("ci95 %v does not hold the lift %v as fractions", ci, lift)
	}
}
