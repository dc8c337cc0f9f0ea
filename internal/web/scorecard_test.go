package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/testutil/pdftext"
	"github.com/vouchhq/vouch/internal/vouch"
)

// tileText is the text of one tile, tags dropped.
func tileText(t *testing.T, body string, id vouch.MetricID) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<article class="sc-tile" id="tile-` + string(id) + `".*?</article>`).FindString(body)
	if m == "" {
		t.Fatalf("no tile %s", id)
	}
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m, " ")), " ")
}

func TestScorecardPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		f := testutil.AddScorecardDeals(t, s.DB)
		pam := testutil.Login(t, s, "pam@example.com")

		resp, body := pam.Get("/scorecard?period=2026-Q3&industry=Healthcare")
		expect(t, "scorecard", resp, http.StatusOK, "/scorecard")
		for _, d := range vouch.Metrics {
			if d.Goal && strings.HasPrefix(string(d.ID), "requests_fulfilled_by") || d.ID == vouch.MetricReferencesRecruited ||
				d.ID == vouch.MetricContentCreated || d.ID == vouch.MetricRequesterSatisfaction || d.ID == vouch.MetricWinRateWith ||
				d.ID == vouch.MetricWinRateWithout || d.ID == vouch.MetricWinRateLift {
				continue
			}
			tile := tileText(t, body, d.ID)
			if !strings.Contains(tile, d.Label) || !strings.Contains(tile, "Definition") {
				t.Errorf("tile %s: %q", d.ID, tile)
			}
			if strings.Contains(tile, "NaN") || strings.Contains(tile, "Inf") {
				t.Errorf("tile %s shows %q", d.ID, tile)
			}
		}
		mustContain(t, "scorecard", body, "2026-Q3", "Industry: Healthcare",
			"USD 360,000 · 8 deals", "EUR 20,000 · 1 deal", "USD 50,000 · 1 deal",
			"75% (9 won, 3 lost)", "50% (6 won, 6 lost)", "&#43;25 pts", "95% confidence interval",
			`href="/scorecard/definitions#revenue_influenced"`,
			`href="/scorecard/rows?metric=revenue_influenced&amp;industry=Healthcare&amp;period=2026-Q3"`,
			`href="/scorecard/export.csv?industry=Healthcare&amp;period=2026-Q3"`,
			`href="/scorecard/export.xlsx?industry=Healthcare&amp;period=2026-Q3"`,
			`<option value="Healthcare" selected>`, `<option value="2026-Q3" selected>`,
			"Active references by segment", "<svg")
		if tile := tileText(t, body, vouch.MetricRevenueInfluenced); !strings.Contains(tile, "USD 360,000") {
			t.Errorf("revenue tile: %q", tile)
		}

		// The rows behind revenue influenced are the influenced won deals.
		resp, rows := pam.Get("/scorecard/rows?metric=revenue_influenced&industry=Healthcare&period=2026-Q3")
		expect(t, "rows", resp, http.StatusOK, "/scorecard/rows")
		mustContain(t, "rows", rows, "Revenue influenced: the rows", "9 rows", "USD 80,000", "EUR 20,000")
		for _, n := range f.InfluencedNames {
			mustContain(t, "rows", rows, n)
		}
		if strings.Contains(rows, f.LateName) || strings.Contains(rows, "Plain loss") {
			t.Errorf("rows list a deal that was not influenced")
		}
		mustContain(t, "back link keeps the filters", rows, `href="/scorecard?industry=Healthcare&amp;period=2026-Q3"`)

		// An empty period shows "—", never 0% or NaN.
		_, empty := pam.Get("/scorecard?period=2025-Q1")
		for _, id := range []vouch.MetricID{vouch.MetricFulfillmentRate, vouch.MetricAskAcceptance, vouch.MetricFulfilMedianDays, vouch.MetricRevenueInfluenced} {
			if tile := tileText(t, empty, id); !strings.Contains(tile, "—") || strings.Contains(tile, "0%") {
				t.Errorf("empty period, tile %s: %q", id, tile)
			}
		}
		mustContain(t, "empty period", empty, scorecard.NotEnoughData, "No program goal covers this period.")

		// Not enough deals in a segment.
		_, fin := pam.Get("/scorecard?period=2026-Q3&industry=Financial+Services")
		mustContain(t, "Financial Services", fin, "Not enough data (fewer than 10 closed deals with/without references)")

		// Bad input: a 400 naming the parameter, the picker still there.
		resp, bad := pam.Get("/scorecard?period=2026-Q5&industry=Agriculture")
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("bad period: %d", resp.StatusCode)
		}
		mustContain(t, "bad period", bad, "The scorecard was not drawn", `&#34;2026-Q5&#34; is not a period`, `has no industry value named &#34;Agriculture&#34;`, `id="sc-period"`)

		// Definitions, anchored by id.
		_, defs := pam.Get("/scorecard/definitions")
		for _, d := range vouch.Metrics {
			mustContain(t, "definitions", defs, `id="`+string(d.ID)+`"`)
		}
	})
}

func TestScorecardByRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.AddScorecardDeals(t, s.DB)
		for _, role := range []vouch.Role{vouch.RoleViewer, vouch.RoleSeller} {
			email := string(role) + "@example.com"
			testutil.CreateUser(t, s.DB, email, role)
			b := testutil.Login(t, s, email)
			_, home := b.Get("/")
			mustContain(t, string(role)+" nav", home, `<a href="/scorecard"`)
			resp, body := b.Get("/scorecard?period=2026-Q3")
			expect(t, string(role), resp, http.StatusOK, "/scorecard")
			mustContain(t, string(role), body, "USD 360,000 · 8 deals", `href="/scorecard/rows?metric=revenue_influenced&amp;period=2026-Q3"`)
			// The rows behind request and reference figures are the program team's: no link, and 403.
			for _, id := range []vouch.MetricID{vouch.MetricRequestsReceived, vouch.MetricActiveReferences, vouch.MetricReferencesRetired} {
				if strings.Contains(body, "/scorecard/rows?metric="+string(id)) {
					t.Errorf("%s sees a rows link for %s", role, id)
				}
				if resp, _ := b.Get("/scorecard/rows?metric=" + string(id) + "&period=2026-Q3"); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s opens the rows of %s: %d", role, id, resp.StatusCode)
				}
			}
			if strings.Contains(body, "/scorecard/shares") {
				t.Errorf("%s sees the share button", role)
			}
			if resp, rows := b.Get("/scorecard/rows?metric=revenue_influenced&period=2026-Q3"); resp.StatusCode != http.StatusOK || !strings.Contains(rows, "Influenced win 8") {
				t.Errorf("%s cannot list the influenced deals: %d", role, resp.StatusCode)
			}
			if role == vouch.RoleViewer {
				for _, link := range []string{`href="/references`, `href="/requests`, `href="/accounts`} {
					if strings.Contains(body, link) {
						t.Errorf("viewer's scorecard links to %s", link)
					}
				}
			}
		}
	})
}

func TestScorecardExportsAsTheProgramTeamSeesThem(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "viewer@example.com", vouch.RoleViewer)
		f := testutil.AddScorecardDeals(t, s.DB)
		b := testutil.Login(t, s, "viewer@example.com")
		resp, body := b.Get("/scorecard/export.csv?period=2026-Q3&industry=Healthcare")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "scorecard-2026-07-01-2026-09-30.csv") {
			t.Fatalf("csv: %d %v", resp.StatusCode, resp.Header)
		}
		r := csv.NewReader(strings.NewReader(body))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var usd string
		for _, rec := range recs {
			if rec[0] == string(vouch.MetricRevenueInfluenced) && len(rec) > 5 && rec[5] == "USD" {
				usd = rec[2]
			}
		}
		if usd != "360000" {
			t.Errorf("CSV revenue influenced USD = %q", usd)
		}
		mustContain(t, "csv", body, "Industry: Healthcare", "Influenced opportunities", f.InfluencedNames[0])

		resp, xb := b.Get("/scorecard/export.xlsx?period=2026-Q3")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("xlsx: %d", resp.StatusCode)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(xb)))
		if err != nil {
			t.Fatal(err)
		}
		if sheets := x.GetSheetList(); len(sheets) != 2 || sheets[1] != scorecard.SheetOpportunities {
			t.Errorf("sheets %v", sheets)
		}
		if resp, _ := b.Get("/scorecard/export.csv?from=2026-09-01"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("export without to: %d", resp.StatusCode)
		}
	})
}

// TestScorecardFlagsLowAskAcceptance: when fewer than half the asks
// answered in the period were accepted, the tile says so (over-asked
// customers or poor matching); at half or more it does not.
func TestScorecardFlagsLowAskAcceptance(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		refs := []*vouch.Reference{p.maya, p.ola, p.reference(t, &vouch.Account{ID: p.maya.AccountID}, "Ana Lima")}
		answer := func(action string) {
			t.Helper()
			r := p.request(t, s.DB, p.sam, "Deal for "+action+" "+strconv.Itoa(len(refs)), s.DB.Today().AddDays(14), p.pam.ID, vouch.Criteria{})
			ref := refs[0]
			refs = append(refs[1:], ref)
			hash := "answer-" + strconv.FormatInt(r.ID, 10)
			a := &vouch.Ask{RequestID: r.ID, ReferenceID: ref.ID, State: vouch.AskPending, Score: 40}
			if err := s.DB.CreateAsk(ctx, a, vouch.NewLink{Purpose: vouch.LinkAnswer, NonceHash: hash, ExpiresAt: time.Now().Add(72 * time.Hour)},
				vouch.Outgoing{}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DB.AnswerAsk(ctx, hash, vouch.Answer{Action: action}, vouch.Outgoing{}); err != nil {
				t.Fatal(err)
			}
		}
		answer(vouch.AnswerAccept)
		answer(vouch.AnswerDecline)
		answer(vouch.AnswerDecline)
		pam := testutil.Login(t, s, "pam@example.com")
		month := "/scorecard?period=" + s.DB.Today().Time().Format("2006-01")
		_, body := pam.Get(month)
		if tile := tileText(t, body, vouch.MetricAskAcceptance); !strings.HasPrefix(tile, "Ask acceptance rate 33.3%") || !strings.Contains(tile, "Flagged") ||
			!strings.Contains(tile, scorecard.AskAcceptanceWarning) {
			t.Errorf("1 of 3 asks accepted: %q", tile)
		}
		answer(vouch.AnswerAccept)
		_, body = pam.Get(month)
		if tile := tileText(t, body, vouch.MetricAskAcceptance); !strings.HasPrefix(tile, "Ask acceptance rate 50") || strings.Contains(tile, "Flagged") {
			t.Errorf("2 of 4 asks accepted: %q", tile)
		}
	})
}

// TestScorecardWithARateTable: once the settings hold exchange rates, the
// money tiles add the currencies up in the report currency — on the page
// beside each currency's own amount, and in the PDF the same way.
func TestScorecardWithARateTable(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		testutil.AddScorecardDeals(t, s.DB)
		vic := testutil.Login(t, s, "vic@example.com")
		_, body := vic.Get("/scorecard?period=2026-Q3&industry=Healthcare")
		if tile := tileText(t, body, vouch.MetricRevenueInfluenced); strings.Contains(tile, "in all") {
			t.Errorf("without rates the currencies are added up: %q", tile)
		}
		ps, err := s.DB.ProgramSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps.ReportCurrency, ps.CurrencyRates = "USD", map[string]float64{"EUR": 1.1}
		if err := s.DB.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		_, body = vic.Get("/scorecard?period=2026-Q3&industry=Healthcare")
		tile := tileText(t, body, vouch.MetricRevenueInfluenced)
		if !strings.Contains(tile, "USD 382,000 in all, at the rates in settings · 9 deals") || !strings.Contains(tile, "USD 360,000 · 8 deals") ||
			!strings.Contains(tile, "EUR 20,000 · 1 deal") {
			t.Errorf("EUR at 1.1 USD: the revenue tile reads %q", tile)
		}
		resp, pdfBody := vic.Get("/scorecard/export.pdf?period=2026-Q3&industry=Healthcare")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PDF: %d", resp.StatusCode)
		}
		if text, _ := pdftext.Words(t, []byte(pdfBody)); !strings.Contains(text, "USD 382,000") {
			t.Errorf("the PDF does not hold the converted total: %s", text)
		}
	})
}
