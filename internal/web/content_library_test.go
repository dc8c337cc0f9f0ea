package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// library is a program with content in every state the library shows
// differently, and one user of each role that reads it.
type library struct {
	*program
	external, internal, draft, expired, quote *vouch.ContentItem
	opp                                       *vouch.Opportunity
}

func newLibrary(t *testing.T, s *testutil.Server) *library {
	t.Helper()
	l := &library{program: newProgram(t, s, map[string]vouch.Status{"Dana Park": vouch.StatusActive, "Old Timer": vouch.StatusRetired})}
	seller := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
	testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
	caseStudy := valueID(t, s.DB, vouch.TaxContentType, "Case study")
	health := valueID(t, s.DB, vouch.TaxIndustry, "Healthcare")
	add := func(title, summary string, typeID int64, to vouch.ContentState, tags ...int64) *vouch.ContentItem {
		t.Helper()
		it := &vouch.ContentItem{TypeID: typeID, Title: title, Summary: summary, IndustryIDs: tags,
			AccountIDs: []int64{l.acme.ID}, ReferenceIDs: []int64{l.refs["Dana Park"].ID, l.refs["Old Timer"].ID},
			URL: "https://example.com/" + strings.ToLower(strings.Fields(title)[0])}
		if err := s.DB.CreateContent(ctx, it); err != nil {
			t.Fatal(err)
		}
		if to != vouch.ContentDraft {
			approve := to
			if to == vouch.ContentExpired {
				approve = vouch.ContentApprovedExternal
			}
			if _, err := s.DB.ChangeContentState(ctx, it.ID, 0, vouch.ContentStateChange{To: approve, ApprovedBy: "Dana Park",
				Method: vouch.ApprovalByMail}, 24); err != nil {
				t.Fatal(err)
			}
			if to == vouch.ContentExpired {
				if _, err := s.DB.ChangeContentState(ctx, it.ID, 0, vouch.ContentStateChange{To: vouch.ContentExpired}, 24); err != nil {
					t.Fatal(err)
				}
			}
		}
		return it
	}
	l.external = add("Northwind hospitals cut waiting times", "A 40% shorter wait after go-live.", caseStudy, vouch.ContentApprovedExternal, health)
	l.internal = add("Pricing deck internal", "Win themes for the sales team.", caseStudy, vouch.ContentApprovedInternal)
	l.draft = add("Secret draft story", "Not approved yet.", caseStudy, vouch.ContentDraft, health)
	l.expired = add("Expired webinar recording", "Consent ended.", caseStudy, vouch.ContentExpired)
	l.quote = add("Dana on onboarding", "A quote.", valueID(t, s.DB, vouch.TaxContentType, "Quote"), vouch.ContentApprovedExternal)
	l.opp = &vouch.Opportunity{Name: "Initech renewal", Prospect: "Initech", Currency: "USD", Status: vouch.OpportunityOpen, OwnerID: seller.ID}
	if err := s.DB.CreateOpportunity(ctx, l.opp); err != nil {
		t.Fatal(err)
	}
	return l
}

func itemPath(it *vouch.ContentItem, rest ...string) string {
	return fmt.Sprintf("/content/%d", it.ID) + strings.Join(rest, "")
}

// TestLibrarySearch: sellers find approved content, expired hidden unless
// they ask (then marked), drafts never; the team sees every state with its
// facet; search, facets and the table view stay in the URL.
func TestLibrarySearch(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newLibrary(t, s)
		seller := testutil.Login(t, s, "sam@example.com")
		resp, body := seller.Get("/content")
		expect(t, "library", resp, http.StatusOK, "/content")
		mustContain(t, "seller's library", body, l.external.Title, l.internal.Title, "Internal use only",
			"Approved for external use", "3 items", "Show expired (1)", `href="/content?expired=1"`, "Content type")
		for _, hidden := range []string{l.draft.Title, l.expired.Title, "Add content", `name="state"`} {
			if strings.Contains(body, hidden) {
				t.Errorf("seller's library shows %q", hidden)
			}
		}
		_, body = seller.Get("/content?expired=1")
		mustContain(t, "with expired", body, l.expired.Title, "Expired", "4 items", "Hide expired", "content-card-expired")

		_, body = seller.Get("/content?q=northwnd") // a typo
		mustContain(t, "search", body, l.external.Title, "1 item match")
		if strings.Contains(body, l.internal.Title) {
			t.Error("a search for northwind shows the pricing deck")
		}
		_, body = seller.Get("/content?industry=healthcare")
		mustContain(t, "facet", body, l.external.Title, "1 item match", `value="Healthcare" form="content-search" checked`)
		_, body = seller.Get("/content?type=Quote&view=table")
		mustContain(t, "table view", body, "<table", l.quote.Title, "1 item match", `<strong>Table</strong>`)
		_, body = seller.Get("/content?industry=Nowhere")
		mustContain(t, "unknown value", body, "No industry is called “Nowhere”", "0 items match")
		_, body = seller.Get("/content?q=zzzzqqq")
		mustContain(t, "no match", body, "No item matches", `href="/content-requests/new"`)

		team := testutil.Login(t, s, "pam@example.com")
		_, body = team.Get("/content")
		mustContain(t, "team's library", body, l.draft.Title, l.expired.Title, "Draft", "5 items", "State", `href="/content/new"`)
		_, body = team.Get("/content?state=draft")
		mustContain(t, "state facet", body, l.draft.Title, "1 item match")

		viewer := testutil.Login(t, s, "vic@example.com")
		resp, body = viewer.Get("/content")
		expect(t, "viewer's library", resp, http.StatusOK, "/content")
		mustContain(t, "viewer's library", body, l.external.Title)
	})
}

// TestLibraryEmpty: an empty library says what to do next, per role.
func TestLibraryEmpty(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		_, body := testutil.Login(t, s, "pam@example.com").Get("/content")
		mustContain(t, "team", body, "Add the first case study", `href="/content/new"`)
		_, body = testutil.Login(t, s, "sam@example.com").Get("/content")
		mustContain(t, "seller", body, "Ask for content", `href="/content-requests/new"`)
	})
}

// TestContentItemPage: each role sees what it may of an item: a viewer
// reads; a seller uses and rates approved items and never sees a draft;
// the team edits and approves.
func TestContentItemPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newLibrary(t, s)
		viewer := testutil.Login(t, s, "vic@example.com")
		resp, body := viewer.Get(itemPath(l.external))
		expect(t, "viewer's item", resp, http.StatusOK, "")
		mustContain(t, "viewer's item", body, l.external.Title, "A 40% shorter wait", "Acme Hospitals", "Dana Park",
			`rel="noopener noreferrer"`, "Approval history")
		for _, absent := range []string{"/use", "/rate", "/edit", "/state", `href="/accounts/`, `href="/references/`} {
			if strings.Contains(body, absent) {
				t.Errorf("a viewer's item page has %q", absent)
			}
		}
		if resp, _ := viewer.PostForm(itemPath(l.external, "/use"), url.Values{"kind": {"copy_link"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a viewer's use: %d, want 403", resp.StatusCode)
		}

		seller := testutil.Login(t, s, "sam@example.com")
		if resp, _ := seller.Get(itemPath(l.draft)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a seller opens a draft: %d, want 404", resp.StatusCode)
		}
		_, body = seller.Get(itemPath(l.external))
		mustContain(t, "seller's item", body, `action="`+itemPath(l.external, "/use")+`"`, "Copy link", "Initech renewal",
			`action="`+itemPath(l.external, "/rate")+`"`, fmt.Sprintf(`href="/references/%d"`, l.refs["Dana Park"].ID),
			fmt.Sprintf(`href="/accounts/%d"`, l.acme.ID))
		if strings.Contains(body, fmt.Sprintf(`href="/references/%d"`, l.refs["Old Timer"].ID)) {
			t.Error("a seller's item page links to a retired reference")
		}
		if strings.Contains(body, "/edit") || strings.Contains(body, "/state") {
			t.Error("a seller's item page offers editing")
		}
		// Without JavaScript, a copied link is recorded and shown to copy.
		resp, body = seller.PostForm(itemPath(l.external, "/use"), url.Values{"kind": {"copy_link"}, "opportunity_id": {fmt.Sprint(l.opp.ID)}})
		expect(t, "copy link", resp, http.StatusOK, itemPath(l.external))
		mustContain(t, "copied", body, `id="copy-url"`, `value="https://example.com/northwind"`, "1 use", "Link copied by Sam")
		_, body = seller.Get("/content?q=northwind")
		mustContain(t, "library counts the use", body, "1 use")

		// An internal-only item's link is for colleagues; it never goes on a proof page.
		_, body = seller.PostForm(itemPath(l.internal, "/use"), url.Values{"kind": {"copy_link"}})
		mustContain(t, "internal copy", body, "internal use only")
		_, body = seller.PostForm(itemPath(l.internal, "/use"), url.Values{"kind": {"proof_page"}})
		mustContain(t, "internal to a buyer", body, "approved for internal use only: it cannot be sent to a buyer")
		_, body = seller.PostForm(itemPath(l.expired, "/use"), url.Values{"kind": {"copy_link"}})
		mustContain(t, "expired use", body, "Only approved content can be used")
		// Someone else's opportunity is refused.
		other := &vouch.Opportunity{Name: "Hooli expansion", Prospect: "Hooli", Currency: "USD", Status: vouch.OpportunityOpen}
		if err := s.DB.CreateOpportunity(ctx, other); err != nil {
			t.Fatal(err)
		}
		_, body = seller.PostForm(itemPath(l.external, "/use"), url.Values{"kind": {"copy_link"}, "opportunity_id": {fmt.Sprint(other.ID)}})
		mustContain(t, "other's opportunity", body, "not one of your opportunities")

		// Ratings: a bad one names the field; rating again replaces.
		resp, body = seller.PostForm(itemPath(l.external, "/rate"), url.Values{"rating": {"9"}, "comment": {"Great"}})
		expect(t, "bad rating", resp, http.StatusBadRequest, "")
		mustContain(t, "bad rating", body, "Rating must be a whole number from 1", ">Great</textarea>")
		seller.PostForm(itemPath(l.external, "/rate"), url.Values{"rating": {"3"}, "comment": {"Helped a bit"}})
		resp, body = seller.PostForm(itemPath(l.external, "/rate"), url.Values{"rating": {"5"}, "comment": {"Closed Initech with it"}})
		expect(t, "rate", resp, http.StatusOK, itemPath(l.external))
		mustContain(t, "rated", body, "Closed Initech with it", "5.0</strong> of 5 from 1 rating", "Change your rating")
		if strings.Contains(body, "Helped a bit") {
			t.Error("the first rating is still shown after rating again")
		}
		_, body = seller.Get("/content?q=northwind&sort=best_rated")
		mustContain(t, "library counts the rating", body, "1 use", "★ 5.0")

		team := testutil.Login(t, s, "pam@example.com")
		_, body = team.Get(itemPath(l.draft))
		mustContain(t, "team's draft", body, "Edit", "Send for customer approval", "Approve: approved for external use", "Withdraw", "Delete…")
		resp, body = team.PostForm(itemPath(l.draft, "/state"), url.Values{"state": {"approved_external"}, "method": {"mail"}})
		expect(t, "approve without approver", resp, http.StatusBadRequest, "")
		mustContain(t, "approve without approver", body, "Approved by is required")
		resp, body = team.PostForm(itemPath(l.draft, "/state"), url.Values{"state": {"withdrawn"}})
		expect(t, "withdraw without reason", resp, http.StatusBadRequest, "")
		mustContain(t, "withdraw without reason", body, "Note is required")
		resp, body = team.PostForm(itemPath(l.draft, "/state"), url.Values{"state": {"approved_external"}, "method": {"document"},
			"approved_by": {"Dana Park, VP"}, "expires_on": {"2099-01-31"}, "version": {"1"}})
		expect(t, "approve", resp, http.StatusOK, itemPath(l.draft))
		mustContain(t, "approved", body, "is now approved for external use", "Approved by Dana Park, VP", "Signed document", "31 Jan 2099")
		if resp, _ := seller.Get(itemPath(l.draft)); resp.StatusCode != http.StatusOK {
			t.Errorf("a seller opens the approved item: %d", resp.StatusCode)
		}
		// A state change on a stale version is refused.
		resp, body = team.PostForm(itemPath(l.draft, "/state"), url.Values{"state": {"withdrawn"}, "note": {"Asked"}, "version": {"1"}})
		expect(t, "stale state", resp, http.StatusConflict, "")
		mustContain(t, "stale state", body, "Someone else changed this item")
	})
}

// TestContentEditor: the editor names each bad field, keeps what was typed,
// refuses a stale save with what differs, and deletes only when confirmed.
func TestContentEditor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newLibrary(t, s)
		team := testutil.Login(t, s, "pam@example.com")
		resp, body := team.Get("/content/new")
		expect(t, "new", resp, http.StatusOK, "/content/new")
		mustContain(t, "new", body, `name="type"`, "Case study", `name="industry"`, `list="account-names"`, "Acme Hospitals", `name="published_on"`)
		if resp, _ := testutil.Login(t, s, "sam@example.com").Get("/content/new"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller opens the editor: %d, want 403", resp.StatusCode)
		}

		resp, body = team.PostForm("/content/new", url.Values{"summary": {"Kept after the error"}, "url": {"javascript:alert(1)"},
			"accounts": {"Nobody Inc"}, "published_on": {"someday"}})
		expect(t, "bad create", resp, http.StatusBadRequest, "/content/new")
		mustContain(t, "bad create", body, "Type is required", "Title is required", "Link must be a web address",
			"“Nobody Inc” is not an account", "Publish date must be a date", "Kept after the error", `value="Nobody Inc"`)

		caseStudy := valueID(t, s.DB, vouch.TaxContentType, "Case study")
		health := valueID(t, s.DB, vouch.TaxIndustry, "Healthcare")
		resp, body = team.PostForm("/content/new", url.Values{"type": {fmt.Sprint(caseStudy)}, "title": {"Acme goes live"},
			"url": {"https://example.com/acme"}, "accounts": {"Acme Hospitals", ""}, "references": {l.refs["Dana Park"].Email},
			"industry": {fmt.Sprint(health)}, "language": {"English"}, "published_on": {"2026-03-14"}})
		expect(t, "create", resp, http.StatusOK, "")
		mustContain(t, "created", body, "Added “Acme goes live” as a draft", "Draft", "Acme Hospitals", "Healthcare", "14 Mar 2026")
		path := resp.Request.URL.Path

		_, form := team.Get(path + "/edit")
		mustContain(t, "edit", form, `value="Acme goes live"`, `value="Acme Hospitals"`, `name="version" value="1"`)
		// Someone else saves first.
		resp, _ = team.PostForm(path+"/edit", url.Values{"type": {fmt.Sprint(caseStudy)}, "title": {"Acme goes live in 6 weeks"}, "version": {"1"}})
		expect(t, "first save", resp, http.StatusOK, path)
		resp, body = team.PostForm(path+"/edit", url.Values{"type": {fmt.Sprint(caseStudy)}, "title": {"Acme live"}, "version": {"1"}})
		expect(t, "stale save", resp, http.StatusConflict, "")
		mustContain(t, "stale save", body, "Someone else saved this item", "Acme goes live in 6 weeks", `value="Acme live"`, `name="version" value="2"`)

		_, body = team.PostForm(path+"/delete", url.Values{})
		mustContain(t, "unconfirmed delete", body, "Nothing was deleted")
		resp, _ = team.PostForm(path+"/delete", url.Values{"confirm": {"1"}})
		expect(t, "delete", resp, http.StatusOK, "/content")
		if resp, _ := team.Get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a deleted item: %d, want 404", resp.StatusCode)
		}
	})
}

// postMultipart posts fields and one file (field file, called name) as a
// browser's multipart form, with the page's CSRF token first, and follows
// the redirect.
func postMultipart(t *testing.T, b *testutil.Browser, path string, fields url.Values, file, name string, data []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	check(mw.WriteField("csrf", b.CSRF))
	for k, vs := range fields {
		for _, v := range vs {
			check(mw.WriteField(k, v))
		}
	}
	fw, err := mw.CreateFormFile(file, name)
	check(err)
	_, err = fw.Write(data)
	check(err)
	check(mw.Close())
	req, _ := http.NewRequest(http.MethodPost, b.Base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.Base)
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// TestContentWithFiles: an item added with a file is found by a word of
// the file; an approval keeps the customer's document, which the team
// downloads from the history; a seller's download is a recorded use.
func TestContentWithFiles(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		newLibrary(t, s)
		team := testutil.Login(t, s, "pam@example.com")
		team.Get("/content/new")
		caseStudy := valueID(t, s.DB, vouch.TaxContentType, "Case study")
		resp, body := postMultipart(t, team, "/content/new", url.Values{"type": {fmt.Sprint(caseStudy)}, "title": {"Zephyr rollout"}},
			"file", "story.txt", []byte("Nurses at Zephyr saved an hour a shift with the quokka scheduler."))
		expect(t, "create with a file", resp, http.StatusOK, "")
		mustContain(t, "create with a file", body, "Added “Zephyr rollout” as a draft", "story.txt", "Replace the file")
		path := resp.Request.URL.Path
		// The text is read in the background; the page says so until it is.
		found := false
		for range 100 {
			if _, body = team.Get("/content?q=quokka"); strings.Contains(body, "Zephyr rollout") {
				found = true
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !found {
			t.Fatalf("a word of the file does not find the item:\n%s", body)
		}
		_, body = team.Get(path)
		mustContain(t, "text preview", body, "Preview of the text", "quokka scheduler")

		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)[1]
		_, body = postMultipart(t, team, path+"/state", url.Values{"state": {"approved_external"}, "method": {"document"},
			"approved_by": {"Dana Park"}, "version": {version}}, "document", "approval.txt", []byte("Yes, you may use the Zephyr story. Dana"))
		mustContain(t, "approved with a document", body, "is now approved for external use", "Approval document")
		m := regexp.MustCompile(`href="(` + path + `/history/documents/\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no link to the approval document:\n%s", body)
		}
		resp, doc := team.Get(m[1])
		if resp.StatusCode != http.StatusOK || !strings.Contains(doc, "you may use the Zephyr story") ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("approval document: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Disposition"), doc)
		}
		if resp, _ := team.Get(path + "/history/documents/999999"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a file that is not this item's approval document: %d, want 404", resp.StatusCode)
		}

		seller := testutil.Login(t, s, "sam@example.com")
		_, body = seller.Get(path)
		if strings.Contains(body, "/history/documents/") || strings.Contains(body, `action="`+path+`/file"`) {
			t.Error("a seller sees the approval document or the upload form")
		}
		mustContain(t, "seller's file", body, "Approval document on file", "Download the file")
		resp, file := seller.PostForm(path+"/use", url.Values{"kind": {"download"}})
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != path+"/file" || !strings.Contains(file, "quokka") {
			t.Fatalf("download: %d at %s", resp.StatusCode, resp.Request.URL.Path)
		}
		_, body = seller.Get(path)
		mustContain(t, "download counted", body, "Downloaded by Sam", "1 use")
	})
}
