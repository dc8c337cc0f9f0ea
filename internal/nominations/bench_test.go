package nominations_test

import (
	"fmt"
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// generatedIndex is a duplicate index over n references made by the demo
// generator (its accounts with them), plus 2,000 waiting nominations.
// Opportunities are not part of duplicate detection: 300,000 of them
// would change nothing here, so none are made.
func generatedIndex(n int) (*nominations.Index, []store.DuplicatePeople) {
	var values []*vouch.TaxonomyValue
	id := int64(0)
	for _, kind := range vouch.TaxonomyKinds {
		for i, name := range vouch.DefaultTaxonomies[kind] {
			id++
			values = append(values, &vouch.TaxonomyValue{ID: id, Kind: kind, Name: name, Position: i})
		}
	}
	recs := demo.Records(1, n, values, []int64{1, 2, 3}, vouch.NewClock(nil).Today())
	seen := map[int64]bool{}
	var accts []vouch.DuplicateCompany
	refs := make([]store.DuplicatePeople, 0, len(recs))
	for _, r := range recs {
		a := r.Account
		if !seen[a.ID] {
			seen[a.ID] = true
			accts = append(accts, vouch.DuplicateCompany{ID: a.ID, Name: a.Name, Domain: a.Domain, CRMID: a.CRMID})
		}
		refs = append(refs, store.DuplicatePeople{ID: r.Reference.ID, Status: string(r.Reference.Status),
			DuplicatePerson: vouch.DuplicatePerson{AccountID: a.ID, AccountName: a.Name, Name: r.Reference.Name,
				Email: r.Reference.Email, CRMID: r.Reference.CRMID}})
	}
	var noms []store.DuplicatePeople
	for i := 0; i < 2000; i++ {
		r := refs[(i*7919)%len(refs)]
		noms = append(noms, store.DuplicatePeople{ID: int64(i + 1), Status: "open", DuplicatePerson: vouch.DuplicatePerson{
			AccountName: r.AccountName, Name: "Alex " + r.Name[strings.LastIndex(r.Name, " ")+1:]}})
	}
	ix := nominations.NewIndex(nil)
	ix.Replace(accts, refs, noms)
	return ix, refs
}

// BenchmarkDuplicates100k measures duplicate detection for one nomination
// against 100,000 references, their accounts and 2,000 open nominations.
// Budget: p95 ≤ 10 ms. The probes are what people type: a known person
// with a typo, a nickname or another case, a new person at a known
// account, someone unknown, and a nomination by email only.
func BenchmarkDuplicates100k(b *testing.B) {
	ix, refs := generatedIndex(100_000)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heap := float64(ms.HeapAlloc) / (1 << 20)
	rng := rand.New(rand.NewSource(7))
	probes := make([]vouch.DuplicateProbe, 0, 600)
	for i := 0; i < 100; i++ {
		r := refs[rng.Intn(len(refs))]
		first, last, _ := strings.Cut(r.Name, " ")
		typo := last
		if len(typo) > 3 {
			typo = typo[:2] + typo[3:]
		}
		probes = append(probes,
			vouch.DuplicateProbe{AccountName: r.AccountName, Name: first + " " + typo},
			vouch.DuplicateProbe{AccountName: strings.ToUpper(r.AccountName), Name: strings.ToUpper(r.Name), Email: r.Email},
			vouch.DuplicateProbe{AccountName: r.AccountName + " Inc", Name: "Bob " + last},
			vouch.DuplicateProbe{AccountName: r.AccountName, Name: "Quentin Newperson", Email: "q@" + vouch.EmailDomain(r.Email)},
			vouch.DuplicateProbe{AccountName: fmt.Sprintf("Unknown Company %d", i), Name: "Zed Nobody"},
			vouch.DuplicateProbe{Name: r.Name, Email: r.Email})
	}
	found := 0
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		found += len(ix.Find(probes[i%len(probes)], 0))
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	p95 := durations[len(durations)*95/100]
	b.ReportMetric(heap, "heap-MB")
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	if found == 0 {
		b.Fatal("no duplicates found at all")
	}
	if p95 > 10*time.Millisecond {
		b.Errorf("p95 %v over the 10 ms budget", p95)
	}
}

// TestGeneratedDuplicatesAreFound holds the benchmark's data to the rules:
// a typo of a generated reference's surname at its account finds it.
func TestGeneratedDuplicatesAreFound(t *testing.T) {
	ix, refs := generatedIndex(2000)
	tried := 0
	for _, r := range refs {
		first, last, _ := strings.Cut(r.Name, " ")
		if len(last) < 5 || tried == 50 {
			continue // short names one letter apart are other names (Ann, Dan)
		}
		tried++
		typo := last[:1] + last[2:]
		got := ix.Find(vouch.DuplicateProbe{AccountName: r.AccountName, Name: first + " " + typo}, 0)
		if !slices.ContainsFunc(got, func(d vouch.Duplicate) bool { return d.Kind == vouch.DuplicateReference && d.ID == r.ID }) {
			t.Errorf("%s at %s (typed %s %s): %+v", r.Name, r.AccountName, first, typo, got)
		}
	}
}
