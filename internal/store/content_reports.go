package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// ContentUsesSince returns, by item, its uses since t: what sellers did
// with it (copied, downloaded, added to a proof page), not buyers' views.
// Items not used since are left out.
func (db *DB) ContentUsesSince(ctx context.Context, since time.Time) (map[int64]int, error) {
	rows, err := db.query(ctx, `SELECT content_id, COUNT(*) FROM content_uses WHERE kind <> 'proof_view' AND at >= ?
		GROUP BY content_id`, since.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// ContentDemand is what one open request asks for, by picklist: a
// reference request's criteria, or a content request's values.
type ContentDemand struct {
	Industries, Regions, Products []int64
}

// OpenContentDemand returns the demand of every open reference request (not
// closed) and every open or in-progress content request.
func (db *DB) OpenContentDemand(ctx context.Context) ([]ContentDemand, error) {
	var out []ContentDemand
	rows, err := db.query(ctx, `SELECT state, criteria FROM requests`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var state, criteria string
		if err := rows.Scan(&state, &criteria); err != nil {
			rows.Close()
			return nil, err
		}
		var c vouch.Criteria
		if vouch.RequestState(state).Closed() || json.Unmarshal([]byte(criteria), &c) != nil {
			continue
		}
		var d ContentDemand
		for _, v := range []struct {
			id  int64
			dst *[]int64
		}{{c.IndustryID, &d.Industries}, {c.RegionID, &d.Regions}, {c.ProductID, &d.Products}} {
			if v.id != 0 {
				*v.dst = append(*v.dst, v.id)
			}
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.query(ctx, `SELECT r.id, v.kind, v.value_id FROM content_requests r
		JOIN content_request_values v ON v.request_id = r.id
		WHERE r.state IN (?, ?) ORDER BY r.id`, vouch.ContentRequestOpen, vouch.ContentRequestInProgress)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	last := int64(0)
	for rows.Next() {
		var id, value int64
		var kind string
		if err := rows.Scan(&id, &kind, &value); err != nil {
			return nil, err
		}
		if id != last {
			out = append(out, ContentDemand{})
			last = id
		}
		d := &out[len(out)-1]
		switch vouch.TaxonomyKind(kind) {
		case vouch.TaxIndustry:
			d.Industries = append(d.Industries, value)
		case vouch.TaxRegion:
			d.Regions = append(d.Regions, value)
		case vouch.TaxProduct:
			d.Products = append(d.Products, value)
		}
	}
	return out, rows.Err()
}
