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

// values returns the slot's values of a stored dimension; buf holds a single value.
func (c *columns) values(d int, slot int32, buf *[1]int32) []int32 {
	if multiValued[d] {
		s := c.start[d][slot]
		return c.pool[d][s : s+uint32(c.count[d][slot])]
	}
	v := c.single[d][slot]
	if v < 0 {
		return nil
	}
	buf[0] = v
	return buf[:]
}
