package refindex

import (
	"cmp"
	"container/heap"
	"slices"
	"sort"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// AccountFacets are the facets of the account list, as URLs and the API name
// them (?industry=Retail&health=good).
var AccountFacets = []string{"industry", "segment", "region", "country", "company_size", "health", "owner"}

// accountFacetKinds are the taxonomies behind the account facets ("" for
// health and owner).
var accountFacetKinds = map[string]vouch.TaxonomyKind{"industry": vouch.TaxIndustry, "segment": vouch.TaxSegment,
	"region": vouch.TaxRegion, "country": vouch.TaxCountry, "company_size": vouch.TaxCompanySize}

// AccountSorts are the orders of the account list; the first, the default,
// is the order accounts were added in.
var AccountSorts = []string{"added", "name", "references", "updated"}

// AccountQuery selects accounts. Within a facet the selected values are
// alternatives (OR); across facets they all apply (AND).
type AccountQuery struct {
	Text        string             // the name or domain contains it, case-insensitive
	Filters     map[string][]int64 // facet → keys: taxonomy value ids, health by index in vouch.AccountHealth, owner user id
	Sort        string             // one of AccountSorts; "" is "added"
	AfterID     int64              // in the order added only: the page after this account (a stable cursor)
	Offset      int                // in the other orders: the accounts skipped
	Limit       int                // 0 = 50
	CountFacets []string
	// Requestable sorts by a seller's count of references (AccountRefs.Requestable):
	// a seller's view, where the rows show that count.
	Requestable bool
}

// AccountRefs is how many references an account has, and how many of them
// are active today.
type AccountRefs struct {
	Total       int
	Active      int // active today (a rest that ended counts)
	Requestable int // what a seller may request (vouch.Requestable): a seller's count
}

// AccountResult is a page of accounts, the number of all matches, their
// references, and facet counts.
type AccountResult struct {
	Total      int
	Accounts   []*vouch.Account      // copies the caller may change
	References map[int64]AccountRefs // by account id, for the page's accounts
	Facets     map[string][]FacetValue
}

// HealthKey is the filter key of an account health ("good" …), or -1.
func HealthKey(h string) int64 { return int64(slices.Index(vouch.AccountHealth, strings.ToLower(h))) }

// accountKeys returns an account's key in each facet (-1: none).
func accountKeys(a *vouch.Account) [7]int32 {
	keys := [7]int64{a.IndustryID, a.SegmentID, a.RegionID, a.CountryID, a.SizeID, HealthKey(a.Health), a.OwnerID}
	var out [7]int32
	for i, k := range keys {
		if (k == 0 && i != 5) || k < 0 || k >= 1<<31 {
			k = -1
		}
		out[i] = int32(k)
	}
	return out
}

// Search answers q: the accounts matching its text and filters, in its
// order, a page of them, and the facet counts. As for references, a facet's
// counts ignore that facet's own selection.
func (x *Accounts) Search(q AccountQuery) AccountResult {
	var refs map[int64]AccountRefs
	if x.refs != nil {
		refs = x.refs.AccountReferences()
	}
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	// Keys are small (value, user and health ids): selections and counts
	// are slices indexed by key, not maps, since every account touches each.
	var sel [7][]bool
	for i, f := range AccountFacets {
		if keys := q.Filters[f]; len(keys) > 0 {
			sel[i] = []bool{}
			for _, k := range keys {
				if k >= 0 && k < 1<<24 {
					sel[i] = grow(sel[i], int(k))
					sel[i][k] = true
				}
			}
		}
	}
	var counted [7]*[]int32
	for _, f := range q.CountFacets {
		if i := slices.Index(AccountFacets, f); i >= 0 {
			counted[i] = &[]int32{}
		}
	}
	count := func(i int, k int32) {
		if k >= 0 && k < 1<<24 {
			c := grow(*counted[i], int(k))
			c[k]++
			*counted[i] = c
		}
	}

	x.mu.RLock()
	var matched []*accountEntry
	consider := func(e *accountEntry) {
		keys := &e.keys
		failed, fails := -1, 0
		for i, s := range sel {
			if s != nil && (keys[i] < 0 || int(keys[i]) >= len(s) || !s[keys[i]]) {
				fails++
				failed = i
			}
		}
		switch {
		case fails == 0:
			matched = append(matched, e)
			for i, c := range counted {
				if c != nil {
					count(i, keys[i])
				}
			}
		case fails == 1 && counted[failed] != nil:
			count(failed, keys[failed]) // choosing its value would include it
		}
	}
	needle := strings.NewReplacer("%", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(q.Text)))
	switch {
	case needle == "":
		for _, e := range x.list {
			consider(e)
		}
	case strings.IndexByte(needle, 0) < 0:
		x.eachMatch(needle, consider)
	}
	x.mu.RUnlock()

	by := func(a, b *accountEntry) int { return cmpID(a.id(), b.id()) } // the order added
	switch q.Sort {
	case "name":
		by = func(a, b *accountEntry) int {
			return cmp.Or(strings.Compare(a.nameKey, b.nameKey), cmpID(a.id(), b.id()))
		}
	case "references": // most first
		count := func(id int64) int { return refs[id].Total }
		if q.Requestable {
			count = func(id int64) int { return refs[id].Requestable }
		}
		by = func(a, b *accountEntry) int {
			return cmp.Or(cmp.Compare(count(b.id()), count(a.id())), strings.Compare(a.nameKey, b.nameKey), cmpID(a.id(), b.id()))
		}
	case "updated": // most recent first
		by = func(a, b *accountEntry) int {
			return cmp.Or(b.acct.UpdatedAt.Compare(a.acct.UpdatedAt), cmpID(a.id(), b.id()))
		}
	}
	res := AccountResult{Total: len(matched), References: map[int64]AccountRefs{}}
	var page []*accountEntry
	switch {
	case (q.Sort == "" || q.Sort == "added") && q.AfterID > 0:
		start, _ := slices.BinarySearchFunc(matched, q.AfterID+1, byID) // matched is in id order
		page = matched[start:]
	case q.Sort == "" || q.Sort == "added":
		page = matched[min(q.Offset, len(matched)):]
	default:
		page = firstSorted(matched, q.Offset+limit, by)
		page = page[min(q.Offset, len(page)):]
	}
	page = page[:min(limit, len(page))]
	for _, e := range page {
		a := *e.acct
		a.ProductIDs = slices.Clone(a.ProductIDs)
		if a.ProductIDs == nil {
			a.ProductIDs = []int64{}
		}
		res.Accounts = append(res.Accounts, &a)
		res.References[a.ID] = refs[a.ID]
	}
	if len(q.CountFacets) > 0 {
		res.Facets = x.facetValues(q.CountFacets, counted, q.Filters)
	}
	return res
}

// facetValues names the account facet counts: taxonomy values in the
// catalog's order (company sizes smallest first), health best first,
// owners by count. Values no account matching would give are left out
// unless selected.
func (x *Accounts) facetValues(names []string, counts [7]*[]int32, filters map[string][]int64) map[string][]FacetValue {
	out := map[string][]FacetValue{}
	for _, name := range names {
		i := slices.Index(AccountFacets, name)
		if i < 0 {
			continue
		}
		n := func(k int64) int {
			if c := *counts[i]; k >= 0 && k < int64(len(c)) {
				return int(c[k])
			}
			return 0
		}
		selected := func(k int64) bool { return slices.Contains(filters[name], k) }
		vals := []FacetValue{}
		switch {
		case accountFacetKinds[name] != "":
			if x.refs == nil {
				break
			}
			list := x.refs.Catalog().Values(accountFacetKinds[name], true)
			sort.SliceStable(list, func(a, b int) bool { return list[a].Position < list[b].Position })
			for _, v := range list {
				if c := n(v.ID); c > 0 || selected(v.ID) {
					vals = append(vals, FacetValue{Key: v.ID, Name: v.Name, Count: c, Selected: selected(v.ID)})
				}
			}
		case name == "health":
			for k, h := range vouch.AccountHealth {
				if c := n(int64(k)); c > 0 || selected(int64(k)) {
					vals = append(vals, FacetValue{Key: int64(k), Name: h, Count: c, Selected: selected(int64(k))})
				}
			}
		case name == "owner":
			for id, c := range *counts[i] {
				if c > 0 {
					vals = append(vals, FacetValue{Key: int64(id), Count: int(c), Selected: selected(int64(id))})
				}
			}
			for _, id := range filters[name] {
				if n(id) == 0 {
					vals = append(vals, FacetValue{Key: id, Selected: true})
				}
			}
			sort.Slice(vals, func(a, b int) bool {
				return cmp.Or(cmp.Compare(vals[b].Count, vals[a].Count), cmp.Compare(vals[a].Key, vals[b].Key)) < 0
			})
		}
		out[name] = vals
	}
	return out
}

// accountRefsCache holds the references per account as of a generation and day.
type accountRefsCache struct {
	gen    uint64
	day    int32
	counts map[int64]AccountRefs
}

// AccountReferences returns how many references each account has and how
// many are active today. The map is shared: callers must not change it.
func (ix *Index) AccountReferences() map[int64]AccountRefs {
	today := dayNum(ix.clock.Today())
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if c := ix.acctRefs.Load(); c != nil && c.gen == ix.gen && c.day == today {
		return c.counts
	}
	dc := ix.daysFor(today)
	counts := make(map[int64]AccountRefs, len(ix.byID)/2)
	for slot, e := range ix.slots {
		if e == nil {
			continue
		}
		c := counts[e.acct.ID]
		c.Total++
		st := int32(dc.status[slot])
		if st == statusActive {
			c.Active++
		}
		if st == statusActive || st == statusResting {
			c.Requestable++ // vouch.Requestable
		}
		counts[e.acct.ID] = c
	}
	ix.acctRefs.Store(&accountRefsCache{gen: ix.gen, day: today, counts: counts})
	return counts
}

// firstSorted returns the first k entries of list in the order by, sorted.
// A page of a long list keeps only k in a heap rather than sorting them all:
// 33,000 accounts by name would take some 15 ms a request.
func firstSorted(list []*accountEntry, k int, by func(a, b *accountEntry) int) []*accountEntry {
	if k >= len(list)/4 {
		slices.SortFunc(list, by)
		return list[:min(k, len(list))]
	}
	h := &entryHeap{by: by}
	for _, e := range list {
		switch {
		case len(h.list) < k:
			heap.Push(h, e)
		case by(e, h.list[0]) < 0:
			h.list[0] = e
			heap.Fix(h, 0)
		}
	}
	slices.SortFunc(h.list, by)
	return h.list
}

// entryHeap keeps the best entries with the worst at its root.
type entryHeap struct {
	list []*accountEntry
	by   func(a, b *accountEntry) int
}

func (h *entryHeap) Len() int           { return len(h.list) }
func (h *entryHeap) Less(i, j int) bool { return h.by(h.list[i], h.list[j]) > 0 }
func (h *entryHeap) Swap(i, j int)      { h.list[i], h.list[j] = h.list[j], h.list[i] }
func (h *entryHeap) Push(x any)         { h.list = append(h.list, x.(*accountEntry)) }
func (h *entryHeap) Pop() any {
	n := len(h.list) - 1
	x := h.list[n]
	h.list = h.list[:n]
	return x
}

// grow returns s long enough to hold index i.
func grow[E any](s []E, i int) []E {
	if i < len(s) {
		return s
	}
	return append(s, make([]E, i+1-len(s))...)
}
