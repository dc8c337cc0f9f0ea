package content

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The reports of the content library.
const (
	ReportMostUsed  = "most_used"  // uses in the last 12 months, most first
	ReportBestRated = "best_rated" // average rating, of items rated at least MinRatings times
	ReportStale     = "stale"      // approved, and not used in 12 months
	ReportGaps      = "gaps"       // segments with demand and no approved content
)

// ReportKinds lists the reports, in the order the page shows them.
var ReportKinds = []string{ReportMostUsed, ReportBestRated, ReportStale, ReportGaps}

// MinRatings is how many ratings an item needs to be ranked as best rated:
// one enthusiastic rating says little.
const MinRatings = 2

// reportRows is at most how many items a report lists.
const reportRows = 100

// ReportItem is one item of a report.
type ReportItem struct {
	contentindex.Hit
	RecentUses int // uses in the last 12 months
}

// Segment is one industry × product or industry × region, with the open
// requests asking for it and the approved content it has.
type Segment struct {
	Kind       string `json:"kind"` // "industry_product" or "industry_region"
	IndustryID int64  `json:"industry_id"`
	Industry   string `json:"industry"`
	OtherID    int64  `json:"other_id"` // the product's or the region's id
	Other      string `json:"other"`
	Demand     int    `json:"demand"`   // open reference and content requests asking for it
	Approved   int    `json:"approved"` // approved items tagged with both
}

// Gap reports whether the segment has demand and no approved content.
func (s Segment) Gap() bool { return s.Demand > 0 && s.Approved == 0 }

// Name is the segment in words: "Healthcare × Analytics".
func (s Segment) Name() string { return s.Industry + " × " + s.Other }

// Report is one report as its reader may see it.
type Report struct {
	Kind     string
	Since    time.Time // the start of the 12 months counted
	Items    []ReportItem
	Segments []Segment // the gaps report
}

// Reports computes the content library's reports from the index (the items,
// their tags and stats, as the reader may see them) and the database (uses
// in a period, open demand).
type Reports struct {
	db  *store.DB
	ix  *contentindex.Index
	cat Catalog
}

// NewReports returns the reports over db and its content index.
func NewReports(db *store.DB, ix *contentindex.Index, cat Catalog) *Reports {
	return &Reports{db: db, ix: ix, cat: cat}
}

// ParseReportKind checks a report's name.
func ParseReportKind(s string) (string, error) {
	if s == "" {
		return ReportMostUsed, nil
	}
	if !slices.Contains(ReportKinds, s) {
		var v vouch.Validation
		v.Add("kind", "must be one of "+strings.Join(ReportKinds, ", "))
		return "", v.Err()
	}
	return s, nil
}

// Report computes report kind for a reader: the program team (manage) sees
// every item; everyone else only approved ones (vouch.ContentShown).
func (r *Reports) Report(ctx context.Context, kind string, manage bool) (*Report, error) {
	kind, err := ParseReportKind(kind)
	if err != nil {
		return nil, err
	}
	now := r.db.Clock.Now()
	since := now.AddDate(-1, 0, 0)
	rep := &Report{Kind: kind, Since: since}
	all := r.ix.Search(contentindex.Query{Manage: manage, Limit: -1}).Items
	switch kind {
	case ReportMostUsed:
		uses, err := r.db.ContentUsesSince(ctx, since)
		if err != nil {
			return nil, err
		}
		for _, h := range all {
			if n := uses[h.Item.ID]; n > 0 {
				rep.Items = append(rep.Items, ReportItem{Hit: h, RecentUses: n})
			}
		}
		slices.SortFunc(rep.Items, func(a, b ReportItem) int {
			return cmp.Or(cmp.Compare(b.RecentUses, a.RecentUses), strings.Compare(a.Item.Title, b.Item.Title), cmp.Compare(a.Item.ID, b.Item.ID))
		})
	case ReportBestRated:
		for _, h := range all {
			if h.Stats.Ratings >= MinRatings {
				rep.Items = append(rep.Items, ReportItem{Hit: h})
			}
		}
		slices.SortFunc(rep.Items, func(a, b ReportItem) int {
			return cmp.Or(cmp.Compare(b.Stats.AverageRating, a.Stats.AverageRating), cmp.Compare(b.Stats.Ratings, a.Stats.Ratings),
				strings.Compare(a.Item.Title, b.Item.Title), cmp.Compare(a.Item.ID, b.Item.ID))
		})
	case ReportStale:
		for _, h := range all {
			if h.State.Approved() && Stale(h.Item, h.Stats, since) {
				rep.Items = append(rep.Items, ReportItem{Hit: h})
			}
		}
		// Longest unused first; never used counts from the day it was added.
		last := func(h ReportItem) time.Time {
			if h.Stats.LastUsed != nil {
				return *h.Stats.LastUsed
			}
			return h.Item.CreatedAt
		}
		slices.SortFunc(rep.Items, func(a, b ReportItem) int {
			return cmp.Or(last(a).Compare(last(b)), cmp.Compare(a.Item.ID, b.Item.ID))
		})
	case ReportGaps:
		if rep.Segments, err = r.gaps(ctx, all); err != nil {
			return nil, err
		}
	}
	if len(rep.Items) > reportRows {
		rep.Items = rep.Items[:reportRows]
	}
	return rep, nil
}

// Stale reports whether an item went unused since: last used before it, or
// never used and added before it. A buyer's view on a proof page is a use.
func Stale(it *vouch.ContentItem, s vouch.ContentStats, since time.Time) bool {
	if s.LastUsed != nil {
		return s.LastUsed.Before(since)
	}
	return it.CreatedAt.Before(since)
}

// segmentKey is one segment: its kind and its two values.
type segmentKey struct {
	kind            string
	industry, other int64
}

// gaps counts demand and approved content per segment: every segment some
// open request asks for, gaps first, then by demand.
func (r *Reports) gaps(ctx context.Context, items []contentindex.Hit) ([]Segment, error) {
	demand, err := r.db.OpenContentDemand(ctx)
	if err != nil {
		return nil, err
	}
	counts := map[segmentKey]int{}
	pairs := func(industries, products, regions []int64, fn func(segmentKey)) {
		seen := map[segmentKey]bool{}
		for _, i := range industries {
			for _, p := range products {
				if k := (segmentKey{"industry_product", i, p}); !seen[k] {
					seen[k] = true
					fn(k)
				}
			}
			for _, g := range regions {
				if k := (segmentKey{"industry_region", i, g}); !seen[k] {
					seen[k] = true
					fn(k)
				}
			}
		}
	}
	for _, d := range demand {
		pairs(d.Industries, d.Products, d.Regions, func(k segmentKey) { counts[k]++ })
	}
	approved := map[segmentKey]int{}
	for _, h := range items {
		if !h.State.Approved() {
			continue
		}
		pairs(h.Item.IndustryIDs, h.Item.ProductIDs, h.Item.RegionIDs, func(k segmentKey) {
			if counts[k] > 0 {
				approved[k]++
			}
		})
	}
	name := func(id int64) string {
		if v := r.cat.Value(id); v != nil {
			return v.Name
		}
		return fmt.Sprintf("value %d", id)
	}
	out := make([]Segment, 0, len(counts))
	for k, n := range counts {
		out = append(out, Segment{Kind: k.kind, IndustryID: k.industry, Industry: name(k.industry), OtherID: k.other,
			Other: name(k.other), Demand: n, Approved: approved[k]})
	}
	slices.SortFunc(out, func(a, b Segment) int {
		gap := func(s Segment) int {
			if s.Gap() {
				return 0
			}
			return 1
		}
		return cmp.Or(cmp.Compare(gap(a), gap(b)), cmp.Compare(b.Demand, a.Demand), cmp.Compare(a.Approved, b.Approved),
			strings.Compare(a.Kind, b.Kind), strings.Compare(a.Name(), b.Name()))
	})
	return out, nil
}
