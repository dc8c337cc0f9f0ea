package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestNominationPagesWithoutJavaScript nominates through the plain form,
// sees the likely duplicate on the nomination's page, and has the team
// qualify, accept and notify; other users see only their own.
func TestNominationPagesWithoutJavaScript(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
		team := testutil.Login(t, s, "tess@example.com")
		team.Get("/references/new")
		resp, body := team.PostForm("/references/new", url.Values{"account": {"Acme"}, "create_account": {"1"},
			"name": {"Elizabeth Moreno"}, "email": {"emoreno@acme.com"}, "status": {"active"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Request.URL.Path, "/references/") {
			t.Fatalf("reference not created: %d %s\n%s", resp.StatusCode, resp.Request.URL.Path, body)
		}

		seller := testutil.Login(t, s, "sam@example.com")
		_, body = seller.Get("/")
		mustContain(t, "nav", body, `href="/nominations"`)
		_, body = seller.Get("/nominations/new")
		mustContain(t, "form", body, `name="account_name"`, `data-duplicates="/nominations/duplicates"`)
		resp, body = seller.PostForm("/nominations/new", url.Values{"account_name": {"acme"}, "name": {""}, "reason": {""}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("empty form: %d", resp.StatusCode)
		}
		mustContain(t, "refused form", body, "Name is required", "Why is required", `value="acme"`)
		resp, body = seller.PostForm("/nominations/new", url.Values{"account_name": {"ACME"}, "name": {"Liz Moreno"},
			"email": {"liz@acme.com"}, "reason": {"Spoke at our user day"}, "activities": {"Call"}})
		expect(t, "nominate", resp, http.StatusOK, "")
		mustContain(t, "nomination page", body, "Possible duplicates", "Elizabeth Moreno at Acme", "nickname: Liz is Elizabeth")
		page := resp.Request.URL.Path
		_, js := seller.Get("/nominations/duplicates?account_name=Acme&name=Elizabth+Moreno")
		mustContain(t, "duplicates as JSON", js, `"kind":"reference"`, "one letter apart", `"link":"/references/`)

		viewer := testutil.Login(t, s, "vic@example.com")
		if resp, _ := viewer.Get(page); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a viewer opened another's nomination: %d", resp.StatusCode)
		}
		_, js = viewer.Get("/nominations/duplicates?account_name=Acme&name=Elizabeth+Moreno")
		if strings.Contains(js, "/references/") || strings.Contains(js, "Elizabeth") {
			t.Errorf("a viewer is shown a reference: %s", js)
		}
		if resp, _ := seller.PostForm(page+"/qualify", url.Values{"version": {"1"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller qualified: %d", resp.StatusCode)
		}

		_, body = team.Get("/nominations")
		mustContain(t, "queue", body, "Liz Moreno", "0 days")
		_, body = team.Get(page)
		mustContain(t, "team's page", body, "Live for at least 6 months", `action="`+page+`/qualify"`)
		form := url.Values{"version": {"1"}}
		for _, it := range vouch.DefaultChecklist {
			form.Add("checklist", it.Key)
		}
		resp, body = team.PostForm(page+"/qualify", form)
		expect(t, "qualify", resp, http.StatusOK, page)
		mustContain(t, "qualified", body, "is qualified", `action="`+page+`/accept"`, "Re-activate Elizabeth Moreno")
		resp, body = team.PostForm(page+"/accept", url.Values{"version": {"2"}, "reference_id": {"new"}})
		expect(t, "accept", resp, http.StatusOK, "")
		mustContain(t, "reference page", body, "Liz Moreno", "Accepted: Liz Moreno is an active reference", "Recruited from a nomination", "Nominated</a> by Sam, accepted by Tess")

		_, body = seller.Get("/notifications")
		mustContain(t, "nominator told", body, "Your nomination of Liz Moreno at ACME was accepted")
		_, body = seller.Get(page)
		mustContain(t, "decided", body, "Accepted", "by ")
		if strings.Contains(body, fmt.Sprintf(`action="%s/reject"`, page)) {
			t.Error("a decided nomination offers reject")
		}
	})
}

// TestVolunteerForm: off by default (404); on, a customer offers themself
// without signing in and lands in the team's queue; a sixth offer from one
// address within the hour is refused.
func TestVolunteerForm(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		get := func(path string) int {
			resp, err := http.Get(s.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		post := func(form url.Values) (int, string) {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/volunteer", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", s.URL)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b strings.Builder
			buf := make([]byte, 4096)
			for {
				n, err := resp.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			return resp.StatusCode, b.String()
		}
		if code := get("/volunteer"); code != http.StatusNotFound {
			t.Fatalf("volunteer form off: %d", code)
		}
		testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleProgramManager)
		team := testutil.Login(t, s, "tess@example.com")
		team.Get("/nominations/settings")
		resp, _ := team.PostForm("/nominations/settings", url.Values{"checklist": {""}, "volunteer": {"on"}})
		expect(t, "settings", resp, http.StatusOK, "/nominations")
		if code := get("/volunteer"); code != http.StatusOK {
			t.Fatalf("volunteer form on: %d", code)
		}
		code, body := post(url.Values{"name": {"Dana Lee"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "Your company is required") {
			t.Fatalf("incomplete offer: %d\n%s", code, body)
		}
		code, body = post(url.Values{"name": {"Dana Lee"}, "email": {"dana@hooli.com"}, "account_name": {"Hooli"}, "reason": {"It saved us weeks"}})
		if code != http.StatusOK || !strings.Contains(body, "Your offer is with our customer reference team") {
			t.Fatalf("offer: %d\n%s", code, body)
		}
		_, body = team.Get("/nominations")
		mustContain(t, "queue", body, "Dana Lee", "(volunteered)")
		for i := 0; i < 3; i++ {
			post(url.Values{"name": {"Spam"}})
		}
		if code, _ := post(url.Values{"name": {"Spam"}}); code != http.StatusTooManyRequests {
			t.Errorf("sixth offer from one address: %d", code)
		}
	})
}

// TestNominationsWaitingOverAWeekAreFlagged: the queue flags a nomination
// that has waited more than 7 days, and no other.
func TestNominationsWaitingOverAWeekAreFlagged(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
		team := testutil.Login(t, s, "tess@example.com")
		now := time.Now()
		nominate := func(at time.Time, name string) {
			s.DB.Clock.Set(at)
			team.Get("/nominations/new")
			resp, body := team.PostForm("/nominations/new", url.Values{"account_name": {"Hooli"}, "name": {name}, "reason": {"Great fit"}})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("nominate %s: %d\n%s", name, resp.StatusCode, body)
			}
		}
		nominate(now.Add(-10*24*time.Hour), "Old Waiting")
		nominate(now.Add(-3*24*time.Hour), "New Waiting")
		s.DB.Clock.Set(now)
		_, body := team.Get("/nominations")
		mustContain(t, "queue", body, "1 nomination has waited more than 7 days", "10 days", "3 days")
		if n := strings.Count(body, "Waiting over a week"); n != 1 {
			t.Errorf("%d flags, want 1 (the 10-day-old one)", n)
		}
	})
}
