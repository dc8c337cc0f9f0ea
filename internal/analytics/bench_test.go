package analytics

import (
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// benchQueries are periods × filters: months, quarters, a year, custom runs,
// each with no filter, one segment, an industry in a region, a product, an
// activity type, an owner.
func benchQueries(end vouch.Date) []vouch.MetricQuery {
	filters := []vouch.MetricFilter{{}, {SegmentIDs: []int64{51}}, {IndustryIDs: []int64{2}, RegionIDs: []int64{11}},
		{ProductIDs: []int64{41, 42}}, {ActivityTypeIDs: []int64{71}}, {OwnerIDs: []int64{104}},
		{CountryIDs: []int64{22}, SizeIDs: []int64{61}}}
	y := end.Time().Year()
	periods := [][2]vouch.Date{
		{vouch.NewDate(y, 11, 1), vouch.NewDate(y, 11, 30)},
		{vouch.NewDate(y, 7, 1), vouch.NewDate(y, 9, 30)},
		{vouch.NewDate(y, 1, 1), vouch.NewDate(y, 12, 31)},
		{vouch.NewDate(y-1, 3, 14), vouch.NewDate(y-1, 5, 2)},
		{vouch.NewDate(y, 2, 1), vouch.NewDate(y, 2, 28)},
	}
	var out []vouch.MetricQuery
	for _, p := range periods {
		for _, f := range filters {
			out = append(out, vouch.MetricQuery{Filter: f, From: p[0], To: p[1]})
		}
	}
	return out
}

// cpuTime is the CPU time the process has used: on a loaded machine wall
// clock times include waiting for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

func percentiles(ds []time.Duration) (p50, p95 float64) {
	slices.Sort(ds)
	at := func(p float64) float64 {
		return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000
	}
	return at(0.5), at(0.95)
}

// BenchmarkScorecard measures a whole scorecard (every tile for the period
// and the one before, win rate by stage, breakdowns, the trend) over
// 300,000 deals, 1,000,000 activities and 100,000 references, across 35
// queries. Budget: p95 ≤ 50 ms; the model ≤ 150 MB.
func BenchmarkScorecard(b *testing.B) {
	end := vouch.NewDate(2026, 12, 31)
	before := heapMB()
	m := Generate(300_000, 1_000_000, 100_000, end)
	model := heapMB() - before
	queries := benchQueries(end)
	var ds []time.Duration
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		start := time.Now()
		sc := m.Scorecard(q)
		ds = append(ds, time.Since(start))
		if sc.Tiles[vouch.MetricRequestsReceived] == nil {
			b.Fatal("no tiles")
		}
	}
	b.StopTimer()
	cpuPer := float64((cpuTime() - cpu).Microseconds()) / 1000 / float64(b.N)
	p50, p95 := percentiles(ds)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p95, "p95-ms")
	b.ReportMetric(cpuPer, "cpu-ms/op")
	b.ReportMetric(model, "model-MB")
	runtime.KeepAlive(m)
}

// BenchmarkMetric measures one metric (what a goal reads) at the same scale.
func BenchmarkMetric(b *testing.B) {
	end := vouch.NewDate(2026, 12, 31)
	m := Generate(300_000, 1_000_000, 100_000, end)
	queries := benchQueries(end)
	ids := []vouch.MetricID{vouch.MetricRevenueInfluenced, vouch.MetricRequestsFulfilled, vouch.MetricActiveReferences, vouch.MetricSellerSatisfaction}
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		m.Metric(ids[i%len(ids)], queries[i%len(queries)])
		ds = append(ds, time.Since(start))
	}
	b.StopTimer()
	p50, p95 := percentiles(ds)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p95, "p95-ms")
}

// WriteGenerated writes m's rows into db with plain inserts.
func WriteGenerated(db *store.DB, m *Model) error { return writeGenerated(db, m.d) }

// UseDefaultSettings makes m follow the default settings (no catalog).
func UseDefaultSettings(m *Model) {
	ps := vouch.DefaultProgramSettings()
	m.settings = &ps
}

// writeGenerated writes a generated model's rows with plain multi-row
// inserts (foreign keys of the benchmark's own making are not checked).
func writeGenerated(db *store.DB, d *data) error {
	var raw *sql.DB
	var err error
	if db.Engine == store.SQLite {
		raw, err = sql.Open("sqlite", "file:"+db.Path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(0)&_time_format=sqlite")
	} else {
		raw, err = sql.Open("pgx", db.URL)
	}
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	if db.Engine == store.Postgres {
		if _, err := raw.Exec(`SET session_replication_role = replica`); err != nil {
			return err
		}
	}
	ts := func(day int32) string { return dateOf(day).String() + " 12:00:00" }
	date := func(day int32) string { return dateOf(day).String() }
	batch := func(head string, n int, row func(i int) []any) error {
		const per = 200
		for start := 1; start <= n; start += per {
			stop := min(n, start+per-1)
			var b strings.Builder
			b.WriteString(head)
			var args []any
			for i := start; i <= stop; i++ {
				vals := row(i)
				if i > start {
					b.WriteString(",")
				}
				b.WriteString("(")
				for j := range vals {
					if j > 0 {
						b.WriteString(",")
					}
					if db.Engine == store.Postgres {
						fmt.Fprintf(&b, "$%d", len(args)+j+1)
					} else {
						b.WriteString("?")
					}
				}
				b.WriteString(")")
				args = append(args, vals...)
			}
			if _, err := raw.Exec(b.String(), args...); err != nil {
				return fmt.Errorf("%s: %w", head, err)
			}
		}
		return nil
	}
	nz := func(id int32) any {
		if id == 0 {
			return nil
		}
		return int64(id)
	}
	now := "2026-12-01 12:00:00"
	if _, err := raw.Exec(`INSERT INTO accounts (id, name, name_key, created_at, updated_at) VALUES (1, 'Acme', 'acme', '` + now + `', '` + now + `')`); err != nil {
		return err
	}
	if err := batch(`INSERT INTO opportunities (id, name, amount, currency, stage, close_date, status, owner_id, industry_id, region_id,
		product_id, segment_id, country_id, size_id, created_on, created_at, updated_at) VALUES `, len(d.opps)-1, func(i int) []any {
		o := d.opps[i]
		status := map[uint8]string{oppOpen: "open", oppWon: "won", oppLost: "lost"}[o.status]
		return []any{i, d.oppNames[i], o.amount, d.currencies[o.cur], d.stages[o.stage], date(o.close), status, nz(o.owner), nz(o.industry),
			nz(o.region), nz(o.product), nz(o.segment), nz(o.country), nz(o.size), date(o.created), now, now}
	}); err != nil {
		return err
	}
	if err := batch(`INSERT INTO refs (id, account_id, name, owner_id, last_verified, status, created_at, updated_at) VALUES `, len(d.refs)-1,
		func(i int) []any {
			return []any{i, 1, d.refNames[i], nz(d.refs[i].owner), date(d.refs[i].verified), "active", now, now}
		}); err != nil {
		return err
	}
	type ev struct {
		ref int
		e   statusEvent
	}
	var evs []ev
	for i, es := range d.events {
		for _, e := range es {
			evs = append(evs, ev{i, e})
		}
	}
	if err := batch(`INSERT INTO ref_status_events (ref_id, to_status, actor, at) VALUES `, len(evs), func(i int) []any {
		e := evs[i-1]
		return []any{e.ref, string(refStatuses[e.e.to]), "bench", ts(e.e.day)}
	}); err != nil {
		return err
	}
	if err := batch(`INSERT INTO activities (id, ref_id, type_id, occurred_on, created_at, state, opportunity_id, points, thank_you,
		thank_you_sent_on, opp_stage) VALUES `, len(d.acts)-1, func(i int) []any {
		a := d.acts[i]
		thanks, sent := "", ""
		if a.flags&actThanks != 0 {
			thanks = "gift"
			if a.sent != noDay {
				sent = date(a.sent)
			}
		}
		return []any{i, a.ref, a.typ, date(a.day), now, "done", nz(a.opp), a.points, thanks, sent, d.stages[a.stage]}
	}); err != nil {
		return err
	}
	if err := batch(`INSERT INTO requests (id, requester_id, opportunity_id, activity_type_id, due_date, workflow, state, assignee_id,
		opp_stage, created_at, updated_at, closed_at) VALUES `, len(d.reqs)-1, func(i int) []any {
		r := d.reqs[i]
		var closed any
		if r.closed != noDay {
			closed = ts(r.closed)
		}
		return []any{i, r.requester, r.opp, r.typ, date(r.due), "program_managed", string(reqStates[r.state]), nz(r.assignee),
			d.stages[r.stage], ts(r.created), now, closed}
	}); err != nil {
		return err
	}
	if err := batch(`INSERT INTO asks (id, request_id, ref_id, state, created_at, answered_at) VALUES `, len(d.asks)-1, func(i int) []any {
		a := d.asks[i]
		return []any{i, a.request, a.ref, string(askStates[a.state]), ts(a.answered), ts(a.answered)}
	}); err != nil {
		return err
	}
	if err := batch(`INSERT INTO content_items (id, type_id, title, owner_id, state, created_at, updated_at) VALUES `, len(d.contents)-1,
		func(i int) []any {
			return []any{i, 1, d.titles[i], nz(d.contents[i].owner), "draft", ts(d.contents[i].created), now}
		}); err != nil {
		return err
	}
	if err := batch(`INSERT INTO content_uses (id, content_id, kind, user_id, opportunity_id, opp_stage, at) VALUES `, len(d.uses)-1,
		func(i int) []any {
			u := d.uses[i]
			return []any{i, u.content, "copy_link", nz(u.user), nz(u.opp), d.stages[u.stage], ts(u.day)}
		}); err != nil {
		return err
	}
	if err := batch(`INSERT INTO feedback (id, ask_id, source, rating, created_at) VALUES `, len(d.fbs)-1, func(i int) []any {
		f := d.fbs[i]
		source := "advocate"
		if f.seller {
			source = "seller"
		}
		return []any{i, f.ask, source, int(f.rating), ts(f.day)}
	}); err != nil {
		return err
	}
	return nil
}

// BenchmarkRecentWins300k counts each account's latest win of the last 180
// days over 300,000 opportunities, without the cache: what the first
// campaign page after a write pays.
func BenchmarkRecentWins300k(b *testing.B) {
	end := vouch.NewDate(2026, 12, 31)
	m := Generate(300_000, 1, 1, end)
	lo, hi := dayNum(end.AddDays(-180)), dayNum(end)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		n = len(m.d.recentWins(lo, hi))
	}
	b.ReportMetric(float64(n), "accounts")
}
