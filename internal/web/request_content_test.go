package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// requestContentItem stores an item of type typ in state st with tags.
func requestContentItem(t *testing.T, s *testutil.Server, title, typ string, st vouch.ContentState, tags map[vouch.TaxonomyKind][]int64) *vouch.ContentItem {
	t.Helper()
	it := &vouch.ContentItem{Title: title, TypeID: valueID(t, s.DB, vouch.TaxContentType, typ), State: st}
	if st.Approved() {
		it.ApprovedOn, it.ApprovedBy, it.ApprovalMethod = s.DB.Today(), "Customer", "mail"
		it.ExpiresOn = s.DB.Today().AddDays(700)
	}
	for k, ids := range tags {
		it.SetTagIDs(k, ids)
	}
	if err := s.DB.CreateContent(ctx, it); err != nil {
		t.Fatal(err)
	}
	return it
}

// TestRequestPageShowsContentThatFits: beside the matches, the seller sees
// the approved content that fits the request, best first, with the criteria
// each meets and internal-only items marked; drafts and items meeting no
// criterion are not listed.
func TestRequestPageShowsContentThatFits(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		fin := valueID(t, s.DB, vouch.TaxIndustry, "Financial Services")
		both := requestContentItem(t, s, "Hospital group cuts waiting lists", "Case study", vouch.ContentApprovedExternal,
			map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {p.healthcare}, vouch.TaxRegion: {p.emea}})
		inside := requestContentItem(t, s, "Clinic chain internal review", "Case study", vouch.ContentApprovedInternal,
			map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {p.healthcare}})
		requestContentItem(t, s, "Draft hospital story", "Case study", vouch.ContentDraft,
			map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {p.healthcare}})
		requestContentItem(t, s, "Bank payments story", "Case study", vouch.ContentApprovedExternal,
			map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {fin}})
		req := p.request(t, s.DB, p.sam, "Globex clinics", s.DB.Today().AddDays(14), 0,
			vouch.Criteria{IndustryID: p.healthcare, RegionID: p.emea})
		page := fmt.Sprintf("/requests/%d", req.ID)

		sam := testutil.Login(t, s, "sam@example.com")
		_, body := sam.Get(page)
		mustContain(t, "the requester's page", body, "While you wait for a reference: 2 case studies that fit",
			fmt.Sprintf(`<a href="/content/%d"><strong>Hospital group cuts waiting lists</strong></a>`, both.ID),
			fmt.Sprintf(`<a href="/content/%d"><strong>Clinic chain internal review</strong></a>`, inside.ID),
			"Internal use only", "industry: Healthcare", "region: EMEA")
		if strings.Index(body, "Hospital group cuts waiting lists") > strings.Index(body, "Clinic chain internal review") {
			t.Error("the item meeting both criteria is not listed first")
		}
		for _, hidden := range []string{"Draft hospital story", "Bank payments story"} {
			if strings.Contains(body, hidden) {
				t.Errorf("the request page lists %q", hidden)
			}
		}

		// Another seller cannot open the request, nor its content.
		sue := testutil.Login(t, s, "sue@example.com")
		if resp, _ := sue.Get(page); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another seller opens the request: %d", resp.StatusCode)
		}
	})
}
