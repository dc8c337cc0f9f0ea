package store

import (
	"context"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// TestBulkInsertsStayAllOrNothing checks the multi-row inserts of a batch
// refuse rows that break a foreign key or a unique key, and that nothing of
// the batch is left behind.
func TestBulkInsertsStayAllOrNothing(t *testing.T) {
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
	db, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	values, err := db.ListTaxonomy(ctx, vouch.TaxProduct)
	if err != nil || len(values) == 0 {
		t.Fatalf("products: %v %v", values, err)
	}
	product := values[0].ID
	for name, rows := range map[string][]any{
		"a value that does not exist":     {int64(1), "product", int64(987654), ""},
		"a reference that does not exist": {int64(987654), "product", product, ""},
		"the same value twice":            {int64(1), "product", product, "", int64(1), "product", product, ""},
	} {
		err := db.Batch(ctx, func(b *Batch) error {
			a := &vouch.Account{Name: "Batch Corp"}
			if err := b.CreateAccounts([]*vouch.Account{a}); err != nil {
				return err
			}
			r := &vouch.Reference{AccountID: a.ID, Name: "Ada", Status: vouch.StatusActive}
			if err := b.CreateReferences([]*vouch.Reference{r}); err != nil {
				return err
			}
			for i := 0; i < len(rows); i += 4 {
				if rows[i] == int64(1) {
					rows[i] = r.ID
				}
			}
			return b.insertMany(`INSERT INTO ref_values (ref_id, kind, value_id, consented_on) VALUES `, "(?, ?, ?, ?)", 4, rows)
		})
		if err == nil {
			t.Errorf("%s: the batch committed", name)
		}
		if accounts, n, err := db.ListAccounts(ctx, vouch.AccountFilter{}); err != nil || n != 0 {
			t.Errorf("%s: after the failed batch %d accounts are stored (%v, %v)", name, n, accounts, err)
		}
	}
	// After the failed batches the next one commits, and a value in use
	// still cannot be deleted.
	err = db.Batch(ctx, func(b *Batch) error {
		a := &vouch.Account{Name: "Kept Corp"}
		if err := b.CreateAccounts([]*vouch.Account{a}); err != nil {
			return err
		}
		return b.CreateReferences([]*vouch.Reference{{AccountID: a.ID, Name: "Ada", Status: vouch.StatusActive, ProductIDs: []int64{product}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteTaxonomyValue(ctx, product); vouch.ErrorCode(err) != vouch.ECONFLICT {
		t.Errorf("deleting a product in use: %v, want a conflict", err)
	}
}
