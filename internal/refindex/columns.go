package refindex

// columns keeps, slot by slot, the fields every search scans, in flat arrays:
// a scan of 100,000 references then reads a few hundred kilobytes per field
// instead of chasing a pointer per reference.
type columns struct {
	single    [numStoredDims][]int32  // single-valued dimensions; -1 = none
	start     [numStoredDims][]uint32 // multi-valued dimensions: values are pool[d][start:start+count]
	count     [numStoredDims][]uint8
	pool      [numStoredDims][]int32
	status    []uint8 // index in vouch.Statuses
	capMax    []int32 // -1 = the index's default
	restDay   []int32 // day numbers; 0 = none
	verDay    []int32
	actStart  []uint32 // activity days (sorted): actPool[actStart:actStart+actCount]
	actCount  []uint16
	actPool   []int32
	nameHead  []uint64 // first 8 bytes of the lower-cased name, for ordering
	askDay    []int32  // day number of the latest ask; 0 = never asked
	langStart []uint32 // languages (ids from Index.langIDs): langPool[langStart:langStart+langCount]
	langCount []uint8
	langPool  []int32
	// For matching: per dimension and value (by id; seniority by index),
	// and per language, the slots that hold it, as bitsets. A bitset may be
	// shorter than the slots: missing words are zero.
	valueBits [numStoredDims][][]uint64
	langBits  [][]uint64
}

// bitDims are the dimensions kept as bitsets (those a match can ask for,
// and the picklists free text finds references by).
var bitDims = [numStoredDims]bool{dimIndustry: true, dimRegion: true, dimCountry: true, dimSegment: true, dimSize: true, dimProduct: true,
	dimUseCase: true, dimCompetitor: true, dimActivity: true, dimSeniority: true}

// multiValued says which dimensions hold several values per reference.
var multiValued = [numStoredDims]bool{dimProduct: true, dimUseCase: true, dimCompetitor: true, dimActivity: true}

// row is one reference's column values, as put builds them.
type row struct {
	dims     [numStoredDims][]int32
	status   uint8
	capMax   int32
	restDay  int32
	verDay   int32
	actDays  []int32
	nameHead uint64
	askDay   int32
	langs    []int32
}

func (c *columns) add(r *row) {
	slot := int32(len(c.status))
	for d := range numStoredDims {
		if bitDims[d] {
			for _, v := range r.dims[d] {
				setBit(&c.valueBits[d], v, slot)
			}
		}
	}
	for _, v := range r.langs {
		setBit(&c.langBits, v, slot)
	}
	for d := 0; d < numStoredDims; d++ {
		if multiValued[d] {
			c.start[d] = append(c.start[d], uint32(len(c.pool[d])))
			c.count[d] = append(c.count[d], uint8(min(len(r.dims[d]), 255)))
			c.pool[d] = append(c.pool[d], r.dims[d][:min(len(r.dims[d]), 255)]...)
			continue
		}
		v := int32(-1)
		if len(r.dims[d]) > 0 {
			v = r.dims[d][0]
		}
		c.single[d] = append(c.single[d], v)
	}
	c.status = append(c.status, r.status)
	c.capMax = append(c.capMax, r.capMax)
	c.restDay = append(c.restDay, r.restDay)
	c.verDay = append(c.verDay, r.verDay)
	c.actStart = append(c.actStart, uint32(len(c.actPool)))
	c.actCount = append(c.actCount, uint16(min(len(r.actDays), 65535)))
	c.actPool = append(c.actPool, r.actDays...)
	c.nameHead = append(c.nameHead, r.nameHead)
	c.askDay = append(c.askDay, r.askDay)
	c.langStart = append(c.langStart, uint32(len(c.langPool)))
	c.langCount = append(c.langCount, uint8(min(len(r.langs), 255)))
	c.langPool = append(c.langPool, r.langs[:min(len(r.langs), 255)]...)
}

// fit cuts every column to its length, after a bulk load.
func (c *columns) fit() {
	for d := range numStoredDims {
		c.single[d], c.start[d], c.count[d], c.pool[d] = fit(c.single[d]), fit(c.start[d]), fit(c.count[d]), fit(c.pool[d])
		for v, b := range c.valueBits[d] {
			c.valueBits[d][v] = fit(b)
		}
	}
	for v, b := range c.langBits {
		c.langBits[v] = fit(b)
	}
	c.status, c.capMax, c.restDay, c.verDay = fit(c.status), fit(c.capMax), fit(c.restDay), fit(c.verDay)
	c.actStart, c.actCount, c.actPool = fit(c.actStart), fit(c.actCount), fit(c.actPool)
	c.nameHead, c.askDay = fit(c.nameHead), fit(c.askDay)
	c.langStart, c.langCount, c.langPool = fit(c.langStart), fit(c.langCount), fit(c.langPool)
}

// setBit marks slot in the bitset of value v.
func setBit(sets *[][]uint64, v, slot int32) {
	if v < 0 {
		return
	}
	for int(v) >= len(*sets) {
		*sets = append(*sets, nil)
	}
	b := &(*sets)[v]
	for len(*b) <= int(slot>>6) {
		*b = append(*b, 0)
	}
	(*b)[slot>>6] |= 1 << (uint(slot) & 63)
}

// bitsOf returns the bitset of value v (nil when no slot holds it).
func bitsOf(sets [][]uint64, v int32) []uint64 {
	if v < 0 || int(v) >= len(sets) {
		return nil
	}
	return sets[v]
}

// word returns word w of a bitset, zero past its end.
func word(b []uint64, w int) uint64 {
	if w < len(b) {
		return b[w]
	}
	return 0
}

// dayCache holds the values that depend on the day (status, free capacity,
// verified) for every slot, computed once a day instead of once per search.
type dayCache struct {
	day      int32
	status   []uint8
	capFree  []uint8
	verified []uint8
	// For matching: whether one more activity can be booked today (with
	// booked ones ahead counted, unlike capFree), and the points and load
	// of the adjustments.
	active   []uint64 // bitset: status active that day
	bookable []uint8
	adj      []int32
	load     []uint16
}

func (dc *dayCache) add(c *columns, slot int32, capDefault int32) {
	var v [3]int32
	dayValues(c, slot, dc.day, capDefault, &v)
	dc.status = append(dc.status, uint8(v[0]))
	dc.capFree = append(dc.capFree, uint8(v[1]))
	dc.verified = append(dc.verified, uint8(v[2]))
	if int(slot>>6) >= len(dc.active) {
		dc.active = append(dc.active, 0)
	}
	if v[0] == statusActive {
		dc.active[slot>>6] |= 1 << (uint(slot) & 63)
	}
	_, ok := firstBookable(c.capLimit(slot, capDefault), c.actDays(slot), dc.day, dc.day)
	a := adjustmentsOf(c, slot, dc.day)
	dc.bookable = append(dc.bookable, b2u(ok))
	dc.adj = append(dc.adj, a.points())
	dc.load = append(dc.load, a.load())
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// actDays returns a slot's activity days, sorted.
func (c *columns) actDays(slot int32) []int32 {
	return c.actPool[c.actStart[slot] : c.actStart[slot]+uint32(c.actCount[slot])]
}

// capLimit is a slot's activities per 90 days.
func (c *columns) capLimit(slot int32, capDefault int32) int32 {
	if l := c.capMax[slot]; l >= 0 {
		return l
	}
	return capDefault
}

// daysFor returns the day values for today, computing them on the first
// search of a day. Callers hold the read lock; dayMu keeps two searches from
// computing at once, and put (under the write lock) extends the current cache.
func (ix *Index) daysFor(today int32) *dayCache {
	if dc := ix.days.Load(); dc != nil && dc.day == today && len(dc.status) == len(ix.slots) {
		return dc
	}
	ix.dayMu.Lock()
	defer ix.dayMu.Unlock()
	if dc := ix.days.Load(); dc != nil && dc.day == today && len(dc.status) == len(ix.slots) {
		return dc
	}
	dc := &dayCache{day: today}
	capDefault := int32(ix.capacityDefault)
	for slot := range ix.slots {
		dc.add(&ix.cols, int32(slot), capDefault)
	}
	ix.days.Store(dc)
	return dc
}
