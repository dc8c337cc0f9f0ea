package refindex_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// accountNames lists a result's accounts by first word.
func accountNames(res refindex.AccountResult) string {
	var out []string
	for _, a := range res.Accounts {
		out = append(out, strings.Fields(a.Name)[0])
	}
	return strings.Join(out, ",")
}

// The account list filters by facet, counts each facet as if its own
// selection were not made, and sorts by name, references and last update.
func TestAccountFacetsAndSorting(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db) // Acme Hospitals (Healthcare, EMEA, 2 references), Globe Bank (Financial Services, North America, 1)
		accts := refindex.NewAccounts(db, f.ix)
		if err := accts.Load(ctx); err != nil {
			t.Fatal(err)
		}
		large, small := f.value(vouch.TaxCompanySize, "10,001+"), f.value(vouch.TaxCompanySize, "1–50")
		zed := &vouch.Account{Name: "Zenith Retail", IndustryID: f.value(vouch.TaxIndustry, "Retail"),
			RegionID: f.value(vouch.TaxRegion, "EMEA"), SizeID: large, Health: "poor"}
		tiny := &vouch.Account{Name: "Birch Clinic", IndustryID: f.value(vouch.TaxIndustry, "Healthcare"), SizeID: small, Health: "good"}
		for _, a := range []*vouch.Account{zed, tiny} {
			db.Clock.Advance(time.Minute) // distinct update times
			if err := db.CreateAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := accts.Apply(ctx, []vouch.Touched{{Kind: vouch.EntityAccount, ID: zed.ID}, {Kind: vouch.EntityAccount, ID: tiny.ID}}); err != nil {
			t.Fatal(err)
		}
		hc, emea := f.value(vouch.TaxIndustry, "Healthcare"), f.value(vouch.TaxRegion, "EMEA")
		cases := []struct {
			name string
			q    refindex.AccountQuery
			want string
		}{
			{"in the order added", refindex.AccountQuery{}, "Acme,Globe,Zenith,Birch"},
			{"by name", refindex.AccountQuery{Sort: "name"}, "Acme,Birch,Globe,Zenith"},
			{"most references first", refindex.AccountQuery{Sort: "references"}, "Acme,Globe,Birch,Zenith"},
			// Globe's one reference (Priya) is nominated: a seller counts none there.
			{"a seller's most references first", refindex.AccountQuery{Sort: "references", Requestable: true}, "Acme,Birch,Globe,Zenith"},
			{"last updated first", refindex.AccountQuery{Sort: "updated"}, "Birch,Zenith,Globe,Acme"},
			{"industry", refindex.AccountQuery{Filters: map[string][]int64{"industry": {hc}}}, "Acme,Birch"},
			{"industry and region", refindex.AccountQuery{Filters: map[string][]int64{"industry": {hc}, "region": {emea}}}, "Acme"},
			{"health", refindex.AccountQuery{Filters: map[string][]int64{"health": {refindex.HealthKey("poor")}}}, "Zenith"},
			{"text and a facet", refindex.AccountQuery{Text: "a", Filters: map[string][]int64{"region": {emea}}}, "Acme,Zenith"},
			{"a page by name", refindex.AccountQuery{Sort: "name", Offset: 1, Limit: 2}, "Birch,Globe"},
			{"a page after a cursor", refindex.AccountQuery{AfterID: f.acme.ID, Limit: 2}, "Globe,Zenith"},
		}
		for _, c := range cases {
			if got := accountNames(accts.Search(c.q)); got != c.want {
				t.Errorf("%s: %q, want %q", c.name, got, c.want)
			}
		}
		res := accts.Search(refindex.AccountQuery{Filters: map[string][]int64{"industry": {hc}},
			CountFacets: []string{"industry", "region", "company_size", "health"}})
		if res.Total != 2 || res.References[f.acme.ID] != (refindex.AccountRefs{Total: 2, Active: 2, Requestable: 2}) {
			t.Errorf("total %d, Acme's references %+v; want 2 and 2 (2 active)", res.Total, res.References[f.acme.ID])
		}
		got := map[string]string{}
		for facet, vals := range res.Facets {
			var s []string
			for _, v := range vals {
				s = append(s, fmt.Sprintf("%s=%d", v.Name, v.Count))
				if v.Selected {
					s[len(s)-1] += "*"
				}
			}
			got[facet] = strings.Join(s, " ")
		}
		want := map[string]string{
			"industry":     "Financial Services=1 Healthcare=2* Retail=1", // ignores its own selection
			"region":       "EMEA=1",
			"company_size": "1–50=1", // within Healthcare
			"health":       "good=1",
		}
		for facet, w := range want {
			if got[facet] != w {
				t.Errorf("facet %s: %q, want %q", facet, got[facet], w)
			}
		}
		// Sizes are listed smallest first, not by count.
		res = accts.Search(refindex.AccountQuery{CountFacets: []string{"company_size"}})
		var sizes []string
		for _, v := range res.Facets["company_size"] {
			sizes = append(sizes, v.Name)
		}
		if !slices.Equal(sizes, []string{"1–50", "10,001+"}) {
			t.Errorf("sizes %v, want smallest first", sizes)
		}
	})
}

// A page of a sorted list is the same slice of the whole list sorted,
// however the page is found (a short page keeps only its best in a heap).
func TestAccountSortedPagesAgreeWithAFullSort(t *testing.T) {
	all := generatedAccounts(3000)
	accts := refindex.NewAccounts(nil, nil)
	accts.Replace(all)
	for _, by := range []string{"name", "updated"} {
		want := slices.Clone(all)
		slices.SortStableFunc(want, func(a, b *vouch.Account) int {
			if by == "name" {
				if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
					return c
				}
			} else if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		})
		for _, offset := range []int{0, 50, 700, 2950} {
			res := accts.Search(refindex.AccountQuery{Sort: by, Offset: offset, Limit: 50})
			if res.Total != len(all) {
				t.Fatalf("%s: total %d", by, res.Total)
			}
			for i, a := range res.Accounts {
				if a.ID != want[offset+i].ID {
					t.Fatalf("%s, offset %d: item %d is account %d, want %d", by, offset, i, a.ID, want[offset+i].ID)
				}
			}
		}
	}
}

// BenchmarkAccountFacets33k measures the Accounts page's search over 33,000
// accounts and 100,000 references: every facet counted, in each order, with
// and without a filter or text, a page of 50. Budget: p95 ≤ 3 ms.
func BenchmarkAccountFacets33k(b *testing.B) {
	ix, _ := generated(100_000)
	all := generatedAccounts(33_000)
	accts := refindex.NewAccounts(nil, ix)
	accts.Replace(all)
	industry := all[0].IndustryID
	prefix := strings.ToLower(all[100].Name[:3])
	queries := []refindex.AccountQuery{
		{CountFacets: refindex.AccountFacets},
		{Sort: "name", CountFacets: refindex.AccountFacets},
		{Sort: "references", CountFacets: refindex.AccountFacets},
		{Sort: "updated", Offset: 500, CountFacets: refindex.AccountFacets},
		{Filters: map[string][]int64{"industry": {industry}}, Sort: "name", CountFacets: refindex.AccountFacets},
		{Text: prefix, CountFacets: refindex.AccountFacets},
	}
	accts.Search(queries[0]) // the references per account, counted once per change
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		accts.Search(queries[i%len(queries)])
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
}
