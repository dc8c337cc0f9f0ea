package web_test

import (
	"bytes"
	"html"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil/pdftext"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var shareLinkRe = regexp.MustCompile(`id="share-link">([^<]+)<`)

// makeShare makes a scorecard link through the page as b and returns its path.
func makeShare(t *testing.T, b *testutil.Browser, form url.Values) string {
	t.Helper()
	b.Get("/scorecard/shares")
	resp, body := b.PostForm("/scorecard/shares", form)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("make link: %d\n%s", resp.StatusCode, body)
	}
	m := shareLinkRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link shown:\n%s", body)
	}
	u, err := url.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

func TestSharedScorecardIsReadOnlyAndReachesNothingElse(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pat@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		pm := testutil.Login(t, s, "pat@example.com")

		// Sellers and viewers may not share; the links page is the managers'.
		for _, who := range []string{"sam@example.com", "vic@example.com"} {
			b := testutil.Login(t, s, who)
			if resp, _ := b.Get("/scorecard/shares"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s opens the links page: %d", who, resp.StatusCode)
			}
			if resp, _ := b.Get("/scorecard/schedules"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s opens the schedules page: %d", who, resp.StatusCode)
			}
		}

		// A bad form names the field and changes nothing.
		pm.Get("/scorecard/shares")
		resp, body := pm.PostForm("/scorecard/shares", url.Values{"period": {"fixed"}, "from": {"2026-13-01"}, "expires_in_days": {"45"}})
		expect(t, "bad link form", resp, http.StatusBadRequest, "/scorecard/shares")
		mustContain(t, "bad link form", body, "First day must be a date like 2026-07-01")

		path := makeShare(t, pm, url.Values{"period": {"current_quarter"}, "expires_in_days": {"7"}, "note": {"Board pack"}})
		if !strings.HasPrefix(path, "/shared/scorecard/") {
			t.Fatalf("link path %q", path)
		}
		token := strings.TrimPrefix(path, "/shared/scorecard/")

		// Anyone with the link sees the scorecard, with no session.
		resp, page := buyerGet(t, s, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("shared page: %d\n%s", resp.StatusCode, page)
		}
		mustContain(t, "shared page", page, "Reference program scorecard", "Requests received", "Revenue influenced",
			"quarter to date", "All segments", `<meta name="robots" content="noindex, nofollow">`, `name="viewport"`)
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("headers %v", resp.Header)
		}
		for _, leak := range []string{"<nav", "csrf", "Sign in", "Board pack", "pat@example.com", "<form"} {
			if strings.Contains(page, leak) {
				t.Errorf("the shared page shows %q", leak)
			}
		}
		// Every href and src is the page itself, a static asset or an inline image.
		for _, m := range regexp.MustCompile(`(?:href|src|action)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
			v := m[1]
			if !strings.HasPrefix(v, "/static/") && v != path && !strings.HasPrefix(v, "data:image/") {
				t.Errorf("the shared page refers to %q", v)
			}
		}
		// The token opens nothing else: not as a path under it, a cookie, a
		// bearer token, nor as a query parameter.
		for _, p := range []string{path + "/x", "/scorecard?token=" + token, "/shared/scorecard/" + token + ".pdf"} {
			if resp, _ := buyerGet(t, s, p); resp.StatusCode == http.StatusOK && !strings.HasSuffix(resp.Request.URL.Path, "/login") {
				t.Errorf("%s answered %d at %s", p, resp.StatusCode, resp.Request.URL.Path)
			}
		}
		for _, p := range []string{"/", "/references", "/scorecard/shares", "/scorecard/export.pdf"} {
			req, _ := http.NewRequest(http.MethodGet, s.URL+p, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			req.AddCookie(&http.Cookie{Name: "vouch_session", Value: token})
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.Request.URL.Path != "/login" {
				t.Errorf("the token opened %s: %d at %s", p, resp.StatusCode, resp.Request.URL.Path)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/scorecard/shares", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the token used on the API: %v %v", resp.StatusCode, err)
		}

		// Altered: not valid (404).
		resp, gone := buyerGet(t, s, path+"x")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(gone, "not valid") {
			t.Errorf("altered link: %d\n%s", resp.StatusCode, gone)
		}

		// Expired after 7 days: 410, saying whom to ask.
		s.DB.Clock.Set(time.Now().Add(8 * 24 * time.Hour))
		resp, gone = buyerGet(t, s, path)
		if resp.StatusCode != http.StatusGone || !strings.Contains(gone, "expired") || !strings.Contains(gone, "Ask Pat") {
			t.Errorf("expired link: %d\n%s", resp.StatusCode, gone)
		}
		s.DB.Clock.Set(time.Now())

		// Revoked from the list: 410 at once.
		_, list := pm.Get("/scorecard/shares")
		mustContain(t, "links list", list, "Always the current quarter", "Board pack", "Active", "Revoke")
		if strings.Contains(list, token) {
			t.Errorf("the link is shown again")
		}
		id := regexp.MustCompile(`/scorecard/shares/(\d+)/revoke`).FindStringSubmatch(list)[1]
		resp, _ = pm.PostForm("/scorecard/shares/"+id+"/revoke", url.Values{})
		expect(t, "revoke", resp, http.StatusOK, "/scorecard/shares")
		if resp, gone := buyerGet(t, s, path); resp.StatusCode != http.StatusGone || !strings.Contains(gone, "withdrawn") {
			t.Errorf("revoked link: %d\n%s", resp.StatusCode, gone)
		}
		n, _ := strconv.Atoi(id)
		audits, _, err := s.DB.ListAudit(ctx, vouch.AuditFilter{EntityType: string(vouch.EntityScorecardShare), EntityID: int64(n)})
		if err != nil || len(audits) != 2 {
			t.Errorf("audited: %d %v", len(audits), err)
		}
	})
}

func TestScorecardExportsAndSchedules(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pat@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		vic := testutil.Login(t, s, "vic@example.com")
		resp, body := vic.Get("/scorecard/export.pdf?period=2026-11")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF") || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "scorecard-2026-11-01-2026-11-30.pdf") {
			t.Fatalf("PDF: %d %v", resp.StatusCode, resp.Header)
		}
		resp, body = vic.Get("/scorecard/export.png?from=2026-01-01&to=2026-03-31")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PNG: %d", resp.StatusCode)
		}
		if _, err := png.Decode(bytes.NewReader([]byte(body))); err != nil {
			t.Errorf("the PNG does not decode: %v", err)
		}
		if resp, body := vic.Get("/scorecard/export.pdf?from=2026-02-30"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad date: %d %s", resp.StatusCode, body)
		}

		pm := testutil.Login(t, s, "pat@example.com")
		pm.Get("/scorecard/schedules")
		resp, body = pm.PostForm("/scorecard/schedules", url.Values{"cadence": {"monthly"}, "recipients": {"ceo@example.com, nobody"}})
		expect(t, "bad schedule", resp, http.StatusBadRequest, "/scorecard/schedules")
		mustContain(t, "bad schedule", body, "&#34;nobody&#34; is not an email address")
		resp, body = pm.PostForm("/scorecard/schedules", url.Values{"cadence": {"quarterly"}, "recipients": {"ceo@example.com\ncfo@example.com"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("schedule: %d\n%s", resp.StatusCode, body)
		}
		mustContain(t, "schedules", body, "Quarterly", "ceo@example.com, cfo@example.com", "Stop")
		list, err := s.DB.ScorecardSchedules(ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("schedules %v %v", list, err)
		}
		resp, body = pm.PostForm("/scorecard/schedules/"+strconv.FormatInt(list[0].ID, 10)+"/delete", url.Values{})
		expect(t, "stop", resp, http.StatusOK, "/scorecard/schedules")
		mustContain(t, "stopped", body, "Nothing scheduled")
	})
}

// TestSharedScorecardIgnoresTampering: a fixed-period link shows its own
// period and filters whatever the query string says; a link whose nonce or
// signature was changed is not valid; the token opens no proof page, no
// API call and no other scorecard.
func TestSharedScorecardIgnoresTampering(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pat@example.com", vouch.RoleProgramManager)
		testutil.AddScorecardDeals(t, s.DB)
		pm := testutil.Login(t, s, "pat@example.com")
		path := makeShare(t, pm, url.Values{"period": {"fixed"}, "from": {"2026-07-01"}, "to": {"2026-09-30"},
			"industry": {"Healthcare"}, "expires_in_days": {"30"}})
		token := strings.TrimPrefix(path, "/shared/scorecard/")

		resp, page := buyerGet(t, s, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("shared page: %d", resp.StatusCode)
		}
		mustContain(t, "shared page", page, "USD 360,000", "Industry: Healthcare")
		for _, q := range []string{"?period=2025-Q1", "?from=2025-01-01&to=2025-03-31", "?industry=Financial+Services",
			"?segment=Mid-Market&kind=year&anchor=2025-01-01", "?from=2026-07-01&to=2026-09-30&owner=1"} {
			resp, tampered := buyerGet(t, s, path+q)
			if resp.StatusCode != http.StatusOK || !strings.Contains(tampered, "USD 360,000") || !strings.Contains(tampered, "Industry: Healthcare") ||
				strings.Contains(tampered, "2025") || strings.Contains(tampered, "Financial Services") || strings.Contains(tampered, "Segment:") {
				t.Errorf("%s: %d, the shared page follows the query string", q, resp.StatusCode)
			}
		}

		// One character changed in the nonce or in the signature: not valid.
		body, sig, _ := strings.Cut(token, ".")
		flip := func(s string, i int) string {
			c := byte('A')
			if s[i] == 'A' {
				c = 'B'
			}
			return s[:i] + string(c) + s[i+1:]
		}
		for name, bad := range map[string]string{
			"nonce":          flip(body, len(body)-1) + "." + sig,
			"signature":      body + "." + flip(sig, 0),
			"purpose":        flip(body, 0) + "." + sig,
			"no signature":   body,
			"signature only": "." + sig,
		} {
			if resp, gone := buyerGet(t, s, "/shared/scorecard/"+bad); resp.StatusCode != http.StatusNotFound || !strings.Contains(gone, "not valid") {
				t.Errorf("%s changed: %d", name, resp.StatusCode)
			}
		}
		// Not a proof page, not a proof's file.
		for _, p := range []string{"/p/" + token, "/p/" + token + "/files/1"} {
			if resp, _ := buyerGet(t, s, p); resp.StatusCode == http.StatusOK {
				t.Errorf("the scorecard token opened %s", p)
			}
		}
		// Not the API, as a bearer token or a query parameter.
		for _, p := range []string{"/api/v1/scorecard?period=2026-Q3", "/api/v1/references", "/api/v1/scorecard?period=2026-Q3&token=" + token} {
			req, _ := http.NewRequest(http.MethodGet, s.URL+p, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("the token on %s: %d, want 401", p, resp.StatusCode)
			}
		}
	})
}

// TestScorecardPDFHoldsTheTileValues: the PDF of a quarter of known deals,
// downloaded as a viewer, is one page whose text holds every tile's value
// and change as the shared page of the same period and filters writes
// them; the PDF of an empty quarter writes "—", never 0% or NaN.
func TestScorecardPDFHoldsTheTileValues(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pat@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		testutil.AddScorecardDeals(t, s.DB)
		pm, vic := testutil.Login(t, s, "pat@example.com"), testutil.Login(t, s, "vic@example.com")

		path := makeShare(t, pm, url.Values{"period": {"fixed"}, "from": {"2026-07-01"}, "to": {"2026-09-30"},
			"industry": {"Healthcare"}, "expires_in_days": {"30"}})
		_, shared := buyerGet(t, s, path)
		tileRe := regexp.MustCompile(`(?s)<h3>([^<]+)</h3>\s*<p class="big-number">([^<]+)</p>\s*<p class="muted small">Before: ([^<]+) · Change: ([^<]+)</p>`)
		tiles := tileRe.FindAllStringSubmatch(shared, -1)
		if len(tiles) < 25 {
			t.Fatalf("%d tiles on the shared page", len(tiles))
		}

		resp, body := vic.Get("/scorecard/export.pdf?from=2026-07-01&to=2026-09-30&industry=Healthcare")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PDF: %d", resp.StatusCode)
		}
		text, pages := pdftext.Words(t, []byte(body))
		if pages != 1 {
			t.Errorf("the PDF has %d pages, want one", pages)
		}
		for _, want := range []string{"Industry: Healthcare", "EUR 20,000, USD 360,000", "75.0%", "50.0%", "+25.0 pts"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF's text lacks %q:\n%s", want, text)
			}
		}
		for _, m := range tiles {
			label, value, change := html.UnescapeString(m[1]), html.UnescapeString(m[2]), html.UnescapeString(m[4])
			if !strings.Contains(text, value) || !strings.Contains(text, change) {
				t.Errorf("tile %s: the shared page shows %q (change %q); the PDF's text lacks it", label, value, change)
			}
		}

		_, body = vic.Get("/scorecard/export.pdf?period=2025-Q1")
		empty, _ := pdftext.Words(t, []byte(body))
		if strings.Contains(empty, "NaN") || strings.Contains(empty, "0.0%") || strings.Count(empty, "—") < len(tiles) {
			t.Errorf("the PDF of an empty quarter: %s", empty)
		}
	})
}
