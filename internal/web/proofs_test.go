package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/signedlink"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentFixture makes items in the server's database through the content service.
type contentFixture struct {
	t   *testing.T
	s   *testutil.Server
	svc *content.Service
}

func newContentFixture(t *testing.T, s *testutil.Server) *contentFixture {
	t.Helper()
	_, cat, _ := testutil.ReadModels(t, s.DB)
	return &contentFixture{t: t, s: s, svc: content.New(s.DB, cat)}
}

// item creates an item of type typ and moves it to state (approved ones by mail).
func (f *contentFixture) item(title, typ, body string, state vouch.ContentState) *vouch.ContentItem {
	f.t.Helper()
	u := "https://example.com/" + strings.ReplaceAll(strings.ToLower(title), " ", "-")
	it, err := f.svc.Create(ctx, vouch.ContentInput{Type: &typ, Title: &title, Body: &body, URL: &u,
		Summary: ptr("How " + title + " went")})
	if err != nil {
		f.t.Fatal(err)
	}
	if state != vouch.ContentDraft {
		c := vouch.ContentStateChange{To: state}
		if state.Approved() {
			c.ApprovedBy, c.Method = "Dana Park, VP Marketing", "mail"
		}
		if it, err = f.svc.ChangeState(ctx, it.ID, 0, c); err != nil {
			f.t.Fatal(err)
		}
	}
	return it
}

var proofLink = regexp.MustCompile(`/p/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)`)

// buyerGet opens path with no session at all, as a buyer's browser would.
func buyerGet(t *testing.T, s *testutil.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// makeProof creates a proof page through the builder as b and returns its id and token.
func makeProof(t *testing.T, b *testutil.Browser, form url.Values) (int64, string) {
	t.Helper()
	b.Get("/proofs/new")
	resp, body := b.PostForm("/proofs/new", form)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create proof page: %d\n%s", resp.StatusCode, body)
	}
	m := proofLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the new proof page shows no link:\n%s", body)
	}
	idm := regexp.MustCompile(`action="/proofs/(\d+)/revoke"`).FindStringSubmatch(body)
	if idm == nil {
		t.Fatalf("no revoke button:\n%s", body)
	}
	id, _ := strconv.ParseInt(idm[1], 10, 64)
	return id, m[1]
}

func TestProofPageForBuyers(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		f := newContentFixture(t, s)
		seller := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "otto@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "pat@example.com", vouch.RoleProgramManager)
		story := f.item("Nimbus Air cuts reporting time", "Case study", "We cut reporting from days to minutes.", vouch.ContentApprovedExternal)
		quote := f.item("Mercy Health on onboarding", "Quote", "Onboarding took a week, not a quarter.", vouch.ContentApprovedExternal)
		internal := f.item("Globex win plan", "Case study", "Internal notes on the Globex deal.", vouch.ContentApprovedInternal)
		draft := f.item("Draft webinar", "Webinar", "Not approved yet.", vouch.ContentDraft)
		opp := &vouch.Opportunity{Name: "Initech platform deal", Prospect: "Initech", OwnerID: seller.ID, Status: vouch.OpportunityOpen}
		if err := s.DB.CreateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}

		// The story and the internal item have files.
		pm := testutil.Login(t, s, "pat@example.com")
		pm.Get("/proofs")
		for _, it := range []*vouch.ContentItem{story, internal} {
			if resp, msg := uploadForm(t, pm, it.ID, pm.CSRF, "story.pdf", testutil.PDFBytes(it.Title)); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("upload to %s: %d %s", it.Title, resp.StatusCode, msg)
			}
		}

		b := testutil.Login(t, s, "sam@example.com")
		resp, body := b.Get("/proofs/new?content=" + strconv.FormatInt(story.ID, 10))
		expect(t, "builder", resp, http.StatusOK, "/proofs/new")
		mustContain(t, "builder", body, story.Title, quote.Title, `value="`+strconv.FormatInt(story.ID, 10)+`" checked`)
		if strings.Contains(body, internal.Title) || strings.Contains(body, draft.Title) {
			t.Fatalf("the builder offers content not approved for external use:\n%s", body)
		}

		// An internal-only item is refused, naming it; so is a draft.
		resp, body = b.PostForm("/proofs/new", url.Values{"title": {"Stories for Initech"},
			"content": {strconv.FormatInt(story.ID, 10), strconv.FormatInt(internal.ID, 10)}})
		expect(t, "internal item", resp, http.StatusBadRequest, "/proofs/new")
		mustContain(t, "internal item", body, "Globex win plan", "approved for internal use only")
		resp, body = b.PostForm("/proofs/new", url.Values{"content": {strconv.FormatInt(draft.ID, 10)}, "expires_in_days": {"400"}})
		expect(t, "draft item", resp, http.StatusBadRequest, "/proofs/new")
		mustContain(t, "draft item", body, "Title is required", "at most 180", "not a content item you can share")

		id, token := makeProof(t, b, url.Values{"title": {"Customer stories for Initech"}, "prospect": {"Initech"},
			"message": {"Here are the stories we spoke about."}, "opportunity_id": {strconv.FormatInt(opp.ID, 10)},
			"content": {strconv.FormatInt(story.ID, 10), strconv.FormatInt(quote.ID, 10)}})

		// The buyer opens it without an account: only its items, no internal data.
		resp, page := buyerGet(t, s, "/p/"+token)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("buyer: %d\n%s", resp.StatusCode, page)
		}
		mustContain(t, "buyer page", page, "Customer stories for Initech", "Prepared for Initech", "Here are the stories we spoke about.",
			story.Title, "We cut reporting from days to minutes.", quote.Title, story.URL, `<meta name="robots" content="noindex, nofollow">`,
			`name="viewport"`)
		if got := resp.Header.Get("X-Robots-Tag"); !strings.Contains(got, "noindex") {
			t.Errorf("X-Robots-Tag %q", got)
		}
		for _, leak := range []string{internal.Title, draft.Title, "Approved", "Dana Park", "Sam", "/proofs", "/content", "Sign in", "csrf"} {
			if strings.Contains(page, leak) {
				t.Errorf("the buyer's page shows %q", leak)
			}
		}
		for _, m := range regexp.MustCompile(`href="(/[^"]*)"`).FindAllStringSubmatch(page, -1) {
			if !strings.HasPrefix(m[1], "/static/") && !strings.HasPrefix(m[1], "/p/"+token) {
				t.Errorf("the buyer's page links into Vouch: %s", m[1])
			}
		}
		buyerGet(t, s, "/p/"+token)

		// The story's file downloads from the page, as every download leaves Vouch.
		mustContain(t, "buyer page", page, `href="/p/`+token+`/files/`+strconv.FormatInt(story.ID, 10)+`"`, "Download story.pdf")
		resp, file := buyerGet(t, s, "/p/"+token+"/files/"+strconv.FormatInt(story.ID, 10))
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(file, "%PDF") || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
		}

		// The seller sees the views; each view counted a use of each item shown.
		p, err := s.DB.ProofPage(ctx, id)
		if err != nil || p.Views != 2 || p.LastViewedAt == nil || p.OpportunityID != opp.ID {
			t.Fatalf("after two views: %+v, %v", p, err)
		}
		stats, err := s.DB.ProofPageStats(ctx, id)
		if err != nil || stats[story.ID] == nil || stats[story.ID].Views != 2 || stats[quote.ID].Views != 2 ||
			stats[story.ID].Downloads != 1 || stats[quote.ID].Downloads != 0 {
			t.Fatalf("item views: %+v, %v", stats, err)
		}
		resp, body = b.Get("/proofs/" + strconv.FormatInt(id, 10))
		expect(t, "seller's view", resp, http.StatusOK, "")
		mustContain(t, "seller's view", body, "Customer stories for Initech", "Initech platform deal", "Revoke link", "Active")
		if strings.Contains(body, token) {
			t.Errorf("the link is shown again after it was made")
		}
		_, body = b.Get("/proofs")
		mustContain(t, "seller's list", body, "Customer stories for Initech")
		audits, _, err := s.DB.ListAudit(ctx, vouch.AuditFilter{EntityType: string(vouch.EntityContentUse), EntityID: story.ID})
		if err != nil || len(audits) < 4 { // added to the page, viewed twice, downloaded
			t.Fatalf("uses of the story audited: %d, %v", len(audits), err)
		}

		// Another seller neither lists nor opens it; the team does.
		other := testutil.Login(t, s, "otto@example.com")
		if resp, _ := other.Get("/proofs/" + strconv.FormatInt(id, 10)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another seller opens the proof page: %d", resp.StatusCode)
		}
		if _, body := other.Get("/proofs"); strings.Contains(body, "Customer stories for Initech") {
			t.Errorf("another seller lists it")
		}
		if _, body := pm.Get("/proofs"); !strings.Contains(body, "Customer stories for Initech") {
			t.Errorf("the team does not list it")
		}

		// Gone: one answer for every kind of bad link.
		_, gone := buyerGet(t, s, "/p/unknown.token")
		if !strings.Contains(gone, "This page is not available") {
			t.Fatalf("unknown link:\n%s", gone)
		}
		tampered := token[:len(token)-2] + flip(token[len(token)-2]) + token[len(token)-1:]
		signer, err := signedlink.Load(ctx, s.DB)
		if err != nil {
			t.Fatal(err)
		}
		neverIssued, _ := signer.Issue(vouch.ProofPageLetter)
		answerLetter, _ := signer.Issue('a')
		for name, path := range map[string]string{
			"tampered":             "/p/" + tampered,
			"never issued":         "/p/" + neverIssued,
			"another kind of link": "/p/" + answerLetter,
			"internal item's file": "/p/" + token + "/files/" + strconv.FormatInt(internal.ID, 10),
			"draft's file":         "/p/" + token + "/files/" + strconv.FormatInt(draft.ID, 10),
			"item without a file":  "/p/" + token + "/files/" + strconv.FormatInt(quote.ID, 10),
			"no number":            "/p/" + token + "/files/x",
		} {
			resp, body := buyerGet(t, s, path)
			if resp.StatusCode != http.StatusNotFound || body != gone {
				t.Errorf("%s: %d, and the page differs from the unknown link's:\n%s", name, resp.StatusCode, body)
			}
		}

		// Consent withdrawn since: the item leaves the page at once.
		if _, err := f.svc.ChangeState(ctx, quote.ID, 0, vouch.ContentStateChange{To: vouch.ContentWithdrawn, Note: "Customer left"}); err != nil {
			t.Fatal(err)
		}
		_, page = buyerGet(t, s, "/p/"+token)
		if strings.Contains(page, quote.Title) || !strings.Contains(page, story.Title) {
			t.Errorf("after the quote was withdrawn the page shows:\n%s", page)
		}
		_, body = b.Get("/proofs/" + strconv.FormatInt(id, 10))
		mustContain(t, "seller's view after withdrawal", body, "Left off", "Withdrawn")

		// Revoked: gone, the same way.
		resp, body = b.PostForm("/proofs/"+strconv.FormatInt(id, 10)+"/revoke", url.Values{})
		expect(t, "revoke", resp, http.StatusOK, "/proofs/"+strconv.FormatInt(id, 10))
		mustContain(t, "revoked", body, "Revoked")
		if resp, body := buyerGet(t, s, "/p/"+token); resp.StatusCode != http.StatusNotFound || body != gone {
			t.Errorf("revoked link: %d\n%s", resp.StatusCode, body)
		}

		// Consent that runs out while the page lives takes the item off it;
		// the page itself is gone once its own days are over.
		soon, err := f.svc.Create(ctx, vouch.ContentInput{Type: ptr("Quote"), Title: ptr("Initrode quote, consent ends soon")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ChangeState(ctx, soon.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal,
			ApprovedBy: "Lee Chen", Method: "mail", ExpiresOn: s.DB.Today().AddDays(3)}); err != nil {
			t.Fatal(err)
		}
		_, short := makeProof(t, b, url.Values{"title": {"Ten-day page"}, "expires_in_days": {"10"},
			"content": {strconv.FormatInt(story.ID, 10), strconv.FormatInt(soon.ID, 10)}})
		if _, page := buyerGet(t, s, "/p/"+short); !strings.Contains(page, soon.Title) {
			t.Fatalf("fresh ten-day page:\n%s", page)
		}
		s.DB.Clock.Set(time.Now().Add(4 * 24 * time.Hour))
		if _, page := buyerGet(t, s, "/p/"+short); strings.Contains(page, soon.Title) || !strings.Contains(page, story.Title) {
			t.Errorf("after the quote's consent ended the page shows:\n%s", page)
		}
		s.DB.Clock.Set(time.Now().Add(11 * 24 * time.Hour))
		if resp, body := buyerGet(t, s, "/p/"+short); resp.StatusCode != http.StatusNotFound || body != gone {
			t.Errorf("expired link: %d\n%s", resp.StatusCode, body)
		}
		_, body = b.Get("/proofs")
		mustContain(t, "list after expiry", body, "Ten-day page", "Expired", "Revoked")
	})
}

// flip changes a base64url character into another.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
