package contentindex_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func str(s string) *string { return &s }

func titles(hits []contentindex.Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Item.Title)
	}
	return out
}

func TestSearchFindsWordsTyposPrefixesAndFacets(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		feed, cat, _ := testutil.ReadModels(t, db)
		ix := testutil.Library(t, db, feed, cat)
		s := content.New(db, cat)
		approve := func(id int64) {
			if _, err := s.ChangeState(ctx, id, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal, ApprovedBy: "Dana", Method: "mail"}); err != nil {
				t.Fatal(err)
			}
		}
		a, err := s.Create(ctx, vouch.ContentInput{Type: str("Case study"), Title: str("Hospital network halves reporting time"),
			Summary: str("Analytics rollout in twelve hospitals"), Tags: map[vouch.TaxonomyKind][]string{vouch.TaxIndustry: {"Healthcare"}}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Create(ctx, vouch.ContentInput{Type: str("Video"), Title: str("Bank modernises payments"),
			Tags: map[vouch.TaxonomyKind][]string{vouch.TaxIndustry: {"Financial Services"}}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Create(ctx, vouch.ContentInput{Type: str("Quote"), Title: str("Hospital draft quote")})
		if err != nil {
			t.Fatal(err)
		}
		approve(a.ID)
		approve(b.ID)
		for _, c := range []struct {
			q      contentindex.Query
			want   []string
			reason string
		}{
			{contentindex.Query{Text: "hospital"}, []string{"Hospital network halves reporting time"}, "a seller sees no draft"},
			{contentindex.Query{Text: "hospital", Manage: true}, []string{"Hospital draft quote", "Hospital network halves reporting time"}, "the team sees drafts, newest first on a tie"},
			{contentindex.Query{Text: "hospitl"}, []string{"Hospital network halves reporting time"}, "one typo"},
			{contentindex.Query{Text: "payme"}, []string{"Bank modernises payments"}, "a prefix"},
			{contentindex.Query{Text: "twelve"}, []string{"Hospital network halves reporting time"}, "the summary"},
			{contentindex.Query{Filters: map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {cat.ValueID(vouch.TaxIndustry, "Financial Services")}}}, []string{"Bank modernises payments"}, "a facet"},
		} {
			got := titles(ix.Search(c.q).Items)
			if len(got) != len(c.want) {
				t.Errorf("%s: %q found %v, want %v", c.reason, c.q.Text, got, c.want)
				continue
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s: %q found %v, want %v", c.reason, c.q.Text, got, c.want)
				}
			}
		}
		res := ix.Search(contentindex.Query{Filters: map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {cat.ValueID(vouch.TaxIndustry, "Healthcare")}}})
		counts := map[string]int{}
		for _, f := range res.Facets[vouch.TaxIndustry] {
			counts[f.Name] = f.Count
		}
		if res.Total != 1 || counts["Healthcare"] != 1 || counts["Financial Services"] != 1 {
			t.Errorf("industry facet with Healthcare chosen: total %d, counts %v", res.Total, counts)
		}
		fits, total := ix.ContentFor(contentindex.FitQuery{Criteria: vouch.Criteria{IndustryID: cat.ValueID(vouch.TaxIndustry, "Healthcare")}})
		if total != 1 || fits[0].Item.ID != a.ID || fits[0].Points != vouch.CriterionPoints[vouch.CritIndustry] {
			t.Errorf("content for a Healthcare request: %d, %+v", total, fits)
		}
	})
}

func TestTitleOrderFollowsRenames(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	feed, cat, _ := testutil.ReadModels(t, db)
	ix := testutil.Library(t, db, feed, cat)
	s := content.New(db, cat)
	var ids []int64
	for _, title := range []string{"Banking on speed", "Aviation at scale", "Care without queues"} {
		it, err := s.Create(ctx, vouch.ContentInput{Type: str("Case study"), Title: str(title)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	q := contentindex.Query{Manage: true, Sort: contentindex.SortTitle}
	if got := titles(ix.Search(q).Items); strings.Join(got, "|") != "Aviation at scale|Banking on speed|Care without queues" {
		t.Fatalf("by title: %v", got)
	}
	if _, err := s.Update(ctx, ids[2], vouch.ContentInput{Title: str("Ambulances without queues"), Version: ptrInt(1)}); err != nil {
		t.Fatal(err)
	}
	if got := titles(ix.Search(q).Items); strings.Join(got, "|") != "Ambulances without queues|Aviation at scale|Banking on speed" {
		t.Fatalf("by title after a rename: %v", got)
	}
}

func ptrInt(n int) *int { return &n }
