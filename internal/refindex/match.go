package refindex

import (
	"container/heap"
	"fmt"
	"math/bits"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// MatchQuery is a reference request to find candidates for.
type MatchQuery struct {
	ActivityTypeID int64          // the activity the reference must have agreed to; 0 = any
	Criteria       vouch.Criteria // zero fields = any
	DueDate        vouch.Date     // capacity must be free on some day from Today to DueDate
	Today          vouch.Date     // zero = the index's today
	Exclude        map[int64]bool // reference ids never to return (already asked for this opportunity / on this request)
	Offset         int            // candidates to skip: the page starts after them
	Limit          int            // the page's size: 0 = 20; -1 = every candidate
	// HeldBack are references the ask ledger's fatigue rules hold back
	// (Ledger.HeldBackAll), never returned either; read, not copied.
	HeldBack map[int64]string
}

// Match is one candidate reference with its fit score and why: the points of
// Reasons add up to Score exactly.
type Match struct {
	Hit      // reference, account, status, capacity (Hit.Score is the fit score too)
	Score    int
	Reasons  []vouch.Reason    // the criteria met, then the adjustments
	Criteria []vouch.Criterion // every criterion asked, met or missed, most important first
	Fatigue  []string          // signs it was asked or used a lot lately ("asked 9 days ago"): warnings when asked by hand
}

// Adjustments are the reasons besides the criteria met: recent asks and
// use, staleness.
func (m Match) Adjustments() []vouch.Reason {
	met := 0
	for _, c := range m.Criteria {
		if c.Met {
			met++
		}
	}
	return m.Reasons[min(met, len(m.Reasons)):]
}

// MatchResult is one page of the candidates, best first.
type MatchResult struct {
	Items      []Match
	Eligible   int // references that pass the hard rules: every one is a candidate, on some page
	MeetAll    int // of those, the ones that meet every criterion asked
	Criteria   int // how many criteria the request asks for
	Ineligible int // references that fail a hard rule (Index.Ineligible lists them)
}

// Summary is the sentence above the list ("No reference meets every
// criterion; best first."), or "".
func (r MatchResult) Summary() string { return vouch.MatchSummary(r.Eligible, r.MeetAll, r.Criteria) }

// The criteria a request can ask for, most important first. Each one met
// earns its points; none is a filter.
const (
	critIndustry = iota
	critRegion
	critProduct
	critCountry
	critSize
	critUseCase
	critCompetitor
	critLanguage
	critSeniority
	numCriteria
)

var matchCriteria = [numCriteria]struct {
	name   string // in reasons ("industry: Healthcare")
	points int
}{
	critIndustry:   {vouch.CritIndustry, vouch.CriterionPoints[vouch.CritIndustry]},
	critRegion:     {vouch.CritRegion, vouch.CriterionPoints[vouch.CritRegion]},
	critProduct:    {vouch.CritProduct, vouch.CriterionPoints[vouch.CritProduct]},
	critCountry:    {vouch.CritCountry, vouch.CriterionPoints[vouch.CritCountry]},
	critSize:       {vouch.CritSize, vouch.CriterionPoints[vouch.CritSize]},
	critUseCase:    {vouch.CritUseCase, vouch.CriterionPoints[vouch.CritUseCase]},
	critCompetitor: {vouch.CritCompetitor, vouch.CriterionPoints[vouch.CritCompetitor]},
	critLanguage:   {vouch.CritLanguage, vouch.CriterionPoints[vouch.CritLanguage]},
	critSeniority:  {vouch.CritSeniority, vouch.CriterionPoints[vouch.CritSeniority]},
}

// critDims is the dimension of each taxonomy criterion.
var critDims = [numCriteria]int{critIndustry: dimIndustry, critRegion: dimRegion, critProduct: dimProduct,
	critCountry: dimCountry, critSize: dimSize, critUseCase: dimUseCase, critCompetitor: dimCompetitor,
	critLanguage: -1, critSeniority: dimSeniority}

// Adjustments: how recently a reference was asked and how much it was used.
const (
	askedVeryRecentlyDays   = 30  // asked fewer days ago than this …
	askedVeryRecentlyPoints = -15 // … costs this
	askedRecentlyDays       = 90
	askedRecentlyPoints     = -5
	perActivityPoints       = -5              // each activity in the last 90 days or booked ahead
	underUsedPoints         = 5               // none in the last 90 days and none booked
	stalePoints             = -5              // not verified in the last 12 months
	maxAdjustment           = underUsedPoints // the most the adjustments together add
)

// critPoints is the points of every set of met criteria.
var critPoints = func() (p [1 << numCriteria]int32) {
	for mask := range p {
		for i := range numCriteria {
			if mask&(1<<i) != 0 {
				p[mask] += int32(matchCriteria[i].points)
			}
		}
	}
	return p
}()

// matcher holds one match query, resolved against the index's columns.
type matcher struct {
	today, last int32      // capacity must be free on a day in [today, last]
	day         vouch.Date // today, as a date
	typeID      int32      // 0 = any
	capDefault  int32
	typeBits    []uint64              // the slots agreed to the activity type
	asked       uint16                // the criteria asked for, as bits
	crit        [numCriteria][]uint64 // per asked criterion, the slots that meet it
	names       [numCriteria]string   // the asked values, for people
	exclude     []uint64              // slots never to return; nil = none
	excluded    map[int64]bool        // the query's Exclude: what the asked failure names
	heldBack    map[int64]string      // the query's HeldBack: the reasons failures name
	days        *dayCache             // the day's values
}

// cand is one reference that passed the hard rules.
type cand struct {
	slot int32
	mask uint16 // the asked criteria it meets
}

// matchPart is what one part of the scan found.
type matchPart struct {
	counts   [1 << numCriteria]int32 // references by the set of criteria they meet
	eligible int
	top      rankHeap
}

// Match ranks the references that could fulfil a request and returns one
// page of them. Hard rules decide who is a candidate at all: active (a rest
// that ended counts), agreed to the activity type, a free capacity slot on
// some day from Today to DueDate, not excluded. Every candidate is listed;
// the criteria are points, not filters, and each candidate carries the
// criteria it meets and misses. Scores are adjusted for recent asks, recent
// use and stale verification, and every contribution is a reason. Ties go
// to the less used reference, then the one used longest ago, then by name,
// so work spreads instead of always falling on the same favourites.
//
// One scan applies the hard rules and notes which criteria each candidate
// meets; then every candidate is scored and the best Offset+Limit kept in a
// heap per part, so a page costs what the top of the list costs.
func (ix *Index) Match(q MatchQuery) MatchResult {
	today, offset, keep := ix.window(q)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	m := ix.newMatcher(q, today)

	nparts := 1
	if len(ix.slots) >= parallelScanMin {
		nparts = min(runtime.GOMAXPROCS(0), maxScanParts)
	}
	parts := make([]*matchPart, nparts)
	for p := range parts {
		parts[p] = &matchPart{top: rankHeap{ix: ix}}
	}
	// Parts are ranges of whole bitset words.
	words := (len(ix.slots) + 63) / 64
	inParts := func(run func(p int, part *matchPart, from, to int)) {
		var wg sync.WaitGroup
		for p, part := range parts {
			from, to := words*p/nparts, words*(p+1)/nparts
			if p == nparts-1 {
				run(p, part, from, to)
			} else {
				wg.Go(func() { run(p, part, from, to) })
			}
		}
		wg.Wait()
	}
	inParts(func(_ int, part *matchPart, from, to int) { ix.matchRange(m, part, from, to, keep) })

	var counts [1 << numCriteria]int32
	res := MatchResult{Criteria: bits.OnesCount16(m.asked)}
	for _, part := range parts {
		res.Eligible += part.eligible
		for mask, n := range part.counts {
			counts[mask] += n
		}
	}
	res.MeetAll = meeting(&counts, m.asked)
	res.Ineligible = len(ix.byID) - res.Eligible
	top := &parts[0].top
	for _, part := range parts[1:] {
		for _, r := range part.top.items {
			top.offer(r, keep)
		}
	}
	best := top.items
	slices.SortFunc(best, ix.order)
	if offset >= len(best) {
		return res
	}
	best = best[offset:]
	res.Items = make([]Match, len(best))
	for i, r := range best {
		res.Items[i] = ix.matchOf(m, r.cand)
	}
	return res
}

// order sorts candidates best first.
func (ix *Index) order(a, b ranked) int {
	if ix.better(a, b) {
		return -1
	}
	if ix.better(b, a) {
		return 1
	}
	return 0
}

// matchOf is a candidate with its score, reasons, criteria and fatigue.
func (ix *Index) matchOf(m *matcher, c cand) Match {
	reasons, criteria, fatigue := m.reasons(ix, c)
	score := 0
	for _, rs := range reasons {
		score += rs.Points
	}
	return Match{Hit: ix.hit(ix.slots[c.slot], m.day, score), Score: score, Reasons: reasons, Criteria: criteria, Fatigue: fatigue}
}

// rank scores a candidate and keeps it when it is among the best keep (-1: all).
func (ix *Index) rank(m *matcher, part *matchPart, c cand, keep int) {
	r := ranked{cand: c, score: critPoints[c.mask] + m.days.adj[c.slot], load: m.days.load[c.slot]}
	if top := part.top.items; keep > 0 && len(top) == keep &&
		(r.score < top[0].score || r.score == top[0].score && r.load > top[0].load) {
		return // worse than the worst kept
	}
	part.top.offer(r, keep)
}

// meeting counts the candidates that meet every criterion in need.
func meeting(counts *[1 << numCriteria]int32, need uint16) int {
	n := 0
	for mask, c := range counts {
		if uint16(mask)&need == need {
			n += int(c)
		}
	}
	return n
}

// Ineligible is a reference that fails a hard rule for a request, with
// every rule it fails in words and the criteria it would meet.
type Ineligible struct {
	Hit
	Failures []vouch.RuleFailure
	Criteria []vouch.Criterion
}

// window reads the day and the page q asks for: today unless given, the
// offset, and keep, how many of the best to keep — every one of the page
// (20 unless given) and those before it; -1 for all.
func (ix *Index) window(q MatchQuery) (today vouch.Date, offset, keep int) {
	today = q.Today
	if today.IsZero() {
		today = ix.clock.Today()
	}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	offset = max(q.Offset, 0)
	keep = -1
	if limit > 0 {
		keep = offset + limit
	}
	return today, offset, keep
}

// IneligibleResult is one page of the references that fail a hard rule.
type IneligibleResult struct {
	Items []Ineligible
	Total int
}

// Ineligible lists, a page at a time (q.Offset, q.Limit), the references
// that fail a hard rule of the query, each with the rules it fails; those
// meeting most criteria come first. It is asked for on demand, so one plain
// pass over the references is enough.
func (ix *Index) Ineligible(q MatchQuery) IneligibleResult {
	today, offset, keep := ix.window(q)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	m := ix.newMatcher(q, today)
	top := rankHeap{ix: ix}
	res := IneligibleResult{}
	for slot := range ix.slots {
		s := int32(slot)
		if ix.slots[s] == nil || ix.passes(m, s) {
			continue
		}
		res.Total++
		mask := m.meets(s)
		score := critPoints[mask]
		if keep > 0 && len(top.items) == keep && score < top.items[0].score {
			continue // worse than the worst kept
		}
		top.offer(ranked{cand: cand{slot: s, mask: mask}, score: score}, keep)
	}
	best := top.items
	slices.SortFunc(best, ix.order)
	if offset >= len(best) {
		return res
	}
	for _, r := range best[offset:] {
		_, criteria, _ := m.reasons(ix, r.cand)
		res.Items = append(res.Items, Ineligible{Hit: ix.hit(ix.slots[r.slot], today, 0), Failures: ix.failures(m, r.slot),
			Criteria: criteria})
	}
	return res
}

// Passing returns those of the references with the given ids that pass
// every hard rule of q, with their matches, in the order of ids: Judge for
// many at once, with one matcher (the request page's list of references
// the ask ledger holds back, which may be thousands).
func (ix *Index) Passing(q MatchQuery, ids []int64) []Match {
	today := q.Today
	if today.IsZero() {
		today = ix.clock.Today()
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	m := ix.newMatcher(q, today)
	var out []Match
	for _, id := range ids {
		slot, ok := ix.byID[id]
		if !ok || ix.slots[slot] == nil || !ix.passes(m, slot) {
			continue
		}
		out = append(out, ix.matchOf(m, cand{slot: slot, mask: m.meets(slot)}))
	}
	return out
}

// Judge holds one reference against a query, as when the team asks a
// reference it found itself: its match (score, reasons, criteria met and
// missed, fatigue) and the hard rules it fails (none: it may be asked).
// ok is false for an unknown reference.
func (ix *Index) Judge(q MatchQuery, id int64) (match Match, failures []vouch.RuleFailure, ok bool) {
	today := q.Today
	if today.IsZero() {
		today = ix.clock.Today()
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	slot, ok := ix.byID[id]
	if !ok || ix.slots[slot] == nil {
		return Match{}, nil, false
	}
	m := ix.newMatcher(q, today)
	return ix.matchOf(m, cand{slot: slot, mask: m.meets(slot)}), ix.failures(m, slot), true
}

// passes reports whether one slot passes every hard rule: what matchRange
// decides 64 slots at a time.
func (ix *Index) passes(m *matcher, slot int32) bool {
	w, bit := int(slot>>6), uint64(1)<<(uint(slot)&63)
	if m.days.active[w]&bit == 0 || m.typeID != 0 && word(m.typeBits, w)&bit == 0 ||
		m.exclude != nil && m.exclude[w]&bit != 0 {
		return false
	}
	return ix.free(m, slot)
}

// free reports whether a slot has a free capacity slot on some day from
// today to the due date.
func (ix *Index) free(m *matcher, slot int32) bool {
	if m.days.bookable[slot] != 0 {
		return true
	}
	if m.last > m.today {
		_, ok := firstBookable(ix.cols.capLimit(slot, m.capDefault), ix.cols.actDays(slot), m.today+1, m.last)
		return ok
	}
	return false
}

// meets is the set of asked criteria one slot meets.
func (m *matcher) meets(slot int32) uint16 {
	w, bit := int(slot>>6), uint64(1)<<(uint(slot)&63)
	var mask uint16
	for i := range numCriteria {
		if m.asked&(1<<i) != 0 && word(m.crit[i], w)&bit != 0 {
			mask |= 1 << i
		}
	}
	return mask
}

// failures names every hard rule one slot fails, in the order a person
// reads them: the deal, the status, the activity, the capacity.
func (ix *Index) failures(m *matcher, slot int32) []vouch.RuleFailure {
	var out []vouch.RuleFailure
	w, bit := int(slot>>6), uint64(1)<<(uint(slot)&63)
	e := ix.slots[slot]
	if m.exclude != nil && m.exclude[w]&bit != 0 {
		if m.excluded[e.ref.ID] {
			out = append(out, vouch.AskedForOpportunityFailure())
		}
		if why, ok := m.heldBack[e.ref.ID]; ok {
			out = append(out, vouch.HeldBackFailure(why))
		}
	}
	if m.days.active[w]&bit == 0 {
		out = append(out, vouch.StatusFailure(e.ref, m.day))
	}
	if m.typeID != 0 && word(m.typeBits, w)&bit == 0 {
		name := ""
		if v := ix.values[int64(m.typeID)]; v != nil {
			name = v.Name
		}
		out = append(out, vouch.ActivityFailure(name))
	}
	if !ix.free(m, slot) {
		limit := ix.cols.capLimit(slot, m.capDefault)
		var next vouch.Date
		// Capacity frees at the latest 90 days after the last activity.
		if d, ok := firstBookable(limit, ix.cols.actDays(slot), m.last+1, max(m.last, ix.cols.lastDay(slot))+vouch.CapacityWindowDays+1); ok {
			next = dayDate(d)
		}
		out = append(out, vouch.CapacityFailure(int(limit), next, m.day))
	}
	return out
}

// dayDate is the date of a day number.
func dayDate(n int32) vouch.Date {
	t := time.Unix(int64(n)*86400, 0).UTC()
	return vouch.NewDate(t.Year(), t.Month(), t.Day())
}

func (ix *Index) newMatcher(q MatchQuery, today vouch.Date) *matcher {
	cols := &ix.cols
	m := &matcher{day: today, today: dayNum(today), typeID: int32(q.ActivityTypeID), capDefault: int32(ix.capacityDefault)}
	m.last = max(m.today, dayNum(q.DueDate))
	if m.today == dayNum(ix.clock.Today()) {
		m.days = ix.daysFor(m.today)
	} else {
		// Another day (tests, "as of" questions): computed, not kept, so
		// searches keep today's.
		m.days = &dayCache{day: m.today}
		for slot := range ix.slots {
			m.days.add(cols, int32(slot), m.capDefault)
		}
	}
	if m.typeID != 0 {
		m.typeBits = bitsOf(cols.valueBits[dimActivity], m.typeID)
	}
	c := q.Criteria
	ask := func(i int, bits []uint64, name string) {
		m.asked |= 1 << i
		m.crit[i] = bits
		m.names[i] = name
	}
	value := func(i int, id int64) {
		if id == 0 {
			return
		}
		name := fmt.Sprintf("#%d", id)
		if v := ix.values[id]; v != nil {
			name = v.Name
		}
		ask(i, bitsOf(cols.valueBits[critDims[i]], int32(id)), name)
	}
	value(critIndustry, c.IndustryID)
	value(critRegion, c.RegionID)
	value(critProduct, c.ProductID)
	value(critCountry, c.CountryID)
	value(critSize, c.SizeID)
	value(critUseCase, c.UseCaseID)
	value(critCompetitor, c.CompetitorID)
	if lang := strings.TrimSpace(c.Language); lang != "" {
		var b []uint64 // nobody speaks an unknown language
		if id, ok := ix.langIDs[strings.ToLower(lang)]; ok {
			b = bitsOf(cols.langBits, id)
		}
		ask(critLanguage, b, lang)
	}
	if s := strings.ToLower(strings.TrimSpace(c.Seniority)); s != "" {
		ask(critSeniority, bitsOf(cols.valueBits[dimSeniority], int32(SeniorityKey(s))), s)
	}
	m.excluded, m.heldBack = q.Exclude, q.HeldBack
	if len(q.Exclude) > 0 || len(q.HeldBack) > 0 {
		m.exclude = make([]uint64, (len(ix.slots)+63)/64)
		if len(q.HeldBack) > 0 {
			copy(m.exclude, ix.heldBackBits(q.HeldBack))
		}
		for id, ex := range q.Exclude {
			if slot, ok := ix.byID[id]; ok && ex {
				m.exclude[slot>>6] |= 1 << (uint(slot) & 63)
			}
		}
	}
	return m
}

// heldBackSlots is the bitset of the slots of a held-back set, kept for
// the set (Ledger.HeldBackAll answers the same map until the ledger, the
// rules or the day change) and the index's generation: marking tens of
// thousands of held-back references one lookup at a time cost each match
// several milliseconds, more than the match itself.
type heldBackSlots struct {
	held map[int64]string // the set, compared by identity; held here so its address is never reused
	gen  uint64
	bits []uint64
}

// heldBackBits returns the slots of held, from the cache when it holds
// them; the caller holds the read lock, and must not modify the answer.
func (ix *Index) heldBackBits(held map[int64]string) []uint64 {
	if c := ix.heldSlots.Load(); c != nil && reflect.ValueOf(c.held).Pointer() == reflect.ValueOf(held).Pointer() && c.gen == ix.gen && len(c.bits) == (len(ix.slots)+63)/64 {
		return c.bits
	}
	bits := make([]uint64, (len(ix.slots)+63)/64)
	for id := range held {
		if slot, ok := ix.byID[id]; ok {
			bits[slot>>6] |= 1 << (uint(slot) & 63)
		}
	}
	ix.heldSlots.Store(&heldBackSlots{held: held, gen: ix.gen, bits: bits})
	return bits
}

// matchRange applies the hard rules to the slots of bitset words [from, to),
// counts each candidate by the criteria it meets and ranks it, keeping the
// part's best keep. The rules kept as
// bitsets (active that day, agreed to the type, not excluded) and the
// criteria are read 64 slots at a time.
func (ix *Index) matchRange(m *matcher, p *matchPart, from, to, keep int) {
	c := &ix.cols
	dc := m.days
	var asked []int
	for i := range numCriteria {
		if m.asked&(1<<i) != 0 {
			asked = append(asked, i)
		}
	}
	var masks [64]uint16 // the criteria each slot of the word meets
	for w := from; w < to; w++ {
		cands := dc.active[w]
		if m.typeID != 0 {
			cands &= word(m.typeBits, w)
		}
		if m.exclude != nil {
			cands &^= m.exclude[w]
		}
		if cands == 0 {
			continue
		}
		// Criteria most candidates lack cost little: only set bits are visited.
		for _, i := range asked {
			for met := word(m.crit[i], w) & cands; met != 0; met &= met - 1 {
				masks[bits.TrailingZeros64(met)] |= 1 << i
			}
		}
		for ; cands != 0; cands &= cands - 1 {
			b := uint(bits.TrailingZeros64(cands))
			slot := int32(w<<6) + int32(b)
			mask := masks[b]
			masks[b] = 0
			if ix.slots[slot] == nil {
				continue
			}
			free := dc.bookable[slot] != 0
			if !free && m.last > m.today {
				_, free = firstBookable(c.capLimit(slot, m.capDefault), c.actDays(slot), m.today+1, m.last)
			}
			if !free {
				continue
			}
			p.counts[mask]++
			p.eligible++
			// Most candidates of a request with criteria lose on their
			// criteria alone: no adjustment adds more than maxAdjustment.
			if top := p.top.items; keep > 0 && len(top) == keep && critPoints[mask]+maxAdjustment < top[0].score {
				continue
			}
			ix.rank(m, p, cand{slot: slot, mask: mask}, keep)
		}
	}
}

// firstBookable returns the first day in [from, to] on which one more
// activity keeps every 90-day window containing that day below max
// activities — what vouch.CanBook checks for one day — and false when there
// is none. days are sorted day numbers.
//
// k = max activities days[i] … days[i+k-1] fit in one window when they span
// at most 90 days; the windows holding all of them cover the days
// [days[i+k-1]-89, days[i]+89], none of which can be booked. Those blocked
// spans start (and end) in order of i, so one pass finds the first day left
// free: O(len(days)) instead of CanBook's 90·len(days) per day.
func firstBookable(max int32, days []int32, from, to int32) (int32, bool) {
	if max <= 0 || to < from {
		return 0, false
	}
	k := int(max)
	if len(days) < k {
		return from, true
	}
	const w = vouch.CapacityWindowDays
	cur := from // the first day not known to be blocked
	for i := 0; i+k-1 < len(days); i++ {
		first, last := days[i], days[i+k-1]
		if last-first > w-1 {
			continue
		}
		start, end := last-(w-1), first+(w-1)
		if start > cur {
			break // this span and every later one start after cur
		}
		if end >= cur {
			cur = end + 1
			if cur > to {
				return 0, false
			}
		}
	}
	return cur, true
}

// adjustments are what changes a candidate's score besides its criteria.
type adjustments struct {
	askedAgo int32 // days since the last ask; -1 = never
	window   int   // activities in the 90 days ending today
	ahead    int   // activities booked after today
	stale    bool
}

func adjustmentsOf(c *columns, slot, today int32) adjustments {
	a := adjustments{askedAgo: -1}
	if d := c.askDay[slot]; d != 0 {
		a.askedAgo = max(today-d, 0)
	}
	days := c.actDays(slot)
	from := today - vouch.CapacityWindowDays + 1
	for i := len(days) - 1; i >= 0 && days[i] >= from; i-- {
		if days[i] > today {
			a.ahead++
		} else {
			a.window++
		}
	}
	v := c.verDay[slot]
	a.stale = v == 0 || v+vouch.StaleAfterDays < today
	return a
}

// load is how many activities count against spreading the work.
func (a adjustments) load() uint16 { return uint16(min(a.window+a.ahead, 65535)) }

// points is the sum of the adjustments' reasons.
func (a adjustments) points() int32 {
	p := int32(0)
	switch {
	case a.askedAgo < 0:
	case a.askedAgo < askedVeryRecentlyDays:
		p += askedVeryRecentlyPoints
	case a.askedAgo < askedRecentlyDays:
		p += askedRecentlyPoints
	}
	if a.window+a.ahead == 0 {
		p += underUsedPoints
	}
	p += int32(a.window+a.ahead) * perActivityPoints
	if a.stale {
		p += stalePoints
	}
	return p
}

// reasons explains a candidate's score: the criteria it meets, then the
// adjustments. criteria holds every criterion asked, met or missed;
// fatigue the adjustments that say it was asked or used a lot lately, and
// a capacity full today that frees before the due date.
func (m *matcher) reasons(ix *Index, c cand) (out []vouch.Reason, criteria []vouch.Criterion, fatigue []string) {
	for i := range numCriteria {
		if m.asked&(1<<i) == 0 {
			continue
		}
		met := c.mask&(1<<i) != 0
		criteria = append(criteria, vouch.Criterion{Name: matchCriteria[i].name, Value: m.names[i], Points: matchCriteria[i].points, Met: met})
		if met {
			out = append(out, vouch.Reason{Label: matchCriteria[i].name + ": " + m.names[i], Points: matchCriteria[i].points})
		}
	}
	a := adjustmentsOf(&ix.cols, c.slot, m.today)
	add := func(r vouch.Reason) {
		out = append(out, r)
		fatigue = append(fatigue, r.Label)
	}
	switch {
	case a.askedAgo < 0:
	case a.askedAgo < askedVeryRecentlyDays:
		add(vouch.Reason{Label: askedLabel(a.askedAgo), Points: askedVeryRecentlyPoints})
	case a.askedAgo < askedRecentlyDays:
		add(vouch.Reason{Label: askedLabel(a.askedAgo), Points: askedRecentlyPoints})
	}
	if a.window > 0 {
		add(vouch.Reason{Label: plural(a.window, "activity", "activities") + " in the last 90 days",
			Points: a.window * perActivityPoints})
	}
	if a.ahead > 0 {
		add(vouch.Reason{Label: plural(a.ahead, "activity", "activities") + " booked ahead",
			Points: a.ahead * perActivityPoints})
	}
	if a.window+a.ahead == 0 {
		out = append(out, vouch.Reason{Label: "under-used this quarter", Points: underUsedPoints})
	}
	if a.stale {
		label := "never verified"
		if v := ix.slots[c.slot].ref.LastVerified; !v.IsZero() {
			label = "not verified since " + v.Time().Format("2 Jan 2006")
		}
		out = append(out, vouch.Reason{Label: label, Points: stalePoints})
	}
	if m.days.bookable[c.slot] == 0 && m.last > m.today {
		if d, ok := firstBookable(ix.cols.capLimit(c.slot, m.capDefault), ix.cols.actDays(c.slot), m.today+1, m.last); ok {
			fatigue = append(fatigue, "at capacity until "+vouch.ShortDate(dayDate(d), m.day))
		}
	}
	return out, criteria, fatigue
}

// lastDay is the day of a slot's latest activity (0: none).
func (c *columns) lastDay(slot int32) int32 {
	if n := c.actCount[slot]; n > 0 {
		return c.actPool[c.actStart[slot]+uint32(n)-1]
	}
	return 0
}

func askedLabel(days int32) string {
	switch days {
	case 0:
		return "asked today"
	case 1:
		return "asked yesterday"
	}
	return fmt.Sprintf("asked %d days ago", days)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// ranked is a candidate with its score.
type ranked struct {
	cand
	load  uint16
	score int32
}

// better orders candidates: higher score, then fewer recent activities, then
// used longest ago, then by name.
func (ix *Index) better(a, b ranked) bool {
	switch {
	case a.score != b.score:
		return a.score > b.score
	case a.load != b.load:
		return a.load < b.load
	}
	c := &ix.cols
	if ua, ub := c.lastDay(a.slot), c.lastDay(b.slot); ua != ub {
		return ua < ub
	}
	if c.nameHead[a.slot] != c.nameHead[b.slot] {
		return c.nameHead[a.slot] < c.nameHead[b.slot]
	}
	ea, eb := ix.slots[a.slot], ix.slots[b.slot]
	if ea.nameKey != eb.nameKey {
		return ea.nameKey < eb.nameKey
	}
	return ea.ref.ID < eb.ref.ID
}

// rankHeap keeps the best k candidates; its root is the worst kept.
type rankHeap struct {
	items []ranked
	ix    *Index
}

func (h *rankHeap) Len() int           { return len(h.items) }
func (h *rankHeap) Less(i, j int) bool { return h.ix.better(h.items[j], h.items[i]) }
func (h *rankHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *rankHeap) Push(x any)         { h.items = append(h.items, x.(ranked)) }
func (h *rankHeap) Pop() any {
	n := len(h.items) - 1
	x := h.items[n]
	h.items = h.items[:n]
	return x
}

// offer considers a candidate; k < 0 keeps every one.
func (h *rankHeap) offer(r ranked, k int) {
	switch {
	case k < 0:
		h.items = append(h.items, r)
	case len(h.items) < k:
		heap.Push(h, r)
	case k > 0 && h.ix.better(r, h.items[0]):
		h.items[0] = r
		heap.Fix(h, 0)
	}
}
