package contentindex

import (
	"cmp"
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

// textScores returns, per slot, the relevance of the query's words (0: not
// matched); nil when the query has no words. Every word must match: exactly,
// by prefix (the last word, as people type), or with one typo (words of four
// letters or more that match nothing exactly).
func (ix *Index) textScores(text string) ([]int32, bool) {
	terms := words.Tokenize(text)
	if len(terms) == 0 {
		return nil, false
	}
	var total []int32
	for i, raw := range terms {
		t := words.Stem(raw)
		var cands []string
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
			for _, v := range ix.vocab {
				if words.Within1(t, v) {
					cands = append(cands, v)
				}
			}
		}
		scores := make([]int32, len(ix.slots))
		for _, c := range cands {
			for _, p := range ix.postings[c] {
				w := int32(p.weight) * 2
				if typo || c != t {
					w = int32(p.weight) // a typo or a completion counts half
				}
				scores[p.slot] = max(scores[p.slot], w)
			}
		}
		if total == nil {
			total = scores
			continue
		}
		for s := range total {
			if scores[s] == 0 {
				total[s] = 0
			} else if total[s] > 0 {
				total[s] += scores[s]
			}
		}
	}
	return total, true
}

// Search answers q from memory.
func (ix *Index) Search(q Query) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	today := ix.clock.Today()
	scores, hasText := ix.textScores(q.Text)

	// Each item is judged once: which filters it fails, as bits. Items
	// failing none are results; items failing only one facet's filter count
	// in that facet, so a facet's counts say what choosing another of its
	// values would give.
	kinds := FacetKinds
	filterBit := map[vouch.TaxonomyKind]uint32{}
	for i, k := range kinds {
		if len(q.Filters[k]) > 0 {
			filterBit[k] = 1 << i
		}
	}
	const stateBit = 1 << 30
	counts := map[vouch.TaxonomyKind]map[int64]int{}
	for _, k := range kinds {
		counts[k] = map[int64]int{}
	}
	stateCounts := map[vouch.ContentState]int{}
	language := strings.ToLower(strings.TrimSpace(q.Language))
	var found []Hit
	for slot, e := range ix.slots {
		if e == nil {
			continue
		}
		it := e.item
		score := int32(0)
		if hasText {
			if score = scores[slot]; score == 0 {
				continue
			}
		}
		st := it.EffectiveState(today)
		if !vouch.ContentShown(q.Manage, st, q.IncludeExpired) || (q.ExternalOnly && !vouch.ContentShareable(st)) {
			continue
		}
		if q.AccountID != 0 && !slices.Contains(it.AccountIDs, q.AccountID) {
			continue
		}
		if q.ReferenceID != 0 && !slices.Contains(it.ReferenceIDs, q.ReferenceID) {
			continue
		}
		if language != "" && strings.ToLower(it.Language) != language {
			continue
		}
		var fails uint32
		for k, bit := range filterBit {
			if !hasAny(valuesOf(it, k), q.Filters[k]) {
				fails |= bit
			}
		}
		if len(q.States) > 0 && !slices.Contains(q.States, st) {
			fails |= stateBit
		}
		switch {
		case fails == 0:
			found = append(found, ix.hit(e, int(score), today))
			for _, k := range kinds {
				for _, id := range valuesOf(it, k) {
					counts[k][id]++
				}
			}
			stateCounts[st]++
		case fails == stateBit:
			stateCounts[st]++
		case fails&(fails-1) == 0 && fails != stateBit:
			for k, bit := range filterBit {
				if fails == bit {
					for _, id := range valuesOf(it, k) {
						counts[k][id]++
					}
				}
			}
		}
	}
	sortHits(found, q.Sort, hasText)
	res := Result{Total: len(found), Facets: map[vouch.TaxonomyKind][]FacetCount{}}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	from := min(max(q.Offset, 0), len(found))
	to := len(found)
	if limit > 0 {
		to = min(from+limit, len(found))
	}
	res.Items = found[from:to]
	for _, k := range kinds {
		for _, v := range ix.cat.Values(k, true) {
			n := counts[k][v.ID]
			chosen := slices.Contains(q.Filters[k], v.ID)
			if n == 0 && !chosen && v.Retired {
				continue
			}
			if n > 0 || chosen || !v.Retired {
				res.Facets[k] = append(res.Facets[k], FacetCount{ID: v.ID, Name: v.Name, Count: n})
			}
		}
	}
	for _, s := range vouch.ContentStates {
		if n := stateCounts[s]; n > 0 || slices.Contains(q.States, s) {
			res.States = append(res.States, StateCount{State: s, Count: n})
		}
	}
	return res
}

func valuesOf(it *vouch.ContentItem, k vouch.TaxonomyKind) []int64 {
	if k == vouch.TaxContentType {
		return []int64{it.TypeID}
	}
	return it.TagIDs(k)
}

func hasAny(have, want []int64) bool {
	for _, w := range want {
		if slices.Contains(have, w) {
			return true
		}
	}
	return false
}

// published is the day an item counts as new from: its publish date, else
// the day it was added.
func published(it *vouch.ContentItem) string {
	if !it.PublishedOn.IsZero() {
		return it.PublishedOn.String()
	}
	return it.CreatedAt.Format("2006-01-02")
}

func sortHits(hits []Hit, by string, hasText bool) {
	newest := func(a, b Hit) int {
		return cmp.Or(strings.Compare(published(b.Item), published(a.Item)), cmp.Compare(b.Item.ID, a.Item.ID))
	}
	var f func(a, b Hit) int
	switch by {
	case SortNewest:
		f = newest
	case SortTitle:
		f = func(a, b Hit) int {
			return cmp.Or(strings.Compare(strings.ToLower(a.Item.Title), strings.ToLower(b.Item.Title)), cmp.Compare(a.Item.ID, b.Item.ID))
		}
	case SortMostUsed:
		f = func(a, b Hit) int { return cmp.Or(cmp.Compare(b.Stats.Uses, a.Stats.Uses), newest(a, b)) }
	case SortBestRated:
		f = func(a, b Hit) int {
			return cmp.Or(cmp.Compare(b.Stats.AverageRating, a.Stats.AverageRating), cmp.Compare(b.Stats.Ratings, a.Stats.Ratings), newest(a, b))
		}
	case SortExpiring:
		f = func(a, b Hit) int {
			ea, eb := a.Item.ExpiresOn, b.Item.ExpiresOn
			switch {
			case ea.IsZero() && !eb.IsZero():
				return 1
			case !ea.IsZero() && eb.IsZero():
				return -1
			}
			return cmp.Or(strings.Compare(ea.String(), eb.String()), newest(a, b))
		}
	default:
		if hasText {
			f = func(a, b Hit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), newest(a, b)) }
		} else {
			f = newest
		}
	}
	slices.SortFunc(hits, f)
}
