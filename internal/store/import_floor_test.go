package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// BenchmarkImportFloor measures the least an import of new references can
// cost on SQLite: the bulk insert of bare references (no products, use
// cases, competitors or agreed activities), each with its first status
// event and its audit entry, in one transaction — no file reading, no
// matching against existing rows. Every real import row costs more. It
// backs docs/decisions/0005 (import throughput on modernc SQLite).
//
//	go test -run '^$' -bench ImportFloor -benchtime 3x ./internal/store/
func BenchmarkImportFloor(b *testing.B) {
	const n = 50000
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := testutil.OpenDB(b, store.SQLite)
		var accounts []*vouch.Account
		for k := 0; k < n/3+1; k++ {
			accounts = append(accounts, &vouch.Account{Name: fmt.Sprintf("Account %d", k), CRMID: fmt.Sprintf("ACC-%d", k)})
		}
		if err := db.Batch(ctx, func(bt *store.Batch) error { return bt.CreateAccounts(accounts) }); err != nil {
			b.Fatal(err)
		}
		refs := make([]*vouch.Reference, n)
		for k := range refs {
			refs[k] = &vouch.Reference{AccountID: accounts[k/3].ID, Name: fmt.Sprintf("Person %d", k), Title: "VP Operations",
				Seniority: "executive", Email: fmt.Sprintf("p%d@example.com", k), Status: vouch.StatusActive,
				CRMID: fmt.Sprintf("CON-%d", k), Story: "Moved 40 plants from spreadsheets to one system in a quarter."}
		}
		b.StartTimer()
		start := time.Now()
		err := db.Batch(ctx, func(bt *store.Batch) error {
			for k := 0; k < n; k += 2000 {
				if err := bt.CreateReferences(refs[k:min(k+2000, n)]); err != nil {
					return err
				}
			}
			return nil
		})
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "rows/s")
}
