package browsertest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var (
	contentItemPath = regexp.MustCompile(`/content/(\d+)$`)
	proofLink       = regexp.MustCompile(`https?://\S+/p/[A-Za-z0-9_.-]+`)
)

// TestContentFromUploadToBuyer is the library's loop as its people live it,
// each in the browser: a team member adds a case study with its PDF and
// records the customer's approval; a seller finds it by a word that is only
// in the file, puts it on a proof page for a prospect and sends the link;
// the buyer opens the link on a phone, without an account, and sees that
// item and nothing of Vouch; the seller rates how much it helped.
func TestContentFromUploadToBuyer(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		pdf := filepath.Join(t.TempDir(), "northwind-case-study.pdf")
		if err := os.WriteFile(pdf, testutil.PDFBytes("Northwind Hospitals case study",
			"Eleven hospitals, one scheduling system.\nWaiting times fell by forty percent.",
			"Appendix: the rollout used a zebrafish-shaped pilot ward."), 0o600); err != nil {
			t.Fatal(err)
		}

		// The team adds the item with its file, then records the approval.
		c.LoginAs(s, "tess@example.com")
		c.Open(s.URL + "/content/new")
		c.Select("#type", "Case study")
		c.Fill("#title", "Northwind Hospitals cut waiting times by forty percent")
		c.Fill("#summary", "Eleven hospitals moved to one scheduling system.")
		c.Do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{pdf}))
		c.Submit(`form.record-form button[type=submit]`)
		m := contentItemPath.FindStringSubmatch(c.URL())
		if m == nil {
			t.Fatalf("after adding, the browser is at %s: %s", c.URL(), c.Text("main"))
		}
		item := "/content/" + m[1]
		c.Open(s.URL + item)
		c.Click(`details.state-action summary`) // the first move offered: send for approval
		c.Open(s.URL + item)
		c.WaitFor(`[...document.querySelectorAll("details.state-action summary")].some(e => /approved for external/i.test(e.textContent))`)
		testutil.Eval[bool](c, `(() => { const d = [...document.querySelectorAll("details.state-action")].find(d => /approved for external/i.test(d.querySelector("summary").textContent)); d.open = true; d.setAttribute("data-test", "approve"); return true })()`)
		c.Fill(`details[data-test=approve] input[name=approved_by]`, "Dana Park, VP Marketing")
		c.Submit(`details[data-test=approve] button[type=submit]`)
		c.WaitText("main", "Approved for external use")
		c.Screenshot("content-approved")
		c.SignOut()

		// The file's words are read in the background; a seller finds the
		// item by a word that is only on the PDF's last page.
		c.LoginAs(s, "sam@example.com")
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			c.Open(s.URL + "/content?q=zebrafish")
			if strings.Contains(c.Text("#content-results"), "Northwind") || time.Now().After(deadline) {
				break
			}
		}
		c.WaitText("#content-results", "Northwind Hospitals cut waiting times")

		// On a proof page for the prospect.
		c.Open(s.URL + "/proofs/new?content=" + m[1])
		c.Fill("#prospect", "Initech")
		c.Fill("#title", "Customer stories for Initech")
		c.Fill("#message", "As promised on our call: how Northwind did it.")
		c.Submit(`form[action="/proofs/new"] button.primary`)
		link := proofLink.FindString(c.Text("#proof-link"))
		if link == "" {
			t.Fatalf("no proof page link shown: %s", c.Text("main"))
		}
		c.SignOut()

		// The buyer, on a phone, without an account.
		c.Phone()
		c.Open(link)
		c.WaitText("main", "Northwind Hospitals cut waiting times by forty percent")
		page := c.Text("body")
		for _, internal := range []string{"Approved for external use", "Dana Park", "tess@example.com", "Sign out"} {
			if strings.Contains(page, internal) {
				t.Errorf("the buyer's page shows %q", internal)
			}
		}
		if robots := testutil.Eval[string](c, `(document.querySelector('meta[name=robots]') || {}).content || ""`); !strings.Contains(robots, "noindex") {
			t.Errorf("the buyer's page may be indexed: robots %q", robots)
		}
		if n := testutil.Eval[int](c, `[...document.querySelectorAll("a[href]")].filter(a => !a.href.includes("/p/") && a.href.startsWith(location.origin)).length`); n != 0 {
			t.Errorf("the buyer's page links %d pages of Vouch", n)
		}
		checkNoHorizontalScroll(t, c, "proof page")
		c.Screenshot("proof-page-buyer-phone")
		c.Desktop()

		// The seller sees the view counted and rates the item.
		c.LoginAs(s, "sam@example.com")
		c.Open(s.URL + "/proofs")
		if views := strings.TrimSpace(c.Text(`td[data-label="Views"]`)); views != "1" {
			t.Errorf("the buyer's view is not counted: views %q", views)
		}
		c.Open(s.URL + item)
		c.Click(`input[name="rating"][value="5"]`)
		c.Fill("#comment", "Initech's CIO asked for the Northwind story by name")
		c.Submit(".rate-form button[type=submit]")
		c.WaitText("#ratings", "Initech's CIO asked for the Northwind story by name")
		if text := c.Text("#ratings"); !strings.Contains(text, "5.0 of 5") {
			t.Errorf("the rating is not shown: %s", text)
		}
	})
}
