package refindex_test

import (
	"runtime"
	"slices"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refindex"
)

// A full load keeps references in few, packed objects: at 100,000 references
// a dozen small objects each pinned about 40 MB of half-empty heap pages and
// drove resident memory past its budget under load (docs/performance.md,
// "Memory under load"). Packed, a reference costs about 7 heap objects.
func TestFullLoadKeepsFewObjectsPerReference(t *testing.T) {
	const n = 20_000
	_, values := generated(1)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	recs := demo.Records(1, n, values, []int64{1, 2, 3}, wallDay())
	ix := refindex.New(nil, nil, nil)
	ix.Replace(values, 3, recs)
	runtime.GC()
	runtime.ReadMemStats(&after)
	perRef := float64(int64(after.HeapObjects)-int64(before.HeapObjects)) / n
	// What the index holds: the references, their accounts and its own
	// entries, postings and columns. Before packing it was about 17.
	t.Logf("%.1f heap objects per reference", perRef)
	if perRef > 10 {
		t.Errorf("a loaded reference takes %.1f heap objects, want at most 10", perRef)
	}
	if ix.Len() != n {
		t.Fatalf("index holds %d references, want %d", ix.Len(), n)
	}
	runtime.KeepAlive(ix)
}

// Packed references share blocks with their neighbours; changing one
// reference's lists must never show in another's, and empty lists stay
// empty (an API client sees [] and not null).
func TestPackedReferencesStayApart(t *testing.T) {
	_, values := generated(1)
	recs := demo.Records(1, 3, values, []int64{1}, wallDay())
	recs[1].Reference.ProductIDs = []int64{}
	recs[1].Reference.Languages = nil
	want := make([][]int64, len(recs))
	for i, rec := range recs {
		want[i] = slices.Clone(rec.Reference.ProductIDs)
	}
	ix := refindex.New(nil, nil, nil)
	ix.Replace(values, 3, recs)
	hits := make([]refindex.Hit, len(recs))
	for i, rec := range recs {
		hit, ok := ix.Get(rec.Reference.ID)
		if !ok {
			t.Fatalf("reference %d not found", rec.Reference.ID)
		}
		hits[i] = hit
	}
	if got := hits[1].Reference.ProductIDs; got == nil || len(got) != 0 {
		t.Errorf("an empty product list became %#v", got)
	}
	if hits[1].Reference.Languages != nil {
		t.Errorf("a missing language list became %#v", hits[1].Reference.Languages)
	}
	// An edit appends to a copy of the reference, as the store's writes do.
	edited := *hits[0].Reference
	edited.ProductIDs = append(edited.ProductIDs, 999)
	edited.Name += " (edited)"
	for i, hit := range hits {
		if !slices.Equal(hit.Reference.ProductIDs, want[i]) {
			t.Errorf("reference %d's products became %v, want %v", i, hit.Reference.ProductIDs, want[i])
		}
	}
	if hits[0].Reference.Name == edited.Name || hits[1].Reference.Name == "" {
		t.Errorf("names changed: %q, %q", hits[0].Reference.Name, hits[1].Reference.Name)
	}
}
