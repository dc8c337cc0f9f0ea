package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestPagesLinkStaticFilesByTheirHash(t *testing.T) {
	s := testutil.StartServer(t, store.SQLite)
	testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
	pm := testutil.Login(t, s, "pam@example.com")
	anon := &testutil.Browser{}
	*anon = *pm
	anon.Client = &http.Client{}
	link := regexp.MustCompile(`(?:href|src)="(/static/[^"]*)"`)
	hashed := regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{10}\.[a-z]+$`)
	pages := []struct {
		name string
		get  func() (*http.Response, string)
	}{
		{"sign-in page", func() (*http.Response, string) { return anon.Get("/login") }},
		{"dashboard", func() (*http.Response, string) { return pm.Get("/") }},
		{"import page", func() (*http.Response, string) { return pm.Get("/references/import") }},
		{"not found page", func() (*http.Response, string) { return pm.Get("/nowhere") }},
		{"advocate layout", func() (*http.Response, string) { return anon.Get("/a/not-a-real-link") }},
	}
	for _, p := range pages {
		_, body := p.get()
		urls := link.FindAllStringSubmatch(body, -1)
		if len(urls) < 2 {
			t.Errorf("%s links %d static files, want the style sheet and the icon at least", p.name, len(urls))
		}
		for _, m := range urls {
			if !hashed.MatchString(m[1]) {
				t.Errorf("%s links %s, not a hashed URL", p.name, m[1])
				continue
			}
			resp, err := http.Get(s.URL + m[1])
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Errorf("%s: %d, Cache-Control %q", m[1], resp.StatusCode, resp.Header.Get("Cache-Control"))
			}
		}
	}
	// Old addresses still answer, briefly cached; made-up hashes do not.
	for path, want := range map[string]int{"/static/style.css": 200, "/static/live.js": 200, "/static/style.0123456789.css": 404} {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
		if want == 200 && resp.Header.Get("Cache-Control") != "public, max-age=300" {
			t.Errorf("%s: Cache-Control %q, want a short cache", path, resp.Header.Get("Cache-Control"))
		}
	}
}
