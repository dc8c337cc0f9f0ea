package contentindex_test

import (
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// otherConfig opens the same database a second time, as a second server would.
func otherConfig(db *store.DB) store.Config {
	if db.Engine == store.SQLite {
		return store.Config{DataDir: strings.TrimSuffix(db.Path, "/"+store.DBFileName)}
	}
	return store.Config{URL: db.URL}
}

// TestSearchFindsWhatAnotherInstanceWrote: two servers on one database each
// hold an index; an item another instance creates, approves, renames and
// deletes is found (and then not) here after a poll of the change feed.
func TestSearchFindsWhatAnotherInstanceWrote(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		feed, cat, _ := testutil.ReadModels(t, db)
		ix := testutil.Library(t, db, feed, cat)

		other, err := store.Open(ctx, otherConfig(db))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		otherCat := catalog.New(other)
		if err := otherCat.Load(ctx); err != nil {
			t.Fatal(err)
		}
		s := content.New(other, otherCat)
		it, err := s.Create(ctx, vouch.ContentInput{Type: str("Case study"), Title: str("Brewery cuts waste with forecasting"),
			Tags: map[vouch.TaxonomyKind][]string{vouch.TaxIndustry: {"Manufacturing"}}})
		if err != nil {
			t.Fatal(err)
		}
		if it, err = s.ChangeState(ctx, it.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal, ApprovedBy: "Dana", Method: "mail"}); err != nil {
			t.Fatal(err)
		}
		found := func(text string) []string {
			t.Helper()
			if err := feed.Poll(ctx); err != nil {
				t.Fatal(err)
			}
			return titles(ix.Search(contentindex.Query{Text: text}).Items)
		}
		if got := found("brewery"); len(got) != 1 || got[0] != "Brewery cuts waste with forecasting" {
			t.Fatalf("after the other instance approved it, a seller's search for brewery finds %v", got)
		}
		if res := ix.Search(contentindex.Query{Filters: map[vouch.TaxonomyKind][]int64{
			vouch.TaxIndustry: {cat.ValueID(vouch.TaxIndustry, "Manufacturing")}}}); res.Total != 1 {
			t.Errorf("the Manufacturing facet finds %d items, want 1", res.Total)
		}

		if _, err := s.Update(ctx, it.ID, vouch.ContentInput{Title: str("Distillery cuts waste with forecasting"), Version: &it.Version}); err != nil {
			t.Fatal(err)
		}
		if got := found("distillery"); len(got) != 1 {
			t.Errorf("after a rename on the other instance, the new title finds %v", got)
		}
		if got := found("brewery"); len(got) != 0 {
			t.Errorf("after a rename on the other instance, the old title still finds %v", got)
		}

		if err := s.Delete(ctx, it.ID); err != nil {
			t.Fatal(err)
		}
		if got := found("forecasting"); len(got) != 0 {
			t.Errorf("after a delete on the other instance, search finds %v", got)
		}
		if _, ok := ix.Get(it.ID, true, true); ok {
			t.Errorf("after a delete on the other instance, the item is still held")
		}
	})
}
