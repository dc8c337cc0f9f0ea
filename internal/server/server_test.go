package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/server"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newServer(t testing.TB, db *store.DB, addr string) *server.Server {
	t.Helper()
	srv, err := server.New(db, server.Config{Addr: addr, Logger: quiet}) // the production drain timeout
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func get(t testing.TB, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestHealthAndReadiness(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		h := newServer(t, db, "127.0.0.1:0").Handler()
		for _, path := range []string{"/healthz", "/readyz"} {
			if rec := get(t, h, path); rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
				t.Errorf("%s: %d %q", path, rec.Code, rec.Body.String())
			}
		}
		db.Close()
		if rec := get(t, h, "/readyz"); rec.Code != http.StatusServiceUnavailable || rec.Body.String() != "database unreachable\n" {
			t.Errorf("/readyz with the database closed: %d %q, want 503", rec.Code, rec.Body.String())
		}
		if rec := get(t, h, "/healthz"); rec.Code != http.StatusOK {
			t.Errorf("/healthz with the database closed: %d, want 200 (the process is alive)", rec.Code)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	h := newServer(t, testutil.OpenDB(t, store.SQLite), "127.0.0.1:0").Handler()
	for _, path := range []string{"/healthz", "/login", "/no-such-page", "/api/v1/me"} {
		rec := get(t, h, path)
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "same-origin",
		} {
			if got := rec.Header().Get(name); got != want {
				t.Errorf("%s: %s is %q, want %q", path, name, got, want)
			}
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
	}
}

// HSTS is sent when the base URL is https, and only then.
func TestStrictTransportSecurity(t *testing.T) {
	for _, tc := range []struct{ base, want string }{
		{"https://vouch.example.com", "max-age=31536000; includeSubDomains"},
		{"http://vouch.example.com", ""},
		{"", ""},
	} {
		srv, err := server.New(testutil.OpenDB(t, store.SQLite), server.Config{Addr: "127.0.0.1:0", BaseURL: tc.base, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/login", "/api/v1/me", "/healthz"} {
			if got := get(t, srv.Handler(), path).Header().Get("Strict-Transport-Security"); got != tc.want {
				t.Errorf("base URL %q, %s: Strict-Transport-Security %q, want %q", tc.base, path, got, tc.want)
			}
		}
	}
}

// Metrics are labelled by route pattern, not by path, so ids and typos in
// URLs cannot grow the label space.
func TestMetricsByRoute(t *testing.T) {
	h := newServer(t, testutil.OpenDB(t, store.SQLite), "127.0.0.1:0").Handler()
	for _, path := range []string{"/static/nope-1.css", "/static/nope-2.css", "/api/v1/nope-1", "/api/v1/nope-2", "/nope-1", "/nope-2"} {
		get(t, h, path)
	}
	body := get(t, h, "/metrics").Body.String()
	for _, want := range []string{
		`vouch_http_requests_total{code="404",method="GET",route="GET /static/"} 2`,
		`vouch_http_requests_total{code="404",method="GET",route="/api/"} 2`,
		`vouch_http_requests_total{code="404",method="GET",route="/"} 2`,
		`vouch_http_request_duration_seconds_count{route="GET /static/"} 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, bad := range []string{"nope-1", "nope-2"} {
		if strings.Contains(body, bad) {
			t.Errorf("/metrics names the path %s", bad)
		}
	}
}

func TestListenPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srv := newServer(t, testutil.OpenDB(t, store.SQLite), ln.Addr().String())
	err = srv.Listen()
	want := "cannot listen on " + ln.Addr().String() + ": the port is already in use"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Listen on a busy port: %v, want %q…", err, want)
	}
}

func TestServeStopsWhenCancelled(t *testing.T) {
	srv := newServer(t, testutil.OpenDB(t, store.SQLite), "127.0.0.1:0")
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(srv.Addr(), ":0") {
		t.Fatalf("Addr is %s, want the bound port", srv.Addr())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	resp, err := http.Get("http://" + srv.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v after cancel, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return within 5s of cancel")
	}
	if _, err := net.DialTimeout("tcp", srv.Addr(), time.Second); err == nil {
		t.Error("still listening after Serve returned")
	}
}
