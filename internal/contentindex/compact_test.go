package contentindex_test

import (
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestSearchAfterManyDeletes: when most items are deleted the index packs
// its slots and postings anew; what is left is still found by its words
// and facets, and nothing deleted comes back.
func TestSearchAfterManyDeletes(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		feed, cat, _ := testutil.ReadModels(t, db)
		study, health := cat.ValueID(vouch.TaxContentType, "Case study"), cat.ValueID(vouch.TaxIndustry, "Healthcare")
		var ids []int64
		err := db.Batch(ctx, func(b *store.Batch) error {
			for i := range 1300 {
				it := &vouch.ContentItem{TypeID: study, Title: fmt.Sprintf("Story %d of cranberry harvests", i), State: vouch.ContentDraft}
				if i%100 == 0 {
					it.Title, it.IndustryIDs = fmt.Sprintf("Story %d of hospital kept", i), []int64{health}
				}
				if err := b.CreateContent(it); err != nil {
					return err
				}
				ids = append(ids, it.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ix := testutil.Library(t, db, feed, cat)
		for i, id := range ids {
			if i%100 != 0 {
				if err := db.DeleteContent(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := feed.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if n := ix.Len(); n != 13 {
			t.Fatalf("index holds %d items, want 13", n)
		}
		if res := ix.Search(contentindex.Query{Text: "cranberry", Manage: true}); res.Total != 0 {
			t.Errorf("deleted items found: %d", res.Total)
		}
		res := ix.Search(contentindex.Query{Text: "hospital", Manage: true, Limit: -1,
			Filters: map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {health}}})
		if res.Total != 13 || res.Items[0].Item.ID != ids[1200] {
			t.Errorf("after packing, hospital finds %d (first %v), want 13, newest first", res.Total, titles(res.Items[:min(1, len(res.Items))]))
		}
		if got := ix.Search(contentindex.Query{Text: "hospitl", Manage: true}).Total; got != 13 {
			t.Errorf("a typo finds %d, want 13", got)
		}
	})
}
