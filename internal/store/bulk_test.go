package store_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The bulk creates of an import must store, validate and audit exactly as
// the one-at-a-time creates do.
func TestBatchBulkCreatesMatchSingleCreates(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		owner := mustUser(t, db, "owner@example.com", vouch.RoleTeamMember)
		call := valueID(t, db, vouch.TaxActivityType, "Call")
		account := func(name string) *vouch.Account {
			return &vouch.Account{Name: name, Domain: "www." + strings.ToLower(name) + ".example", CRMID: "ACC-" + name,
				IndustryID: valueID(t, db, vouch.TaxIndustry, "Retail"), ProductIDs: []int64{valueID(t, db, vouch.TaxProduct, "Security")},
				ARRCents: 120000000, ARRCurrency: "eur", RenewalDate: vouch.NewDate(2027, 3, 31)}
		}
		reference := func(accountID int64, name string) *vouch.Reference {
			five := 5
			return &vouch.Reference{AccountID: accountID, Name: " " + name + " ", Email: strings.ToUpper(name) + "@example.com",
				Seniority: "Director", TimeZone: "Europe/Berlin", Languages: []string{"English", "english", "German"},
				ProductIDs: []int64{valueID(t, db, vouch.TaxProduct, "Analytics"), valueID(t, db, vouch.TaxProduct, "Analytics")},
				Activities: []vouch.AgreedActivity{{TypeID: call, ConsentedOn: vouch.NewDate(2026, 1, 5)}, {TypeID: call}},
				OwnerID:    owner.ID, Status: vouch.StatusResting, RestingUntil: db.Today().AddDays(30),
				StatusReason: "busy", CapacityOverride: &five, CRMID: "CON-" + name, Story: "Went live in a week."}
		}

		single := account("Single")
		if err := db.CreateAccount(ctx, single); err != nil {
			t.Fatal(err)
		}
		one := reference(single.ID, "xavier")
		if err := db.CreateReference(ctx, one); err != nil {
			t.Fatal(err)
		}
		var bulk *vouch.Account
		var many []*vouch.Reference
		err := db.Batch(ctx, func(b *store.Batch) error {
			bulk = account("Bulk")
			if err := b.CreateAccounts([]*vouch.Account{bulk}); err != nil {
				return err
			}
			many = []*vouch.Reference{reference(bulk.ID, "yvonne"), reference(bulk.ID, "zed")}
			return b.CreateReferences(many)
		})
		if err != nil {
			t.Fatal(err)
		}

		// Read back, the records differ only where their input did.
		a1, _ := db.Account(ctx, single.ID)
		a2, _ := db.Account(ctx, bulk.ID)
		if a2.Domain != "bulk.example" || a2.IndustryID != a1.IndustryID || len(a2.ProductIDs) != 1 || a2.Version != 1 ||
			a2.ARR() != "EUR 1,200,000" || a2.ARR() != a1.ARR() || a2.RenewalDate.String() != "2027-03-31" || a2.RenewalDate != a1.RenewalDate {
			t.Errorf("bulk account %+v, single %+v", a2, a1)
		}
		r1, _ := db.Reference(ctx, one.ID)
		r2, _ := db.Reference(ctx, many[0].ID)
		if r2.Name != "yvonne" || r2.Email != "yvonne@example.com" || r2.Seniority != "director" || strings.Join(r2.Languages, ",") != "English,German" ||
			len(r2.ProductIDs) != 1 || len(r2.Activities) != 1 || r2.Activities[0].ConsentedOn != r1.Activities[0].ConsentedOn ||
			r2.Status != vouch.StatusResting || r2.RestingUntil != r1.RestingUntil || *r2.CapacityOverride != 5 || r2.Version != 1 ||
			r2.OwnerID != owner.ID || r2.CRMID != "CON-yvonne" {
			t.Errorf("bulk reference %+v\nsingle %+v", r2, r1)
		}
		h1, _ := db.StatusHistory(ctx, one.ID)
		h2, _ := db.StatusHistory(ctx, many[1].ID)
		if len(h2) != 1 || h2[0].To != h1[0].To || h2[0].Reason != h1[0].Reason || h2[0].Until != h1[0].Until || h2[0].Actor != "test" {
			t.Errorf("history %+v, single %+v", h2, h1)
		}
		// The audit entries say the same, field for field.
		audit := func(typ string, id int64) string {
			entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: typ, EntityID: id})
			if err != nil || len(entries) != 1 {
				t.Fatalf("audit of %s %d: %v %v", typ, id, entries, err)
			}
			e := entries[0]
			b, _ := json.Marshal(e.Changes)
			return e.Action + " by " + e.Actor + ": " + string(b)
		}
		norm := func(s string, pairs ...string) string { return strings.NewReplacer(pairs...).Replace(s) }
		if got, want := audit("account", bulk.ID), norm(audit("account", single.ID), "Single", "Bulk", "single", "bulk"); got != want {
			t.Errorf("account audit\n got %s\nwant %s", got, want)
		}
		if got, want := audit("reference", many[0].ID), norm(audit("reference", one.ID), "xavier", "yvonne",
			`"account_id","before":0,"after":`+itoa(single.ID), `"account_id","before":0,"after":`+itoa(bulk.ID)); got != want {
			t.Errorf("reference audit\n got %s\nwant %s", got, want)
		}

		// The import plan validated the fields; the database still refuses a
		// taken email (in any case) and an unknown owner, and nothing of the
		// batch stays.
		before, _ := db.CountReferences(ctx)
		err = db.Batch(ctx, func(b *store.Batch) error {
			return b.CreateReferences([]*vouch.Reference{{AccountID: bulk.ID, Name: "ok"}, {AccountID: bulk.ID, Name: "Copy", Email: " Yvonne@Example.com"}})
		})
		if vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("taken email: %v", err)
		}
		err = db.Batch(ctx, func(b *store.Batch) error {
			return b.CreateReferences([]*vouch.Reference{{AccountID: bulk.ID, Name: "ok"}, {AccountID: bulk.ID, Name: "bad", OwnerID: 999999}})
		})
		if !strings.Contains(err.Error(), `reference "bad"`) || vouch.ErrorFields(err)["owner"] == "" {
			t.Errorf("unknown owner: %v", err)
		}
		err = db.Batch(ctx, func(b *store.Batch) error {
			return b.CreateReferences([]*vouch.Reference{{AccountID: 999999, Name: "Nowhere"}})
		})
		if vouch.ErrorFields(err)["account"] != "is not a known account" {
			t.Errorf("unknown account: %v", err)
		}
		if after, _ := db.CountReferences(ctx); after != before {
			t.Errorf("refused batches left %d references", after-before)
		}

		// A value added in a batch can be used in it, and the snapshot sees it all.
		err = db.Batch(ctx, func(b *store.Batch) error {
			v := &vouch.TaxonomyValue{Kind: vouch.TaxProduct, Name: "Drones"}
			if err := b.CreateTaxonomyValue(v); err != nil {
				return err
			}
			return b.CreateReferences([]*vouch.Reference{{AccountID: bulk.ID, Name: "Pilot", ProductIDs: []int64{v.ID}}})
		})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := db.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Accounts) != 2 || len(snap.References) != 4 || snap.Users[owner.ID] != "owner@example.com" ||
			snap.References[1].Activities[0].TypeID != call || len(snap.Accounts[0].ProductIDs) != 1 {
			t.Errorf("snapshot: %d accounts, %d references, users %v", len(snap.Accounts), len(snap.References), snap.Users)
		}
		found := false
		for _, v := range snap.Values {
			found = found || v.Name == "Drones"
		}
		if !found {
			t.Error("the snapshot lacks the added value")
		}
		// Bulk updates: only changed references are written, each audited as UpdateReference audits.
		single1, _ := db.Reference(ctx, one.ID)
		single1.Title, single1.ProductIDs = "CTO", []int64{valueID(t, db, vouch.TaxProduct, "Security")}
		if err := db.UpdateReference(ctx, single1); err != nil {
			t.Fatal(err)
		}
		y, _ := db.Reference(ctx, many[0].ID)
		z, _ := db.Reference(ctx, many[1].ID)
		y.Title, y.ProductIDs = "CTO", []int64{valueID(t, db, vouch.TaxProduct, "Security")}
		auditBefore, _ := db.LastChangeID(ctx)
		if err := db.Batch(ctx, func(b *store.Batch) error { return b.UpdateReferences([]*vouch.Reference{y, z}) }); err != nil {
			t.Fatal(err)
		}
		if y.Version != 2 || z.Version != 1 {
			t.Errorf("versions after the bulk update: %d, %d", y.Version, z.Version)
		}
		if got, _ := db.Reference(ctx, y.ID); got.Title != "CTO" || len(got.ProductIDs) != 1 || len(got.Activities) != 1 {
			t.Errorf("updated %+v", got)
		}
		if last, _ := db.LastChangeID(ctx); last != auditBefore+1 {
			t.Errorf("%d audit entries for one changed reference", last-auditBefore)
		}
		updates := func(id int64) string {
			entries, _, _ := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "reference", EntityID: id, Action: "update"})
			b, _ := json.Marshal(entries[0].Changes)
			return string(b)
		}
		if got, want := updates(y.ID), updates(one.ID); got != want {
			t.Errorf("update audit\n got %s\nwant %s", got, want)
		}
		err = db.Batch(ctx, func(b *store.Batch) error {
			stale := *z
			stale.Version, stale.Title = 7, "Stale"
			return b.UpdateReferences([]*vouch.Reference{&stale})
		})
		if vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("stale version: %v", err)
		}

		// Later ids follow on from the bulk ones.
		later := reference(bulk.ID, "walter")
		if err := db.CreateReference(ctx, later); err != nil || later.ID <= many[1].ID {
			t.Errorf("a reference after the batch got id %d (batch: %d): %v", later.ID, many[1].ID, err)
		}
	})
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
