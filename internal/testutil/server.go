package testutil

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/server"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// Password is the password of every user the helpers create.
const Password = "correct horse battery"

// Server is a real Vouch server on a loopback port with a fresh database.
type Server struct {
	URL string
	DB  *store.DB
}

// StartServer starts a real server (the same wiring as `vouch serve`) on a
// free loopback port with a new database of the engine; it stops when the test ends.
func StartServer(t testing.TB, e store.Engine) *Server {
	t.Helper()
	return StartServerWith(t, e, server.Config{})
}

// StartServerWith is StartServer with cfg, e.g. SMTP settings that send
// mail to an SMTPSink. An empty Addr is a free loopback port; an empty
// Logger logs warnings to the test's log when -v is given.
func StartServerWith(t testing.TB, e store.Engine, cfg server.Config) *Server {
	t.Helper()
	db := OpenDB(t, e)
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		if testing.Verbose() {
			cfg.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
		}
	}
	// The production drain timeout, not a shorter one: net/http counts a
	// connection a client opened but never used as busy for 5 s, and clients
	// firing concurrent requests leave such connections behind.
	srv, err := server.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server stopped with: %v", err)
		}
	})
	return &Server{URL: "http://" + srv.Addr(), DB: db}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// CreateUser adds a user with Password.
func CreateUser(t testing.TB, db *store.DB, email string, role vouch.Role) *vouch.User {
	t.Helper()
	u := &vouch.User{Email: email, Name: cases.Title(language.Und, cases.NoLower).String(strings.Split(email, "@")[0]), Role: role}
	if err := db.CreateUser(vouch.WithActor(context.Background(), vouch.Actor{Label: "test"}), u, Password); err != nil {
		t.Fatal(err)
	}
	return u
}

// Token issues an API token for the user and returns its secret.
func Token(t testing.TB, db *store.DB, u *vouch.User) string {
	t.Helper()
	secret, _, err := db.CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// Browser is a plain HTTP client with a cookie jar, signed in as one user.
// It sends the Origin header a real browser sends, so CSRF checks apply.
type Browser struct {
	t      testing.TB
	Client *http.Client
	Base   string
	CSRF   string // the token of the last page that had one
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// Login signs in as email with Password and returns the client.
func Login(t testing.TB, s *Server, email string) *Browser {
	t.Helper()
	return LoginWith(t, s, email, Password)
}

// LoginWith signs in as email with password (a demo user's, say) and
// returns the client.
func LoginWith(t testing.TB, s *Server, email, password string) *Browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &Browser{t: t, Base: s.URL, Client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}}
	resp, body := b.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if resp.StatusCode != http.StatusOK || strings.Contains(body, `action="/login"`) {
		t.Fatalf("login as %s: status %d\n%s", email, resp.StatusCode, body)
	}
	return b
}

// Get fetches path and returns the response and body.
func (b *Browser) Get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.Base+path, nil)
	return b.do(req)
}

// PostForm posts the form to path, adding the CSRF token of the last page.
func (b *Browser) PostForm(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if form.Get("csrf") == "" && b.CSRF != "" {
		form.Set("csrf", b.CSRF)
	}
	req, _ := http.NewRequest(http.MethodPost, b.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.Base)
	return b.do(req)
}

func (b *Browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.Client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		b.t.Fatal(err)
	}
	body := string(data)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		b.CSRF = m[1]
	}
	return resp, body
}
