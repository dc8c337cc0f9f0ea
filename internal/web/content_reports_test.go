package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestContentReportsPage: the reports page names the segments open requests
// ask for, gaps first and marked; a seller never sees a draft in a report;
// an unknown report is a clear error, not a 500.
func TestContentReportsPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		analytics := valueID(t, s.DB, vouch.TaxProduct, "Analytics")
		requestContentItem(t, s, "Clinic story", "Case study", vouch.ContentApprovedExternal,
			map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {p.healthcare}, vouch.TaxRegion: {p.emea}})
		requestContentItem(t, s, "Analytics draft", "Case study", vouch.ContentDraft,
			map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {p.healthcare}, vouch.TaxProduct: {analytics}})
		p.request(t, s.DB, p.sam, "Globex analytics", s.DB.Today().AddDays(14), 0,
			vouch.Criteria{IndustryID: p.healthcare, RegionID: p.emea, ProductID: analytics})

		sam := testutil.Login(t, s, "sam@example.com")
		resp, body := sam.Get("/content/reports?kind=gaps")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("reports page: %d", resp.StatusCode)
		}
		mustContain(t, "gaps", body, `aria-current="page">Reports</a>`, `aria-current="page">Gaps</a>`,
			"<strong>Healthcare × Analytics</strong> <span class=\"pill pill-bad\">Gap</span>", "<strong>Healthcare × EMEA</strong>")
		if strings.Index(body, "Healthcare × Analytics") > strings.Index(body, "Healthcare × EMEA") {
			t.Error("the gap is not listed first")
		}
		if strings.Contains(body, "Healthcare × EMEA</strong> <span class=\"pill pill-bad\">") {
			t.Error("a segment with approved content is marked as a gap")
		}
		for _, kind := range []string{"most_used", "best_rated", "stale"} {
			resp, body := sam.Get("/content/reports?kind=" + kind)
			if resp.StatusCode != http.StatusOK || strings.Contains(body, "Analytics draft") {
				t.Errorf("%s: status %d, lists the draft: %v", kind, resp.StatusCode, strings.Contains(body, "Analytics draft"))
			}
		}
		if resp, body := sam.Get("/content/reports?kind=popular"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "kind") {
			t.Errorf("an unknown report: %d\n%s", resp.StatusCode, body)
		}
	})
}
