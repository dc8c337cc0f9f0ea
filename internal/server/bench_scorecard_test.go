package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/web"
)

// BenchmarkScorecardPage1M serves the scorecard to an executive — the
// engine's figures for the period and the one before, the charts drawn as
// SVG, the page rendered — and its PDF, with the metrics engine holding
// 300,000 deals, 1,000,000 activities and 100,000 references (filled in
// memory, as analytics.Generate makes them, the database holding none).
// Budgets: the page p95 ≤ 100 ms, the PDF ≤ 1 s. It logs the Go heap the
// model adds (budget: ≤ 150 MB).
func BenchmarkScorecardPage1M(b *testing.B) {
	db := testutil.OpenDB(b, store.SQLite)
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "bench"})
	u := testutil.CreateUser(b, db, "eve@example.com", vouch.RoleViewer)
	token, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	srv := newServer(b, db, "127.0.0.1:0")
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	srv.Metrics().ReplaceWith(analytics.Generate(300_000, 1_000_000, 100_000, vouch.NewDate(2026, 12, 31)))
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Logf("metrics engine with 300,000 deals, 1,000,000 activities, 100,000 references: %.0f MB of Go heap",
		float64(after.HeapInuse-before.HeapInuse)/(1<<20))

	h := srv.Handler()
	cookie := &http.Cookie{Name: web.SessionCookie, Value: token}
	serve := func(b *testing.B, path, want string) time.Duration {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		took := time.Since(start)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			b.Fatalf("GET %s: %d, lacks %q\n%.2000s", path, rec.Code, want, rec.Body.String())
		}
		return took
	}
	pages := []string{}
	for _, p := range []string{"period=2026-11", "period=2026-Q3", "period=2026", "from=2025-03-14&to=2025-05-02", "period=2026-02"} {
		for _, f := range []string{"", "&industry=Healthcare", "&segment=Enterprise&region=EMEA", "&activity_type=Call"} {
			pages = append(pages, "/scorecard?"+p+f)
		}
	}
	b.Run("page", func(b *testing.B) {
		lat := make(latencies, 0, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			lat = append(lat, serve(b, pages[i%len(pages)], `id="tile-revenue_influenced"`))
		}
		b.StopTimer()
		lat.report(b)
	})
	b.Run("pdf", func(b *testing.B) {
		lat := make(latencies, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			lat = append(lat, serve(b, "/scorecard/export.pdf?"+strings.TrimPrefix(pages[i%len(pages)], "/scorecard?"), "%PDF"))
		}
		b.StopTimer()
		lat.report(b)
	})
	runtime.KeepAlive(srv)
}
