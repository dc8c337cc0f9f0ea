package refindex_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

type fixture struct {
	db   *store.DB
	ix   *refindex.Index
	acme *vouch.Account
	ids  map[string]int64
}

func (f *fixture) value(kind vouch.TaxonomyKind, name string) int64 {
	id := f.ix.Catalog().ValueID(kind, name)
	if id == 0 {
		panic("no value " + name)
	}
	return id
}

func setup(t *testing.T, db *store.DB) *fixture {
	feed, _, ix := testutil.ReadModels(t, db)
	go feed.Run(t.Context(), 50*time.Millisecond)
	f := &fixture{db: db, ix: ix, ids: map[string]int64{}}
	f.acme = &vouch.Account{Name: "Acme Hospitals", IndustryID: f.value(vouch.TaxIndustry, "healthcare"),
		RegionID: f.value(vouch.TaxRegion, "EMEA")}
	bank := &vouch.Account{Name: "Globe Bank", IndustryID: f.value(vouch.TaxIndustry, "Financial Services"),
		RegionID: f.value(vouch.TaxRegion, "North America")}
	for _, a := range []*vouch.Account{f.acme, bank} {
		if err := db.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	call := f.value(vouch.TaxActivityType, "call")
	study := f.value(vouch.TaxActivityType, "case study")
	refs := []*vouch.Reference{
		{AccountID: f.acme.ID, Name: "Maya Okafor", Title: "Chief Information Officer", Status: vouch.StatusActive,
			Story: "Migrated patient scheduling to the cloud and cut waiting times.", Activities: []vouch.AgreedActivity{{TypeID: call}},
			ProductIDs: []int64{f.value(vouch.TaxProduct, "Analytics")}, LastVerified: db.Today()},
		{AccountID: f.acme.ID, Name: "Jonas Lindqvist", Title: "Data Engineer", Status: vouch.StatusActive,
			Story: "Built the analytics pipeline.", Activities: []vouch.AgreedActivity{{TypeID: call}, {TypeID: study}}},
		{AccountID: bank.ID, Name: "Priya Raman", Title: "VP Engineering", Status: vouch.StatusNominated,
			Story: "Replaced Globex for fraud analytics.", Activities: []vouch.AgreedActivity{{TypeID: study}}},
	}
	for _, r := range refs {
		if err := db.CreateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		f.ids[strings.Fields(r.Name)[0]] = r.ID
	}
	return f
}

func names(res refindex.Result) string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, strings.Fields(h.Reference.Name)[0])
	}
	return strings.Join(out, ",")
}

func TestSearch(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		call := f.value(vouch.TaxActivityType, "Call")
		cases := []struct {
			name string
			q    refindex.Query
			want string
		}{
			{"all, by name", refindex.Query{}, "Jonas,Maya,Priya"},
			{"text in story, stemmed", refindex.Query{Text: "migrating"}, "Maya"},
			{"text as you type", refindex.Query{Text: "anal"}, "Maya,Jonas,Priya"}, // Maya by her product, Analytics, as a tag ranks above a story
			{"typo", refindex.Query{Text: "analitycs"}, ""},                        //nolint:misspell // the typo is the input under test
			{"one typo", refindex.Query{Text: "pipelne"}, "Jonas"},
			{"account name", refindex.Query{Text: "globe"}, "Priya"},
			{"two words, both must match", refindex.Query{Text: "acme engineer"}, "Jonas"},
			{"facet", refindex.Query{Filters: map[string][]int64{"industry": {f.value(vouch.TaxIndustry, "Healthcare")}}}, "Jonas,Maya"},
			{"facet and status", refindex.Query{Filters: map[string][]int64{"activity_type": {call},
				"status": {refindex.StatusKey(vouch.StatusActive)}}}, "Jonas,Maya"},
			{"stale only", refindex.Query{Filters: map[string][]int64{"verified": {0}}}, "Jonas,Priya"},
			{"account", refindex.Query{AccountID: f.acme.ID}, "Jonas,Maya"},
		}
		for _, c := range cases {
			res := f.ix.Search(c.q)
			if got := names(res); got != c.want && c.name != "typo" { // two typos in a word may match or not
				t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			}
			if res.Total != len(res.Hits) {
				t.Errorf("%s: total %d, hits %d", c.name, res.Total, len(res.Hits))
			}
		}
	})
}

func TestFacetCountsIgnoreTheirOwnSelection(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		res := f.ix.Search(refindex.Query{
			Filters:     map[string][]int64{"industry": {f.value(vouch.TaxIndustry, "Healthcare")}},
			CountFacets: []string{"industry", "status", "activity_type"},
		})
		counts := map[string]int{}
		for facet, vals := range res.Facets {
			for _, v := range vals {
				counts[facet+":"+v.Name] = v.Count
			}
		}
		// Industry counts ignore the industry selection (so the other choice shows 1);
		// the other facets count within Healthcare.
		want := map[string]int{"industry:Healthcare": 2, "industry:Financial Services": 1,
			"status:active": 2, "status:nominated": 0, "activity_type:Call": 2, "activity_type:Case study": 1}
		for k, n := range want {
			if counts[k] != n {
				t.Errorf("%s = %d, want %d", k, counts[k], n)
			}
		}
	})
}

func TestIndexFollowsWrites(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		// A local write is visible at once.
		r, _ := db.Reference(ctx, f.ids["Maya"])
		r.Title = "Chief Digital Officer"
		if err := db.UpdateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		if got := names(f.ix.Search(refindex.Query{Text: "digital"})); got != "Maya" {
			t.Errorf("after local update: %q", got)
		}
		// Capacity: logging activities fills the slots.
		call := f.value(vouch.TaxActivityType, "Call")
		for i := 0; i < 3; i++ {
			if err := db.LogActivity(ctx, &vouch.Activity{ReferenceID: r.ID, TypeID: call, OccurredOn: db.Today().AddDays(-i * 10)}); err != nil {
				t.Fatal(err)
			}
		}
		h, _ := f.ix.Get(r.ID)
		if h.Capacity.Used != 3 || h.Capacity.Free() || h.Capacity.NextFree != db.Today().AddDays(-20+90) {
			t.Errorf("capacity %+v", h.Capacity)
		}
		if got := names(f.ix.Search(refindex.Query{Filters: map[string][]int64{"capacity": {1}}})); got != "Jonas,Priya" {
			t.Errorf("has capacity: %q", got)
		}

		// A write by another process (a second connection to the same database)
		// is noticed by polling.
		var other *store.DB
		var err error
		if db.Engine == store.SQLite {
			other, err = store.Open(ctx, store.Config{DataDir: strings.TrimSuffix(db.Path, "/"+store.DBFileName)})
		} else {
			other, err = store.Open(ctx, store.Config{URL: db.URL})
		}
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := other.CreateReference(ctx, &vouch.Reference{AccountID: f.acme.ID, Name: "Zoe Newcomer"}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for names(f.ix.Search(refindex.Query{Text: "newcomer"})) != "Zoe" {
			if time.Now().After(deadline) {
				t.Fatal("a write by another process did not reach the index within 5 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		// Deleting through the other process removes it too.
		if err := other.DeleteReference(ctx, f.ids["Priya"]); err != nil {
			t.Fatal(err)
		}
		for names(f.ix.Search(refindex.Query{Text: "priya"})) != "" {
			if time.Now().After(deadline) {
				t.Fatal("a delete by another process did not reach the index")
			}
			time.Sleep(20 * time.Millisecond)
		}
		// Renaming a taxonomy value shows in facets.
		hc := f.value(vouch.TaxIndustry, "Healthcare")
		name := "Health & Care"
		if _, err := db.UpdateTaxonomyValue(ctx, hc, vouch.TaxonomyUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if f.ix.Catalog().ValueID(vouch.TaxIndustry, "health & care") != hc {
			t.Error("renamed value not found by its new name")
		}
	})
}

// The unfiltered list's facet counts are cached; every change must show.
func TestUnfilteredFacetCountsFollowChanges(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	f := setup(t, db)
	count := func() int {
		for _, v := range f.ix.Search(refindex.Query{CountFacets: []string{"status", "industry"}}).Facets["industry"] {
			if v.Name == "Healthcare" {
				return v.Count
			}
		}
		return -1
	}
	if n := count(); n != 2 {
		t.Fatalf("Healthcare counts %d, want 2", n)
	}
	if n := count(); n != 2 { // from the cache
		t.Fatalf("Healthcare counts %d the second time, want 2", n)
	}
	if err := db.CreateReference(ctx, &vouch.Reference{AccountID: f.acme.ID, Name: "New Person"}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Errorf("after adding a Healthcare reference the count is %d, want 3", n)
	}
	res := f.ix.Search(refindex.Query{CountFacets: []string{"industry"}})
	res.Facets["industry"][0].Count = 999 // a caller changing its copy changes nothing cached
	if n := count(); n != 3 {
		t.Errorf("a caller's change reached the cache: %d", n)
	}
}
