package refsheet_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// valueNames resolves ids from a list of values, for exporting records
// that are not in a database.
type valueNames map[int64]string

func (v valueNames) ValueName(id int64) string { return v[id] }

// generatedCSV is a spreadsheet of n demo references, as an export writes it.
func generatedCSV(b *testing.B, n int) []byte {
	b.Helper()
	db := testutil.OpenDB(b, store.SQLite)
	values, names := demo.Values{}, valueNames{}
	all, err := db.ListTaxonomy(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range all {
		values[v.Kind] = append(values[v.Kind], v)
		names[v.ID] = v.Name
	}
	regions := map[int64]string{}
	for _, v := range values[vouch.TaxRegion] {
		regions[v.ID] = v.Name
	}
	g := demo.NewGenerator(1, values, nil, db.Today())
	var hits []refindex.Hit
	var a *vouch.Account
	for i := 1; i <= n; i++ {
		if a == nil || g.Intn(3) == 0 {
			a = g.Account(len(hits) + 1)
		}
		r := g.Reference(i, a, regions[a.RegionID])
		hits = append(hits, refindex.Hit{Reference: r, Account: a})
	}
	var buf bytes.Buffer
	if err := refsheet.Write(&buf, "csv", hits, refsheet.Names{Values: names}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImport imports 50,000 generated references from CSV on SQLite,
// into an empty database ("new") and again into one that has them all
// ("unchanged"). Budget on SQLite (decision 0005): at least 10,000 new
// references per second. Besides rows/s it reports the CPU time per row
// (cpu-µs/row), which other load on a shared machine disturbs much less.
//
//	go test -run '^$' -bench Import -benchtime 3x ./internal/refsheet/
func BenchmarkImport(b *testing.B) {
	const rows = 50000
	file := generatedCSV(b, rows)
	// run imports file and adds its wall and CPU time to the totals.
	var wall, cpu time.Duration
	run := func(b *testing.B, db *store.DB, file []byte) {
		start, startCPU := time.Now(), processCPU()
		s, err := refsheet.Read("references.csv", bytes.NewReader(file), refsheet.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := refsheet.Apply(ctx, db, s, nil, refsheet.Options{}, nil)
		if err != nil || len(rep.Errors) > 0 || !rep.Written {
			b.Fatalf("import: %v %v", err, rep.Errors[:min(3, len(rep.Errors))])
		}
		wall, cpu = wall+time.Since(start), cpu+processCPU()-startCPU
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(rows*b.N)/wall.Seconds(), "rows/s")
		b.ReportMetric(float64(cpu.Microseconds())/float64(rows*b.N), "cpu-µs/row")
		wall, cpu = 0, 0
	}
	b.Run("new", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db := testutil.OpenDB(b, store.SQLite)
			b.StartTimer()
			run(b, db, file)
		}
		report(b)
	})
	b.Run("updated", func(b *testing.B) {
		// Every reference gets a new title.
		changed := bytes.ReplaceAll(file, []byte(",practitioner,"), []byte(",manager,"))
		changed = bytes.ReplaceAll(changed, []byte(",executive,"), []byte(",director,"))
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db := testutil.OpenDB(b, store.SQLite)
			w, c := wall, cpu
			run(b, db, file) // only fills the database: not counted
			wall, cpu = w, c
			b.StartTimer()
			run(b, db, changed)
		}
		report(b)
	})
	b.Run("unchanged", func(b *testing.B) {
		db := testutil.OpenDB(b, store.SQLite)
		run(b, db, file)
		wall, cpu = 0, 0
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			run(b, db, file)
		}
		report(b)
	})
}
