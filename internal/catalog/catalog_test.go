package catalog_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/changefeed"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

// The catalog names values and holds the settings as the database does,
// after this process's writes at once and another instance's after a poll.
func TestCatalogFollowsTaxonomyAndSettings(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		feed := changefeed.New(db, nil)
		defer feed.Close()
		cat := catalog.New(db)
		if _, err := feed.Subscribe(ctx, "catalog", catalog.Kinds, cat); err != nil {
			t.Fatal(err)
		}
		hc := cat.ValueID(vouch.TaxIndustry, "  HEALTHCARE ")
		if hc == 0 || cat.ValueName(hc) != "Healthcare" || cat.Value(hc).Kind != vouch.TaxIndustry {
			t.Fatalf("Healthcare: id %d, name %q", hc, cat.ValueName(hc))
		}
		if cat.ValueID(vouch.TaxRegion, "Healthcare") != 0 {
			t.Error("a name was found under another kind")
		}
		want, err := db.ListTaxonomy(ctx, vouch.TaxIndustry)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(cat.Values(vouch.TaxIndustry, true)); got != names(want) {
			t.Errorf("industries in the catalog's order %q, the database's %q", got, names(want))
		}
		if cat.CapacityDefault() != vouch.DefaultCapacity || !reflect.DeepEqual(cat.ProgramSettings(), vouch.DefaultProgramSettings()) {
			t.Errorf("settings %+v, want the defaults", cat.ProgramSettings())
		}

		// This process's writes show at once.
		name, retired := "Health & Care", true
		if _, err := db.UpdateTaxonomyValue(ctx, hc, vouch.TaxonomyUpdate{Name: &name, Retired: &retired}); err != nil {
			t.Fatal(err)
		}
		if cat.ValueID(vouch.TaxIndustry, "health & care") != hc || cat.ValueID(vouch.TaxIndustry, "healthcare") != 0 {
			t.Error("a renamed value is not found by its new name alone")
		}
		for _, v := range cat.Values(vouch.TaxIndustry, false) {
			if v.ID == hc {
				t.Error("a retired value is offered")
			}
		}
		ps := vouch.DefaultProgramSettings()
		ps.CapacityDefault, ps.ReminderDays = 5, 4
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cat.ProgramSettings(), ps) || cat.CapacityDefault() != 5 {
			t.Errorf("after saving settings the catalog has %+v, want %+v", cat.ProgramSettings(), ps)
		}

		// Another instance's, after a poll.
		other, err := store.Open(ctx, otherConfig(db))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		v := &vouch.TaxonomyValue{Kind: vouch.TaxProduct, Name: "Quantum Ledger"}
		if err := other.CreateTaxonomyValue(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := other.SetSetting(ctx, store.SettingCapacityDefault, "7"); err != nil {
			t.Fatal(err)
		}
		zoned := vouch.DefaultProgramSettings()
		zoned.CapacityDefault, zoned.TimeZone = 7, "America/Los_Angeles"
		if err := other.SetProgramSettings(ctx, zoned); err != nil {
			t.Fatal(err)
		}
		if db.Clock.Zone().String() != "UTC" {
			t.Fatalf("before a poll this instance's clock is in %s, want UTC", db.Clock.Zone())
		}
		if err := feed.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if cat.ValueID(vouch.TaxProduct, "quantum ledger") != v.ID || cat.CapacityDefault() != 7 {
			t.Errorf("after a poll: product id %d (want %d), default capacity %d (want 7)",
				cat.ValueID(vouch.TaxProduct, "quantum ledger"), v.ID, cat.CapacityDefault())
		}
		// "Today" follows the zone another instance saved.
		if got := db.Clock.Zone().String(); got != "America/Los_Angeles" {
			t.Errorf("after a poll this instance's clock is in %s, want America/Los_Angeles", got)
		}
	})
}

func names(vals []*vouch.TaxonomyValue) string {
	var out []string
	for _, v := range vals {
		out = append(out, v.Name)
	}
	return strings.Join(out, ", ")
}

func otherConfig(db *store.DB) store.Config {
	if db.Engine == store.SQLite {
		return store.Config{DataDir: strings.TrimSuffix(db.Path, "/"+store.DBFileName)}
	}
	return store.Config{URL: db.URL}
}
