// Package refindex is the in-memory read model of references: full-text
// search, facets with counts, filters and capacity, answered in milliseconds
// without touching the database. It is loaded from the database at start and
// kept current by every write, including writes made by other processes.
package refindex

import (
	"context"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/words"
)

// entry is one reference as the index sees it. Entries are immutable: a
// change builds a new entry in a new slot, so a Hit stays valid after the lock is released.
type entry struct {
	ref     *vouch.Reference
	acct    *vouch.Account
	acts    []vouch.Date // activity days, oldest first
	asked   vouch.Date   // the day it was last asked (zero: never)
	nameKey string
	acctKey string
}

// dayNum is a date as a day number; the zero Date is 0.
func dayNum(d vouch.Date) int32 {
	if d.IsZero() {
		return 0
	}
	return int32(d.Time().Unix() / 86400)
}

func head8(s string) uint64 {
	var h uint64
	for i := 0; i < 8; i++ {
		h <<= 8
		if i < len(s) {
			h |= uint64(s[i])
		}
	}
	return h
}

// Kinds are the entity kinds the index follows: its own, the catalog's
// (names and the default capacity it copies), and the asks its ledger counts.
var Kinds = []vouch.EntityKind{vouch.EntityReference, vouch.EntityAccount, vouch.EntityActivity,
	vouch.EntityTaxonomyValue, vouch.EntitySetting, vouch.EntityAsk, EntityTeamAsk}

// Index answers reference searches from memory.
type Index struct {
	db     *store.DB
	ledger *Ledger // the ask ledger's fatigue facts
	cat    *catalog.Catalog
	log    *slog.Logger
	clock  *vouch.Clock // the database's: capacity, status and staleness are as of its today

	// reloading orders reloads, each a read from the database and then a
	// put: unordered, a poll's read from before a local commit could be put
	// after that commit's own reload and bring back the older version.
	reloading sync.Mutex

	mu              sync.RWMutex
	slots           []*entry // nil when the slot's reference changed or was deleted
	cols            columns  // what searches scan, by slot
	days            atomic.Pointer[dayCache]
	gen             uint64                           // bumped by every change, under the write lock
	facetCache      [2]atomic.Pointer[facetCache]    // the team's view, and a seller's (Query.Requestable)
	acctRefs        atomic.Pointer[accountRefsCache] // references per account, for the account list
	heldSlots       atomic.Pointer[heldBackSlots]    // the slots of the last held-back set matched
	dayMu           sync.Mutex
	byID            map[int64]int32
	dead            int
	postings        map[string][]posting
	vocab           []string                       // the sorted terms of postings, for prefix and typo matching
	bulk            bool                           // loading many: vocab is sorted once at the end
	values          map[int64]*vouch.TaxonomyValue // the catalog's, copied at each change of it
	maxValueID      int64
	capacityDefault int
	langIDs         map[string]int32 // lower-cased language → the id the columns hold
	// tags maps each word (stemmed) of a picklist value's name to the values
	// holding it, so free text finds a reference by its tags: a search for
	// "healthcare" reads the Healthcare industry's bitset of references.
	// Value names live here once, not in every reference's postings, so a
	// renamed value is found by its new name as soon as the catalog changes.
	tags     map[string][]tagKey
	tagVocab []string // the sorted words of tags, for prefix and typo matching

	// shared, during a full load only, maps a text to the one copy of it
	// every reference uses: titles, time zones, seniorities and the like
	// repeat across thousands of references, and so do account names.
	shared map[string]string
	// entryBlock and dayBlock, during a full load only, are where new
	// entries and their activity days go, many to an allocation.
	entryBlock []entry
	dayBlock   []vouch.Date
}

// posting says that a term occurs in a slot's field group: the slot times
// four plus the field. Packed in 4 bytes instead of a struct's 8, the
// postings of 100,000 references take half the memory.
type posting uint32

func newPosting(slot int32, field uint8) posting { return posting(uint32(slot)<<2 | uint32(field)) }

func (p posting) slot() int32  { return int32(p >> 2) }
func (p posting) field() uint8 { return uint8(p & 3) } // fieldName, fieldTitle or fieldStory

const (
	fieldName  = 0 // the reference's and account's names
	fieldTitle = 1
	fieldStory = 2
)

// fieldWeight is what a matching term adds to relevance, by field.
var fieldWeight = [3]int{8, 3, 1}

// tagWeight is what a term matching one of a reference's picklist values
// adds to relevance: as much as one in its title, more than one in its story.
var tagWeight = fieldWeight[fieldTitle]

// tagKey names a picklist value a reference can carry: a stored dimension
// (taxonomy values by id, seniority by index) and its key, or a language.
type tagKey struct {
	dim int32 // a dimension, or tagLanguage
	key int32
}

// tagLanguage is the tagKey dimension of languages (keys from langIDs).
const tagLanguage = numStoredDims

// New returns an empty index over db that takes taxonomy names and the
// default capacity from cat (nil: a catalog of its own, for an index filled
// by Replace). Subscribe it to a change feed after cat, which loads it:
// the feed hands changes to models in the order they subscribed, so the
// catalog is current when the index copies from it.
func New(db *store.DB, cat *catalog.Catalog, log *slog.Logger) *Index {
	if log == nil {
		log = slog.Default()
	}
	if cat == nil {
		cat = catalog.New(db)
	}
	clock := vouch.NewClock(nil)
	if db != nil {
		clock = db.Clock
	}
	ix := &Index{db: db, cat: cat, log: log, clock: clock}
	ix.ledger = newLedger(db, cat, clock)
	ix.reset()
	return ix
}

// Ledger returns the ask ledger's read model, which the index loads and
// keeps current with its references.
func (ix *Index) Ledger() *Ledger { return ix.ledger }

// Catalog returns the catalog the index takes names from.
func (ix *Index) Catalog() *catalog.Catalog { return ix.cat }

func (ix *Index) reset() {
	ix.slots = nil
	ix.cols = columns{}
	ix.days.Store(nil)
	ix.byID = map[int64]int32{}
	ix.postings = map[string][]posting{}
	ix.vocab = nil
	ix.dead = 0
	ix.langIDs = map[string]int32{}
	ix.buildTags()
}

// Load reads every reference with its account from the database, and the
// taxonomy values and default capacity from the catalog.
func (ix *Index) Load(ctx context.Context) error {
	ix.copyCatalog()
	if err := ix.loadAll(ctx); err != nil {
		return err
	}
	return ix.ledger.Load(ctx)
}

// copyCatalog takes the catalog's values and default capacity: searches
// and matches read them under the index's own lock.
func (ix *Index) copyCatalog() {
	ix.setTaxonomies(ix.cat.All(), ix.cat.CapacityDefault())
}

func (ix *Index) setTaxonomies(vals []*vouch.TaxonomyValue, capDefault int) {
	byID := make(map[int64]*vouch.TaxonomyValue, len(vals))
	var max int64
	for _, v := range vals {
		byID[v.ID] = v
		if v.ID > max {
			max = v.ID
		}
	}
	ix.mu.Lock()
	ix.gen++
	ix.values, ix.maxValueID, ix.capacityDefault = byID, max, capDefault
	ix.days.Store(nil) // the default capacity may have changed
	ix.buildTags()
	ix.mu.Unlock()
}

func (ix *Index) loadAll(ctx context.Context) error {
	// Collect garbage more often while loading: the rows read are mostly
	// garbage once indexed, and the default would let the heap reach twice
	// the index's size before collecting.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	recs, err := ix.db.LoadReferenceRecords(ctx, nil, ix.clock.Today())
	if err != nil {
		return err
	}
	ix.replace(recs)
	// A full load leaves behind about as much garbage as the index itself
	// (rows, maps, the previous index). Hand it back to the OS now rather
	// than whenever the scavenger gets to it, so resident memory stays near
	// what the index really holds. (recs is dead past replace: the collector
	// frees it without clearing.)
	debug.FreeOSMemory()
	return nil
}

// Replace swaps in the given taxonomy values (into the index's catalog too)
// and references at once. Load uses the database; tests and benchmarks use
// Replace with generated records.
func (ix *Index) Replace(values []*vouch.TaxonomyValue, capacityDefault int, recs []store.ReferenceRecord) {
	ps := ix.cat.ProgramSettings()
	ps.CapacityDefault = capacityDefault
	ix.cat.Replace(values, ps)
	ix.setTaxonomies(values, capacityDefault)
	ix.replace(recs)
}

func (ix *Index) replace(recs []store.ReferenceRecord) {
	fresh := &Index{}
	fresh.reset()
	fresh.bulk = true
	fresh.shared = map[string]string{}
	fresh.pack(recs)
	for _, rec := range recs {
		fresh.put(rec)
	}
	fresh.shared, fresh.entryBlock, fresh.dayBlock = nil, nil, nil
	fresh.sortVocab()
	ix.mu.Lock()
	ix.gen++
	ix.slots, ix.cols, ix.byID, ix.postings, ix.vocab, ix.dead = fresh.slots, fresh.cols, fresh.byID, fresh.postings, fresh.vocab, 0
	ix.langIDs = fresh.langIDs
	ix.days.Store(nil)
	ix.buildTags()
	ix.mu.Unlock()
}

// reload refreshes the given references (deleting those that are gone).
func (ix *Index) reload(ctx context.Context, ids []int64) error {
	ids = uniq(ids)
	if len(ids) == 0 {
		return nil
	}
	ix.reloading.Lock()
	defer ix.reloading.Unlock()
	ix.mu.RLock()
	size := len(ix.byID)
	ix.mu.RUnlock()
	// Past a few thousand, one full load is cheaper than many lookups.
	if len(ids) > 2000 || (size > 0 && len(ids) > size/4 && len(ids) > 200) {
		return ix.loadAll(ctx)
	}
	recs, err := ix.db.LoadReferenceRecords(ctx, ids, ix.clock.Today())
	if err != nil {
		return err
	}
	found := map[int64]bool{}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, rec := range recs {
		found[rec.Reference.ID] = true
		ix.put(rec)
	}
	for _, id := range ids {
		if !found[id] {
			ix.remove(id)
		}
	}
	if ix.dead > 1000 && ix.dead > len(ix.slots)/3 {
		ix.compact()
	}
	return nil
}

func uniq(ids []int64) []int64 {
	s := slices.Clone(ids)
	slices.Sort(s)
	return slices.Compact(s)
}

// put adds or replaces a reference; the caller holds the write lock (or owns ix).
func (ix *Index) put(rec store.ReferenceRecord) {
	ix.remove(rec.Reference.ID)
	ix.gen++
	r, a := rec.Reference, rec.Account
	e := ix.newEntry()
	*e = entry{ref: r, acct: a, asked: rec.LastAsked, nameKey: strings.ToLower(r.Name), acctKey: ix.share(strings.ToLower(a.Name))}
	e.acts = ix.copyDays(rec.Activities)
	slices.SortFunc(e.acts, func(x, y vouch.Date) int { return x.Time().Compare(y.Time()) })
	cr := &row{nameHead: head8(e.nameKey)}
	for _, d := range e.acts {
		cr.actDays = append(cr.actDays, dayNum(d))
	}
	single := func(id int64) []int32 {
		if id == 0 {
			return nil
		}
		return []int32{int32(id)}
	}
	many := func(ids []int64) []int32 {
		out := make([]int32, len(ids))
		for i, id := range ids {
			out[i] = int32(id)
		}
		return out
	}
	cr.dims[dimIndustry] = single(a.IndustryID)
	cr.dims[dimRegion] = single(a.RegionID)
	cr.dims[dimCountry] = single(a.CountryID)
	cr.dims[dimSegment] = single(a.SegmentID)
	cr.dims[dimSize] = single(a.SizeID)
	cr.dims[dimProduct] = many(r.ProductIDs)
	cr.dims[dimUseCase] = many(r.UseCaseIDs)
	cr.dims[dimCompetitor] = many(r.CompetitorIDs)
	for _, act := range r.Activities {
		cr.dims[dimActivity] = append(cr.dims[dimActivity], int32(act.TypeID))
	}
	if i := slices.Index(vouch.Seniorities, r.Seniority); i >= 0 {
		cr.dims[dimSeniority] = []int32{int32(i)}
	}
	cr.dims[dimOwner] = single(r.OwnerID)
	cr.status = uint8(max(slices.Index(vouch.Statuses, r.Status), 0))
	cr.capMax = -1 // the index's default
	if r.CapacityOverride != nil {
		cr.capMax = int32(*r.CapacityOverride)
	}
	cr.restDay, cr.verDay = dayNum(r.RestingUntil), dayNum(r.LastVerified)
	cr.askDay = dayNum(rec.LastAsked)
	for _, l := range r.Languages {
		cr.langs = append(cr.langs, ix.langID(l))
	}
	slot := int32(len(ix.slots))
	ix.slots = append(ix.slots, e)
	ix.cols.add(cr)
	if dc := ix.days.Load(); dc != nil && len(dc.status) == int(slot) {
		dc.add(&ix.cols, slot, int32(ix.capacityDefault))
	}
	ix.byID[r.ID] = slot
	add := func(text string, field uint8) {
		seen := map[string]bool{}
		for _, w := range words.Tokenize(text) {
			t := words.Stem(w)
			if seen[t] {
				continue
			}
			seen[t] = true
			list, known := ix.postings[t]
			if !known {
				ix.addTerm(t)
			}
			ix.postings[t] = append(list, newPosting(slot, field))
		}
	}
	add(r.Name+" "+a.Name, fieldName)
	add(r.Title, fieldTitle)
	add(r.Story, fieldStory)
}

// remove drops a reference; its postings stay until compaction but point at a dead slot.
func (ix *Index) remove(id int64) {
	if slot, ok := ix.byID[id]; ok {
		ix.gen++
		ix.slots[slot] = nil
		delete(ix.byID, id)
		ix.dead++
	}
}

// compact rebuilds the slots and postings without the dead ones.
func (ix *Index) compact() {
	live := make([]*entry, 0, len(ix.byID))
	for _, e := range ix.slots {
		if e != nil {
			live = append(live, e)
		}
	}
	ix.reset()
	ix.bulk = true
	for _, e := range live {
		ix.put(store.ReferenceRecord{Reference: e.ref, Account: e.acct, Activities: e.acts, LastAsked: e.asked})
	}
	ix.sortVocab()
	ix.buildTags() // language ids were given afresh
}

// langID returns the id of a language (case-insensitive), adding it when
// new; the caller holds the write lock (or owns ix).
func (ix *Index) langID(lang string) int32 {
	k := strings.ToLower(strings.TrimSpace(lang))
	id, ok := ix.langIDs[k]
	if !ok {
		id = int32(len(ix.langIDs))
		ix.langIDs[k] = id
		if !ix.bulk {
			ix.addTag(k, tagKey{tagLanguage, id})
		}
	}
	return id
}

// buildTags indexes the words of every picklist value's name: taxonomy
// values (retired ones too: references may still carry them), seniorities
// and languages. The caller holds the write lock (or owns ix).
func (ix *Index) buildTags() {
	ix.tags, ix.tagVocab = map[string][]tagKey{}, nil
	for _, v := range ix.values {
		if d := slices.Index(dimKinds[:], v.Kind); d >= 0 && d < numStoredDims {
			ix.addTag(v.Name, tagKey{int32(d), int32(v.ID)})
		}
	}
	for i, s := range vouch.Seniorities {
		ix.addTag(s, tagKey{dimSeniority, int32(i)})
	}
	for lang, id := range ix.langIDs {
		ix.addTag(lang, tagKey{tagLanguage, id})
	}
}

// addTag makes the words of name find the value k.
func (ix *Index) addTag(name string, k tagKey) {
	for _, w := range words.Tokenize(name) {
		t := words.Stem(w)
		list, known := ix.tags[t]
		if slices.Contains(list, k) {
			continue
		}
		if !known {
			i, _ := slices.BinarySearch(ix.tagVocab, t)
			ix.tagVocab = slices.Insert(ix.tagVocab, i, t)
		}
		ix.tags[t] = append(list, k)
	}
}

// tagBits returns the bitset of the references carrying value k.
func (ix *Index) tagBits(k tagKey) []uint64 {
	if k.dim == tagLanguage {
		return bitsOf(ix.cols.langBits, k.key)
	}
	return bitsOf(ix.cols.valueBits[k.dim], k.key)
}

// addTerm puts a new term into the sorted vocabulary (or, in bulk, at its end).
func (ix *Index) addTerm(t string) {
	if ix.bulk {
		ix.vocab = append(ix.vocab, t)
		return
	}
	i, _ := slices.BinarySearch(ix.vocab, t)
	ix.vocab = slices.Insert(ix.vocab, i, t)
}

func (ix *Index) sortVocab() {
	slices.Sort(ix.vocab)
	ix.bulk = false
	// Lists filled by append keep up to a quarter of their room unused
	// (more for short ones); at the end of a bulk load they are cut to size.
	for t, list := range ix.postings {
		ix.postings[t] = fit(list)
	}
	ix.vocab = fit(ix.vocab)
	ix.cols.fit()
}

// fit returns s with no spare capacity, copying it when it has some.
func fit[S ~[]E, E any](s S) S {
	if cap(s) == len(s) {
		return s
	}
	return append(make(S, 0, len(s)), s...)
}

// Len returns how many references the index holds.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// capacityOf computes an entry's capacity on day today.
func (ix *Index) capacityOf(e *entry, today vouch.Date) vouch.Capacity {
	max := ix.capacityDefault
	if e.ref.CapacityOverride != nil {
		max = *e.ref.CapacityOverride
	}
	return vouch.ComputeCapacity(max, e.acts, today)
}

// Get returns one reference as a hit (false when unknown).
func (ix *Index) Get(id int64) (Hit, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	slot, ok := ix.byID[id]
	if !ok {
		return Hit{}, false
	}
	return ix.hit(ix.slots[slot], ix.clock.Today(), 0), true
}

func (ix *Index) hit(e *entry, today vouch.Date, score int) Hit {
	return Hit{Reference: e.ref, Account: e.acct, Status: e.ref.EffectiveStatus(today),
		Capacity: ix.capacityOf(e, today), Stale: e.ref.Stale(today), Asked: e.asked, Score: score}
}

// Apply brings the index up to date with changed entities. The change feed
// calls it with the entities of every local commit, and with everyone else's.
func (ix *Index) Apply(ctx context.Context, changes []vouch.Touched) error {
	var refs []int64
	taxonomy := false
	for _, c := range changes {
		switch c.Kind.Base() {
		case vouch.EntityReference:
			refs = append(refs, c.ID)
		case vouch.EntityAccount:
			ids, err := ix.db.ReferencesOfAccount(ctx, c.ID)
			if err != nil {
				return err
			}
			refs = append(refs, ids...)
		case vouch.EntityActivity:
			id, err := ix.db.ActivityReference(ctx, c.ID)
			if err != nil {
				return err
			}
			if id != 0 {
				refs = append(refs, id)
			}
		case vouch.EntityTaxonomyValue, vouch.EntitySetting:
			taxonomy = true
		}
	}
	if taxonomy {
		ix.copyCatalog()
	}
	if err := ix.reload(ctx, refs); err != nil {
		return err
	}
	return ix.ledger.apply(ctx, changes)
}
