package api_test

import (
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
)

type coverageJSON struct {
	Dimension    string  `json:"dimension"`
	Months       int     `json:"months"`
	SharePct     int     `json:"share_pct"`
	RefsPerOpp   int     `json:"references_per_opportunity"`
	LearnedShare float64 `json:"learned_share_pct"`
	ClosedDeals  int     `json:"closed_deals"`
	Gaps         int     `json:"gaps"`
	Cells        []struct {
		Value        string  `json:"value"`
		ActivityType string  `json:"activity_type"`
		Supply       int     `json:"supply"`
		Requests     int     `json:"requests"`
		Pipeline     float64 `json:"pipeline"`
		Content      int     `json:"content_requests"`
		ValueContent int     `json:"value_content_requests"`
		Demand       float64 `json:"demand"`
		Gap          float64 `json:"gap"`
	} `json:"cells"`
	Values []struct {
		Value   string `json:"value"`
		Content int    `json:"content_requests"`
		InCells int    `json:"content_requests_in_cells"`
	} `json:"values"`
}

func (c coverageJSON) String() string {
	s := ""
	for _, x := range c.Cells {
		s += fmt.Sprintf("%s × %s: supply %d, demand %v, gap %v; ", x.Value, x.ActivityType, x.Supply, x.Demand, x.Gap)
	}
	return s
}

// TestCoverageAPI reads the matrix of testutil.CoverageProgram, whose
// answers are worked out by hand, and checks who may read it.
func TestCoverageAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		p := testutil.AddCoverageProgram(t, f.srv.DB, f.users["seller"].ID)
		var m coverageJSON
		f.get(t, "viewer", "/api/v1/coverage", &m)
		if m.Dimension != "industry" || m.Months != 6 || m.SharePct != 30 || m.RefsPerOpp != 1 {
			t.Fatalf("defaults: %+v", m)
		}
		if m.LearnedShare != 50 || m.ClosedDeals != 2 {
			t.Errorf("learned share %v of %d deals, want 50 of 2", m.LearnedShare, m.ClosedDeals)
		}
		f.run(t, []scenario{
			{name: "the estimate's settings", method: "PATCH", path: "/api/v1/settings", as: "admin",
				body: `{"coverage_share_pct": 50, "coverage_refs_per_opportunity": 2}`, status: 200,
				want: []string{`"coverage_share_pct":50`, `"coverage_refs_per_opportunity":2`}},
			{name: "a share over 100", method: "PATCH", path: "/api/v1/settings", as: "admin",
				body: `{"coverage_share_pct": 150}`, status: 400, fields: []string{"coverage_share_pct"}},
			{name: "sellers see no coverage", method: "GET", path: "/api/v1/coverage", as: "seller", status: 403},
			{name: "an unknown dimension", method: "GET", path: "/api/v1/coverage?dimension=colour", as: "team_member",
				offSpec: true, status: 400, fields: []string{"dimension"}},
			{name: "a bad window", method: "GET", path: "/api/v1/coverage?months=0", as: "team_member",
				offSpec: true, status: 400, fields: []string{"months"}},
			// The deals behind a cell's pipeline: the value's open opportunities.
			{name: "the open deals of a value", method: "GET", path: "/api/v1/opportunities?industry=healthcare&status=open&limit=5",
				as: "seller", status: 200, want: []string{`"total":10`, `"industry":"Healthcare"`}},
			{name: "the won deals of a value", method: "GET", path: "/api/v1/opportunities?industry=Financial%20Services&status=won",
				as: "seller", status: 200, want: []string{`"total":2`}},
			{name: "an account's deals", method: "GET", path: fmt.Sprintf("/api/v1/opportunities?account=%d", p.HealthcareAccount.ID),
				as: "team_member", status: 200, want: []string{`"total":0`}},
			{name: "unknown filter values", method: "GET", path: "/api/v1/opportunities?industry=Helthcare&company_size=huge&account=x",
				as: "seller", offSpec: true, status: 400, fields: []string{"industry", "company_size", "account"}, want: []string{`did you mean \"Healthcare\"`}},
			{name: "executives do not list deals", method: "GET", path: "/api/v1/opportunities?industry=Healthcare", as: "viewer", status: 403},
		})
		f.get(t, "team_member", "/api/v1/coverage?dimension=industry", &m)
		want := []struct {
			value, typ     string
			supply, reqs   int
			pipe, dem, gap float64
		}{
			{"Healthcare", "Call", 1, 2, 7.5, 9.5, 8.5},
			{"Healthcare", "Case study", 1, 1, 2.5, 3.5, 2.5},
			{"Financial Services", "Call", 1, 1, 0, 1, 0},
		}
		if len(m.Cells) != len(want) || m.Gaps != 2 {
			t.Fatalf("6 months: %d cells, %d gaps: %v", len(m.Cells), m.Gaps, m)
		}
		for i, w := range want {
			c := m.Cells[i]
			if c.Value != w.value || c.ActivityType != w.typ || c.Supply != w.supply || c.Requests != w.reqs ||
				c.Pipeline != w.pipe || c.Demand != w.dem || c.Gap != w.gap {
				t.Errorf("cell %d: %+v, want %+v", i, c, w)
			}
		}
		// Twelve months: the March request counts too, and the mix is 4 Calls to 1 Case study.
		f.get(t, "team_member", "/api/v1/coverage?dimension=industry&months=12", &m)
		if len(m.Cells) != 3 || m.Cells[0].Demand != 11 || m.Cells[0].Gap != 10 || m.Cells[1].Demand != 3 {
			t.Errorf("12 months: %v", m)
		}

		// Open content requests: one for a Case study counts in that cell,
		// one for a Video makes a cell of its own, a Slide deck (no activity
		// type of that name) is only beside the matrix, a declined one is not
		// counted at all.
		if len(m.Values) != 0 {
			t.Errorf("no content requests yet: %+v", m.Values)
		}
		testutil.AddCoverageContentRequests(t, f.srv.DB, p, f.users["seller"].ID)
		f.get(t, "team_member", "/api/v1/coverage?dimension=industry", &m)
		want = []struct {
			value, typ     string
			supply, reqs   int
			pipe, dem, gap float64
		}{
			{"Healthcare", "Call", 1, 2, 7.5, 9.5, 8.5},
			{"Healthcare", "Case study", 1, 1, 2.5, 4.5, 3.5},
			{"Financial Services", "Video", 0, 0, 0, 1, 1},
			{"Financial Services", "Call", 1, 1, 0, 1, 0},
		}
		content := []int{0, 1, 1, 0}
		valueContent := []int{2, 2, 2, 2}
		if len(m.Cells) != len(want) || m.Gaps != 3 {
			t.Fatalf("with content requests: %d cells, %d gaps: %v", len(m.Cells), m.Gaps, m)
		}
		for i, w := range want {
			c := m.Cells[i]
			if c.Value != w.value || c.ActivityType != w.typ || c.Supply != w.supply || c.Requests != w.reqs ||
				c.Pipeline != w.pipe || c.Demand != w.dem || c.Gap != w.gap || c.Content != content[i] || c.ValueContent != valueContent[i] {
				t.Errorf("cell %d: %+v, want %+v with %d content requests of %d", i, c, w, content[i], valueContent[i])
			}
		}
		if got := fmt.Sprintf("%+v", m.Values); got != "[{Value:Financial Services Content:2 InCells:1} {Value:Healthcare Content:2 InCells:1}]" {
			t.Errorf("values with open content requests: %s", got)
		}
		// By region no content request is tagged: none beside the matrix.
		f.get(t, "team_member", "/api/v1/coverage?dimension=region", &m)
		if len(m.Values) != 0 {
			t.Errorf("by region: %+v", m.Values)
		}
	})
}
