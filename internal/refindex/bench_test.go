package refindex_test

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// wallDay is today as an index without a database counts it: by the wall
// clock, in UTC. Generated records are dated from it.
func wallDay() vouch.Date { return vouch.NewClock(nil).Today() }

// generated builds n references in memory with the demo generator over the
// default taxonomies, the way they would load from the database.
func generated(n int) (*refindex.Index, []*vouch.TaxonomyValue) {
	var values []*vouch.TaxonomyValue
	id := int64(0)
	for _, kind := range vouch.TaxonomyKinds {
		for i, name := range vouch.DefaultTaxonomies[kind] {
			id++
			values = append(values, &vouch.TaxonomyValue{ID: id, Kind: kind, Name: name, Position: i})
		}
	}
	ix := refindex.New(nil, nil, nil)
	ix.Replace(values, 3, demo.Records(1, n, values, []int64{1, 2, 3, 4, 5}, wallDay()))
	return ix, values
}

// BenchmarkSearch100k measures filtered + full-text search with facet counts
// over 100,000 references. Budget: p95 ≤ 3 ms.
func BenchmarkSearch100k(b *testing.B) {
	ix, _ := generated(100_000)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	healthcare := ix.Catalog().ValueID(vouch.TaxIndustry, "Healthcare")
	emea := ix.Catalog().ValueID(vouch.TaxRegion, "EMEA")
	call := ix.Catalog().ValueID(vouch.TaxActivityType, "Call")
	analytics := ix.Catalog().ValueID(vouch.TaxProduct, "Analytics")
	facets := []string{"industry", "region", "product", "activity_type", "status", "capacity"}
	queries := []refindex.Query{
		{Text: "cloud migration", Filters: map[string][]int64{"industry": {healthcare}}, CountFacets: facets},
		{Filters: map[string][]int64{"region": {emea}, "activity_type": {call}, "capacity": {1}}, CountFacets: facets},
		{Text: "reporting", Filters: map[string][]int64{"product": {analytics}, "status": {refindex.StatusKey(vouch.StatusActive)}}, CountFacets: facets},
		{Text: "chief", Sort: "name"},
		{Text: "complianse"}, // a typo
		{Text: "glob"},       // as you type
		{CountFacets: facets},
	}
	durations := make([]time.Duration, 0, b.N)
	total := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res := ix.Search(queries[i%len(queries)])
		durations = append(durations, time.Since(start))
		total += res.Total
	}
	b.StopTimer()
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
	if total == 0 {
		b.Fatal("no query found anything")
	}
}

// BenchmarkEachQuery times the search's query shapes one by one.
func BenchmarkEachQuery(b *testing.B) {
	ix, _ := generated(100_000)
	healthcare := ix.Catalog().ValueID(vouch.TaxIndustry, "Healthcare")
	facets := []string{"industry", "region", "product", "activity_type", "status", "capacity"}
	for i, q := range []refindex.Query{
		{Text: "cloud migration", Filters: map[string][]int64{"industry": {healthcare}}, CountFacets: facets},
		{Filters: map[string][]int64{"industry": {healthcare}}, CountFacets: facets},
		{Text: "chief", Sort: "name"},
		{Text: "complianse"},
		{Text: "glob"},
		{CountFacets: facets},
		{},
	} {
		b.Run(fmt.Sprint(i), func(b *testing.B) {
			for j := 0; j < b.N; j++ {
				ix.Search(q)
			}
		})
	}
}

// BenchmarkIndexLoad100k measures building the index from loaded records.
func BenchmarkIndexLoad100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		generated(100_000)
	}
}

func TestGeneratedQueriesFindThings(t *testing.T) {
	ix, _ := generated(2000)
	for _, q := range []string{"cloud", "chief", "complianse", "glob"} {
		if res := ix.Search(refindex.Query{Text: q}); res.Total == 0 {
			t.Errorf("%q found nothing in 2,000 generated references", q)
		}
	}
}

// TestLargeScanAgreesWithBruteForce checks the parallel scan of a large index
// (parts merged: totals, facet counts, the best hits) against a plain pass
// over the same generated references.
func TestLargeScanAgreesWithBruteForce(t *testing.T) {
	const n = 30_000
	ix, values := generated(n)
	recs := demo.Records(1, n, values, []int64{1, 2, 3, 4, 5}, wallDay())
	healthcare := ix.Catalog().ValueID(vouch.TaxIndustry, "Healthcare")
	total, byRegion := 0, map[string]int{}
	var names []string
	for _, r := range recs {
		if r.Account.IndustryID == healthcare {
			total++
			byRegion[ix.Catalog().ValueName(r.Account.RegionID)]++
			names = append(names, strings.ToLower(r.Reference.Name))
		}
	}
	slices.Sort(names)
	res := ix.Search(refindex.Query{Filters: map[string][]int64{"industry": {healthcare}}, CountFacets: []string{"region"}, Limit: 100})
	if res.Total != total {
		t.Errorf("total %d, want %d", res.Total, total)
	}
	for _, v := range res.Facets["region"] {
		if v.Count != byRegion[v.Name] {
			t.Errorf("region %s counts %d, want %d", v.Name, v.Count, byRegion[v.Name])
		}
	}
	for i, h := range res.Hits {
		if got := strings.ToLower(h.Reference.Name); got != names[i] {
			t.Fatalf("hit %d is %q, want %q", i, got, names[i])
		}
	}
}

// BenchmarkMatch100k measures matching a reference request over 100,000
// references: the hard rules, criteria met and missed, and ranking the first
// page with reasons. Budget: p95 ≤ 2 ms.
func BenchmarkMatch100k(b *testing.B) {
	ix, queries := matchBench()
	durations := make([]time.Duration, 0, b.N)
	found, noneMeetAll := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res := ix.Match(queries[i%len(queries)])
		durations = append(durations, time.Since(start))
		found += len(res.Items)
		if res.Criteria > 0 && res.MeetAll == 0 {
			noneMeetAll++
		}
	}
	b.StopTimer()
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
	if found == 0 || (b.N >= len(queries) && noneMeetAll == 0) {
		b.Fatalf("found %d, none meeting every criterion %d", found, noneMeetAll)
	}
}

// BenchmarkEachMatch times BenchmarkMatch100k's request shapes one by one.
func BenchmarkEachMatch(b *testing.B) {
	ix, queries := matchBench()
	for i, q := range queries {
		b.Run(fmt.Sprint(i), func(b *testing.B) {
			for j := 0; j < b.N; j++ {
				ix.Match(q)
			}
		})
	}
}

// BenchmarkMatchPage100k measures a later page of a request's matches
// (page 5 of 20, and the references failing a rule) over 100,000 references.
func BenchmarkMatchPage100k(b *testing.B) {
	ix, queries := matchBench()
	b.Run("page5", func(b *testing.B) {
		q := queries[3]
		q.Offset, q.Limit = 80, 20
		for j := 0; j < b.N; j++ {
			ix.Match(q)
		}
	})
	b.Run("ineligible", func(b *testing.B) {
		q := queries[0]
		for j := 0; j < b.N; j++ {
			ix.Ineligible(q)
		}
	})
}

// matchBench is 100,000 generated references, some asked lately, and
// requests of several shapes: three criteria; three with exclusions; none;
// nine that nobody meets together; one with a long due date and a larger
// page.
func matchBench() (*refindex.Index, []refindex.MatchQuery) {
	const n = 100_000
	today := wallDay()
	_, values := generated(0)
	recs := demo.Records(1, n, values, []int64{1, 2, 3, 4, 5}, today)
	for i := range recs {
		if i%7 == 0 { // some were asked lately
			recs[i].LastAsked = today.AddDays(-(i / 7 % 120))
		}
	}
	ix := refindex.New(nil, nil, nil)
	ix.Replace(values, 3, recs)
	runtime.GC()
	v := func(kind vouch.TaxonomyKind, name string) int64 { return ix.Catalog().ValueID(kind, name) }
	call, study := v(vouch.TaxActivityType, "Call"), v(vouch.TaxActivityType, "Case study")
	queries := []refindex.MatchQuery{
		{ActivityTypeID: call, DueDate: today.AddDays(14), Criteria: vouch.Criteria{IndustryID: v(vouch.TaxIndustry, "Healthcare"),
			RegionID: v(vouch.TaxRegion, "EMEA"), ProductID: v(vouch.TaxProduct, "Analytics")}},
		{ActivityTypeID: call, DueDate: today.AddDays(30), Criteria: vouch.Criteria{RegionID: v(vouch.TaxRegion, "EMEA"),
			Language: "German", Seniority: "executive"}, Exclude: map[int64]bool{1: true, 2: true, 3: true}},
		{ActivityTypeID: study, DueDate: today},
		// Nobody meets all of these.
		{ActivityTypeID: call, DueDate: today.AddDays(7), Criteria: vouch.Criteria{IndustryID: v(vouch.TaxIndustry, "Insurance"),
			RegionID: v(vouch.TaxRegion, "APAC"), CountryID: v(vouch.TaxCountry, "Japan"), ProductID: v(vouch.TaxProduct, "Mobile"),
			UseCaseID: v(vouch.TaxUseCase, "Compliance"), CompetitorID: v(vouch.TaxCompetitor, "Umbrella"),
			SizeID: v(vouch.TaxCompanySize, "10,001+"), Language: "Japanese", Seniority: "practitioner"}},
		{ActivityTypeID: call, DueDate: today.AddDays(60), Criteria: vouch.Criteria{IndustryID: v(vouch.TaxIndustry, "Financial Services")}, Limit: 50},
	}
	return ix, queries
}
