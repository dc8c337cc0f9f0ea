package analytics

import "github.com/vouchhq/vouch/internal/vouch"

// CoverageDimensions are the dimensions the coverage matrix can be shown by.
var CoverageDimensions = []string{"industry", "region", "product", "segment", "size"}

// CoverageDemand is what sales asked for and is about to ask for, by value
// of one dimension, as the coverage matrix weighs it against supply.
type CoverageDemand struct {
	// Requests counts requests created in the window, by opportunity value
	// of the dimension and activity type.
	Requests map[[2]int64]int
	// OpenOpps counts open opportunities by value of the dimension.
	OpenOpps map[int64]int
	// TypeShare is each activity type's share of the window's requests (all
	// values together): the open pipeline's demand is spread over the
	// activity types in this mix.
	TypeShare map[int64]float64
	// LearnedShare is the share of deals closed in the last 12 months that
	// had a request; ClosedDeals how many closed (0: nothing to learn from).
	LearnedShare float64
	ClosedDeals  int
	// ContentRequests counts the open content requests tagged with each
	// value of the dimension, by the content type they ask for (0: any).
	ContentRequests map[int64]map[int64]int
}

// oppValue is an opportunity's value of a coverage dimension (0 none).
func oppValue(o *opp, dim string) int32 {
	switch dim {
	case "industry":
		return o.industry
	case "region":
		return o.region
	case "product":
		return o.product
	case "segment":
		return o.segment
	case "size":
		return o.size
	}
	return 0
}

// Coverage counts demand by dimension dim for the matrix: requests created
// in the months before today (months ≥ 1), open opportunities and open
// content requests. It
// reports false for an unknown dimension. One pass over requests, one over
// opportunities and one over content requests.
func (m *Model) Coverage(dim string, months int, today vouch.Date) (CoverageDemand, bool) {
	known := false
	for _, d := range CoverageDimensions {
		known = known || d == dim
	}
	if !known {
		return CoverageDemand{}, false
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	d := m.d
	t := dayNum(today)
	from := dayNum(vouch.DateOf(today.Time().AddDate(0, -max(months, 1), 0)))
	out := CoverageDemand{Requests: map[[2]int64]int{}, OpenOpps: map[int64]int{}, TypeShare: map[int64]float64{},
		ContentRequests: map[int64]map[int64]int{}}
	for i := range d.creqs {
		c := &d.creqs[i]
		if !c.open {
			continue
		}
		for _, v := range contentReqValues(c, dim) {
			byType := out.ContentRequests[int64(v)]
			if byType == nil {
				byType = map[int64]int{}
				out.ContentRequests[int64(v)] = byType
			}
			byType[int64(c.typ)]++
		}
	}
	asked := make([]bool, len(d.opps))
	total := 0
	for i := range d.reqs {
		r := &d.reqs[i]
		if r.state == 0 {
			continue
		}
		if r.opp > 0 && int(r.opp) < len(d.opps) {
			asked[r.opp] = true
		}
		if r.created < from || r.created > t || r.typ <= 0 {
			continue
		}
		total++
		out.TypeShare[int64(r.typ)]++
		if r.opp <= 0 || int(r.opp) >= len(d.opps) || d.opps[r.opp].status == oppGone {
			continue
		}
		if v := oppValue(&d.opps[r.opp], dim); v > 0 {
			out.Requests[[2]int64{int64(v), int64(r.typ)}]++
		}
	}
	for k, n := range out.TypeShare {
		out.TypeShare[k] = n / float64(total)
	}
	yearAgo := dayNum(vouch.DateOf(today.Time().AddDate(-1, 0, 0)))
	had := 0
	for i := range d.opps {
		o := &d.opps[i]
		switch o.status {
		case oppOpen:
			if v := oppValue(o, dim); v > 0 {
				out.OpenOpps[int64(v)]++
			}
		case oppWon, oppLost:
			if o.close != noDay && o.close >= yearAgo && o.close <= t {
				out.ClosedDeals++
				if asked[i] {
					had++
				}
			}
		}
	}
	if out.ClosedDeals > 0 {
		out.LearnedShare = float64(had) / float64(out.ClosedDeals)
	}
	return out, true
}
