package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// apiPost sends body to the API with token and returns the id it answers.
func apiPost(t *testing.T, s *testutil.Server, token, path, body string) int64 {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, data)
	}
	var v struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v.ID
}

// TestContentApprovalAndConsentPages drives the approval queue, the
// expiring list and the consent ledger on the reference and account pages
// as the program team, a seller and a viewer.
func TestContentApprovalAndConsentPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		start := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		s.DB.Clock.Set(start)
		pamUser := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		token := testutil.Token(t, s.DB, pamUser)
		acct := apiPost(t, s, token, "/api/v1/accounts", `{"name": "Globe Bank"}`)
		ref := apiPost(t, s, token, "/api/v1/references", `{"account": "Globe Bank", "name": "Ada Lind", "email": "ada@globe.example", "status": "active",
			"activities": [{"type": "Call", "consented_on": "2026-01-10"}]}`)
		item := func(typ, title string) int64 {
			return apiPost(t, s, token, "/api/v1/content", fmt.Sprintf(`{"type": %q, "title": %q, "accounts": ["Globe Bank"],
				"references": ["ada@globe.example"]}`, typ, title))
		}
		draft := item("Case study", "Globe Bank halves loan approval time")
		webinar := item("Webinar", "Globe Bank on modern lending")
		apiPost(t, s, token, fmt.Sprintf("/api/v1/content/%d/state", webinar), `{"state": "awaiting_approval"}`)
		video := item("Video", "Ada Lind on camera")
		apiPost(t, s, token, fmt.Sprintf("/api/v1/content/%d/state", video),
			`{"state": "approved_external", "method": "mail", "approved_by": "Ada Lind", "expires_on": "2027-03-13"}`)
		quote := item("Quote", "Ada on the rollout")
		apiPost(t, s, token, fmt.Sprintf("/api/v1/content/%d/state", quote),
			`{"state": "approved_internal", "method": "document", "approved_by": "Ada Lind", "expires_on": "2027-03-02"}`)
		s.DB.Clock.Set(start.Add(48 * time.Hour)) // 3 March: the quote's consent ended yesterday, the video's ends in 10 days

		pam, sam, vic := testutil.Login(t, s, "pam@example.com"), testutil.Login(t, s, "sam@example.com"), testutil.Login(t, s, "vic@example.com")
		for _, path := range []string{"/content/approvals", "/content/expiring"} {
			for _, b := range []*testutil.Browser{sam, vic} {
				if resp, _ := b.Get(path); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %d for a seller or viewer, want 403", path, resp.StatusCode)
				}
			}
		}

		// The approval queue: the longest waiting first, drafts can be sent.
		resp, body := pam.Get("/content/approvals")
		expect(t, "approvals", resp, http.StatusOK, "/content/approvals")
		mustContain(t, "approvals", body, "1 awaiting customer approval · 1 draft", "Globe Bank halves loan approval time",
			"Globe Bank on modern lending", "Awaiting customer approval", "Send for approval", "Mark approved",
			fmt.Sprintf(`href="/content/%d"`, draft), "Globe Bank", "Pam", `aria-current="page">Approvals`)
		if strings.Index(body, "halves loan approval") > strings.Index(body, "modern lending") {
			t.Error("the queue is not oldest first")
		}
		if strings.Contains(body, "Ada on the rollout") || strings.Contains(body, "Ada Lind on camera") {
			t.Error("approved content is in the approval queue")
		}
		_, body = pam.PostForm("/content/approvals", url.Values{"id": {idOf(draft)}, "action": {"send"}, "version": {"1"}})
		mustContain(t, "sent", body, "“Globe Bank halves loan approval time” is awaiting customer approval.", "2 awaiting customer approval · 0 drafts")
		resp, body = pam.PostForm("/content/approvals", url.Values{"id": {idOf(webinar)}, "action": {"approve"}, "method": {"mail"},
			"note": {"Kept"}, "version": {"2"}})
		expect(t, "no approver", resp, http.StatusBadRequest, "/content/approvals")
		mustContain(t, "no approver", body, "“Globe Bank on modern lending” is unchanged",
			fmt.Sprintf(`<p class="field-error" id="by-error-%d">Approved by is required: who at the customer approved.</p>`, webinar),
			`aria-invalid="true"`, `value="Kept"`, `<details class="quick-form" open>`)
		resp, body = pam.PostForm("/content/approvals", url.Values{"id": {idOf(webinar)}, "action": {"approve"}, "method": {"mail"},
			"approved_by": {"Ada Lind"}, "expires_on": {"next year"}})
		expect(t, "bad date", resp, http.StatusBadRequest, "")
		mustContain(t, "bad date", body, "Consent until must be a date like 2029-03-14.", `value="Ada Lind"`)
		resp, body = pam.PostForm("/content/approvals", url.Values{"id": {idOf(webinar)}, "action": {"approve"}, "method": {"mail"},
			"approved_by": {"Ada Lind"}, "version": {"1"}})
		expect(t, "stale", resp, http.StatusConflict, "")
		mustContain(t, "stale", body, "someone changed it meanwhile")
		_, body = pam.PostForm("/content/approvals", url.Values{"id": {idOf(webinar)}, "action": {"approve"}, "method": {"mail"},
			"approved_by": {"Ada Lind"}, "state": {"approved_external"}})
		mustContain(t, "approved", body, "“Globe Bank on modern lending” is approved for external use until 3 Mar 2029.",
			"1 awaiting customer approval")

		// The expiring list: the video ends in 10 days, the quote ended yesterday.
		resp, body = pam.Get("/content/expiring")
		expect(t, "expiring", resp, http.StatusOK, "/content/expiring")
		mustContain(t, "expiring", body, "Ada Lind on camera", "10 days left", "Not yet", "Renew consent",
			"Ada on the rollout", "yesterday", `action="/content/expiring"`, fmt.Sprintf(`name="id" value="%d"`, quote))

		// The consent ledger: what the seller may see, expired marked, drafts not at all.
		refPath := fmt.Sprintf("/references/%d", ref)
		_, body = sam.Get(refPath)
		mustContain(t, "ledger", body, "Consent ledger", "consent 10 Jan 2026", "Content featuring Ada Lind",
			fmt.Sprintf(`href="/content/%d"`, video), "Expiring", "10 days left", "Ada on the rollout", "consent ended 2 Mar 2027",
			"Globe Bank on modern lending")
		if strings.Contains(body, "halves loan approval") {
			t.Error("a seller sees content awaiting approval on the reference page")
		}
		_, body = pam.Get(refPath)
		mustContain(t, "team ledger", body, "Globe Bank halves loan approval time", "Awaiting customer approval")
		_, body = sam.Get(fmt.Sprintf("/accounts/%d", acct))
		mustContain(t, "account", body, "Content featuring Globe Bank", "Ada Lind on camera", "Globe Bank on modern lending")
		if strings.Contains(body, "halves loan approval") {
			t.Error("a seller sees content awaiting approval on the account page")
		}

		// Renewing the quote's consent brings it back.
		_, body = pam.PostForm("/content/expiring", url.Values{"id": {idOf(quote)}, "action": {"approve"}, "method": {"document"},
			"approved_by": {"Ada Lind"}, "state": {"approved_internal"}, "expires_on": {"2028-03-03"}})
		mustContain(t, "renewed", body, "“Ada on the rollout” is approved for internal use only until 3 Mar 2028.",
			"No consent ended in the last 90 days.")
	})
}
