package api_test

import (
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// TestContentReports: the gaps report counts an open request's segments
// against the approved content; a draft counts for nothing and is listed to
// the program team only; an unknown report names the field.
func TestContentReports(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		_, oppID := seedFulfillment(t, f)
		db := f.srv.DB
		val := func(kind vouch.TaxonomyKind, name string) int64 { return findValue(t, db, kind, name).ID }
		health, emea, analytics := val(vouch.TaxIndustry, "Healthcare"), val(vouch.TaxRegion, "EMEA"), val(vouch.TaxProduct, "Analytics")
		approved := &vouch.ContentItem{Title: "Clinic story", TypeID: val(vouch.TaxContentType, "Case study"), State: vouch.ContentApprovedExternal,
			IndustryIDs: []int64{health}, RegionIDs: []int64{emea}, ApprovedOn: db.Today(), ApprovedBy: "Customer", ApprovalMethod: "mail",
			ExpiresOn: db.Today().AddDays(700)}
		draft := &vouch.ContentItem{Title: "Analytics draft", TypeID: val(vouch.TaxContentType, "Case study"), State: vouch.ContentDraft,
			IndustryIDs: []int64{health}, ProductIDs: []int64{analytics}}
		for _, it := range []*vouch.ContentItem{approved, draft} {
			if err := db.CreateContent(seedCtx, it); err != nil {
				t.Fatal(err)
			}
		}
		f.call(t, "seller", "POST", "/api/v1/requests", fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q,
			"criteria": {"industry": "Healthcare", "region": "EMEA", "product": "Analytics"}}`, oppID, db.Today().AddDays(30).String()), 201)
		f.run(t, []scenario{
			{name: "gaps first: Healthcare × Analytics has only a draft", method: "GET", path: "/api/v1/content/reports?kind=gaps", as: "viewer",
				status: 200, want: []string{`"kind":"gaps"`,
					fmt.Sprintf(`{"kind":"industry_product","industry_id":%d,"industry":"Healthcare","other_id":%d,"other":"Analytics","demand":1,"approved":0,"gap":true}`, health, analytics),
					fmt.Sprintf(`{"kind":"industry_region","industry_id":%d,"industry":"Healthcare","other_id":%d,"other":"EMEA","demand":1,"approved":1,"gap":false}`, health, emea)}},
			{name: "the draft is stale to nobody and never listed to a seller", method: "GET", path: "/api/v1/content/reports?kind=stale", as: "seller",
				status: 200, want: []string{`"items":[]`}},
			{name: "most used by default", method: "GET", path: "/api/v1/content/reports", as: "seller", status: 200,
				want: []string{`"kind":"most_used"`, `"items":[]`}},
			{name: "an unknown report names the field", method: "GET", path: "/api/v1/content/reports?kind=popular", as: "seller",
				offSpec: true, status: 400, fields: []string{"kind"}},
			{name: "without a token", method: "GET", path: "/api/v1/content/reports", as: "", offSpec: true, status: 401},
		})
	})
}
