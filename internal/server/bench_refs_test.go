package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/web"
)

// BenchmarkReferencesPage100k serves the references list — search, all
// facet counts and a page of 50 rows rendered — with 100,000 references in
// the index. Budget: < 50 ms. It also logs the Go heap the index holds
// (budget for the whole process: < 300 MB resident).
func BenchmarkReferencesPage100k(b *testing.B) {
	db := testutil.OpenDB(b, store.SQLite)
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "bench"})
	u := testutil.CreateUser(b, db, "pm@example.com", vouch.RoleProgramManager)
	token, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	srv := newServer(b, db, "127.0.0.1:0")
	values, err := db.ListTaxonomy(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	// The database holds no references: the index is filled in memory, as
	// a load of 100,000 would fill it, to measure the page at that scale.
	srv.Index().Replace(values, 3, demo.Records(1, 100_000, values, []int64{u.ID}, db.Today()))
	runtime.GC()
	runtime.ReadMemStats(&after)
	// A parent benchmark's metrics are not printed when it has sub-benchmarks: log them.
	b.Logf("index of 100,000 references: %.0f MB of Go heap; the process holds %.0f MB from the OS",
		float64(after.HeapInuse-before.HeapInuse)/(1<<20), float64(after.Sys)/(1<<20))

	h := srv.Handler()
	cookie := &http.Cookie{Name: web.SessionCookie, Value: token}
	for _, path := range []string{
		"/references",
		"/references?industry=Healthcare&region=EMEA&has_capacity=1",
		"/references?q=cloud+migration&status=active",
	} {
		b.Run(strings.TrimPrefix(path, "/references"), func(b *testing.B) {
			lat := make(latencies, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				lat = append(lat, time.Since(start))
				if rec.Code != http.StatusOK || (i == 0 && !strings.Contains(rec.Body.String(), " references")) {
					b.Fatalf("GET %s: %d\n%s", path, rec.Code, rec.Body.String()[:min(2000, rec.Body.Len())])
				}
			}
			b.StopTimer()
			lat.report(b)
		})
	}
}
