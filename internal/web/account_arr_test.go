package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestAccountFormSetsAndShowsARRAndRenewal(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pam := testutil.Login(t, s, "pam@example.com")

		_, body := pam.Get("/accounts/new")
		mustContain(t, "new form", body, `<label for="arr">ARR</label>`, `name="renewal_date" type="date"`)

		// A figure without a currency, and an unknown one: each said at the ARR field, the input kept.
		resp, body := pam.PostForm("/accounts/new", url.Values{"name": {"Globe Bank"}, "arr": {"1,200,000"}})
		expect(t, "no currency", resp, http.StatusBadRequest, "/accounts/new")
		mustContain(t, "no currency", body,
			`id="arr-error">The ARR&#39;s currency is required with an ARR: a code such as USD or EUR.</p>`, `value="1,200,000"`)
		resp, body = pam.PostForm("/accounts/new", url.Values{"name": {"Globe Bank"}, "arr": {"UDS 1,200,000"},
			"renewal_date": {"next spring"}})
		expect(t, "bad currency", resp, http.StatusBadRequest, "/accounts/new")
		mustContain(t, "bad currency", body, "Please correct the 2 highlighted fields.",
			`id="arr-error">ARR names the currency &#34;UDS&#34;, which is not an ISO 4217 code such as USD or EUR.</p>`,
			`id="renewal_date-error">Renewal date must be a date like 2026-03-14.</p>`)

		resp, body = pam.PostForm("/accounts/new", url.Values{"name": {"Globe Bank"}, "arr": {"1.200.000,50 €"},
			"renewal_date": {"2027-03-31"}})
		expect(t, "create", resp, http.StatusOK, "")
		id := pathID(t, resp)
		mustContain(t, "account page", body, "<dt>ARR</dt><dd><span class=\"num\">EUR 1,200,000.50</span></dd>",
			"<dt>Renewal</dt><dd>31 Mar 2027</dd>")

		// The list shows them too (its read model follows the write: the
		// server answers after the change is applied).
		_, body = pam.Get("/accounts")
		mustContain(t, "account list", body, `<td data-label="ARR" class="num">EUR 1,200,000.50</td>`,
			`<td data-label="Renewal">31 Mar 2027</td>`)

		// The edit form shows the figure as the page writes it, and saving it unchanged changes nothing.
		path := fmt.Sprintf("/accounts/%d", id)
		_, body = pam.Get(path + "/edit")
		mustContain(t, "edit form", body, `value="EUR 1,200,000.50"`, `value="2027-03-31"`)
		resp, _ = pam.PostForm(path+"/edit", url.Values{"version": {"1"}, "name": {"Globe Bank"}, "arr": {"EUR 1,200,000.50"},
			"renewal_date": {"2027-03-31"}})
		expect(t, "unchanged", resp, http.StatusOK, path)
		if a, _ := s.DB.Account(ctx, id); a.Version != 1 {
			t.Errorf("an unchanged save made version %d", a.Version)
		}
		// Emptied, the ARR is not known any more.
		resp, body = pam.PostForm(path+"/edit", url.Values{"version": {"1"}, "name": {"Globe Bank"}, "arr": {""}, "renewal_date": {""}})
		expect(t, "cleared", resp, http.StatusOK, path)
		mustContain(t, "cleared", body, "<dt>ARR</dt><dd>—</dd>", "<dt>Renewal</dt><dd>—</dd>")
		if a, _ := s.DB.Account(ctx, id); a.HasARR() || !a.RenewalDate.IsZero() {
			t.Errorf("after clearing: %+v", a)
		}
	})
}
