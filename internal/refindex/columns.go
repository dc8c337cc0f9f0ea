package refindex

// columns keeps, slot by slot, the fields every search scans, in flat arrays:
// a scan of 100,000 references then reads a few hundred kilobytes per field
// instead of chasing a pointer per reference.
type columns struct {
	single   [numStoredDims][]int32  // single-valued dimensions; -1 = none
	start    [numStoredDims][]uint32 // multi-valued dimensions: values are pool[d][start:start+count]
	count    [numStoredDims][]uint8
	pool     [numStoredDims][]int32
	status   []uint8 // index in vouch.Statuses
	capMax   []int32 // -1 = the index's default
	restDay  []int32 // day numbers; 0 = none
	verDay   []int32
	actStart []uint32 // activity days (sorted): actPool[actStart:actStart+actCount]
	actCount []uint16
	actPool  []int32
	nameHead []uint64 // first 8 bytes of the lower-cased name, for ordering
}

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
}

func (c *columns) add(r *row) {
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
}

// dayCache holds the values that depend on the day (status, free capacity,
// verified) for every slot, computed once a day instead of once per search.
type dayCache struct {
	day      int32
	status   []uint8
	capFree  []uint8
	verified []uint8
}

func (dc *dayCache) add(c *columns, slot int32, capDefault int32) {
	var v [3]int32
	dayValues(c, slot, dc.day, capDefault, &v)
	dc.status = append(dc.status, uint8(v[0]))
	dc.capFree = append(dc.capFree, uint8(v[1]))
	dc.verified = append(dc.verified, uint8(v[2]))
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
