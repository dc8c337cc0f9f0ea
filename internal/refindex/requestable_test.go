package refindex_test

import (
	"testing"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A seller's search (Query.Requestable) lists and counts only references a
// seller may request: here Maya (active) and, once resting, Jonas; never
// Priya (nominated), nor Maya after she asks not to be contacted.
func TestSearchRequestable(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		seller := func(q refindex.Query) refindex.Result {
			q.Requestable = true
			q.CountFacets = []string{"status", "industry"}
			return f.ix.Search(q)
		}
		status := func(res refindex.Result, s vouch.Status) int {
			for _, v := range res.Facets["status"] {
				if v.Name == string(s) {
					return v.Count
				}
			}
			return -1
		}
		if res := seller(refindex.Query{}); names(res) != "Jonas,Maya" || res.Total != 2 || status(res, vouch.StatusNominated) != 0 {
			t.Errorf("seller's list %q (total %d, nominated %d), want Jonas,Maya", names(res), res.Total, status(res, vouch.StatusNominated))
		}
		if res := f.ix.Search(refindex.Query{CountFacets: []string{"status"}}); res.Total != 3 || status(res, vouch.StatusNominated) != 1 {
			t.Errorf("the team's list: total %d, nominated %d; want 3 and 1", res.Total, status(res, vouch.StatusNominated))
		}
		if _, err := db.ChangeStatus(ctx, f.ids["Jonas"], 1, vouch.StatusChange{To: vouch.StatusResting, Until: db.Today().AddDays(10)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ChangeStatus(ctx, f.ids["Maya"], 1, vouch.StatusChange{To: vouch.StatusDoNotContact, Reason: "asked not to be contacted during renewal"}); err != nil {
			t.Fatal(err)
		}
		// The unfiltered counts are kept per view: the team's do not leak into a seller's, nor back.
		for range 2 {
			res := seller(refindex.Query{})
			if names(res) != "Jonas" || res.Total != 1 || status(res, vouch.StatusDoNotContact) != 0 || status(res, vouch.StatusResting) != 1 {
				t.Errorf("seller's list %q (total %d, do not contact %d, resting %d), want Jonas only", names(res), res.Total,
					status(res, vouch.StatusDoNotContact), status(res, vouch.StatusResting))
			}
			if res := f.ix.Search(refindex.Query{CountFacets: []string{"status", "industry"}}); res.Total != 3 || status(res, vouch.StatusDoNotContact) != 1 {
				t.Errorf("the team's list: total %d, do not contact %d; want 3 and 1", res.Total, status(res, vouch.StatusDoNotContact))
			}
		}
		if res := seller(refindex.Query{Text: "patient scheduling"}); res.Total != 0 {
			t.Errorf("a seller's text search finds %q", names(res))
		}
		if res := seller(refindex.Query{Filters: map[string][]int64{"status": {refindex.StatusKey(vouch.StatusDoNotContact)}}}); res.Total != 0 {
			t.Errorf("a seller filtering on do not contact finds %q", names(res))
		}
		if res := seller(refindex.Query{AccountID: f.acme.ID}); names(res) != "Jonas" {
			t.Errorf("a seller's view of Acme: %q, want Jonas", names(res))
		}
	})
}
