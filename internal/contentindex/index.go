// Package contentindex is the in-memory read model of the content library:
// full-text search over titles, summaries, bodies, quotes, the words of
// uploaded files and the names of the accounts and references an item
// features, with the references' facets, typo tolerance and prefixes, and
// the ranking of content for a request by the criteria of reference
// matching. It is loaded from the database at start and kept current by the
// shared change feed, so every instance answers alike.
package contentindex

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/words"
)

// Kinds are the entity kinds the index follows: content and its uses and
// ratings, and the names it shows (accounts, references, picklist values).
var Kinds = []vouch.EntityKind{vouch.EntityContent, vouch.EntityContentUse, vouch.EntityContentRating,
	vouch.EntityAccount, vouch.EntityReference, vouch.EntityTaxonomyValue}

// Field weights: what a matching word adds to relevance, by where it is.
const (
	weightTitle    = 8
	weightFeatured = 6 // the names of featured accounts and references
	weightSummary  = 3
	weightBody     = 2
	weightFile     = 1 // the words of the uploaded file
)

// entry is one item as the index holds it. Entries are replaced, never
// changed, so a Hit stays valid after the lock is released.
type entry struct {
	item     *vouch.ContentItem
	stats    vouch.ContentStats
	accounts []string // names of featured accounts, in item order
	refs     []string // names of featured references
	snippet  string   // the start of the file's words, for a preview
	// Sort keys and picklist values, worked out once so a search compares
	// and counts without allocating.
	published string // the day it counts as new from, YYYY-MM-DD
	title     string // lower-cased, for the title sort
	language  string // lower-cased
	// pending holds the entry's words, each with the code of the best field
	// it is in, from read until put indexes them (outside the lock).
	pending map[string]uint8
}

// fieldBits are the low bits of a posting that hold its field code.
const fieldBits = 3

// Field codes, in rising weight; fieldWeight is what each adds to relevance.
const (
	fieldFile uint8 = iota
	fieldBody
	fieldSummary
	fieldFeatured
	fieldTitle
)

var fieldWeight = [...]int32{fieldFile: weightFile, fieldBody: weightBody, fieldSummary: weightSummary,
	fieldFeatured: weightFeatured, fieldTitle: weightTitle}

// Index answers content searches from memory.
type Index struct {
	db    *store.DB
	cat   *catalog.Catalog
	log   *slog.Logger
	clock *vouch.Clock

	// reloading orders reloads (a read from the database, then a put), as in
	// the reference index: unordered, a poll's older read could land last.
	reloading sync.Mutex

	mu    sync.RWMutex
	slots []*entry // nil when the slot's item changed or was deleted
	byID  map[int64]int32
	// postings holds each word's list behind a pointer: appending then
	// needs no map assignment, which would store the key again as given —
	// a window on the whole text it was cut from, kept alive by the map.
	postings map[string]*postingList
	vocab    []string   // sorted words of postings, for prefixes and typos
	byLen    [][]string // vocab by length in bytes, for typos: a word with one typo is at most one longer or shorter
	dirty    bool       // vocab needs sorting
	dead     int
	// valueIdx numbers the picklist values items have densely, so a search
	// counts facets and tests filters in slices instead of maps.
	valueIdx map[int64]uint32
	scratch  sync.Pool // *scratch, the per-search working memory
	// Columns by slot: what a search's scan reads of every item, side by
	// side in memory rather than behind each entry's pointers.
	state   []uint8  // the stored state's index in vouch.ContentStates (noState: none)
	expires []int32  // the day consent ends as yyyymmdd; 0: none
	newest  []int64  // the publish day as yyyymmdd<<40 | id: larger is newer
	valsAt  []uint32 // the slot's picklist values are vals[valsAt[slot]:valsAt[slot+1]]
	vals    []uint32 // each value: its dense index<<4 | its facet's index in FacetKinds
	// featuring maps an account or reference id to the items featuring it,
	// so a renamed account is found by its new name at once.
	byAccount map[int64][]int64
	byRef     map[int64][]int64

	// gen counts changes to the slots, under the write lock; titleRank is
	// each slot's place in title order as of titleGen, computed by the first
	// search sorted by title after a change (under titleMu, with the read
	// lock held, so no change runs meanwhile). Comparing titles themselves
	// while picking a page of thousands costs more than the whole scan.
	gen       uint64
	titleMu   sync.Mutex
	titleGen  uint64
	titleRank []int32
}

// New returns an empty index over db; subscribe it to the change feed to load it.
func New(db *store.DB, cat *catalog.Catalog, log *slog.Logger) *Index {
	if log == nil {
		log = slog.Default()
	}
	ix := &Index{db: db, cat: cat, log: log, byID: map[int64]int32{}, postings: map[string]*postingList{},
		valueIdx: map[int64]uint32{}, byAccount: map[int64][]int64{}, byRef: map[int64][]int64{}, valsAt: []uint32{0}}
	if db != nil {
		ix.clock = db.Clock
	}
	return ix
}

// Load reads every item afresh.
func (ix *Index) Load(ctx context.Context) error {
	ix.reloading.Lock()
	defer ix.reloading.Unlock()
	entries, err := ix.read(ctx, nil)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.slots, ix.byID, ix.postings, ix.vocab, ix.dead = make([]*entry, 0, len(entries)), map[int64]int32{}, map[string]*postingList{}, nil, 0
	ix.byAccount, ix.byRef, ix.valueIdx = map[int64][]int64{}, map[int64][]int64{}, map[int64]uint32{}
	ix.state, ix.expires, ix.newest = make([]uint8, 0, len(entries)), make([]int32, 0, len(entries)), make([]int64, 0, len(entries))
	ix.valsAt, ix.vals = append(make([]uint32, 0, len(entries)+1), 0), nil
	// Every posting list is made at its final length, so none carries the
	// spare capacity of growing by appends.
	type size struct {
		bytes int
		last  int32
	}
	sizes := map[string]*size{}
	for slot, e := range entries {
		for t := range e.pending {
			sz := sizes[t]
			if sz == nil {
				sz = &size{last: -1}
				sizes[t] = sz
			}
			sz.bytes += postingSize(sz.last, int32(slot))
			sz.last = int32(slot)
		}
	}
	for t, sz := range sizes {
		t = strings.Clone(t) // not a window on the text it was cut from
		ix.postings[t] = newPostingList(sz.bytes)
		ix.vocab = append(ix.vocab, t)
	}
	ix.dirty = true
	for _, e := range entries {
		ix.put(e.item.ID, e)
	}
	ix.sortVocab()
	return nil
}

// Apply brings the index up to date with changed entities.
func (ix *Index) Apply(ctx context.Context, changes []vouch.Touched) error {
	ids := map[int64]bool{}
	ix.mu.RLock()
	for _, c := range changes {
		switch c.Kind.Base() {
		case vouch.EntityContent, vouch.EntityContentUse, vouch.EntityContentRating:
			ids[c.ID] = true
		case vouch.EntityAccount:
			for _, id := range ix.byAccount[c.ID] {
				ids[id] = true
			}
		case vouch.EntityReference:
			for _, id := range ix.byRef[c.ID] {
				ids[id] = true
			}
		}
	}
	ix.mu.RUnlock()
	if len(ids) == 0 {
		return nil
	}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	slices.Sort(list)
	ix.reloading.Lock()
	defer ix.reloading.Unlock()
	entries, err := ix.read(ctx, list)
	if err != nil {
		return err
	}
	found := map[int64]*entry{}
	for _, e := range entries {
		found[e.item.ID] = e
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range list {
		ix.remove(id)
		if e := found[id]; e != nil {
			ix.put(id, e)
		}
	}
	ix.sortVocab()
	if ix.dead > 1000 && ix.dead > len(ix.slots)/2 {
		ix.compact()
	}
	return nil
}

// read loads entries from the database: the items with ids (all when nil),
// their file words, stats and the names of what they feature.
func (ix *Index) read(ctx context.Context, ids []int64) ([]*entry, error) {
	items, err := ix.db.ContentItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	var itemIDs []int64
	if ids != nil {
		itemIDs = ids
	}
	texts, err := ix.db.ContentTexts(ctx, itemIDs)
	if err != nil {
		return nil, err
	}
	stats, err := ix.db.ContentStats(ctx, itemIDs)
	if err != nil {
		return nil, err
	}
	accountNames, refNames, err := ix.names(ctx, items)
	if err != nil {
		return nil, err
	}
	out := make([]*entry, 0, len(items))
	for _, it := range items {
		e := &entry{item: it, stats: stats[it.ID], published: published(it), title: strings.ToLower(it.Title),
			language: strings.ToLower(it.Language)}
		for _, id := range it.AccountIDs {
			e.accounts = append(e.accounts, accountNames[id])
		}
		for _, id := range it.ReferenceIDs {
			e.refs = append(e.refs, refNames[id])
		}
		text := texts[it.ID]
		e.snippet = snippetOf(text)
		out = append(out, e)
		e.terms(text) // computed now, outside the lock
	}
	return out, nil
}

// names reads the names of the accounts and references the items feature.
func (ix *Index) names(ctx context.Context, items []*vouch.ContentItem) (map[int64]string, map[int64]string, error) {
	accounts, refs := map[int64]string{}, map[int64]string{}
	var refIDs []int64
	need := false
	for _, it := range items {
		need = need || len(it.AccountIDs) > 0
		refIDs = append(refIDs, it.ReferenceIDs...)
	}
	if need {
		all, err := ix.db.AllAccounts(ctx)
		if err != nil {
			return nil, nil, err
		}
		for id, a := range all {
			accounts[id] = a.Name
		}
	}
	if len(refIDs) > 0 {
		if len(refIDs) > 1000 {
			refIDs = nil // a full load: every name in one read
		}
		named, err := ix.db.ReferenceNames(ctx, refIDs)
		if err != nil {
			return nil, nil, err
		}
		refs = named
	}
	return accounts, refs, nil
}

// snippetOf is the start of a file's words, cut at a word.
func snippetOf(text string) string {
	const n = 600
	if len(text) <= n {
		return strings.Clone(text)
	}
	text = strings.Clone(text[:n]) // not a window on the whole text
	cut := text[:n]
	for i := len(cut) - 1; i > n-80 && i > 0; i-- {
		if cut[i] == ' ' {
			return cut[:i] + " …"
		}
	}
	return cut + " …"
}

// terms collects the entry's words into pending.
func (e *entry) terms(fileText string) {
	w := map[string]uint8{}
	add := func(s string, field uint8) {
		for _, t := range words.Tokenize(s) {
			t = words.Stem(t)
			if cur, ok := w[t]; !ok || cur < field {
				w[t] = field
			}
		}
	}
	add(fileText, fieldFile)
	add(e.item.Body, fieldBody)
	add(e.item.Summary, fieldSummary)
	for _, n := range e.accounts {
		add(n, fieldFeatured)
	}
	for _, n := range e.refs {
		add(n, fieldFeatured)
	}
	add(e.item.Title, fieldTitle)
	e.pending = w
}

// put adds e in a new slot; the caller holds the write lock.
func (ix *Index) put(id int64, e *entry) {
	ix.gen++
	slot := int32(len(ix.slots))
	ix.slots = append(ix.slots, e)
	ix.byID[id] = slot
	for t, field := range e.pending {
		ps, seen := ix.postings[t]
		if !seen {
			t = strings.Clone(t) // not a window on the text it was cut from
			ix.vocab = append(ix.vocab, t)
			ix.dirty = true
			ps = newPostingList(0)
			ix.postings[t] = ps
		}
		ps.add(slot, field)
	}
	e.pending = nil
	ix.columns(e)
	for _, a := range e.item.AccountIDs {
		ix.byAccount[a] = append(ix.byAccount[a], id)
	}
	for _, r := range e.item.ReferenceIDs {
		ix.byRef[r] = append(ix.byRef[r], id)
	}
}

// columns appends e's columns for the slot put gave it.
func (ix *Index) columns(e *entry) {
	var st uint8 = noState
	if i := stateIndex(e.item.State); i >= 0 {
		st = uint8(i)
	}
	ix.state = append(ix.state, st)
	ix.expires = append(ix.expires, dayNumber(e.item.ExpiresOn.String()))
	ix.newest = append(ix.newest, int64(dayNumber(e.published))<<40|e.item.ID)
	for k, kind := range FacetKinds {
		for _, id := range valuesOf(e.item, kind) {
			d, ok := ix.valueIdx[id]
			if !ok {
				d = uint32(len(ix.valueIdx))
				ix.valueIdx[id] = d
			}
			ix.vals = append(ix.vals, d<<4|uint32(k))
		}
	}
	ix.valsAt = append(ix.valsAt, uint32(len(ix.vals)))
}

// noState marks a stored state the index does not know.
const noState = 255

// dayNumber is a YYYY-MM-DD day as the number yyyymmdd, which sorts as the
// day does; 0 for anything else.
func dayNumber(s string) int32 {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	n := int32(0)
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int32(c-'0')
	}
	return n
}

// remove empties the slot of item id; its postings are skipped until the
// next compaction. The caller holds the write lock.
func (ix *Index) remove(id int64) {
	ix.gen++
	slot, ok := ix.byID[id]
	if !ok {
		return
	}
	e := ix.slots[slot]
	ix.slots[slot] = nil
	delete(ix.byID, id)
	ix.dead++
	for _, a := range e.item.AccountIDs {
		ix.byAccount[a] = slices.DeleteFunc(ix.byAccount[a], func(x int64) bool { return x == id })
	}
	for _, r := range e.item.ReferenceIDs {
		ix.byRef[r] = slices.DeleteFunc(ix.byRef[r], func(x int64) bool { return x == id })
	}
}

// compact rebuilds the postings without the dead slots.
func (ix *Index) compact() {
	ix.gen++
	remap := make([]int32, len(ix.slots))
	var live []*entry
	for i, e := range ix.slots {
		remap[i] = -1
		if e != nil {
			remap[i] = int32(len(live))
			live = append(live, e)
			ix.byID[e.item.ID] = remap[i]
		}
	}
	for t, list := range ix.postings {
		kept := newPostingList(0)
		list.each(func(slot int32, field uint8) {
			if n := remap[slot]; n >= 0 {
				kept.add(n, field)
			}
		})
		if kept.last < 0 {
			delete(ix.postings, t)
			ix.dirty = true
			continue
		}
		ix.postings[t] = kept
	}
	if ix.dirty {
		ix.vocab = ix.vocab[:0]
		for t := range ix.postings {
			ix.vocab = append(ix.vocab, t)
		}
	}
	ix.slots, ix.dead = live, 0
	ix.state, ix.expires, ix.newest, ix.valsAt, ix.vals = nil, nil, nil, []uint32{0}, nil
	for _, e := range live {
		ix.columns(e)
	}
	ix.sortVocab()
}

func (ix *Index) sortVocab() {
	if ix.dirty {
		sort.Strings(ix.vocab)
		ix.vocab = slices.Compact(ix.vocab)
		ix.dirty = false
		ix.byLen = ix.byLen[:0]
		for _, v := range ix.vocab {
			for len(ix.byLen) <= len(v) {
				ix.byLen = append(ix.byLen, nil)
			}
			ix.byLen[len(v)] = append(ix.byLen[len(v)], v)
		}
	}
}

// Len is the number of items held.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// titleRanks returns each slot's place in title order (then id); the
// caller holds the read lock.
func (ix *Index) titleRanks() []int32 {
	ix.titleMu.Lock()
	defer ix.titleMu.Unlock()
	if ix.titleRank != nil && ix.titleGen == ix.gen && len(ix.titleRank) == len(ix.slots) {
		return ix.titleRank
	}
	order := make([]int32, 0, len(ix.slots))
	for slot, e := range ix.slots {
		if e != nil {
			order = append(order, int32(slot))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		ea, eb := ix.slots[a], ix.slots[b]
		return cmp.Or(strings.Compare(ea.title, eb.title), cmp.Compare(ea.item.ID, eb.item.ID))
	})
	rank := make([]int32, len(ix.slots))
	for i, slot := range order {
		rank[slot] = int32(i)
	}
	ix.titleRank, ix.titleGen = rank, ix.gen
	return rank
}
