package refindex_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// tagged makes, beside the fixture's three, one reference whose every
// picklist value and nothing else holds the words searched for, so each
// case proves the value was found and not its name, title or story.
func tagged(t *testing.T, f *fixture) int64 {
	t.Helper()
	a := &vouch.Account{Name: "Plain Company", IndustryID: f.value(vouch.TaxIndustry, "Manufacturing"),
		RegionID: f.value(vouch.TaxRegion, "Latin America"), CountryID: f.value(vouch.TaxCountry, "Brazil"),
		SegmentID: f.value(vouch.TaxSegment, "Mid-Market"), SizeID: f.value(vouch.TaxCompanySize, "51–200")}
	if err := f.db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	r := &vouch.Reference{AccountID: a.ID, Name: "Zed Quiet", Title: "Lead", Status: vouch.StatusActive,
		Seniority: "director", Languages: []string{"Portuguese"},
		ProductIDs: []int64{f.value(vouch.TaxProduct, "Integrations")}, UseCaseIDs: []int64{f.value(vouch.TaxUseCase, "Revenue growth")},
		CompetitorIDs: []int64{f.value(vouch.TaxCompetitor, "Initech")},
		Activities:    []vouch.AgreedActivity{{TypeID: f.value(vouch.TaxActivityType, "Site visit")}}}
	if err := f.db.CreateReference(ctx, r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// Free text finds a reference by every picklist value it carries, as the
// facets do: a seller types what the filters show.
func TestTextFindsEveryPicklistValue(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		tagged(t, f)
		cases := []struct{ kind, text, want string }{
			{"industry", "manufacturing", "Zed"},
			{"industry of the fixture", "healthcare", "Jonas,Maya"},
			{"region, two words", "latin america", "Zed"},
			{"country", "brazil", "Zed"},
			{"segment", "mid-market", "Zed"},
			{"company size", "51–200", "Zed"},
			{"product", "integrations", "Zed"},
			{"product, stemmed", "integration", "Zed"},
			{"use case", "revenue growth", "Zed"},
			{"competitor", "initech", "Zed"},
			{"language", "portuguese", "Zed"},
			{"activity type", "site visit", "Zed"},
			{"seniority", "director", "Zed"},
			{"a value as you type", "brazi", "Zed"},
			{"a value with a typo", "portugese", "Zed"}, //nolint:misspell // the typo is the input under test
			{"a value and a name", "initech zed", "Zed"},
			{"a value and another reference's name", "initech maya", ""},
		}
		for _, c := range cases {
			res := f.ix.Search(refindex.Query{Text: c.text})
			if got := names(res); got != c.want {
				t.Errorf("%s: %q found %q, want %q", c.kind, c.text, got, c.want)
			}
		}
		// As many as the facet gives: text finds each one a filter finds.
		for _, kind := range []struct {
			facet string
			kind  vouch.TaxonomyKind
			name  string
		}{{"industry", vouch.TaxIndustry, "Healthcare"}, {"product", vouch.TaxProduct, "Analytics"}, {"activity_type", vouch.TaxActivityType, "Case study"}} {
			byFacet := f.ix.Search(refindex.Query{Filters: map[string][]int64{kind.facet: {f.value(kind.kind, kind.name)}}})
			byText := f.ix.Search(refindex.Query{Text: kind.name})
			for _, h := range byFacet.Hits {
				if !strings.Contains(","+names(byText)+",", ","+strings.Fields(h.Reference.Name)[0]+",") {
					t.Errorf("%s %s: the facet finds %s, the text %q does not", kind.facet, kind.name, h.Reference.Name, kind.name)
				}
			}
		}
	})
}

// A tag counts like a title and more than the story: "analytics" ranks the
// reference with the Analytics product (Maya) level with a title match and
// above those that only tell of analytics in their story.
func TestTagRanksLikeTitle(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	f := setup(t, db)
	title := &vouch.Reference{AccountID: f.acme.ID, Name: "Tess Title", Title: "Head of Analytics"}
	if err := db.CreateReference(ctx, title); err != nil {
		t.Fatal(err)
	}
	score := map[string]int{}
	res := f.ix.Search(refindex.Query{Text: "analytics"})
	for _, h := range res.Hits {
		score[strings.Fields(h.Reference.Name)[0]] = h.Score
	}
	if score["Maya"] != score["Tess"] {
		t.Errorf("a tag scores %d, a title %d: want them equal", score["Maya"], score["Tess"])
	}
	if score["Maya"] <= score["Jonas"] || score["Maya"] <= score["Priya"] {
		t.Errorf("a tag (%d) must rank above a story (%d, %d)", score["Maya"], score["Jonas"], score["Priya"])
	}
	if got := strings.Join(strings.Split(names(res), ",")[:2], ","); got != "Maya,Tess" {
		t.Errorf("best first: %q, want Maya and Tess first", names(res))
	}
}

// A renamed value is found by its new name, and no more by its old one, as
// soon as the rename is committed: the catalog's change reaches the text.
func TestRenamedValueFoundByNewName(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		id := tagged(t, f)
		initech := f.value(vouch.TaxCompetitor, "Initech")
		name := "Hooli Systems"
		if _, err := db.UpdateTaxonomyValue(ctx, initech, vouch.TaxonomyUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if got := names(f.ix.Search(refindex.Query{Text: "hooli"})); got != "Zed" {
			t.Errorf("new name: %q, want Zed", got)
		}
		if got := names(f.ix.Search(refindex.Query{Text: "initech"})); got != "" {
			t.Errorf("old name still finds %q", got)
		}
		// A reference saved after the rename is found too, and one that
		// loses the value is not.
		r, _ := db.Reference(ctx, id)
		r.CompetitorIDs = nil
		if err := db.UpdateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		if got := names(f.ix.Search(refindex.Query{Text: "hooli"})); got != "" {
			t.Errorf("after the value was removed: %q", got)
		}
		// A new language is found from the save that brings it.
		r, _ = db.Reference(ctx, id)
		r.Languages = []string{"Finnish"}
		if err := db.UpdateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		if got := names(f.ix.Search(refindex.Query{Text: "finnish"})); got != "Zed" {
			t.Errorf("new language: %q, want Zed", got)
		}
	})
}

// A search that finds nothing says what each of its constraints costs: the
// count without it, for every one that would then find something.
func TestSuggestionsWhenNothingFound(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	f := setup(t, db)
	emea := f.value(vouch.TaxRegion, "EMEA")
	study := f.value(vouch.TaxActivityType, "Case study")
	nominated := refindex.StatusKey(vouch.StatusNominated)
	res := f.ix.Search(refindex.Query{Text: "fraud", Suggest: true, Filters: map[string][]int64{
		"region": {emea}, "activity_type": {study}, "status": {nominated}}})
	if res.Total != 0 {
		t.Fatalf("the query finds %d, want none", res.Total)
	}
	// Without the region: Priya (fraud, case study, nominated, North America).
	// Without the text: Jonas is active, so none. Without the status: Jonas has
	// no fraud. Without the activity: none either.
	want := []refindex.Suggestion{{Facet: "region", Keys: []int64{emea}, Total: 1}}
	if len(res.Suggestions) != len(want) || res.Suggestions[0].Facet != "region" || res.Suggestions[0].Total != 1 ||
		res.Suggestions[0].Keys[0] != emea {
		t.Errorf("suggestions %+v, want %+v", res.Suggestions, want)
	}
	// A seller's suggestions count only what they may request: Priya is
	// nominated, so dropping the region finds nobody they could ask.
	for _, requestable := range []bool{false, true} {
		res = f.ix.Search(refindex.Query{Text: "fraud", Suggest: true, Requestable: requestable, Filters: map[string][]int64{"region": {emea}}})
		region := slices.IndexFunc(res.Suggestions, func(s refindex.Suggestion) bool { return s.Facet == "region" }) >= 0
		if region == requestable {
			t.Errorf("requestable %v: suggestions %+v", requestable, res.Suggestions)
		}
	}
	// The text alone: dropping it finds everything in EMEA.
	res = f.ix.Search(refindex.Query{Text: "zebra", Suggest: true, Filters: map[string][]int64{"region": {emea}}})
	if len(res.Suggestions) != 1 || res.Suggestions[0].Facet != "" || res.Suggestions[0].Total != 2 {
		t.Errorf("text suggestions %+v, want the search without its text: 2", res.Suggestions)
	}
	// Found something, or not asked: no suggestions.
	if res := f.ix.Search(refindex.Query{Text: "maya", Suggest: true}); res.Suggestions != nil {
		t.Errorf("suggestions for a search that found %d: %+v", res.Total, res.Suggestions)
	}
	if res := f.ix.Search(refindex.Query{Text: "zebra", Filters: map[string][]int64{"region": {emea}}}); res.Suggestions != nil {
		t.Errorf("suggestions not asked for: %+v", res.Suggestions)
	}
}

// Over an index large enough to be scanned in parallel parts, text finds
// every reference its value's facet finds, and its pages hold together.
func TestLargeTextSearchFindsWhatTheFacetFinds(t *testing.T) {
	ix, _ := generated(30_000)
	for _, c := range []struct {
		facet string
		kind  vouch.TaxonomyKind
		name  string
	}{{"industry", vouch.TaxIndustry, "Healthcare"}, {"product", vouch.TaxProduct, "Analytics"}, {"competitor", vouch.TaxCompetitor, "Globex"}} {
		byFacet := ix.Search(refindex.Query{Filters: map[string][]int64{c.facet: {ix.Catalog().ValueID(c.kind, c.name)}}, Limit: -1})
		byText := ix.Search(refindex.Query{Text: c.name, Limit: -1})
		if byFacet.Total == 0 || byText.Total < byFacet.Total || byText.Total != len(byText.Hits) {
			t.Fatalf("%s: the facet finds %d, the text %d (%d hits)", c.name, byFacet.Total, byText.Total, len(byText.Hits))
		}
		found := map[int64]bool{}
		for _, h := range byText.Hits {
			found[h.Reference.ID] = true
		}
		for _, h := range byFacet.Hits {
			if !found[h.Reference.ID] {
				t.Fatalf("%s: the facet finds %s, the text does not", c.name, h.Reference.Name)
			}
		}
	}
}
