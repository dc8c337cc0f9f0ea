package analytics_test

import (
	"database/sql"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// BenchmarkLoad measures loading the model from a database: 30,000 deals,
// 100,000 activities, 10,000 references and in proportion the rest,
// written with plain inserts. It also times, for context, revenue
// influenced by plain SQL (GROUP BY with the influence subqueries) over the
// same rows. VOUCH_BENCH_ENGINE=postgres runs it on PostgreSQL.
func BenchmarkLoad(b *testing.B) {
	engine := store.SQLite
	if os.Getenv("VOUCH_BENCH_ENGINE") == "postgres" {
		engine = store.Postgres
	}
	db := testutil.OpenDB(b, engine)
	end := vouch.NewDate(2026, 12, 31)
	src := analytics.Generate(30_000, 100_000, 10_000, end)
	if err := analytics.WriteGenerated(db, src); err != nil {
		b.Fatal(err)
	}
	var m *analytics.Model
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m = analytics.New(db, nil, nil)
		analytics.UseDefaultSettings(m)
		if err := m.Load(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// The Go heap a loaded model holds, beside a generated one of the same
	// rows: what the budget's 150 MB at 1,000,000 activities scales from.
	heap := func() float64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapAlloc) / (1 << 20)
	}
	before := heap()
	loaded := analytics.New(db, nil, nil)
	analytics.UseDefaultSettings(loaded)
	if err := loaded.Load(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(heap()-before, "loaded-model-MB")
	before = heap()
	generated := analytics.Generate(30_000, 100_000, 10_000, end)
	b.ReportMetric(heap()-before, "generated-model-MB")
	runtime.KeepAlive(loaded)
	runtime.KeepAlive(generated)
	q := vouch.MetricQuery{From: vouch.NewDate(2026, 1, 1), To: vouch.NewDate(2026, 12, 31)}
	got := m.Metric(vouch.MetricDealsInfluenced, q)
	want := src.Metric(vouch.MetricDealsInfluenced, q)
	if got.N != want.N {
		b.Fatalf("loaded model counts %d deals influenced, the generated one %d", got.N, want.N)
	}
	raw := rawDB(b, db)
	var n, sum sql.NullFloat64
	var sqlTimes, engineTimes []time.Duration
	for i := 0; i < 5; i++ {
		start := time.Now()
		err := raw.QueryRow(`SELECT COUNT(*), SUM(d.amount) FROM opportunities d WHERE d.status = 'won' AND d.close_date >= '2026-01-01'
			AND d.close_date <= '2026-12-31' AND (EXISTS (SELECT 1 FROM activities a WHERE a.opportunity_id = d.id AND a.state = 'done'
			AND a.occurred_on <= d.close_date) OR EXISTS (SELECT 1 FROM content_uses u WHERE u.opportunity_id = d.id
			AND substr(CAST(u.at AS TEXT), 1, 10) <= d.close_date))`).Scan(&n, &sum)
		if err != nil {
			b.Fatal(err)
		}
		sqlTimes = append(sqlTimes, time.Since(start))
		start = time.Now()
		m.Metric(vouch.MetricRevenueInfluenced, q)
		engineTimes = append(engineTimes, time.Since(start))
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	b.ReportMetric(median(sqlTimes), "sql-revenue-ms")
	b.ReportMetric(median(engineTimes), "engine-revenue-ms")
	if int(n.Float64) != want.N {
		b.Fatalf("plain SQL counts %v deals influenced, the engine %d", n.Float64, want.N)
	}
}

func rawDB(b *testing.B, db *store.DB) *sql.DB {
	var raw *sql.DB
	var err error
	if db.Engine == store.SQLite {
		raw, err = sql.Open("sqlite", "file:"+db.Path+"?_pragma=busy_timeout(10000)&_time_format=sqlite")
	} else {
		raw, err = sql.Open("pgx", db.URL)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	return raw
}
