package contentindex

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/words"
)

// Sorts of a search.
const (
	SortRelevance = "relevance" // best text match first; newest first without text
	SortNewest    = "newest"    // latest published (or added) first
	SortTitle     = "title"
	SortMostUsed  = "most_used"
	SortBestRated = "best_rated"
	SortExpiring  = "expiring" // consent ending soonest first
)

// Sorts lists the sorts a search accepts.
var Sorts = []string{SortRelevance, SortNewest, SortTitle, SortMostUsed, SortBestRated, SortExpiring}

// FacetKinds are the picklists a search counts and filters by: the content
// type and the references' tags.
var FacetKinds = append([]vouch.TaxonomyKind{vouch.TaxContentType}, vouch.ContentTagKinds...)

// Query is a search of the library. Zero fields match everything.
type Query struct {
	Text string
	// Filters holds, per picklist (content_type and the tag kinds), the
	// values of which an item must have at least one.
	Filters     map[vouch.TaxonomyKind][]int64
	States      []vouch.ContentState // effective states; empty: every state the reader sees
	AccountID   int64                // featuring this account
	ReferenceID int64                // featuring this reference
	Language    string
	// Manage is the program team's view: every state. Others see approved
	// items, and expired ones only with IncludeExpired (vouch.ContentShown).
	Manage         bool
	IncludeExpired bool
	ExternalOnly   bool // approved for external use only: what may reach a buyer
	Sort           string
	Offset, Limit  int // Limit 0 = 20; -1 = all
}

// Hit is one item found.
type Hit struct {
	Item     *vouch.ContentItem
	State    vouch.ContentState // effective, as of today
	Stats    vouch.ContentStats
	Accounts []string // featured accounts' names
	Refs     []string // featured references' names
	Snippet  string   // the start of the file's words
	Score    int      // text relevance
}

// FacetCount is one value of a facet with the items that have it among those
// the other filters leave.
type FacetCount struct {
	ID    int64
	Name  string
	Count int
}

// StateCount is one state with its items.
type StateCount struct {
	State vouch.ContentState
	Count int
}

// Result is one page of a search.
type Result struct {
	Items  []Hit
	Total  int
	Facets map[vouch.TaxonomyKind][]FacetCount
	States []StateCount
}

// Get returns item id as the reader would see it; ok is false when it is
// gone or hidden from the reader.
func (ix *Index) Get(id int64, manage, includeExpired bool) (Hit, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	slot, ok := ix.byID[id]
	if !ok {
		return Hit{}, false
	}
	h := ix.hit(ix.slots[slot], 0, ix.clock.Today())
	return h, vouch.ContentShown(manage, h.State, includeExpired)
}

func (ix *Index) hit(e *entry, score int, today vouch.Date) Hit {
	return Hit{Item: e.item, State: e.item.EffectiveState(today), Stats: e.stats, Accounts: e.accounts, Refs: e.refs,
		Snippet: e.snippet, Score: score}
}

// scratch is the working memory of one search, reused through a pool so a
// search over 20,000 items allocates next to nothing.
type scratch struct {
	total, cur []int32  // relevance by slot
	want       []uint32 // by dense value: the facet bits a filter asks it for
	counts     []int32  // by dense value: items counted
	found      []cand
	cands      []string
}

// cand is an item found: its slot, relevance and newest key (the index's
// newest column), so the usual orders compare without leaving the slice.
type cand struct {
	slot  int32
	score int32
	key   int64
}

func (ix *Index) getScratch() *scratch {
	sc, _ := ix.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	sc.total = resize(sc.total, len(ix.slots))
	sc.cur = resize(sc.cur, len(ix.slots))
	sc.want = resize(sc.want, len(ix.valueIdx))
	sc.counts = resize(sc.counts, len(ix.valueIdx))
	sc.found, sc.cands = sc.found[:0], sc.cands[:0]
	return sc
}

// resize returns s with n zeroed elements, reusing its memory when it can.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// textScores fills sc.total with the relevance of the query's words per
// slot (0: not matched); false when the query has no words. Every word must
// match: exactly, by prefix (the last word, as people type), or with one
// typo (words of four letters or more that match nothing exactly).
func (ix *Index) textScores(text string, sc *scratch) bool {
	terms := words.Tokenize(text)
	if len(terms) == 0 {
		return false
	}
	total := sc.total
	for i, raw := range terms {
		t := words.Stem(raw)
		cands := sc.cands[:0]
		if _, ok := ix.postings[t]; ok {
			cands = append(cands, t)
		}
		if i == len(terms)-1 && len(raw) >= 2 {
			for _, p := range []string{raw, t} {
				at, _ := slices.BinarySearch(ix.vocab, p)
				for j := at; j < len(ix.vocab) && strings.HasPrefix(ix.vocab[j], p) && len(cands) < 200; j++ {
					if !slices.Contains(cands, ix.vocab[j]) {
						cands = append(cands, ix.vocab[j])
					}
				}
			}
		}
		typo := false
		if len(cands) == 0 && len(t) >= 4 {
			typo = true
			for n := len(t) - 1; n <= len(t)+1 && n < len(ix.byLen); n++ {
				for _, v := range ix.byLen[n] {
					if words.Within1(t, v) {
						cands = append(cands, v)
					}
				}
			}
		}
		sc.cands = cands
		if len(cands) == 0 {
			clear(total) // a word matching nothing matches no item
			return true
		}
		scores := total // the first word's scores are the running total
		if i > 0 {
			scores = sc.cur
			clear(scores)
		}
		for _, c := range cands {
			half := typo || c != t // a typo or a completion counts half
			// Decoded inline: this loop is most of a text search's time.
			slot := int32(0)
			for d := ix.postings[c].data; len(d) > 0; {
				v, n := binary.Uvarint(d)
				d = d[n:]
				slot += int32(v >> fieldBits)
				w := fieldWeight[v&(1<<fieldBits-1)]
				if !half {
					w *= 2
				}
				scores[slot] = max(scores[slot], w)
			}
		}
		if i == 0 {
			continue
		}
		for s, sum := range total {
			if sum > 0 {
				if scores[s] == 0 {
					total[s] = 0
				} else {
					total[s] = sum + scores[s]
				}
			}
		}
	}
	return true
}

// effective is the state of the item in slot as of the day todayN
// (yyyymmdd), from the columns: approved content whose consent ended is
// expired, as vouch.ContentItem.EffectiveState says.
func (ix *Index) effective(slot int, todayN int32) vouch.ContentState {
	i := ix.state[slot]
	if i == noState {
		return ix.slots[slot].item.State
	}
	st := vouch.ContentStates[i]
	if st.Approved() && ix.expires[slot] != 0 && todayN >= ix.expires[slot] {
		return vouch.ContentExpired
	}
	return st
}

// stateIndex is s's place in vouch.ContentStates (-1: none).
func stateIndex(s vouch.ContentState) int { return slices.Index(vouch.ContentStates, s) }

// Search answers q from memory.
func (ix *Index) Search(q Query) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	today := ix.clock.Today()
	todayN := dayNumber(today.String())
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	hasText := ix.textScores(q.Text, sc)

	// Each item is judged once: which filters it fails, as bits (a facet's
	// bit is its index in FacetKinds). Items failing none are results; items
	// failing only one facet's filter count in that facet, so a facet's
	// counts say what choosing another of its values would give.
	var filterMask uint32
	for k, kind := range FacetKinds {
		if ids := q.Filters[kind]; len(ids) > 0 {
			filterMask |= 1 << k
			for _, id := range ids {
				if d, ok := ix.valueIdx[id]; ok {
					sc.want[d] |= 1 << k
				}
			}
		}
	}
	const stateBit = 1 << 30
	var stateCounts [16]int
	wantState := func(st vouch.ContentState) bool { return len(q.States) == 0 || slices.Contains(q.States, st) }
	language := strings.ToLower(strings.TrimSpace(q.Language))
	for slot, e := range ix.slots {
		if e == nil {
			continue
		}
		score := int32(0)
		if hasText {
			if score = sc.total[slot]; score == 0 {
				continue
			}
		}
		st := ix.effective(slot, todayN)
		if !vouch.ContentShown(q.Manage, st, q.IncludeExpired) || (q.ExternalOnly && !vouch.ContentShareable(st)) {
			continue
		}
		if q.AccountID != 0 && !slices.Contains(e.item.AccountIDs, q.AccountID) {
			continue
		}
		if q.ReferenceID != 0 && !slices.Contains(e.item.ReferenceIDs, q.ReferenceID) {
			continue
		}
		if language != "" && e.language != language {
			continue
		}
		vals := ix.vals[ix.valsAt[slot]:ix.valsAt[slot+1]]
		var have uint32
		for _, v := range vals {
			have |= sc.want[v>>4] & (1 << (v & 15))
		}
		fails := filterMask &^ have
		if !wantState(st) {
			fails |= stateBit
		}
		si := stateIndex(st)
		switch {
		case fails == 0:
			sc.found = append(sc.found, cand{slot: int32(slot), score: score, key: ix.newest[slot]})
			for _, v := range vals {
				sc.counts[v>>4]++
			}
			if si >= 0 {
				stateCounts[si]++
			}
		case fails == stateBit:
			if si >= 0 {
				stateCounts[si]++
			}
		case fails&(fails-1) == 0:
			for _, v := range vals {
				if fails == 1<<(v&15) {
					sc.counts[v>>4]++
				}
			}
		}
	}
	res := Result{Total: len(sc.found), Facets: map[vouch.TaxonomyKind][]FacetCount{}}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	from := min(max(q.Offset, 0), len(sc.found))
	to := len(sc.found)
	if limit > 0 {
		to = min(from+limit, len(sc.found))
	}
	page := ix.best(sc.found, to, ix.order(q.Sort, hasText))[from:]
	res.Items = make([]Hit, len(page))
	for i, c := range page {
		res.Items[i] = ix.hit(ix.slots[c.slot], int(c.score), today)
	}
	for _, k := range FacetKinds {
		for _, v := range ix.cat.Values(k, true) {
			n := 0
			if d, ok := ix.valueIdx[v.ID]; ok {
				n = int(sc.counts[d])
			}
			if n > 0 || !v.Retired || slices.Contains(q.Filters[k], v.ID) {
				res.Facets[k] = append(res.Facets[k], FacetCount{ID: v.ID, Name: v.Name, Count: n})
			}
		}
	}
	for i, s := range vouch.ContentStates {
		if n := stateCounts[i]; n > 0 || slices.Contains(q.States, s) {
			res.States = append(res.States, StateCount{State: s, Count: n})
		}
	}
	return res
}

// order is the comparison of a sort: negative when a comes first.
func (ix *Index) order(by string, hasText bool) func(a, b cand) int {
	newest := func(a, b *entry) int {
		return cmp.Or(strings.Compare(b.published, a.published), cmp.Compare(b.item.ID, a.item.ID))
	}
	var f func(a, b *entry) int
	switch by {
	case SortNewest:
		return func(a, b cand) int { return cmp.Compare(b.key, a.key) }
	case SortTitle:
		rank := ix.titleRanks()
		return func(a, b cand) int { return cmp.Compare(rank[a.slot], rank[b.slot]) }
	case SortMostUsed:
		f = func(a, b *entry) int { return cmp.Or(cmp.Compare(b.stats.Uses, a.stats.Uses), newest(a, b)) }
	case SortBestRated:
		f = func(a, b *entry) int {
			return cmp.Or(cmp.Compare(b.stats.AverageRating, a.stats.AverageRating), cmp.Compare(b.stats.Ratings, a.stats.Ratings), newest(a, b))
		}
	case SortExpiring:
		f = func(a, b *entry) int {
			ea, eb := a.item.ExpiresOn, b.item.ExpiresOn
			switch {
			case ea.IsZero() && !eb.IsZero():
				return 1
			case !ea.IsZero() && eb.IsZero():
				return -1
			}
			return cmp.Or(cmp.Compare(ea.String(), eb.String()), newest(a, b))
		}
	default:
		if hasText {
			return func(a, b cand) int { return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.key, a.key)) }
		}
		return func(a, b cand) int { return cmp.Compare(b.key, a.key) }
	}
	return func(a, b cand) int { return f(ix.slots[a.slot], ix.slots[b.slot]) }
}

// best puts the first k of found by order at its front, in order, and
// returns them. A page needs the first few of thousands: a bounded heap
// finds them without sorting everything.
func (ix *Index) best(found []cand, k int, order func(a, b cand) int) []cand {
	if k >= len(found)/4 {
		slices.SortFunc(found, order)
		return found[:k]
	}
	// found[:k] is a heap with the worst of the best k at its root.
	worse := func(i, j int) bool { return order(found[i], found[j]) > 0 }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= k {
				return
			}
			if r := l + 1; r < k && worse(r, l) {
				l = r
			}
			if !worse(l, i) {
				return
			}
			found[i], found[l] = found[l], found[i]
			i = l
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for i := k; i < len(found); i++ {
		if k > 0 && order(found[i], found[0]) < 0 {
			found[0], found[i] = found[i], found[0]
			down(0)
		}
	}
	top := found[:k]
	slices.SortFunc(top, order)
	return top
}

func valuesOf(it *vouch.ContentItem, k vouch.TaxonomyKind) []int64 {
	if k == vouch.TaxContentType {
		return []int64{it.TypeID}
	}
	return it.TagIDs(k)
}

// published is the day an item counts as new from: its publish date, else
// the day it was added.
func published(it *vouch.ContentItem) string {
	if !it.PublishedOn.IsZero() {
		return it.PublishedOn.String()
	}
	return it.CreatedAt.Format("2006-01-02")
}
