package browsertest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// apiCreate posts body to the API as the token's user and returns the id answered.
func apiCreate(t *testing.T, s *testutil.Server, token, path, body string) int64 {
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
	var v struct {
		ID int64 `json:"id"`
	}
	if resp.StatusCode >= 300 || json.Unmarshal(data, &v) != nil {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, data)
	}
	return v.ID
}

// TestApproveAndRenewOnAPhone records a customer's approval from the
// approval queue and renews expiring consent, at 375 px, and reads the
// consent ledger there: no page scrolls sideways.
func TestApproveAndRenewOnAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		s.DB.Clock.Set(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		token := testutil.Token(t, s.DB, pam)
		apiCreate(t, s, token, "/api/v1/accounts", `{"name": "Northwind Logistics Worldwide Holdings"}`)
		ref := apiCreate(t, s, token, "/api/v1/references", `{"account": "Northwind Logistics Worldwide Holdings",
			"name": "Ada Lind", "email": "ada@northwind.example", "status": "active", "activities": [{"type": "Call", "consented_on": "2026-01-10"}]}`)
		draft := apiCreate(t, s, token, "/api/v1/content", `{"type": "Case study",
			"title": "How Northwind Logistics Worldwide Holdings halved the time to route a container", "accounts": ["Northwind Logistics Worldwide Holdings"],
			"references": ["ada@northwind.example"]}`)
		video := apiCreate(t, s, token, "/api/v1/content", `{"type": "Video", "title": "Ada Lind on camera",
			"references": ["ada@northwind.example"]}`)
		apiCreate(t, s, token, fmt.Sprintf("/api/v1/content/%d/state", video),
			`{"state": "approved_external", "method": "mail", "approved_by": "Ada Lind", "expires_on": "2027-03-20"}`)

		c.Phone()
		c.LoginAs(s, "pam@example.com")
		c.Open(s.URL + "/content/approvals")
		checkNoHorizontalScroll(t, c, "approval queue")
		c.Click(fmt.Sprintf("#content-%d details.quick-form > summary", draft))
		checkNoHorizontalScroll(t, c, "approval queue with a form open")
		c.Fill(fmt.Sprintf("#by-%d", draft), "Ada Lind, Head of Operations")
		c.Screenshot("approvals-phone")
		c.Submit(fmt.Sprintf("#content-%d details.quick-form button[type=submit]", draft))
		c.WaitText(".flash", "is approved for external use until 1 Mar 2029")
		if c.Has(fmt.Sprintf("#content-%d", draft)) {
			t.Error("the approved item is still in the queue")
		}

		c.Open(s.URL + "/content/expiring")
		checkNoHorizontalScroll(t, c, "expiring list")
		c.WaitText(fmt.Sprintf("#content-%d", video), "19 days left")
		c.Click(fmt.Sprintf("#content-%d details.quick-form > summary", video))
		c.Submit(fmt.Sprintf("#content-%d details.quick-form button[type=submit]", video))
		c.WaitText(".flash", "“Ada Lind on camera” is approved for external use until 1 Mar 2029")

		c.Open(s.URL + fmt.Sprintf("/references/%d", ref))
		checkNoHorizontalScroll(t, c, "reference page with its consent ledger")
		c.WaitText("#consent", "How Northwind Logistics Worldwide Holdings halved the time to route a container")
		c.Screenshot("consent-ledger-phone")
		if msgs := c.ConsoleErrors(); len(msgs) > 0 {
			t.Errorf("console errors: %v", msgs)
		}
	})
}
