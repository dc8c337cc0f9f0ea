package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestContentRequestLifecycle(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		f := newContentFixture(t, s)
		seller := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "otto@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "pat@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)

		b := testutil.Login(t, s, "sam@example.com")
		resp, body := b.Get("/content-requests/new")
		expect(t, "form", resp, http.StatusOK, "/content-requests/new")
		mustContain(t, "form", body, "What you need", "Healthcare", "EMEA", "Analytics")

		// Every problem at once, each named.
		resp, body = b.PostForm("/content-requests/new", url.Values{"description": {"  "}, "type": {"Podcast"}, "industry": {"Helthcare"}})
		expect(t, "bad request", resp, http.StatusBadRequest, "/content-requests/new")
		mustContain(t, "bad request", body, "What you need is required", "Type ", "Industry ")

		resp, body = b.PostForm("/content-requests/new", url.Values{"description": {"A Healthcare case study for Analytics in EMEA"},
			"type": {"Case study"}, "industry": {"Healthcare"}, "region": {"EMEA"}, "product": {"Analytics"}})
		expect(t, "created", resp, http.StatusOK, "")
		mustContain(t, "created", body, "A Healthcare case study for Analytics in EMEA", "Open", "Case study", "Healthcare, EMEA, Analytics")
		if strings.Contains(body, "Move it along") {
			t.Errorf("a seller is offered the team's actions")
		}
		id := pathID(t, resp)
		path := "/content-requests/" + strconv.FormatInt(id, 10)

		// Sellers see their own; the team all; a viewer none.
		_, body = b.Get("/content-requests")
		mustContain(t, "seller's list", body, "A Healthcare case study for Analytics in EMEA")
		other := testutil.Login(t, s, "otto@example.com")
		if _, body := other.Get("/content-requests"); strings.Contains(body, "A Healthcare case study") {
			t.Errorf("another seller lists it")
		}
		if resp, _ := other.Get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another seller opens it: %d", resp.StatusCode)
		}
		if resp, _ := testutil.Login(t, s, "vic@example.com").Get("/content-requests"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a viewer opens content requests: %d", resp.StatusCode)
		}
		if resp := postWithoutCSRF(t, b, path, url.Values{"state": {"done"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller moves it: %d", resp.StatusCode)
		}
		if resp, _ := b.PostForm(path, url.Values{"state": {"in_progress"}, "version": {"1"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller moves it: %d", resp.StatusCode)
		}

		pm := testutil.Login(t, s, "pat@example.com")
		_, body = pm.Get("/content-requests?state=open")
		mustContain(t, "team's list", body, "A Healthcare case study for Analytics in EMEA", "Sam")
		_, body = pm.Get("/content-requests?state=done")
		if strings.Contains(body, "A Healthcare case study") {
			t.Errorf("the done filter lists an open request")
		}
		resp, body = pm.Get(path)
		expect(t, "team's view", resp, http.StatusOK, path)
		mustContain(t, "team's view", body, "Move it along")

		resp, _ = pm.PostForm(path, url.Values{"state": {"in_progress"}, "version": {"1"}, "note": {"Interviewing Mercy Health next week."}})
		expect(t, "in progress", resp, http.StatusOK, path)
		// A stale version is refused, nothing written.
		resp, body = pm.PostForm(path, url.Values{"state": {"declined"}, "version": {"1"}, "note": {"No"}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Someone else saved") {
			t.Fatalf("stale version: %d\n%s", resp.StatusCode, body)
		}
		// Done needs the item.
		resp, body = pm.PostForm(path, url.Values{"state": {"done"}, "version": {"2"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Fulfilled by is required") {
			t.Fatalf("done without an item: %d\n%s", resp.StatusCode, body)
		}
		story := f.item("Mercy Health grows with Analytics", "Case study", "Mercy Health's story.", vouch.ContentApprovedExternal)
		_, body = pm.Get(path)
		mustContain(t, "candidates", body, "Mercy Health grows with Analytics")
		resp, body = pm.PostForm(path, url.Values{"state": {"done"}, "version": {"2"}, "fulfilled_by": {strconv.FormatInt(story.ID, 10)},
			"note": {"Interviewing Mercy Health next week."}})
		expect(t, "done", resp, http.StatusOK, path)
		mustContain(t, "done", body, "Done", "Mercy Health grows with Analytics", `href="/content/`+strconv.FormatInt(story.ID, 10)+`"`)

		// The seller is told in the app, with a link to the item.
		list, unread, err := s.DB.Notifications(ctx, seller.ID, 10)
		if err != nil || unread != 1 || len(list) != 1 || !strings.Contains(list[0].Body, "is done") ||
			!strings.Contains(list[0].Body, "Mercy Health grows with Analytics") || list[0].Link != "/content/"+strconv.FormatInt(story.ID, 10) {
			t.Fatalf("seller's notifications: %+v (%d unread), %v", list, unread, err)
		}

		// Reopened and declined: told why.
		resp, _ = pm.PostForm(path, url.Values{"state": {"open"}, "version": {"3"}})
		expect(t, "reopened", resp, http.StatusOK, path)
		resp, body = pm.PostForm(path, url.Values{"state": {"declined"}, "version": {"4"}, "note": {" "}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Note is required") {
			t.Fatalf("declined without a note: %d\n%s", resp.StatusCode, body)
		}
		resp, _ = pm.PostForm(path, url.Values{"state": {"declined"}, "version": {"4"}, "note": {"Mercy Health said no to a case study."}})
		expect(t, "declined", resp, http.StatusOK, path)
		list, _, _ = s.DB.Notifications(ctx, seller.ID, 10)
		if len(list) != 2 || !strings.Contains(list[0].Body, "declined: Mercy Health said no to a case study.") || list[0].Link != path {
			t.Fatalf("seller's notifications after declining: %+v", list)
		}
		_, body = b.Get(path)
		mustContain(t, "seller sees the answer", body, "Declined", "Mercy Health said no to a case study.")
	})
}
