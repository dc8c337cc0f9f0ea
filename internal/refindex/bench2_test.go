package refindex_test

import (
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

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
