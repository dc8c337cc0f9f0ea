package browsertest

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// An admin names the company and edits the ask mail beside its preview;
// the team member asks with a personal note; the advocate's answer page
// names the company and shows the note — at 1280 and at 375 px.
func TestMailTemplatesAndTheAnswerPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		tess := testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
		sam := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		call := taxID(t, s.DB, vouch.TaxActivityType, "Call")
		maya := addReference(t, s.DB, "Acme Hospitals", "Healthcare", &vouch.Reference{Name: "Maya Okafor", Title: "CIO",
			Email: "maya@acme.example", Activities: []vouch.AgreedActivity{{TypeID: call}}, LastVerified: s.DB.Today()})

		c.Desktop()
		c.LoginAs(s, "ada@example.com")
		c.Open(s.URL + "/admin/settings")
		c.Submit(`a[href="/admin/settings/mails"]`)
		c.Fill("#company", "Northwind")
		c.Fill("#sender_name", "Northwind customer references")
		c.Submit("form.panel button.primary")
		c.WaitText(".flash", "mails now come from Northwind customer references")

		c.Submit(`a[href="/admin/settings/mails/ask"]`)
		c.WaitText("#preview-body", "Dana Lee at Northwind is talking with Acme Corp")
		body := c.Value("#body")
		c.Paste("#body", strings.Replace(body, "{advocate_first_name}", "{advocat_name}", 1))
		c.Submit(`button[value="save"]`)
		c.WaitText("#template-error", "Unknown placeholder {advocat_name} in the ask mail's body.")
		c.WaitText("#body-error", "Body has an unknown placeholder {advocat_name}.")
		c.Paste("#body", strings.Replace(body, "Thank you for your help!", "Thank you — it means a lot to us at {company}.", 1))
		c.Submit(`button[value="preview"]`)
		c.WaitText("#preview-body", "it means a lot to us at Northwind.")
		checkNoHorizontalScroll(t, c, "mail template editor at 1280 px")
		c.Screenshot("mail-template-editor-1280")
		c.Submit(`button[value="save"]`)
		c.WaitText(".flash", "Saved: the ask mail goes out with this text")
		c.Phone()
		checkNoHorizontalScroll(t, c, "mail template editor")
		c.Screenshot("mail-template-editor-375")

		// The team member asks Maya with a personal note.
		opp := &vouch.Opportunity{Name: "Globex expansion", Prospect: "Globex", OwnerID: sam.ID}
		if err := s.DB.CreateOpportunity(asTest(), opp); err != nil {
			t.Fatal(err)
		}
		req := &vouch.Request{OpportunityID: opp.ID, ActivityTypeID: call, DueDate: s.DB.Today().AddDays(14), RequesterID: sam.ID, ReferencesNeeded: 1,
			Context: "Globex worries about the migration."}
		if err := s.DB.CreateRequest(asTest(), req, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		team := testutil.NewBrowser(t)
		team.Desktop()
		team.LoginAs(s, tess.Email)
		team.Open(s.URL + "/requests/" + strconv.FormatInt(req.ID, 10))
		team.Click("#match-" + strconv.FormatInt(maya.ID, 10) + " .ask-note summary")
		note := "Maya, your migration story is exactly what Globex needs to hear."
		team.Fill("#ask-note-"+strconv.FormatInt(maya.ID, 10), note)
		team.Submit(`button[aria-label="Ask Maya Okafor"]`)
		team.WaitText(".flash", "Maya Okafor was asked by email")
		team.WaitText("#asks .ask-sent-note", note)

		mails, _, err := s.DB.ListOutbox(context.Background(), vouch.OutboxFilter{Limit: 10})
		if err != nil || len(mails) == 0 || mails[0].To != maya.Email {
			t.Fatalf("outbox %+v %v", mails, err)
		}
		if m := mails[0].Body; !strings.Contains(m, note) || !strings.Contains(m, "it means a lot to us at Northwind.") ||
			!strings.Contains(m, "Tess\nNorthwind\ntess@example.com") {
			t.Errorf("the ask mail:\n%s", m)
		}
		link := regexp.MustCompile(`/a/[A-Za-z0-9_.-]+`).FindString(mails[0].Body)

		advocate := testutil.NewBrowser(t)
		for _, size := range []struct {
			name   string
			resize func()
		}{{"1280", advocate.Desktop}, {"375", advocate.Phone}} {
			size.resize()
			advocate.Open(s.URL + link)
			advocate.WaitText("#who-asks", "Sam at Northwind is talking with Globex")
			advocate.WaitText("#ask-note", note)
			advocate.WaitText("#ask-note figcaption", "Tess, Northwind")
			checkNoHorizontalScroll(t, advocate, "answer page at "+size.name+" px")
			advocate.Screenshot("advocate-answer-page-" + size.name)
		}
	})
}
