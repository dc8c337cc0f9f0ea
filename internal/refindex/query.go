package refindex

import (
	"cmp"
	"container/heap"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/words"
)

// Dimensions that can be filtered and counted.
const (
	dimIndustry = iota
	dimRegion
	dimCountry
	dimSegment
	dimSize
	dimProduct
	dimUseCase
	dimCompetitor
	dimActivity
	dimSeniority
	dimOwner
	dimStatus   // computed per query: depends on today (a rest ends by itself)
	dimCapacity // computed per query: 1 = has capacity now, 0 = at capacity
	dimVerified // computed per query: 1 = verified within 12 months, 0 = stale
	numDims
)

// numStoredDims are the dimensions kept per entry; the others depend on the day.
const numStoredDims = dimOwner + 1

// Facet names, as used in URLs and the API (?facets=industry,region).
var Facets = []string{"industry", "region", "country", "segment", "company_size", "product", "use_case",
	"competitor", "activity_type", "seniority", "owner", "status", "capacity", "verified"}

// numTaxonomyDims is how many dimensions, from the first, are taxonomy values.
const numTaxonomyDims = dimActivity + 1

var dimKinds = [numTaxonomyDims]vouch.TaxonomyKind{vouch.TaxIndustry, vouch.TaxRegion, vouch.TaxCountry, vouch.TaxSegment,
	vouch.TaxCompanySize, vouch.TaxProduct, vouch.TaxUseCase, vouch.TaxCompetitor, vouch.TaxActivityType}

// FacetKind returns the taxonomy behind a facet ("" for status, capacity …).
func FacetKind(facet string) vouch.TaxonomyKind {
	if i := slices.Index(Facets, facet); i >= 0 && i < numTaxonomyDims {
		return dimKinds[i]
	}
	return ""
}

// Query selects references. Within a facet the selected values are
// alternatives (OR); across facets they all apply (AND).
type Query struct {
	Text      string
	Filters   map[string][]int64 // facet name → selected keys (value ids; status/seniority by index; capacity/verified 1|0; owner user id)
	AccountID int64
	// Requestable leaves out, from the hits and the counts, every
	// reference a seller may not request (vouch.Requestable): a seller's view.
	Requestable bool
	Sort        string // relevance (default with text), name (default), account, status, asked, updated, verified
	Desc        bool   // reverse the sort's usual direction (not relevance's); ties stay by name
	Offset      int
	Limit       int // 0 = 50; -1 = all
	CountFacets []string
	// Suggest asks, when the query finds nothing, for the searches that
	// would find something: the query without each of its constraints.
	Suggest bool
}

// Hit is one reference found.
type Hit struct {
	Reference *vouch.Reference `json:"-"`
	Account   *vouch.Account   `json:"-"`
	Status    vouch.Status     // as of today: a rest that ended counts as active
	Capacity  vouch.Capacity
	Stale     bool
	Asked     vouch.Date // the day it was last asked (zero: never)
	Score     int        // text relevance
}

// FacetValue is one value of a facet with the number of references it would give.
type FacetValue struct {
	Key      int64  `json:"-"`
	Name     string `json:"name"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}

// Result is a page of hits, the number of all matches, and facet counts.
type Result struct {
	Total       int
	Hits        []Hit
	Facets      map[string][]FacetValue
	Suggestions []Suggestion // when asked for and nothing was found; most found first
}

// Suggestion is a search that would find something where a query found
// nothing: the query without one facet's selection, or without its text.
type Suggestion struct {
	Facet string  // the facet whose selection is dropped; "" drops the text
	Keys  []int64 // the keys dropped (none for the text)
	Total int     // how many references the query finds without them
}

// StatusKey is the filter key of a status.
func StatusKey(s vouch.Status) int64 { return int64(slices.Index(vouch.Statuses, s)) }

// SeniorityKey is the filter key of a seniority ("executive" …), or -1.
func SeniorityKey(s string) int64 { return int64(slices.Index(vouch.Seniorities, strings.ToLower(s))) }

// Search answers q. Counts for a facet are computed as if that facet had no
// selection, so a person can see what choosing another value would give.
func (ix *Index) Search(q Query) Result {
	res := ix.search(q)
	if q.Suggest && res.Total == 0 {
		res.Suggestions = ix.suggest(q)
	}
	return res
}

// suggest counts q without each of its constraints in turn (the text, each
// facet's selection) and returns those that find something, most first.
// The account a query is limited to is its context, not a constraint.
func (ix *Index) suggest(q Query) []Suggestion {
	// The same view as the query: a seller's suggestions count only what they may request.
	base := Query{Text: q.Text, Filters: q.Filters, AccountID: q.AccountID, Requestable: q.Requestable, Limit: 1}
	var out []Suggestion
	if len(words.Tokenize(q.Text)) > 0 {
		without := base
		without.Text = ""
		if n := ix.search(without).Total; n > 0 {
			out = append(out, Suggestion{Total: n})
		}
	}
	for _, facet := range Facets {
		keys := q.Filters[facet]
		if len(keys) == 0 {
			continue
		}
		without := base
		without.Filters = make(map[string][]int64, len(q.Filters))
		for f, k := range q.Filters {
			if f != facet {
				without.Filters[f] = k
			}
		}
		if n := ix.search(without).Total; n > 0 {
			out = append(out, Suggestion{Facet: facet, Keys: slices.Clone(keys), Total: n})
		}
	}
	slices.SortStableFunc(out, func(a, b Suggestion) int { return b.Total - a.Total })
	return out
}

// search answers q under the read lock.
func (ix *Index) search(q Query) Result {
	today := ix.clock.Today()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc := newScan(ix, q, today)
	// The unfiltered list (the page most people open first) counts every
	// facet over every reference; those counts only change with the data or
	// the day, so they are kept until either does.
	var cached map[string][]FacetValue
	cacheKey := ""
	if q.Text == "" && len(sc.active) == 0 && q.AccountID == 0 && len(sc.counted) > 0 {
		keys := slices.Clone(q.CountFacets)
		slices.Sort(keys)
		cacheKey = strings.Join(keys, ",")
		if c := ix.facetCache[b2u(q.Requestable)].Load(); c != nil && c.gen == ix.gen && c.day == sc.today && c.key == cacheKey {
			cached = c.facets
			sc.counted, sc.isCounted, sc.countOwner = nil, [numDims]bool{}, false
			sc.needDay = sc.listed != nil // a seller's view still needs the day's statuses
		}
	}
	if sc.needDay {
		sc.days = ix.daysFor(sc.today)
	}

	var match []uint64 // nil: every slot is a candidate
	var scores []uint16
	if terms := words.Tokenize(q.Text); len(terms) > 0 {
		match, scores = ix.matchText(terms)
		defer scorePool.Put(&scores)
	}
	sortBy := q.Sort
	if sortBy == "" || (sortBy == "relevance" && match == nil) {
		sortBy = "name"
		if match != nil {
			sortBy = "relevance"
		}
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	k := q.Offset + limit
	if limit < 0 {
		k = -1
	}
	less := lessFunc(sortBy, q.Desc, scores, sc.today, ix)
	// A large index is scanned in parallel parts, each with its own counters
	// and best hits, merged at the end: on two cores that halves the scan.
	parts := 1
	if len(ix.slots) >= parallelScanMin {
		parts = min(runtime.GOMAXPROCS(0), maxScanParts)
	}
	scans := make([]*scan, parts)
	tops := make([]*hitHeap, parts)
	totals := make([]int, parts)
	var wg sync.WaitGroup
	for p := range parts {
		scans[p], tops[p] = sc, &hitHeap{less: less}
		if p > 0 {
			scans[p] = sc.fork()
		}
		from, to := len(ix.slots)*p/parts, len(ix.slots)*(p+1)/parts
		run := func() {
			totals[p] = ix.scanRange(scans[p], tops[p], from, to, match, q.AccountID, k)
		}
		if p == parts-1 {
			run()
		} else {
			wg.Go(run)
		}
	}
	wg.Wait()
	top := tops[0]
	total := totals[0]
	for p := 1; p < parts; p++ {
		sc.merge(scans[p])
		total += totals[p]
		for _, slot := range tops[p].slots {
			top.offer(slot, k)
		}
	}
	hits := top.sorted()
	if q.Offset < len(hits) {
		hits = hits[q.Offset:]
	} else {
		hits = nil
	}
	res := Result{Total: total, Hits: make([]Hit, len(hits))}
	for i, h := range hits {
		score := 0
		if scores != nil {
			score = int(scores[h])
		}
		res.Hits[i] = ix.hit(ix.slots[h], today, score)
	}
	switch {
	case cached != nil:
		res.Facets = copyFacets(cached)
	case len(q.CountFacets) > 0:
		res.Facets = ix.facetValues(q.CountFacets, sc.counts, sc.owners, sc.selected)
		if cacheKey != "" {
			ix.facetCache[b2u(q.Requestable)].Store(&facetCache{gen: ix.gen, day: sc.today, key: cacheKey, facets: copyFacets(res.Facets)})
		}
	}
	return res
}

// parallelScanMin is the index size from which a search scans in parallel;
// below it, starting goroutines costs more than it saves.
const (
	parallelScanMin = 20_000
	maxScanParts    = 4
)

// scanRange considers slots [from, to) and returns how many match.
func (ix *Index) scanRange(sc *scan, top *hitHeap, from, to int, match []uint64, accountID int64, k int) int {
	total := 0
	for slot := from; slot < to; slot++ {
		if match != nil {
			// Text matched: skip to the next match without reading the
			// slots between (a whole word of the bitset at a time).
			w := match[slot>>6] >> (uint(slot) & 63)
			if w == 0 {
				slot |= 63
				continue
			}
			slot += bits.TrailingZeros64(w)
			if slot >= to {
				break
			}
		}
		e := ix.slots[slot]
		if e == nil {
			continue
		}
		if accountID != 0 && e.acct.ID != accountID {
			continue
		}
		if sc.consider(&ix.cols, int32(slot)) {
			total++
			top.offer(int32(slot), k)
		}
	}
	return total
}

// fork returns a scan with the same filters and fresh counters.
func (sc *scan) fork() *scan {
	f := *sc
	for d := range f.counts {
		if f.counts[d] != nil {
			f.counts[d] = make([]int32, len(f.counts[d]))
		}
	}
	f.owners = map[int64]int32{}
	return &f
}

// merge adds another part's counters to sc's.
func (sc *scan) merge(o *scan) {
	for d := range sc.counts {
		for i, n := range o.counts[d] {
			sc.counts[d][i] += n
		}
	}
	for id, n := range o.owners {
		sc.owners[id] += n
	}
}

// facetCache holds the facet counts of the unfiltered list.
type facetCache struct {
	gen    uint64 // the index's generation they were counted at
	day    int32
	key    string // the facets counted, sorted
	facets map[string][]FacetValue
}

// copyFacets copies counts so no caller can change the cached ones.
func copyFacets(f map[string][]FacetValue) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(f))
	for k, v := range f {
		out[k] = slices.Clone(v)
	}
	return out
}

// scan holds one search's filters and facet counters.
type scan struct {
	today      int32
	capDefault int32
	active     []int            // dimensions with a selection
	sel        [numDims][]bool  // dimension → selected keys (indexed by key)
	selected   [numDims][]int64 // as given, for marking facet values selected
	counts     [numDims][]int32 // dimension → key → references; nil when not counted
	counted    []int
	isCounted  [numDims]bool
	owners     map[int64]int32 // owner ids are sparse: counted in a map
	countOwner bool
	needDay    bool      // status, capacity or verified is filtered or counted
	days       *dayCache // their values today
	// listed, when set, are the statuses (as of today) a reference must
	// have to be considered at all (Query.Requestable).
	listed []bool
}

func newScan(ix *Index, q Query, today vouch.Date) *scan {
	sc := &scan{today: dayNum(today), capDefault: int32(ix.capacityDefault), owners: map[int64]int32{}}
	size := func(d int) int {
		switch {
		case d < numTaxonomyDims:
			return int(ix.maxValueID) + 1
		case d == dimSeniority:
			return len(vouch.Seniorities)
		case d == dimStatus:
			return len(vouch.Statuses)
		case d == dimOwner:
			return 0
		}
		return 2
	}
	for name, keys := range q.Filters {
		d := slices.Index(Facets, name)
		if d < 0 || len(keys) == 0 {
			continue
		}
		n := size(d)
		if d == dimOwner {
			for _, k := range keys {
				n = max(n, int(k)+1)
			}
		}
		sc.sel[d] = make([]bool, n)
		for _, k := range keys {
			if k >= 0 && int(k) < n {
				sc.sel[d][k] = true
			}
		}
		sc.selected[d] = keys
		sc.active = append(sc.active, d)
	}
	slices.Sort(sc.active)
	if q.Requestable {
		sc.listed, sc.needDay = make([]bool, len(vouch.Statuses)), true
		for i, s := range vouch.Statuses {
			sc.listed[i] = vouch.Requestable(s)
		}
	}
	for _, name := range q.CountFacets {
		d := slices.Index(Facets, name)
		if d < 0 || sc.counts[d] != nil || (d == dimOwner && sc.countOwner) {
			continue
		}
		if d == dimOwner {
			sc.countOwner = true
		} else {
			sc.counts[d] = make([]int32, size(d))
		}
		sc.counted = append(sc.counted, d)
		sc.isCounted[d] = true
	}
	for _, d := range append(slices.Clone(sc.active), sc.counted...) {
		if d >= dimStatus {
			sc.needDay = true
		}

	}
	return sc
}

// dayValues computes a slot's status, capacity and verified keys for a day.
func dayValues(c *columns, slot int32, today, capDefault int32, out *[3]int32) {
	st := int32(c.status[slot])
	if st == statusResting && c.restDay[slot] != 0 && today >= c.restDay[slot] {
		st = statusActive
	}
	out[0] = st
	limit := c.capMax[slot]
	if limit < 0 {
		limit = capDefault
	}
	used := int32(0)
	from := today - vouch.CapacityWindowDays + 1
	acts := c.actPool[c.actStart[slot] : c.actStart[slot]+uint32(c.actCount[slot])]
	for i := len(acts) - 1; i >= 0 && acts[i] >= from; i-- {
		if acts[i] <= today {
			used++
		}
	}
	out[1] = 0
	if used < limit {
		out[1] = 1
	}
	out[2] = 0
	if v := c.verDay[slot]; v != 0 && v+vouch.StaleAfterDays >= today {
		out[2] = 1
	}
}

var (
	statusActive  = int32(slices.Index(vouch.Statuses, vouch.StatusActive))
	statusResting = int32(slices.Index(vouch.Statuses, vouch.StatusResting))
)

// consider applies the filters to e and counts its facet values; it reports
// whether e matches every filter. An entry failing exactly one filter still
// counts in that filter's facet: choosing that value would include it.
func (sc *scan) consider(c *columns, slot int32) bool {
	var day [3]int32
	if sc.needDay {
		day = [3]int32{int32(sc.days.status[slot]), int32(sc.days.capFree[slot]), int32(sc.days.verified[slot])}
		if sc.listed != nil && !sc.listed[day[0]] {
			return false
		}
	}
	failed, fails := -1, 0
	for _, d := range sc.active {
		if !sc.matches(c, d, slot, &day) {
			fails++
			if fails > 1 {
				return false
			}
			failed = d
		}
	}
	if fails == 1 {
		if sc.isCounted[failed] {
			sc.count(c, failed, slot, &day)
		}
		return false
	}
	for _, d := range sc.counted {
		sc.count(c, d, slot, &day)
	}
	return fails == 0
}

// count adds the slot's values in dimension d to the facet counts.
func (sc *scan) count(c *columns, d int, slot int32, day *[3]int32) {
	switch {
	case d >= numStoredDims:
		sc.counts[d][day[d-numStoredDims]]++
	case multiValued[d]:
		cnt := sc.counts[d]
		s := c.start[d][slot]
		for _, v := range c.pool[d][s : s+uint32(c.count[d][slot])] {
			if int(v) < len(cnt) {
				cnt[v]++
			}
		}
	case d == dimOwner:
		if v := c.single[d][slot]; v >= 0 {
			sc.owners[int64(v)]++
		}
	default:
		if v := c.single[d][slot]; v >= 0 && int(v) < len(sc.counts[d]) {
			sc.counts[d][v]++
		}
	}
}

// matches reports whether the slot has a selected value in dimension d.
func (sc *scan) matches(c *columns, d int, slot int32, day *[3]int32) bool {
	sel := sc.sel[d]
	switch {
	case d >= numStoredDims:
		return sel[day[d-numStoredDims]]
	case multiValued[d]:
		s := c.start[d][slot]
		for _, v := range c.pool[d][s : s+uint32(c.count[d][slot])] {
			if int(v) < len(sel) && sel[v] {
				return true
			}
		}
		return false
	}
	v := c.single[d][slot]
	return v >= 0 && int(v) < len(sel) && sel[v]
}

// facetValues turns counts into named values: taxonomy values in display
// order (retired ones only when they count), statuses in lifecycle order.
func (ix *Index) facetValues(names []string, counting [numDims][]int32, owners map[int64]int32, filters [numDims][]int64) map[string][]FacetValue {
	out := map[string][]FacetValue{}
	for _, name := range names {
		d := slices.Index(Facets, name)
		if d < 0 {
			continue
		}
		selected := func(k int64) bool { return slices.Contains(filters[d], k) }
		var vals []FacetValue
		switch {
		case d < numTaxonomyDims:
			var list []*vouch.TaxonomyValue
			for _, v := range ix.values {
				if v.Kind == dimKinds[d] && (!v.Retired || counting[d][v.ID] > 0) {
					list = append(list, v)
				}
			}
			sort.Slice(list, func(i, j int) bool {
				if list[i].Position != list[j].Position {
					return list[i].Position < list[j].Position
				}
				return list[i].Name < list[j].Name
			})
			for _, v := range list {
				vals = append(vals, FacetValue{Key: v.ID, Name: v.Name, Count: int(counting[d][v.ID]), Selected: selected(v.ID)})
			}
		case d == dimSeniority:
			for i, s := range vouch.Seniorities {
				vals = append(vals, FacetValue{Key: int64(i), Name: s, Count: int(counting[d][i]), Selected: selected(int64(i))})
			}
		case d == dimStatus:
			for i, s := range vouch.Statuses {
				vals = append(vals, FacetValue{Key: int64(i), Name: string(s), Count: int(counting[d][i]), Selected: selected(int64(i))})
			}
		case d == dimCapacity:
			vals = []FacetValue{{Key: 1, Name: "has capacity now", Count: int(counting[d][1]), Selected: selected(1)},
				{Key: 0, Name: "at capacity", Count: int(counting[d][0]), Selected: selected(0)}}
		case d == dimVerified:
			vals = []FacetValue{{Key: 1, Name: "verified", Count: int(counting[d][1]), Selected: selected(1)},
				{Key: 0, Name: "stale", Count: int(counting[d][0]), Selected: selected(0)}}
		case d == dimOwner:
			for id, n := range owners {
				vals = append(vals, FacetValue{Key: id, Count: int(n), Selected: selected(id)})
			}
			sort.Slice(vals, func(i, j int) bool { return vals[i].Count > vals[j].Count })
		}
		out[name] = vals
	}
	return out
}

// matchText returns the slots containing every query term (as a bitset) and
// their relevance. A term is found in names, titles and stories, and in the
// names of the picklist values a reference carries (a tag counts like a
// title). The last term also matches as a prefix (search as you type); a
// term that matches nothing is retried allowing one typo.
func (ix *Index) matchText(terms []string) ([]uint64, []uint16) {
	n := len(ix.slots)
	nwords := (n + 63) / 64
	var match []uint64
	scores := *scorePool.Get().(*[]uint16)
	if cap(scores) < n {
		scores = make([]uint16, n)
	} else {
		scores = scores[:n]
		clear(scores)
	}
	for i, raw := range terms {
		t := words.Stem(raw)
		var cands, tagCands []string
		weight := 2
		if _, ok := ix.postings[t]; ok {
			cands = append(cands, t)
		}
		if _, ok := ix.tags[t]; ok {
			tagCands = append(tagCands, t)
		}
		if i == len(terms)-1 && len(raw) >= 2 {
			cands = completions(ix.vocab, raw, t, cands)
			tagCands = completions(ix.tagVocab, raw, t, tagCands)
		}
		if len(cands) == 0 && len(tagCands) == 0 && len(t) >= 4 {
			weight = 1
			for _, v := range ix.vocab {
				if words.Within1(t, v) {
					cands = append(cands, v)
				}
			}
			for _, v := range ix.tagVocab {
				if words.Within1(t, v) {
					tagCands = append(tagCands, v)
				}
			}
		}
		set := make([]uint64, nwords)
		for ci, c := range cands {
			w := weight
			if ci > 0 && weight == 2 && c != t {
				w = 1 // prefix completions count less than the word itself
			}
			for _, p := range ix.postings[c] {
				slot := p.slot()
				if ix.slots[slot] == nil {
					continue
				}
				set[slot>>6] |= 1 << (uint(slot) & 63)
				scores[slot] += uint16(fieldWeight[p.field()] * w)
			}
		}
		if len(tagCands) > 0 {
			ix.matchTags(tagCands, t, weight, set, scores)
		}
		if match == nil {
			match = set
		} else {
			for w := range match {
				match[w] &= set[w]
			}
		}
	}
	return match, scores
}

// completions adds to cands the words of vocab (sorted) that start with
// raw, other than t, up to 200 in all.
func completions(vocab []string, raw, t string, cands []string) []string {
	lo := sort.SearchStrings(vocab, raw)
	for j := lo; j < len(vocab) && strings.HasPrefix(vocab[j], raw) && len(cands) < 200; j++ {
		if vocab[j] != t {
			cands = append(cands, vocab[j])
		}
	}
	return cands
}

// matchTags adds to set the slots carrying a value whose name holds one of
// cands, and to their relevance a tag's weight once per term: the best
// candidate (the term itself, first) decides it, however many values match.
func (ix *Index) matchTags(cands []string, t string, weight int, set []uint64, scores []uint16) {
	seen := make([]uint64, len(set))
	for ci, c := range cands {
		w := weight
		if ci > 0 && weight == 2 && c != t {
			w = 1
		}
		add := uint16(tagWeight * w)
		for _, k := range ix.tags[c] {
			for wi, b := range ix.tagBits(k) {
				if wi >= len(set) {
					break
				}
				b &^= seen[wi]
				seen[wi] |= b
				for b != 0 {
					slot := wi<<6 | bits.TrailingZeros64(b)
					b &= b - 1
					if ix.slots[slot] == nil {
						continue
					}
					set[wi] |= 1 << (uint(slot) & 63)
					scores[slot] += add
				}
			}
		}
	}
}

// scorePool recycles the relevance of every slot that matchText fills: at
// 100,000 references that is 200 KB per text search, most of what a search
// allocated, and under load that garbage drove the heap's growth.
var scorePool = sync.Pool{New: func() any { return new([]uint16) }}

// hitHeap keeps the best k slots by the sort order. Its root is the worst
// kept hit, so a better one replaces it in O(log k).
type hitHeap struct {
	slots []int32
	less  func(a, b int32) bool
}

func (h *hitHeap) Len() int           { return len(h.slots) }
func (h *hitHeap) Less(i, j int) bool { return h.less(h.slots[j], h.slots[i]) }
func (h *hitHeap) Swap(i, j int)      { h.slots[i], h.slots[j] = h.slots[j], h.slots[i] }
func (h *hitHeap) Push(x any)         { h.slots = append(h.slots, x.(int32)) }
func (h *hitHeap) Pop() any {
	n := len(h.slots) - 1
	x := h.slots[n]
	h.slots = h.slots[:n]
	return x
}

// offer considers a hit; k < 0 keeps every hit.
func (h *hitHeap) offer(slot int32, k int) {
	switch {
	case k < 0:
		h.slots = append(h.slots, slot)
	case len(h.slots) < k:
		heap.Push(h, slot)
	case k > 0 && h.less(slot, h.slots[0]):
		h.slots[0] = slot
		heap.Fix(h, 0)
	}
}

// sorted returns the kept slots, best first.
func (h *hitHeap) sorted() []int32 {
	out := slices.Clone(h.slots)
	slices.SortFunc(out, func(a, b int32) int {
		if h.less(a, b) {
			return -1
		} else if h.less(b, a) {
			return 1
		}
		return 0
	})
	return out
}

// lessFunc orders slots; ties fall back to name, then id, so pages are
// stable. desc reverses the order's own direction (name Z–A, stalest last),
// but ties stay in name order.
func lessFunc(by string, desc bool, scores []uint16, today int32, ix *Index) func(a, b int32) bool {
	c := &ix.cols
	byName := func(a, b int32) bool {
		if c.nameHead[a] != c.nameHead[b] {
			return c.nameHead[a] < c.nameHead[b]
		}
		ea, eb := ix.slots[a], ix.slots[b]
		if ea.nameKey != eb.nameKey {
			return ea.nameKey < eb.nameKey
		}
		return ea.ref.ID < eb.ref.ID
	}
	// key compares two slots by the order's own key: below 0 when a comes first.
	var key func(a, b int32) int
	switch by {
	case "relevance":
		return func(a, b int32) bool {
			if scores[a] != scores[b] {
				return scores[a] > scores[b]
			}
			return byName(a, b)
		}
	case "account":
		key = func(a, b int32) int { return strings.Compare(ix.slots[a].acctKey, ix.slots[b].acctKey) }
	case "status": // the lifecycle's order, as of today: a rest that ended counts as active
		statusOf := func(slot int32) int32 {
			st := int32(c.status[slot])
			if st == statusResting && c.restDay[slot] != 0 && today >= c.restDay[slot] {
				return statusActive
			}
			return st
		}
		key = func(a, b int32) int { return cmp.Compare(statusOf(a), statusOf(b)) }
	case "asked": // most recently asked first; never asked last
		key = func(a, b int32) int { return cmp.Compare(c.askDay[b], c.askDay[a]) }
	case "updated": // newest first
		key = func(a, b int32) int { return ix.slots[b].ref.UpdatedAt.Compare(ix.slots[a].ref.UpdatedAt) }
	case "verified": // stalest first: the re-verification worklist
		key = func(a, b int32) int { return cmp.Compare(c.verDay[a], c.verDay[b]) }
	default:
		if desc {
			return func(a, b int32) bool { return byName(b, a) }
		}
		return byName
	}
	return func(a, b int32) bool {
		switch k := key(a, b); {
		case k == 0:
			return byName(a, b)
		case desc:
			return k > 0
		default:
			return k < 0
		}
	}
}
