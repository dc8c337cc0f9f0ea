package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The coverage page ranks testutil.CoverageProgram's cells, gap first, links
// each to what is behind it for those who may open it, and lets the team
// change the pipeline estimate's settings beside the learned share.
func TestCoveragePage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		p := testutil.AddCoverageProgram(t, s.DB, pam.ID)
		if resp, _ := testutil.Login(t, s, "sam@example.com").Get("/coverage"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller: /coverage answered %d", resp.StatusCode)
		}
		pm := testutil.Login(t, s, "pam@example.com")
		_, home := pm.Get("/")
		mustContain(t, "home", home, `href="/coverage"`)
		_, refs := pm.Get("/references")
		mustContain(t, "references", refs, `href="/coverage"`)

		resp, body := pm.PostForm("/coverage/settings", url.Values{"coverage_share_pct": {"50"},
			"coverage_refs_per_opportunity": {"2"}, "query": {"dimension=industry&months=6"}})
		expect(t, "settings", resp, http.StatusOK, "/coverage")
		mustContain(t, "matrix", body, "saved", "2 gaps", "50% needing a reference", "<strong>50%</strong> of the 2 deals closed",
			`href="/references?activity_type=Call&amp;industry=Healthcare&amp;status=active"`,
			`href="/scorecard/rows?activity_type=Call&amp;from=2026-07-15&amp;industry=Healthcare&amp;metric=requests_received&amp;to=2027-01-15"`)
		hc := strings.Index(body, `data-value="Healthcare" data-activity="Call"`)
		cs := strings.Index(body, `data-value="Healthcare" data-activity="Case study"`)
		fs := strings.Index(body, `data-value="Financial Services" data-activity="Call"`)
		if hc < 0 || cs < hc || fs < cs {
			t.Fatalf("cells not ranked by gap:\n%s", body)
		}
		mustContain(t, "largest gap", body[hc:cs], "heat-3", "9.5", "8.5")
		mustContain(t, "smaller gap", body[cs:fs], "heat-1", "3.5", "2.5")
		// The heat-map: a row per industry, the worst gap first, a column per
		// activity type; each cell opens its row of the ranked table.
		grid := body[strings.Index(body, `id="grid-heading"`):strings.Index(body, `id="cells-heading"`)]
		if h, f := strings.Index(grid, `<tr data-value="Healthcare">`), strings.Index(grid, `<tr data-value="Financial Services">`); h < 0 || f < h {
			t.Errorf("the heat-map's rows are not worst gap first:\n%s", grid)
		}
		mustContain(t, "heat-map", grid, fmt.Sprintf(`<td class="num coverage-cell heat-3" data-activity="Call"><a href="#cell-%d-%d"`, p.Healthcare, p.Call),
			"1&thinsp;/&thinsp;9.5</a>")
		mustContain(t, "the cell's row", body, fmt.Sprintf(`<tr id="cell-%d-%d" data-value="Healthcare" data-activity="Call"`, p.Healthcare, p.Call))

		// Open content requests: beside every cell, and in the demand of the
		// cell whose activity type names their content type.
		testutil.AddCoverageContentRequests(t, s.DB, p, pam.ID)
		_, body = pm.Get("/coverage")
		mustContain(t, "with content requests", body, "3 gaps", `id="content-heading">Open content requests by Industry`,
			`<tr data-value="Financial Services"><th scope="row" data-label="Industry">Financial Services</th>`)
		cs = strings.Index(body, `data-value="Healthcare" data-activity="Case study"`)
		video := strings.Index(body, `data-value="Financial Services" data-activity="Video"`)
		fs = strings.Index(body, `data-value="Financial Services" data-activity="Call"`)
		if cs < 0 || video < cs || fs < video {
			t.Fatalf("content requests not ranked in:\n%s", body)
		}
		mustContain(t, "case study with a content request", body[cs:video], `1 <span class="muted small">of 2 for Healthcare</span>`, "4.5", "3.5")
		mustContain(t, "video wanted", body[video:fs], `1 <span class="muted small">of 2 for Financial Services</span>`)

		resp, body = pm.PostForm("/coverage/settings", url.Values{"coverage_share_pct": {"150"}, "coverage_refs_per_opportunity": {"2"}})
		expect(t, "a share over 100", resp, http.StatusOK, "/coverage")
		mustContain(t, "refused", body, "between 0 and 100", "50% needing a reference")

		vic := testutil.Login(t, s, "vic@example.com")
		resp, body = vic.Get("/coverage?dimension=region&months=12")
		expect(t, "by region", resp, http.StatusOK, "/coverage")
		if strings.Contains(body, `href="/references?`) || strings.Contains(body, `href="/scorecard/rows?`) || strings.Contains(body, `action="/coverage/settings"`) {
			t.Errorf("an executive is linked to lists or settings they may not open:\n%s", body)
		}
		if resp, _ := vic.Get("/coverage?dimension=colour"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("an unknown dimension answered %d", resp.StatusCode)
		}
	})
}
