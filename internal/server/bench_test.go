package server_test

// Benchmarks behind docs/performance.md. They assert nothing about time;
// the budgets are checked by reading their output.
//
//	go test -run '^$' -bench 'Login|Dashboard|Ready' -benchmem ./internal/server/

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/web"
)

// latencies collects one duration per request and reports p50 and p95.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	at := func(p float64) float64 {
		return float64(l[int(p*float64(len(l)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}

// BenchmarkServeReady times a start on an empty database: open, migrate,
// server.New, Listen, until GET /healthz answers 200. Budget: < 1 s.
func BenchmarkServeReady(b *testing.B) {
	for _, e := range testutil.Engines(b) {
		b.Run(string(e), func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
			var lat latencies
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				cfg := testutil.DBConfig(b, e) // a new, empty database, made outside the timing
				b.StartTimer()
				start := time.Now()
				ctx, cancel := context.WithCancel(context.Background())
				db, err := store.Open(ctx, cfg)
				if err != nil {
					b.Fatal(err)
				}
				if err := db.Migrate(ctx); err != nil {
					b.Fatal(err)
				}
				srv := newServer(b, db, "127.0.0.1:0")
				if err := srv.Listen(); err != nil {
					b.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- srv.Serve(ctx) }()
				for {
					resp, err := client.Get("http://" + srv.Addr() + "/healthz")
					if err == nil {
						resp.Body.Close()
						if resp.StatusCode == http.StatusOK {
							break
						}
					}
					time.Sleep(time.Millisecond)
				}
				lat = append(lat, time.Since(start))
				b.StopTimer()
				cancel()
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				db.Close()
				b.StartTimer()
			}
			b.StopTimer()
			lat.report(b)
		})
	}
}

// demoServer is a server on a database holding the demo dataset (seed 1),
// with a session cookie of the demo admin.
func demoServer(b *testing.B, e store.Engine) (http.Handler, *http.Cookie) {
	b.Helper()
	db := testutil.OpenDB(b, e)
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
	if _, err := demo.Load(ctx, db, demo.Options{Seed: 1, ReferencesOnly: true}); err != nil {
		b.Fatal(err)
	}
	admin, err := db.UserByEmail(ctx, demo.AdminEmail)
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, admin.ID)
	if err != nil {
		b.Fatal(err)
	}
	return newServer(b, db, "127.0.0.1:0").Handler(), &http.Cookie{Name: web.SessionCookie, Value: token}
}

// benchPage serves GET path through the handler (server time only: no
// network) b.N times and reports the latency percentiles.
func benchPage(b *testing.B, path string, signedIn bool, want string) {
	for _, e := range testutil.Engines(b) {
		h, cookie := demoServer(b, e) // once: b.Run calls the function below for each b.N it tries
		b.Run(string(e), func(b *testing.B) {
			lat := make(latencies, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				if signedIn {
					req.AddCookie(cookie)
				}
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				lat = append(lat, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d\n%s", path, rec.Code, rec.Body.String())
				}
				if i == 0 && !strings.Contains(rec.Body.String(), want) {
					b.Fatalf("GET %s lacks %q:\n%s", path, want, rec.Body.String())
				}
			}
			b.StopTimer()
			lat.report(b)
		})
	}
}

// BenchmarkLoginPage serves the sign-in page to a visitor. Budget: p95 < 5 ms.
func BenchmarkLoginPage(b *testing.B) {
	benchPage(b, "/login", false, `action="/login"`)
}

// BenchmarkDashboard serves the home dashboard to the demo admin. Budget: p95 < 5 ms.
func BenchmarkDashboard(b *testing.B) {
	benchPage(b, "/", true, "Good to see you, Demo Admin")
}
