package analytics

import (
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Content requests as the coverage matrix counts them: the open ones (open
// or in progress, as the content gap report counts them) are demand for
// every value they are tagged with, of the content type they ask for.

// contentReq is one content request: its content type and tags.
type contentReq struct {
	typ                                int32
	industry, region, product, segment []int32
	open                               bool
}

func ids32(ids []int64) []int32 {
	var out []int32
	for _, id := range ids {
		if v := id32(id); v > 0 {
			out = append(out, v)
		}
	}
	return out
}

func (d *data) putContentRequest(r *store.AnalyticsContentRequest) {
	if r.ID <= 0 || r.ID > maxID {
		return
	}
	d.creqs = slot(d.creqs, r.ID)
	d.creqs[r.ID] = contentReq{typ: id32(r.TypeID), industry: ids32(r.Tags[vouch.TaxIndustry]), region: ids32(r.Tags[vouch.TaxRegion]),
		product: ids32(r.Tags[vouch.TaxProduct]), segment: ids32(r.Tags[vouch.TaxSegment]),
		open: r.State == vouch.ContentRequestOpen || r.State == vouch.ContentRequestInProgress}
}

// contentReqValues are a content request's values of a coverage dimension
// (none for size, which content requests are not tagged by).
func contentReqValues(c *contentReq, dim string) []int32 {
	switch dim {
	case "industry":
		return c.industry
	case "region":
		return c.region
	case "product":
		return c.product
	case "segment":
		return c.segment
	}
	return nil
}
