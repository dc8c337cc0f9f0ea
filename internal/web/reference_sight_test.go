package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// sightProgram is rqProgram with references a seller may not request:
// Dana, who asked not to be contacted, and Nico, nominated; and Rita,
// resting for a reason only the team reads.
type sightProgram struct {
	*rqProgram
	dana, nico, rita *vouch.Reference
	acme             int64
}

func newSightProgram(t *testing.T, s *testutil.Server) *sightProgram {
	t.Helper()
	p := &sightProgram{rqProgram: newRQProgram(t, s), acme: 0}
	p.acme = p.maya.AccountID
	acme, err := s.DB.Account(ctx, p.acme)
	if err != nil {
		t.Fatal(err)
	}
	p.maya.Phone = "+49 30 1234567"
	if err := s.DB.UpdateReference(ctx, p.maya); err != nil {
		t.Fatal(err)
	}
	p.dana = p.reference(t, acme, "Dana Cruz")
	if _, err := s.DB.ChangeStatus(ctx, p.dana.ID, p.dana.Version, vouch.StatusChange{To: vouch.StatusDoNotContact,
		Reason: "asked not to be contacted during renewal"}); err != nil {
		t.Fatal(err)
	}
	p.nico = &vouch.Reference{AccountID: p.acme, Name: "Nico Brandt", Email: "nico@example.org", Status: vouch.StatusNominated}
	if err := s.DB.CreateReference(ctx, p.nico); err != nil {
		t.Fatal(err)
	}
	p.rita = p.reference(t, acme, "Rita Moreno")
	if _, err := s.DB.ChangeStatus(ctx, p.rita.ID, p.rita.Version, vouch.StatusChange{To: vouch.StatusResting,
		Reason: "on parental leave", Until: s.DB.Today().AddDays(20)}); err != nil {
		t.Fatal(err)
	}
	return p
}

func refPath(r *vouch.Reference) string { return fmt.Sprintf("/references/%d", r.ID) }

func TestSellerSeesOnlyReferencesTheyMayRequest(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newSightProgram(t, s)
		sam := testutil.Login(t, s, "sam@example.com")
		pam := testutil.Login(t, s, "pam@example.com")

		_, body := sam.Get("/references")
		mustContain(t, "seller's list", body, "Maya Okafor", "Ola Berg", "Rita Moreno")
		for _, hidden := range []string{"Dana Cruz", "Nico Brandt", "f-status-do-not-contact", "f-status-nominated"} {
			if strings.Contains(body, hidden) {
				t.Errorf("the seller's list shows %q", hidden)
			}
		}
		_, body = pam.Get("/references")
		mustContain(t, "team's list", body, "Dana Cruz", "Nico Brandt", "f-status-do-not-contact", "f-status-nominated")

		// The counts leave Dana out: Acme has Maya and Rita for a seller, and four references for the team.
		_, body = sam.Get("/references?q=Acme")
		if strings.Contains(body, "Dana") {
			t.Error("a seller's search finds Dana")
		}
		// The accounts list counts the same way: Dana and Nico are the team's only.
		count := func(b *testutil.Browser) string {
			_, body := b.Get("/accounts")
			m := regexp.MustCompile(fmt.Sprintf(`href="/accounts/%d#references">(\d+)</a>`, p.acme)).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no reference count for Acme in the accounts list:\n%s", body)
			}
			return m[1]
		}
		if team, seller := count(pam), count(sam); team == seller || fmt.Sprint(mustAtoi(t, team)-2) != seller {
			t.Errorf("Acme's count in the accounts list: the team's %s, a seller's %s; want two fewer for the seller", team, seller)
		}
		_, body = sam.Get(fmt.Sprintf("/accounts/%d", p.acme))
		mustContain(t, "account page", body, "Maya Okafor")
		if strings.Contains(body, "Dana Cruz") || strings.Contains(body, "Nico Brandt") {
			t.Error("the seller's account page lists Dana or Nico")
		}
		_, body = sam.Get("/references?status=do_not_contact")
		if strings.Contains(body, "Dana Cruz") {
			t.Error("a seller filtering on do not contact sees Dana")
		}

		// Dana's profile is not found for a seller, like an unknown one.
		for _, r := range []*vouch.Reference{p.dana, p.nico} {
			resp, body := sam.Get(refPath(r))
			if resp.StatusCode != http.StatusNotFound || strings.Contains(body, r.Name) {
				t.Errorf("a seller opening %s: %d", r.Name, resp.StatusCode)
			}
		}
		resp, body := pam.Get(refPath(p.dana))
		expect(t, "team opens Dana", resp, http.StatusOK, refPath(p.dana))
		mustContain(t, "team opens Dana", body, "asked not to be contacted during renewal", "mailto:dana.cruz@example.org")

		// Rita is resting: a seller sees when she is back, never why.
		_, body = sam.Get(refPath(p.rita))
		mustContain(t, "seller opens Rita", body, "Resting until")
		if strings.Contains(body, "parental leave") {
			t.Error("a seller reads the reason Rita rests")
		}
		_, body = pam.Get(refPath(p.rita))
		mustContain(t, "team opens Rita", body, "parental leave")

		// A seller's export is their list.
		_, body = sam.Get("/references/export.csv")
		if strings.Contains(body, "Dana Cruz") || strings.Contains(body, "maya.okafor@example.org") || strings.Contains(body, "parental leave") {
			t.Errorf("a seller's export:\n%s", body)
		}
		mustContain(t, "seller's export", body, "Maya Okafor")
		_, body = pam.Get("/references/export.csv")
		mustContain(t, "team's export", body, "Dana Cruz", "maya.okafor@example.org", "asked not to be contacted during renewal")
	})
}

func TestSellerContactDetailsFollowTheSetting(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newSightProgram(t, s)
		sam := testutil.Login(t, s, "sam@example.com")
		sue := testutil.Login(t, s, "sue@example.com")
		pam := testutil.Login(t, s, "pam@example.com")
		maya := refPath(p.maya)
		setContact := func(c vouch.ContactSight) {
			t.Helper()
			ps, err := s.DB.ProgramSettings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ps.SellerContact = c
			if err := s.DB.SetProgramSettings(ctx, ps); err != nil {
				t.Fatal(err)
			}
		}
		sees := func(b *testutil.Browser, path string) bool {
			t.Helper()
			_, body := b.Get(path)
			email, phone := strings.Contains(body, "mailto:maya.okafor@example.org"), strings.Contains(body, "30 1234567")
			if email != phone {
				t.Errorf("%s: email shown %v, phone shown %v", path, email, phone)
			}
			return email
		}

		// The default: once the advocate accepted.
		_, body := sam.Get(maya)
		mustContain(t, "before any ask", body, "Contact details are shown once the advocate accepts one of your requests.",
			`<a class="button primary" href="/requests/new?reference=`+idOf(p.maya.ID)+`">Request this reference</a>`)
		if sees(sam, maya) || !sees(pam, maya) {
			t.Error("before any ask: the seller sees Maya's email, or the team does not")
		}
		setContact(vouch.ContactAlways)
		if !sees(sam, maya) {
			t.Error("always: the seller does not see Maya's email")
		}
		setContact(vouch.ContactNever)
		_, body = sam.Get(maya)
		mustContain(t, "never", body, "The program team keeps the contact details")
		if sees(sam, maya) || !sees(pam, maya) {
			t.Error("never: the seller sees Maya's email, or the team does not")
		}

		// Sam's request; the team asks Maya; she accepts.
		setContact(vouch.ContactOnceAccepted)
		req := p.request(t, s.DB, p.sam, "Globex expansion", s.DB.Today().AddDays(20), 0, vouch.Criteria{})
		page := fmt.Sprintf("/requests/%d", req.ID)
		pam.Get(page)
		_, body = pam.PostForm(page+"/asks", url.Values{"ref_id": {idOf(p.maya.ID)}})
		mustContain(t, "ask", body, "Maya Okafor")
		if sees(sam, maya) || sees(sam, page) {
			t.Error("asked, not yet accepted: the seller sees Maya's email")
		}
		answered, err := http.PostForm(answerLink(t, s.DB, p.maya.Email), url.Values{"action": {"accept"}})
		if err != nil {
			t.Fatal(err)
		}
		answered.Body.Close()
		if !sees(sam, maya) || !sees(sam, page) {
			t.Error("accepted: the requester does not see Maya's email on the profile and the request page")
		}
		if sees(sue, maya) {
			t.Error("accepted for Sam: Sue, another seller, sees Maya's email")
		}
		setContact(vouch.ContactNever)
		if sees(sam, maya) || sees(sam, page) {
			t.Error("never, after acceptance: the requester sees Maya's email")
		}
		if !sees(pam, page) {
			t.Error("the team does not see Maya's email on the request page")
		}
		// Maya asks not to be contacted any more: even under "always", Sam's
		// request page names her without her details or a link to her profile.
		setContact(vouch.ContactAlways)
		current, err := s.DB.Reference(ctx, p.maya.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ChangeStatus(ctx, p.maya.ID, current.Version, vouch.StatusChange{To: vouch.StatusDoNotContact, Reason: "new CIO"}); err != nil {
			t.Fatal(err)
		}
		_, body = sam.Get(page)
		mustContain(t, "request page after do not contact", body, "<strong>Maya Okafor</strong>")
		if sees(sam, page) || strings.Contains(body, `href="`+maya+`"`) {
			t.Error("a do-not-contact reference: the seller's request page shows her details or links her profile")
		}
	})
}

func TestRequestThisReference(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newSightProgram(t, s)
		sam := testutil.Login(t, s, "sam@example.com")
		pam := testutil.Login(t, s, "pam@example.com")

		_, body := pam.Get(refPath(p.maya))
		mustContain(t, "team's profile", body, `<a class="button primary" href="/requests/new?reference=`+idOf(p.maya.ID)+`">Request this reference</a>`,
			`<a class="button" href="/references/`+idOf(p.maya.ID)+`/edit">Edit reference</a>`)
		if _, body := pam.Get(refPath(p.dana)); strings.Contains(body, "Request this reference") {
			t.Error("a do-not-contact profile offers to request it")
		}

		form := "/requests/new?reference=" + idOf(p.maya.ID)
		resp, body := sam.Get(form)
		expect(t, "form", resp, http.StatusOK, "/requests/new")
		mustContain(t, "proposed", body, "Proposed reference:", ">Maya Okafor</a> (Acme Hospitals)",
			`<input type="hidden" name="reference" value="`+idOf(p.maya.ID)+`">`)

		// A hidden reference is refused clearly, and the form stays usable.
		for _, r := range []string{idOf(p.dana.ID), idOf(p.nico.ID), "999999", "abc"} {
			_, body = sam.Get("/requests/new?reference=" + r)
			mustContain(t, "hidden proposal "+r, body, "Proposed reference is not a reference you can request", `name="opportunity_id"`)
			if strings.Contains(body, `name="reference"`) || strings.Contains(body, "Dana Cruz") {
				t.Errorf("proposing %s: the form keeps it", r)
			}
		}
		submit := func(ref string) (*http.Response, string) {
			sam.Get(form)
			return sam.PostForm("/requests/new", url.Values{"opportunity_id": {"new"}, "opp_name": {"Globex expansion"},
				"activity_type": {idOf(p.call)}, "due_date": {s.DB.Today().AddDays(20).String()}, "reference": {ref}})
		}
		resp, body = submit(idOf(p.dana.ID))
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Proposed reference is not a reference you can request") {
			t.Fatalf("proposing Dana: %d\n%s", resp.StatusCode, body)
		}
		if reqs, _, _ := s.DB.ListRequests(ctx, vouch.RequestFilter{}); len(reqs) != 0 {
			t.Fatalf("a refused proposal stored %d requests", len(reqs))
		}

		resp, body = submit(idOf(p.maya.ID))
		mustContain(t, "submitted", body, "Request submitted, proposing the reference you chose.")
		reqs, _, err := s.DB.ListRequests(ctx, vouch.RequestFilter{})
		if err != nil || len(reqs) != 1 || reqs[0].ProposedReferenceID != p.maya.ID {
			t.Fatalf("requests %+v (%v), want one proposing Maya", reqs, err)
		}
		page := resp.Request.URL.Path
		mustContain(t, "seller's request page", body, "Proposed by the requester", "The program team starts from Maya Okafor")

		// The team is told, and the request page starts from Maya.
		notes, _, err := s.DB.Notifications(ctx, p.pam.ID, 10)
		if err != nil || len(notes) == 0 || !strings.Contains(notes[0].Body, "proposing Maya Okafor (Acme Hospitals)") {
			t.Errorf("the team's notifications: %+v (%v)", notes, err)
		}
		_, body = pam.Get(page)
		mustContain(t, "team's request page", body, "Proposed by the requester", `class="primary" aria-label="Ask Maya Okafor"`)
		if i, j := strings.Index(body, `id="proposed"`), strings.Index(body, `id="matches"`); i < 0 || (j >= 0 && j < i) {
			t.Error("the proposal does not come before the matches")
		}
		_, body = pam.PostForm(page+"/asks", url.Values{"ref_id": {idOf(p.maya.ID)}})
		mustContain(t, "asked the proposal", body, "Asked: <span class=\"pill")
		if asks, _ := s.DB.Asks(ctx, reqs[0].ID); len(asks) != 1 || asks[0].ReferenceID != p.maya.ID {
			t.Errorf("asks %+v, want Maya asked", asks)
		}
	})
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
