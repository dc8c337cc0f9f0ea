package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

// eachEngine runs fn once per engine, each with its own server and database.
func eachEngine(t *testing.T, fn func(t *testing.T, s *testutil.Server)) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) { fn(t, testutil.StartServer(t, e)) })
	}
}

// mustContain fails the test unless body contains every want.
func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Fatalf("%s: page does not contain %q\n%s", what, w, body)
		}
	}
}

// expect checks a response's status and final path.
func expect(t *testing.T, what string, resp *http.Response, status int, path string) {
	t.Helper()
	if resp.StatusCode != status || (path != "" && resp.Request.URL.Path != path) {
		t.Fatalf("%s: got %d at %s, want %d at %s", what, resp.StatusCode, resp.Request.URL.Path, status, path)
	}
}

// postWithoutCSRF posts form the way a forged same-origin form would: the
// browser's cookies and Origin, but no csrf field.
func postWithoutCSRF(t *testing.T, b *testutil.Browser, path string, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.Base)
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// signedOut reports whether the browser's session has ended: the home page
// sends it to sign in.
func signedOut(t *testing.T, b *testutil.Browser) bool {
	t.Helper()
	resp, _ := b.Get("/")
	return resp.Request.URL.Path == "/login"
}

func userByEmail(t *testing.T, db *store.DB, email string) *vouch.User {
	t.Helper()
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
