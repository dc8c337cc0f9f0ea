package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentItem creates an item in state through the content service.
func proofContentItem(t *testing.T, f *fixture, title string, state vouch.ContentState) *vouch.ContentItem {
	t.Helper()
	_, cat, _ := testutil.ReadModels(t, f.srv.DB)
	svc := content.New(f.srv.DB, cat)
	ctx := vouch.WithActor(t.Context(), vouch.Actor{Label: "test"})
	typ := "Case study"
	it, err := svc.Create(ctx, vouch.ContentInput{Type: &typ, Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	if state != vouch.ContentDraft {
		if it, err = svc.ChangeState(ctx, it.ID, 0, vouch.ContentStateChange{To: state, ApprovedBy: "Dana Park", Method: "mail"}); err != nil {
			t.Fatal(err)
		}
	}
	return it
}

type proofJSON struct {
	ID         int64   `json:"id"`
	Title      string  `json:"title"`
	Status     string  `json:"status"`
	URL        string  `json:"url"`
	Views      int     `json:"views"`
	ContentIDs []int64 `json:"content_ids"`
	Items      []struct {
		ContentID int64 `json:"content_id"`
		Shown     bool  `json:"shown"`
		Views     int   `json:"views"`
	} `json:"items"`
}

func TestProofPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		story := proofContentItem(t, f, "Nimbus Air cuts reporting time", vouch.ContentApprovedExternal)
		internal := proofContentItem(t, f, "Globex win plan", vouch.ContentApprovedInternal)
		opp := &vouch.Opportunity{Name: "Initech deal", OwnerID: f.users["seller"].ID, Status: vouch.OpportunityOpen}
		if err := f.srv.DB.CreateOpportunity(t.Context(), opp); err != nil {
			t.Fatal(err)
		}
		f.call(t, "viewer", "POST", "/api/v1/proof-pages", fmt.Sprintf(`{"title": "x", "content_ids": [%d]}`, story.ID), 403)
		r := f.call(t, "seller", "POST", "/api/v1/proof-pages",
			fmt.Sprintf(`{"title": " ", "content_ids": [%d, %d], "expires_in_days": 181}`, story.ID, internal.ID), 400)
		var e errorBody
		r.decode(t, &e)
		if !strings.Contains(e.Error.Fields["content_ids"], "Globex win plan") || e.Error.Fields["title"] == "" || e.Error.Fields["expires_in_days"] == "" {
			t.Fatalf("problems: %+v", e.Error.Fields)
		}
		r = f.call(t, "other_seller", "POST", "/api/v1/proof-pages",
			fmt.Sprintf(`{"title": "Stories", "content_ids": [%d], "opportunity_id": %d}`, story.ID, opp.ID), 400)
		r.decode(t, &e)
		if e.Error.Fields["opportunity"] == "" {
			t.Fatalf("another seller's opportunity: %s", r.body)
		}

		r = f.call(t, "seller", "POST", "/api/v1/proof-pages",
			fmt.Sprintf(`{"title": "Customer stories for Initech", "prospect": "Initech", "content_ids": [%d], "opportunity_id": %d}`, story.ID, opp.ID), 201)
		var p proofJSON
		r.decode(t, &p)
		if p.Status != "active" || !strings.Contains(p.URL, "/p/") || len(p.Items) != 1 || !p.Items[0].Shown {
			t.Fatalf("created: %s", r.body)
		}
		// The buyer's view counts.
		resp, err := http.Get(p.URL)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("buyer opens %s: %v %v", p.URL, resp, err)
		}
		resp.Body.Close()
		path := fmt.Sprintf("/api/v1/proof-pages/%d", p.ID)
		var got proofJSON
		f.get(t, "seller", path, &got)
		if got.URL != "" || got.Views != 1 || got.Items[0].Views != 1 {
			t.Fatalf("read back: %+v", got)
		}
		f.call(t, "other_seller", "GET", path, "", 404)
		var list page[proofJSON]
		f.get(t, "other_seller", "/api/v1/proof-pages", &list)
		if list.Total != 0 {
			t.Fatalf("another seller lists %d", list.Total)
		}
		f.get(t, "program_manager", fmt.Sprintf("/api/v1/proof-pages?opportunity_id=%d", opp.ID), &list)
		if list.Total != 1 || list.Items[0].ID != p.ID {
			t.Fatalf("the team's list: %+v", list)
		}
		f.call(t, "other_seller", "POST", path+"/revoke", "", 404)
		r = f.call(t, "seller", "POST", path+"/revoke", "", 200)
		r.decode(t, &got)
		if got.Status != "revoked" {
			t.Fatalf("revoked: %s", r.body)
		}
		resp, err = http.Get(p.URL)
		if err != nil || resp.StatusCode != http.StatusNotFound {
			t.Fatalf("revoked link: %v %v", resp, err)
		}
		resp.Body.Close()
	})
}

type contentRequestJSON struct {
	ID          int64    `json:"id"`
	State       string   `json:"state"`
	Type        *string  `json:"type"`
	Industry    []string `json:"industry"`
	FulfilledBy *int64   `json:"fulfilled_by"`
	Version     int      `json:"version"`
}

func TestContentRequests(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		f.call(t, "viewer", "POST", "/api/v1/content-requests", `{"description": "x"}`, 403)
		r := f.call(t, "seller", "POST", "/api/v1/content-requests", `{"description": "", "type": "Podcst", "industry": ["Helthcare"]}`, 400)
		var e errorBody
		r.decode(t, &e)
		for _, fld := range []string{"description", "type", "industry"} {
			if e.Error.Fields[fld] == "" {
				t.Errorf("no problem named for %s: %s", fld, r.body)
			}
		}
		r = f.call(t, "seller", "POST", "/api/v1/content-requests",
			`{"description": "A Healthcare case study for Analytics in EMEA", "type": "case study", "industry": ["healthcare"], "region": ["EMEA"]}`, 201)
		var cr contentRequestJSON
		r.decode(t, &cr)
		if cr.State != "open" || cr.Type == nil || *cr.Type != "Case study" || len(cr.Industry) != 1 || cr.Industry[0] != "Healthcare" || cr.Version != 1 {
			t.Fatalf("created: %s", r.body)
		}
		path := fmt.Sprintf("/api/v1/content-requests/%d", cr.ID)
		f.call(t, "other_seller", "GET", path, "", 404)
		f.call(t, "seller", "PATCH", path, `{"state": "in_progress", "version": 1}`, 403)
		var list page[contentRequestJSON]
		f.get(t, "program_manager", "/api/v1/content-requests?state=open", &list)
		if list.Total != 1 {
			t.Fatalf("the team's open requests: %+v", list)
		}
		if r := f.c.do(t, "GET", "/api/v1/content-requests?state=lost", f.tokens["program_manager"], "", true); r.status != 400 ||
			!strings.Contains(string(r.body), "state") {
			t.Fatalf("unknown state: %d %s", r.status, r.body)
		}
		f.call(t, "program_manager", "PATCH", path, `{"state": "in_progress", "version": 1}`, 200)
		f.call(t, "program_manager", "PATCH", path, `{"state": "declined", "note": "no", "version": 1}`, 409)
		r = f.call(t, "program_manager", "PATCH", path, `{"state": "done", "version": 2}`, 400)
		r.decode(t, &e)
		if e.Error.Fields["fulfilled_by"] == "" {
			t.Fatalf("done without an item: %s", r.body)
		}
		item := proofContentItem(t, f, "Mercy Health grows with Analytics", vouch.ContentApprovedExternal)
		r = f.call(t, "program_manager", "PATCH", path, fmt.Sprintf(`{"state": "done", "fulfilled_by": %d, "version": 2}`, item.ID), 200)
		r.decode(t, &cr)
		if cr.State != "done" || cr.FulfilledBy == nil || *cr.FulfilledBy != item.ID || cr.Version != 3 {
			t.Fatalf("done: %s", r.body)
		}
		var notes struct {
			Items []struct {
				Body string `json:"body"`
				Link string `json:"link"`
			} `json:"items"`
		}
		f.get(t, "seller", "/api/v1/notifications", &notes)
		if len(notes.Items) != 1 || !strings.Contains(notes.Items[0].Body, "Mercy Health grows with Analytics") ||
			notes.Items[0].Link != fmt.Sprintf("/content/%d", item.ID) {
			t.Fatalf("the seller's notifications: %+v", notes)
		}
	})
}
