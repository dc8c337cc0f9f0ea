package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// TestContentUsesAndRatings: sellers record uses (against their own
// opportunities) and rate approved items; one rating per user, replaced
// when they rate again; drafts are not found for them; viewers read only.
func TestContentUsesAndRatings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
		db := f.srv.DB
		types, err := db.ListTaxonomy(ctx, vouch.TaxContentType)
		if err != nil || len(types) == 0 {
			t.Fatal("no content types", err)
		}
		add := func(title string, to vouch.ContentState) int64 {
			it := &vouch.ContentItem{TypeID: types[0].ID, Title: title}
			if err := db.CreateContent(ctx, it); err != nil {
				t.Fatal(err)
			}
			if to != vouch.ContentDraft {
				if _, err := db.ChangeContentState(ctx, it.ID, 0, vouch.ContentStateChange{To: to, ApprovedBy: "Dana", Method: "mail"}, 24); err != nil {
					t.Fatal(err)
				}
			}
			return it.ID
		}
		external, internal, draft := add("Northwind case study", vouch.ContentApprovedExternal),
			add("Pricing deck", vouch.ContentApprovedInternal), add("Draft story", vouch.ContentDraft)
		mine := &vouch.Opportunity{Name: "Initech renewal", Currency: "USD", Status: vouch.OpportunityOpen, OwnerID: f.users["seller"].ID}
		theirs := &vouch.Opportunity{Name: "Hooli", Currency: "USD", Status: vouch.OpportunityOpen}
		for _, o := range []*vouch.Opportunity{mine, theirs} {
			if err := db.CreateOpportunity(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		uses := func(id int64) string { return fmt.Sprintf("/api/v1/content/%d/uses", id) }
		ratings := func(id int64) string { return fmt.Sprintf("/api/v1/content/%d/ratings", id) }
		f.run(t, []scenario{
			{name: "seller copies a link for their deal", method: "POST", path: uses(external), as: "seller",
				body: fmt.Sprintf(`{"kind": "copy_link", "opportunity_id": %d}`, mine.ID), status: 201,
				want: []string{`"kind":"copy_link"`, fmt.Sprintf(`"opportunity_id":%d`, mine.ID), `"user_name":"Seller"`}},
			{name: "not someone else's deal", method: "POST", path: uses(external), as: "seller",
				body: fmt.Sprintf(`{"kind": "copy_link", "opportunity_id": %d}`, theirs.ID), status: 400, fields: []string{"opportunity_id"}},
			{name: "an internal item never goes to a buyer", method: "POST", path: uses(internal), as: "seller",
				body: `{"kind": "proof_page"}`, status: 400, fields: []string{"kind"}, want: []string{"internal use only"}},
			{name: "an internal item's link is copied for colleagues", method: "POST", path: uses(internal), as: "seller",
				body: `{"kind": "copy_link"}`, status: 201},
			{name: "no download without a file", method: "POST", path: uses(external), as: "seller",
				body: `{"kind": "download"}`, status: 400, fields: []string{"kind"}},
			{name: "an unknown kind", method: "POST", path: uses(external), as: "seller",
				body: `{"kind": "print"}`, offSpec: true, status: 400, fields: []string{"kind"}},
			{name: "a draft is not found for a seller", method: "POST", path: uses(draft), as: "seller",
				body: `{"kind": "copy_link"}`, status: 404},
			{name: "nor are its uses", method: "GET", path: uses(draft), as: "seller", status: 404},
			{name: "the team reads a draft's uses", method: "GET", path: uses(draft), as: "program_manager", status: 200,
				want: []string{`"total":0`}},
			{name: "a viewer may not use", method: "POST", path: uses(external), as: "viewer", body: `{"kind": "copy_link"}`, status: 403},
			{name: "a viewer reads uses", method: "GET", path: uses(external), as: "viewer", status: 200,
				want: []string{`"total":1`, `"kind":"copy_link"`}},

			{name: "a rating out of range names the field", method: "POST", path: ratings(external), as: "seller",
				body: `{"rating": 7}`, status: 400, fields: []string{"rating"}},
			{name: "seller rates", method: "POST", path: ratings(external), as: "seller",
				body: `{"rating": 3, "comment": "Helped a bit"}`, status: 201, want: []string{`"rating":3`}},
			{name: "rating again replaces", method: "POST", path: ratings(external), as: "seller",
				body: `{"rating": 5, "comment": "Closed Initech"}`, status: 200, want: []string{`"rating":5`}},
			{name: "another rater", method: "POST", path: ratings(external), as: "program_manager",
				body: `{"rating": 4}`, status: 201},
			{name: "one rating per user", method: "GET", path: ratings(external), as: "viewer", status: 200,
				want: []string{`"total":2`, `"comment":"Closed Initech"`}},
			{name: "a draft cannot be rated", method: "POST", path: ratings(draft), as: "program_manager",
				body: `{"rating": 4}`, status: 400, fields: []string{"rating"}},
			{name: "an unknown item", method: "GET", path: ratings(999999), as: "seller", status: 404},
		})
		// Newest first: the team's rating, without a comment, came last.
		r := f.call(t, "seller", "GET", ratings(external), "", 200)
		var page struct{ Items []struct{ Comment string } }
		r.decode(t, &page)
		if len(page.Items) != 2 || page.Items[0].Comment != "" {
			t.Errorf("ratings newest first: %+v", page.Items)
		}
	})
}
