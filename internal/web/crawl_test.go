package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var pageHref = regexp.MustCompile(`href="(/[^"#]*)`)

// digits collapses ids, so that a crawl opens a few pages of each kind
// rather than every reference.
var digits = regexp.MustCompile(`\d+`)

// TestEveryLinkOpens signs in to a demo program as each role and follows
// every link the pages show, from the home page on: none may lead to a page
// the viewer may not open (403), one that does not exist (404) or an error.
func TestEveryLinkOpens(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		if _, err := demo.Load(ctx, s.DB, demo.Options{Seed: 1, References: 40, BaseURL: s.URL}); err != nil {
			t.Fatal(err)
		}
		users, err := s.DB.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		first := map[vouch.Role]string{}
		for _, u := range users {
			if first[u.Role] == "" {
				first[u.Role] = u.Email
			}
		}
		for _, role := range vouch.Roles {
			email := first[role]
			if email == "" {
				t.Fatalf("the demo has no %s", role)
			}
			t.Run(string(role), func(t *testing.T) {
				b := testutil.LoginWith(t, s, email, demo.Password)
				seen, perKind := map[string]bool{}, map[string]int{}
				queue := []string{"/"}
				from := map[string]string{"/": "(start)"}
				opened := 0
				for len(queue) > 0 && opened < 250 {
					path := queue[0]
					queue = queue[1:]
					resp, body := b.Get(path)
					opened++
					if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound || resp.StatusCode >= 500 {
						t.Errorf("%s: %s (linked from %s) answers %d", role, path, from[path], resp.StatusCode)
						continue
					}
					if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
						continue
					}
					for _, m := range pageHref.FindAllStringSubmatch(body, -1) {
						link := html.UnescapeString(m[1])
						if seen[link] || strings.HasPrefix(link, "/static/") || strings.HasPrefix(link, "/a/") || strings.HasPrefix(link, "/f/") {
							continue
						}
						seen[link] = true
						kind, _, _ := strings.Cut(digits.ReplaceAllString(link, "N"), "?")
						if perKind[kind]++; perKind[kind] > 3 {
							continue
						}
						from[link] = path
						queue = append(queue, link)
					}
				}
				// The crawl reaches each role's pages (a viewer has few: home, their account, notifications).
				want := map[vouch.Role]int{vouch.RoleAdmin: 40, vouch.RoleProgramManager: 30, vouch.RoleTeamMember: 30,
					vouch.RoleSeller: 20, vouch.RoleViewer: 3}[role]
				if opened < want {
					t.Errorf("%s: only %d pages opened, want at least %d", role, opened, want)
				}
				t.Logf("%s: %d pages of %d kinds opened", role, opened, len(perKind))
			})
		}
	})
}
