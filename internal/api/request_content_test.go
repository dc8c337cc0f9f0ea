package api_test

import (
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// TestRequestContent: a request's content is the approved items meeting its
// criteria, best first, with the criteria as reasons; another seller cannot
// read it, a draft is never listed.
func TestRequestContent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		_, oppID := seedFulfillment(t, f)
		addSeller(t, f)
		db := f.srv.DB
		val := func(kind vouch.TaxonomyKind, name string) int64 { return findValue(t, db, kind, name).ID }
		item := func(title string, st vouch.ContentState, industry, region string) int64 {
			it := &vouch.ContentItem{Title: title, TypeID: val(vouch.TaxContentType, "Case study"), State: st,
				IndustryIDs: []int64{val(vouch.TaxIndustry, industry)}}
			if region != "" {
				it.RegionIDs = []int64{val(vouch.TaxRegion, region)}
			}
			if st.Approved() {
				it.ApprovedOn, it.ApprovedBy, it.ApprovalMethod, it.ExpiresOn = db.Today(), "Customer", "mail", db.Today().AddDays(700)
			}
			if err := db.CreateContent(seedCtx, it); err != nil {
				t.Fatal(err)
			}
			return it.ID
		}
		both := item("Clinic network halves waiting times", vouch.ContentApprovedExternal, "Healthcare", "EMEA")
		inside := item("Hospital analytics, internal", vouch.ContentApprovedInternal, "Healthcare", "")
		item("Draft clinic story", vouch.ContentDraft, "Healthcare", "EMEA")
		item("Bank story", vouch.ContentApprovedExternal, "Financial Services", "")

		r := f.call(t, "seller", "POST", "/api/v1/requests", fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q,
			"criteria": {"industry": "Healthcare", "region": "EMEA"}}`, oppID, db.Today().AddDays(30).String()), 201)
		var req struct {
			ID int64 `json:"id"`
		}
		r.decode(t, &req)
		path := fmt.Sprintf("/api/v1/requests/%d/content", req.ID)
		f.run(t, []scenario{
			{name: "the seller reads the content that fits, best first", method: "GET", path: path, as: "seller", status: 200,
				want: []string{`"total":2`, fmt.Sprintf(`{"id":%d,"title":"Clinic network halves waiting times"`, both),
					`"reasons":["✓ industry: Healthcare","✓ region: EMEA"]`, fmt.Sprintf(`{"id":%d,"title":"Hospital analytics, internal"`, inside),
					`"state":"approved_internal"`, `"reasons":["✓ industry: Healthcare","✗ region: EMEA"]`},
				check: func(t *testing.T, r response) {
					var out struct {
						Items []struct {
							ID     int64 `json:"id"`
							Points int   `json:"points"`
						} `json:"items"`
					}
					r.decode(t, &out)
					if len(out.Items) != 2 || out.Items[0].ID != both || out.Items[1].ID != inside || out.Items[0].Points <= out.Items[1].Points {
						t.Errorf("items %+v, want %d then %d with fewer points", out.Items, both, inside)
					}
				}},
			{name: "one at a time", method: "GET", path: path + "?limit=1", as: "seller", status: 200, want: []string{`"total":2`}},
			{name: "a limit out of range names the field", method: "GET", path: path + "?limit=0", as: "seller", offSpec: true, status: 400,
				fields: []string{"limit"}},
			{name: "the program team reads it", method: "GET", path: path, as: "team_member", status: 200, want: []string{`"total":2`}},
			{name: "another seller is told the request does not exist", method: "GET", path: path, as: "other_seller", status: 404},
			{name: "a viewer may not read requests", method: "GET", path: path, as: "viewer", status: 403},
		})
	})
}
