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
	ix := refindex.New(nil, nil)
	ix.Replace(values, 3, demo.Records(1, n, values, []int64{1, 2, 3, 4, 5}, vouch.Today()))
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
	healthcare := ix.ValueID(vouch.TaxIndustry, "Healthcare")
	emea := ix.ValueID(vouch.TaxRegion, "EMEA")
	call := ix.ValueID(vouch.TaxActivityType, "Call")
	analytics := ix.ValueID(vouch.TaxProduct, "Analytics")
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
	healthcare := ix.ValueID(vouch.TaxIndustry, "Healthcare")
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
	recs := demo.Records(1, n, values, []int64{1, 2, 3, 4, 5}, vouch.Today())
	healthcare := ix.ValueID(vouch.TaxIndustry, "Healthcare")
	total, byRegion := 0, map[string]int{}
	var names []string
	for _, r := range recs {
		if r.Account.IndustryID == healthcare {
			total++
			byRegion[ix.ValueName(r.Account.RegionID)]++
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
