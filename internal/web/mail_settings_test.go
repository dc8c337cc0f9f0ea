package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// An admin names the company and the sender and edits the mail texts,
// with a preview; a refused text is named and saves nothing.
func TestMailSettingsPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		testutil.CreateUser(t, s.DB, "pm@example.com", vouch.RoleProgramManager)
		admin := testutil.Login(t, s, "ada@example.com")
		pm := testutil.Login(t, s, "pm@example.com")

		if resp, _ := pm.Get("/admin/settings/mails/ask"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a program manager opened the mail texts: %d", resp.StatusCode)
		}
		if _, body := pm.Get("/admin/settings"); strings.Contains(body, "/admin/settings/mails") {
			t.Error("the settings link a program manager to the mails, which they may not open")
		}
		_, body := admin.Get("/admin/settings")
		mustContain(t, "admin's settings", body, `href="/admin/settings/mails"`)

		resp, body := admin.PostForm("/admin/settings/mails", url.Values{"company": {"Northwind"}, "sender_name": {"Northwind references"}, "sender_email": {"refs at northwind"}})
		expect(t, "bad sender", resp, http.StatusBadRequest, "")
		mustContain(t, "bad sender", body, "Sender address must be an address like name@example.com.", `value="Northwind"`)
		if ms, _ := s.DB.MailSettings(ctx); ms.Company != "" {
			t.Errorf("a refused form saved the company %q", ms.Company)
		}
		resp, body = admin.PostForm("/admin/settings/mails", url.Values{"company": {"Northwind"}, "sender_name": {"Northwind references"}, "sender_email": {"refs@northwind.example"}})
		expect(t, "save sender", resp, http.StatusOK, "/admin/settings/mails")
		mustContain(t, "save sender", body, "Saved: mails now come from Northwind references.", "Default")

		// The preview uses a sample while there is no ask yet.
		resp, body = admin.Get("/admin/settings/mails/ask")
		expect(t, "ask template", resp, http.StatusOK, "")
		mustContain(t, "ask template", body, "sample data", "Dana Lee at Northwind is talking with Acme Corp", "{advocate_first_name}", "required")

		edited := "Hi {advocate_first_name}, {seller_name} at {company} needs you.\n\n{note}\n\n{answer_link}\n\n{signature}"
		resp, body = admin.PostForm("/admin/settings/mails/ask", url.Values{"do": {"preview"}, "subject": {"A favour for {company}"}, "body": {edited}})
		expect(t, "preview", resp, http.StatusOK, "")
		mustContain(t, "preview", body, "A favour for Northwind", "Hi Maya, Dana Lee at Northwind needs you.")
		if ms, _ := s.DB.MailSettings(ctx); ms.Edited(vouch.MailAsk) {
			t.Error("a preview saved the template")
		}

		wrong := "Hi {advocat_name}\n{answer_link}"
		resp, body = admin.PostForm("/admin/settings/mails/ask", url.Values{"do": {"save"}, "subject": {"A favour"}, "body": {wrong}})
		expect(t, "unknown placeholder", resp, http.StatusBadRequest, "")
		mustContain(t, "unknown placeholder", body, "Unknown placeholder {advocat_name} in the ask mail&#39;s body.",
			"Body has an unknown placeholder {advocat_name}.", html.EscapeString(wrong))
		resp, body = admin.PostForm("/admin/settings/mails/ask", url.Values{"do": {"save"}, "subject": {"A favour"}, "body": {"Hi {advocate_name}"}})
		expect(t, "no link", resp, http.StatusBadRequest, "")
		mustContain(t, "no link", body, "must contain {answer_link}")
		if ms, _ := s.DB.MailSettings(ctx); ms.Edited(vouch.MailAsk) {
			t.Error("a refused template was saved")
		}

		resp, body = admin.PostForm("/admin/settings/mails/ask", url.Values{"do": {"save"}, "subject": {"A favour for {company}"}, "body": {edited}})
		expect(t, "save", resp, http.StatusOK, "/admin/settings/mails/ask")
		mustContain(t, "save", body, "Saved: the ask mail goes out with this text from now on.", "Edited", "Reset to default")
		if ms, _ := s.DB.MailSettings(ctx); ms.Template(vouch.MailAsk).Body != edited {
			t.Errorf("saved %+v", ms.Template(vouch.MailAsk))
		}
		_, body = admin.Get("/admin/settings/mails")
		mustContain(t, "list", body, "A favour for {company}", "Edited")

		resp, body = admin.PostForm("/admin/settings/mails/ask", url.Values{"do": {"reset"}})
		expect(t, "reset", resp, http.StatusOK, "/admin/settings/mails/ask")
		mustContain(t, "reset", body, "The ask mail is back to its default text.")
		if ms, _ := s.DB.MailSettings(ctx); ms.Edited(vouch.MailAsk) {
			t.Error("the reset kept the edited template")
		}
		if resp, _ := admin.Get("/admin/settings/mails/nothing"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown mail: %d", resp.StatusCode)
		}
	})
}

// The team member's note goes from the ask form into the mail and onto
// the advocate's answer page, which names the company.
func TestAskNoteReachesTheAdvocate(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		admin := testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		if err := l.svc.SaveMailSettings(ctx, admin, vouch.MailSettings{Company: "Northwind"}); err != nil {
			t.Fatal(err)
		}
		maya := l.reference(t, "Maya Okafor", 3)
		opp := &vouch.Opportunity{Name: "Globex renewal", Prospect: "Globex", OwnerID: l.seller.ID}
		if err := s.DB.CreateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		req := &vouch.Request{OpportunityID: opp.ID, ActivityTypeID: l.call, DueDate: s.DB.Today().AddDays(20)}
		if err := l.svc.CreateRequest(ctx, l.seller, req, nil); err != nil {
			t.Fatal(err)
		}
		tess := testutil.Login(t, s, "tess@example.com")
		page := fmt.Sprintf("/requests/%d", req.ID)
		_, body := tess.Get(page)
		mustContain(t, "request page", body, `name="note"`, "Add a personal note")

		resp, body := tess.PostForm(page+"/asks", url.Values{"ref_id": {idOf(maya.ID)}, "note": {strings.Repeat("x", vouch.AskNoteMax+1)}})
		expect(t, "long note", resp, http.StatusOK, page)
		mustContain(t, "long note", body, "keep it to 1000")
		note := "Maya — you know the migration better than anyone."
		resp, body = tess.PostForm(page+"/asks", url.Values{"ref_id": {idOf(maya.ID)}, "note": {note}})
		expect(t, "ask", resp, http.StatusOK, page)
		mustContain(t, "ask", body, "Maya Okafor was asked by email", "Note in the mail:", html.EscapeString(note))

		mails, _, err := s.DB.ListOutbox(ctx, vouch.OutboxFilter{Limit: 10})
		if err != nil || len(mails) == 0 || mails[0].To != maya.Email {
			t.Fatalf("outbox %+v %v", mails, err)
		}
		mustContain(t, "mail", mails[0].Body, "Sam at Northwind is talking with Globex", note, "Tess\nNorthwind\ntess@example.com")
		resp, body = visit(t, s, "/a/"+latestLink(t, s.DB, maya.Email, "/a/"))
		expect(t, "answer page", resp, http.StatusOK, "")
		mustContain(t, "answer page", body, "Sam at Northwind is talking with Globex", html.EscapeString(note), "— Tess, Northwind")
	})
}
