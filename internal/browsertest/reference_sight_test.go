package browsertest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var proposedRequestPath = regexp.MustCompile(`/requests/(\d+)$`)

// A seller on a reference's profile, at 1280 px and 375 px: the one primary
// action is "Request this reference", there is no email or phone to click
// before an advocate accepted one of their requests, and a do-not-contact
// customer does not open at all. The action leads to the request form with
// the reference proposed, and the request keeps it.
func TestSellerOnAReferenceProfile(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		call := taxID(t, s.DB, vouch.TaxActivityType, "Call")
		ana := addReference(t, s.DB, "Acme", "Healthcare", &vouch.Reference{Name: "Ana Ruiz", Title: "Head of Operations",
			Email: "ana.ruiz@acme.example", Phone: "+1 555 0100", LastVerified: s.DB.Today(),
			Activities: []vouch.AgreedActivity{{TypeID: call}}, Story: "Rolled out scheduling across twelve clinics."})
		dana := addReference(t, s.DB, "Globex", "", &vouch.Reference{Name: "Dana Cruz", Email: "dana@globex.example"})
		if _, err := s.DB.ChangeStatus(asTest(), dana.ID, dana.Version, vouch.StatusChange{To: vouch.StatusDoNotContact,
			Reason: "asked not to be contacted during renewal"}); err != nil {
			t.Fatal(err)
		}
		profile := fmt.Sprintf("%s/references/%d", s.URL, ana.ID)
		primary := `.page-head .actions a.button.primary`

		c.LoginAs(s, "sam@example.com")
		for _, size := range []struct {
			name   string
			resize func()
		}{{"desktop", c.Desktop}, {"phone", c.Phone}} {
			size.resize()
			c.Open(profile)
			if !c.Visible(primary) || c.Text(primary) != "Request this reference" {
				t.Errorf("%s: the primary action is %q, want Request this reference, visible", size.name, c.Text(primary))
			}
			if n := testutil.Eval[int](c, `document.querySelectorAll(".page-head .actions .primary").length`); n != 1 {
				t.Errorf("%s: %d primary actions, want one", size.name, n)
			}
			if c.Has(`a[href^="mailto:"]`) || c.Has(`a[href^="tel:"]`) || strings.Contains(c.Text("main"), "ana.ruiz@acme.example") {
				t.Errorf("%s: the seller is shown Ana's email or phone before any accepted request", size.name)
			}
			c.WaitText(".contact", "Contact details are shown once the advocate accepts one of your requests.")
			if size.name == "phone" {
				checkNoHorizontalScroll(t, c, "a reference profile")
			}
			c.Screenshot("reference-profile-seller-" + size.name)
		}

		// The do-not-contact customer answers as if unknown, and is not listed.
		if resp := c.Open(fmt.Sprintf("%s/references/%d", s.URL, dana.ID)); resp.Status != int64(http.StatusNotFound) {
			t.Errorf("a seller opening a do-not-contact reference: %d, want 404", resp.Status)
		}
		c.Open(s.URL + "/references")
		if strings.Contains(c.Text("main"), "Dana Cruz") {
			t.Error("the seller's list shows the do-not-contact reference")
		}

		// The primary action opens the form with Ana proposed.
		c.Desktop()
		c.Open(profile)
		c.Submit(primary)
		c.WaitText("#proposed-reference", "Proposed reference: Ana Ruiz (Acme)")
		if !strings.Contains(c.URL(), fmt.Sprintf("/requests/new?reference=%d", ana.ID)) {
			t.Errorf("the action went to %s", c.URL())
		}
		c.Fill("#opp_name", "Initech rollout")
		c.Fill("#opp_prospect", "Initech")
		c.Select("#activity_type", "Call")
		setValue(c, "#due_date", s.DB.Today().AddDays(14).String())
		c.Submit(".form-actions button.primary")
		m := proposedRequestPath.FindStringSubmatch(c.URL())
		if m == nil {
			t.Fatalf("submitting went to %s, not the request's page", c.URL())
		}
		c.WaitText(".flash", "Request submitted, proposing the reference you chose.")
		c.WaitText("#proposed", "Ana Ruiz")
		c.Screenshot("request-proposed-by-seller")
		reqs, _, err := s.DB.ListRequests(asTest(), vouch.RequestFilter{})
		if err != nil || len(reqs) != 1 || reqs[0].ProposedReferenceID != ana.ID {
			t.Fatalf("requests %+v (%v), want one proposing Ana", reqs, err)
		}
		noPageErrors(t, c, fmt.Sprintf("/references/%d", dana.ID)) // the 404 asked for above
	})
}
