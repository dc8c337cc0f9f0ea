package refindex

import "github.com/vouchhq/vouch/internal/vouch"

// CoverageDims maps the dimensions coverage can be shown by to the index's.
var coverageDims = map[string]int{"industry": dimIndustry, "region": dimRegion, "product": dimProduct,
	"segment": dimSegment, "size": dimSize}

// CoverageKey is one cell of the coverage matrix: a value of the chosen
// dimension (a taxonomy value id) and an activity type (its id).
type CoverageKey struct {
	Value        int64
	ActivityType int64
}

// CoverageSupply counts, per value of dimension dim and activity type, the
// references that are active on today, offer the activity type and have a
// free capacity slot some day in the next vouch.CapacityWindowDays days. A
// reference counts once in every value it carries (products are
// multi-valued). It reports false for an unknown dimension.
func (ix *Index) CoverageSupply(dim string, today vouch.Date) (map[CoverageKey]int, bool) {
	d, ok := coverageDims[dim]
	if !ok {
		return nil, false
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := map[CoverageKey]int{}
	c := &ix.cols
	t := dayNum(today)
	for slot := range ix.slots {
		if ix.slots[slot] == nil {
			continue
		}
		s := int32(slot)
		st := int32(c.status[s])
		if st == statusResting && c.restDay[s] != 0 && t >= c.restDay[s] {
			st = statusActive
		}
		if st != statusActive {
			continue
		}
		limit := c.capMax[s]
		if limit < 0 {
			limit = int32(ix.capacityDefault)
		}
		if _, free := firstBookable(limit, c.actDays(s), t, t+vouch.CapacityWindowDays-1); !free {
			continue
		}
		acts := c.pool[dimActivity][c.start[dimActivity][s] : c.start[dimActivity][s]+uint32(c.count[dimActivity][s])]
		if len(acts) == 0 {
			continue
		}
		var values []int32
		if multiValued[d] {
			values = c.pool[d][c.start[d][s] : c.start[d][s]+uint32(c.count[d][s])]
		} else if v := c.single[d][s]; v >= 0 {
			values = []int32{v}
		}
		for _, v := range values {
			for _, a := range acts {
				out[CoverageKey{Value: int64(v), ActivityType: int64(a)}]++
			}
		}
	}
	return out, true
}
