package refindex_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestSortOrders: every order the references list offers, both ways; ties
// are broken by name in either direction, so a page never reshuffles.
func TestSortOrders(t *testing.T) {
	today := vouch.NewClock(nil).Today() // the index's clock: a test index has no database
	noon := today.Time().Add(12 * time.Hour)
	acme := &vouch.Account{ID: 1, Name: "Acme"}
	globe := &vouch.Account{ID: 2, Name: "Globe"}
	rec := func(id int64, name string, a *vouch.Account, st vouch.Status, verified, asked vouch.Date, updatedDaysAgo int) store.ReferenceRecord {
		r := &vouch.Reference{ID: id, AccountID: a.ID, Name: name, Status: st, LastVerified: verified,
			UpdatedAt: noon.AddDate(0, 0, -updatedDaysAgo)}
		switch st {
		case vouch.StatusResting:
			r.RestingUntil = today // the rest ends today: active again
		case vouch.StatusRetired:
			r.StatusReason = "Left"
		}
		return store.ReferenceRecord{Reference: r, Account: a, LastAsked: asked}
	}
	ix := refindex.New(nil, nil, nil)
	ix.Replace(nil, 3, []store.ReferenceRecord{
		rec(1, "Ann Berg", globe, vouch.StatusActive, today, today.AddDays(-3), 5),
		rec(2, "Bea Cruz", acme, vouch.StatusNominated, vouch.Date{}, vouch.Date{}, 1),
		rec(3, "Cid Dahl", acme, vouch.StatusResting, today.AddDays(-400), today.AddDays(-30), 9),
		rec(4, "Dan Eke", globe, vouch.StatusRetired, today.AddDays(-100), vouch.Date{}, 2),
	})
	cases := []struct {
		sort       string
		asc, desc  string
		ascMeaning string
	}{
		{"", "Ann,Bea,Cid,Dan", "Dan,Cid,Bea,Ann", "by name"},
		{"name", "Ann,Bea,Cid,Dan", "Dan,Cid,Bea,Ann", "by name"},
		{"account", "Bea,Cid,Ann,Dan", "Ann,Dan,Bea,Cid", "Acme before Globe, then by name"},
		{"status", "Bea,Ann,Cid,Dan", "Dan,Ann,Cid,Bea", "nominated, active (Cid's rest ended today), retired"},
		{"asked", "Ann,Cid,Bea,Dan", "Bea,Dan,Cid,Ann", "most recently asked first, never asked last"},
		{"updated", "Bea,Dan,Ann,Cid", "Cid,Ann,Dan,Bea", "newest change first"},
		{"verified", "Bea,Cid,Dan,Ann", "Ann,Dan,Cid,Bea", "never verified, then the stalest"},
	}
	first := func(res refindex.Result) string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, strings.Fields(h.Reference.Name)[0])
		}
		return strings.Join(out, ",")
	}
	for _, c := range cases {
		if got := first(ix.Search(refindex.Query{Sort: c.sort})); got != c.asc {
			t.Errorf("sort %q: %s, want %s (%s)", c.sort, got, c.asc, c.ascMeaning)
		}
		if got := first(ix.Search(refindex.Query{Sort: c.sort, Desc: true})); got != c.desc {
			t.Errorf("sort %q reversed: %s, want %s", c.sort, got, c.desc)
		}
	}
	// Relevance has one direction: best first.
	if got := first(ix.Search(refindex.Query{Text: "berg", Sort: "relevance", Desc: true})); got != "Ann" {
		t.Errorf("relevance reversed: %s, want Ann", got)
	}
}

// One reading of sort= for the pages and the API: a key alone is its usual
// direction (newest first for asked and updated), -asc and -desc say it.
func TestParseSort(t *testing.T) {
	for _, c := range []struct {
		raw     string
		sort    string
		reverse bool
		ok      bool
	}{
		{"", "", false, true}, {"relevance", "", false, true}, {" Name ", "name", false, true},
		{"name-desc", "name", true, true}, {"name-asc", "name", false, true},
		{"updated", "updated", false, true}, {"updated-desc", "updated", false, true}, {"updated-asc", "updated", true, true},
		{"asked-asc", "asked", true, true}, {"verified-desc", "verified", true, true}, {"status", "status", false, true},
		{"popularity", "", false, false}, {"name-sideways", "", false, false}, {"relevance-desc", "", false, false},
	} {
		sort, reverse, ok := refindex.ParseSort(c.raw)
		if sort != c.sort || reverse != c.reverse || ok != c.ok {
			t.Errorf("ParseSort(%q) = %q, %v, %v; want %q, %v, %v", c.raw, sort, reverse, ok, c.sort, c.reverse, c.ok)
		}
	}
}
