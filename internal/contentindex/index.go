// Package contentindex is the in-memory read model of the content library:
// full-text search over titles, summaries, bodies, quotes, the words of
// uploaded files and the names of the accounts and references an item
// features, with the references' facets, typo tolerance and prefixes, and
// the ranking of content for a request by the criteria of reference
// matching. It is loaded from the database at start and kept current by the
// shared change feed, so every instance answers alike.
package contentindex

import (
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
	published string   // the day it counts as new from, YYYY-MM-DD
	title     string   // lower-cased, for the title sort
	language  string   // lower-cased
	vals      []uint32 // each value the item has: its dense index<<4 | its facet's index in FacetKinds
	// pending holds the entry's words, each with the code of the best field
	// it is in, from read until put indexes them (outside the lock).
	pending map[string]uint8
}

// Postings are, per word, the slots it occurs in, in slot order, each
// packed with the field it is best in: slot<<fieldBits | field code. Four
// bytes a posting keeps 20,000 items with their files' words well inside the
// index's memory budget.
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

	mu       sync.RWMutex
	slots    []*entry // nil when the slot's item changed or was deleted
	byID     map[int64]int32
	postings map[string][]uint32
	vocab    []string   // sorted words of postings, for prefixes and typos
	byLen    [][]string // vocab by length in bytes, for typos: a word with one typo is at most one longer or shorter
	dirty    bool       // vocab needs sorting
	dead     int
	// valueIdx numbers the picklist values items have densely, so a search
	// counts facets and tests filters in slices instead of maps.
	valueIdx map[int64]uint32
	scratch  sync.Pool // *scratch, the per-search working memory
	// featuring maps an account or reference id to the items featuring it,
	// so a renamed account is found by its new name at once.
	byAccount map[int64][]int64
	byRef     map[int64][]int64
}

// New returns an empty index over db; subscribe it to the change feed to load it.
func New(db *store.DB, cat *catalog.Catalog, log *slog.Logger) *Index {
	if log == nil {
		log = slog.Default()
	}
	ix := &Index{db: db, cat: cat, log: log, byID: map[int64]int32{}, postings: map[string][]uint32{},
		valueIdx: map[int64]uint32{}, byAccount: map[int64][]int64{}, byRef: map[int64][]int64{}}
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
	ix.slots, ix.byID, ix.postings, ix.vocab, ix.dead = make([]*entry, 0, len(entries)), map[int64]int32{}, map[string][]uint32{}, nil, 0
	ix.byAccount, ix.byRef, ix.valueIdx = map[int64][]int64{}, map[int64][]int64{}, map[int64]uint32{}
	// Every posting list is made at its final length, so none carries the
	// spare capacity of growing by appends.
	sizes := map[string]int{}
	for _, e := range entries {
		for t := range e.pending {
			sizes[t]++
		}
	}
	for t, n := range sizes {
		t = strings.Clone(t) // not a window on the text it was cut from
		ix.postings[t] = make([]uint32, 0, n)
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
		return text
	}
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
	slot := int32(len(ix.slots))
	ix.slots = append(ix.slots, e)
	ix.byID[id] = slot
	for t, field := range e.pending {
		ps, seen := ix.postings[t]
		if !seen {
			t = strings.Clone(t) // not a window on the text it was cut from
			ix.vocab = append(ix.vocab, t)
			ix.dirty = true
		}
		ix.postings[t] = append(ps, uint32(slot)<<fieldBits|uint32(field))
	}
	e.pending = nil
	e.vals = e.vals[:0]
	for k, kind := range FacetKinds {
		for _, id := range valuesOf(e.item, kind) {
			d, ok := ix.valueIdx[id]
			if !ok {
				d = uint32(len(ix.valueIdx))
				ix.valueIdx[id] = d
			}
			e.vals = append(e.vals, d<<4|uint32(k))
		}
	}
	for _, a := range e.item.AccountIDs {
		ix.byAccount[a] = append(ix.byAccount[a], id)
	}
	for _, r := range e.item.ReferenceIDs {
		ix.byRef[r] = append(ix.byRef[r], id)
	}
}

// remove empties the slot of item id; its postings are skipped until the
// next compaction. The caller holds the write lock.
func (ix *Index) remove(id int64) {
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
	for t, ps := range ix.postings {
		kept := ps[:0]
		for _, p := range ps {
			if n := remap[p>>fieldBits]; n >= 0 {
				kept = append(kept, uint32(n)<<fieldBits|p&(1<<fieldBits-1))
			}
		}
		if len(kept) == 0 {
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
