package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var requestHref = regexp.MustCompile(`(?:href|value)="(/requests/\d+)(?:#[a-z-]+)?"`)

// requestLinks lists the request pages a page links to (or opens from a
// notification's form).
func requestLinks(body string) []string {
	var out []string
	for _, m := range requestHref.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestNoLinkLeadsToA404 opens, as sellers who did and did not make a
// request, the pages that mention it, and follows every link to a request
// page: each one opens.
func TestNoLinkLeadsToA404(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		owner := testutil.CreateUser(t, s.DB, "olga@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "sue@example.com", vouch.RoleSeller)
		l.acct.OwnerID = owner.ID
		if err := s.DB.UpdateAccount(ctx, l.acct); err != nil {
			t.Fatal(err)
		}
		ref := l.reference(t, "Lena Links", 3)
		a, token := l.ask(t, ref)
		if resp, _ := answer(t, s, "/a/"+token, url.Values{"action": {"accept"}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("accept: %d", resp.StatusCode)
		}
		l.complete(t, a, ref)
		profile := "/references/" + idOf(ref.ID)
		request := "/requests/" + idOf(a.RequestID)

		for _, c := range []struct {
			email    string
			seesLink bool // the request is theirs to open
		}{
			{"sam@example.com", true},  // made the request
			{"olga@example.com", true}, // owns the account of the reference asked
			{"sue@example.com", false}, // another seller
			{"tess@example.com", true}, // the program team
		} {
			b := testutil.Login(t, s, c.email)
			resp, body := b.Get(profile)
			expect(t, c.email+" profile", resp, http.StatusOK, profile)
			links := requestLinks(body)
			if got := strings.Contains(strings.Join(links, " "), request); got != c.seesLink {
				t.Errorf("%s: the profile links to %s: %v, want %v (links %v)", c.email, request, got, c.seesLink, links)
			}
			if !c.seesLink {
				mustContain(t, c.email+" profile", body, "another seller's")
			}
			for _, page := range []string{profile, "/notifications", "/", "/requests", "/account"} {
				_, body := b.Get(page)
				for _, link := range requestLinks(body) {
					if resp, _ := b.Get(link); resp.StatusCode != http.StatusOK {
						t.Errorf("%s: %s links to %s, which answers %d", c.email, page, link, resp.StatusCode)
					}
				}
			}
		}

		// The account changes hands: Olga's notifications about the ask stay,
		// without a link to the request she may no longer open.
		acct, err := s.DB.Account(ctx, l.acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		acct.OwnerID = 0
		if err := s.DB.UpdateAccount(ctx, acct); err != nil {
			t.Fatal(err)
		}
		olga := testutil.Login(t, s, "olga@example.com")
		_, body := olga.Get("/notifications")
		mustContain(t, "former owner's notifications", body, "Lena Links was asked")
		if links := requestLinks(body); len(links) > 0 {
			t.Errorf("the former owner's notifications link to %v", links)
		}
	})
}
