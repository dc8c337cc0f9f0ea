// Package catalog is the read model of what the whole app looks up on
// almost every page: taxonomy values (by id and by name) and the program's
// settings. It is loaded once and kept current by the change feed
// (internal/changefeed), so pages never query the database for a name.
package catalog

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Kinds are the entity kinds the catalog follows.
var Kinds = []vouch.EntityKind{vouch.EntityTaxonomyValue, vouch.EntitySetting}

// Catalog holds every taxonomy value and the program settings in memory.
type Catalog struct {
	db *store.DB

	mu       sync.RWMutex
	values   map[int64]*vouch.TaxonomyValue
	byName   map[vouch.TaxonomyKind]map[string]int64
	settings vouch.ProgramSettings
}

// New returns an empty catalog over db (nil for one filled by Replace):
// subscribe it to a change feed, which loads it.
func New(db *store.DB) *Catalog {
	c := &Catalog{db: db}
	c.Replace(nil, vouch.DefaultProgramSettings())
	return c
}

// Load reads every taxonomy value and the program settings.
func (c *Catalog) Load(ctx context.Context) error {
	vals, err := c.db.ListTaxonomy(ctx, "")
	if err != nil {
		return err
	}
	ps, err := c.db.ProgramSettings(ctx)
	if err != nil {
		return err
	}
	c.Replace(vals, ps)
	// The program's time zone decides "today" everywhere: a zone saved by
	// another instance reaches this one's clock with the settings.
	c.db.Clock.SetZone(ps.Zone())
	return nil
}

// Apply reloads the catalog: taxonomies and settings are small, and a
// change to one value can reorder its kind.
func (c *Catalog) Apply(ctx context.Context, _ []vouch.Touched) error {
	return c.Load(ctx)
}

// Replace swaps in the given values and settings; Load uses it, and tests
// and benchmarks fill a catalog with it directly.
func (c *Catalog) Replace(vals []*vouch.TaxonomyValue, ps vouch.ProgramSettings) {
	byID := make(map[int64]*vouch.TaxonomyValue, len(vals))
	byName := map[vouch.TaxonomyKind]map[string]int64{}
	for _, v := range vals {
		byID[v.ID] = v
		if byName[v.Kind] == nil {
			byName[v.Kind] = map[string]int64{}
		}
		byName[v.Kind][nameKey(v.Name)] = v.ID
	}
	c.mu.Lock()
	c.values, c.byName, c.settings = byID, byName, ps
	c.mu.Unlock()
}

// nameKey is how names are compared: case and runs of spaces do not count.
func nameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// ValueID finds a taxonomy value by name, case-insensitively (0 when unknown).
func (c *Catalog) ValueID(kind vouch.TaxonomyKind, name string) int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.byName[kind][nameKey(name)]
}

// Value returns a taxonomy value by id (nil when unknown).
func (c *Catalog) Value(id int64) *vouch.TaxonomyValue {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.values[id]
}

// ValueName returns the name of a taxonomy value ("" when unknown).
func (c *Catalog) ValueName(id int64) string {
	if v := c.Value(id); v != nil {
		return v.Name
	}
	return ""
}

// Values returns the values of kind in display order.
func (c *Catalog) Values(kind vouch.TaxonomyKind, includeRetired bool) []*vouch.TaxonomyValue {
	c.mu.RLock()
	var out []*vouch.TaxonomyValue
	for _, v := range c.values {
		if v.Kind == kind && (includeRetired || !v.Retired) {
			out = append(out, v)
		}
	}
	c.mu.RUnlock()
	sortValues(out)
	return out
}

// All returns every value of every kind, retired ones too, in display order within each kind.
func (c *Catalog) All() []*vouch.TaxonomyValue {
	c.mu.RLock()
	out := make([]*vouch.TaxonomyValue, 0, len(c.values))
	for _, v := range c.values {
		out = append(out, v)
	}
	c.mu.RUnlock()
	sortValues(out)
	return out
}

// sortValues orders values by kind, then position, then name.
func sortValues(vals []*vouch.TaxonomyValue) {
	sort.Slice(vals, func(i, j int) bool {
		a, b := vals[i], vals[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		return strings.ToLower(a.Name) < strings.ToLower(b.Name)
	})
}

// CapacityDefault is the default number of activities per reference per 90 days.
func (c *Catalog) CapacityDefault() int {
	return c.ProgramSettings().CapacityDefault
}

// ProgramSettings returns the program's settings (defaults for unset ones).
func (c *Catalog) ProgramSettings() vouch.ProgramSettings {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.settings
}
