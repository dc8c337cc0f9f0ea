package refindex_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// BenchmarkMatchLedger100k matches requests over 100,000 references (SQLite)
// whose ask ledger holds 200,000 asks by other teams in the last 180 days,
// 50,000 more done activities in the last 60 and 1,000 flagged accounts,
// under the default fatigue rules: the held-back set is read and the first
// page matched without it, as fulfillment.Service.Matches does. "sql" reads the held-back set with store.DB.HeldBackReferences (as
// matching did before the ledger's read model), "model" from the read
// model; "model-after-write" flags and clears an account before every
// match, so the model recomputes the set each time.
func BenchmarkMatchLedger100k(b *testing.B) {
	db := testutil.OpenDB(b, store.SQLite)
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "bench"})
	start := time.Now()
	res, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 100_000, ReferencesOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	facts, err := db.LoadLedgerFacts(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	accts, err := db.LoadLedgerAccounts(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	today := db.Today()
	rng := rand.New(rand.NewPCG(1, 2))
	call := testutil.ValueID(b, db, vouch.TaxActivityType, "Call")
	asks := make([]*vouch.TeamAsk, 0, 200_000)
	for range 200_000 {
		asks = append(asks, &vouch.TeamAsk{ReferenceID: facts.References[rng.IntN(len(facts.References))].ID,
			Team: vouch.AskTeams[rng.IntN(len(vouch.AskTeams))], AskedOn: today.AddDays(-rng.IntN(180)), What: "Press quote"})
	}
	acts := make([]*vouch.Activity, 0, 50_000)
	for range 50_000 {
		acts = append(acts, &vouch.Activity{ReferenceID: facts.References[rng.IntN(len(facts.References))].ID, TypeID: call,
			OccurredOn: today.AddDays(-rng.IntN(60))})
	}
	for i := 0; i < len(asks); i += 20_000 {
		if err := db.Batch(ctx, func(bt *store.Batch) error {
			if err := bt.LogTeamAsks(asks[i : i+20_000]); err != nil {
				return err
			}
			if j := i / 4; j < len(acts) {
				return bt.LogActivities(acts[j : j+5_000])
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	for _, k := range rng.Perm(len(accts))[:1000] {
		if _, err := db.SetAccountFlag(ctx, accts[k].ID, "renewal", today.AddDays(1+rng.IntN(60))); err != nil {
			b.Fatal(err)
		}
	}
	ps := vouch.DefaultProgramSettings()
	if err := db.SetProgramSettings(ctx, ps); err != nil {
		b.Fatal(err)
	}
	_, cat, ix := testutil.ReadModels(b, db)
	// What the ledger's read model holds, alone: a second one loaded afresh.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fresh := refindex.New(db, cat, nil).Ledger()
	loadStart := time.Now()
	if err := fresh.Load(ctx); err != nil {
		b.Fatal(err)
	}
	loaded := time.Since(loadStart)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Logf("the ledger's read model: loaded in %s, %.1f MB of Go heap", loaded.Round(time.Millisecond),
		float64(after.HeapInuse-before.HeapInuse)/(1<<20))
	runtime.KeepAlive(fresh)
	held := ix.Ledger().HeldBackAll()
	b.Logf("%d references of %d accounts, %d demo activities + %d, %d asks, 1,000 flags (filled in %s); rules %+v hold back %d",
		res.ReferencesAdded, res.AccountsAdded, res.ActivitiesAdded, len(acts), len(asks), time.Since(start).Round(time.Second),
		ps.FatigueRules(), len(held))
	sql, err := db.HeldBackReferences(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if len(sql) != len(held) {
		b.Fatalf("SQL holds back %d, the model %d", len(sql), len(held))
	}
	v := func(kind vouch.TaxonomyKind, name string) int64 { return ix.Catalog().ValueID(kind, name) }
	queries := []refindex.MatchQuery{
		{ActivityTypeID: call, DueDate: today.AddDays(14), Criteria: vouch.Criteria{IndustryID: v(vouch.TaxIndustry, "Healthcare"),
			RegionID: v(vouch.TaxRegion, "EMEA")}},
		{ActivityTypeID: call, DueDate: today.AddDays(30), Criteria: vouch.Criteria{RegionID: v(vouch.TaxRegion, "EMEA"), Seniority: "executive"}},
		{ActivityTypeID: call, DueDate: today.AddDays(60), Criteria: vouch.Criteria{IndustryID: v(vouch.TaxIndustry, "Financial Services")}},
	}
	flagged := accts[0].ID
	for _, c := range []struct {
		name  string
		held  func() map[int64]string
		write bool
	}{
		{"sql", func() map[int64]string {
			h, err := db.HeldBackReferences(ctx)
			if err != nil {
				b.Fatal(err)
			}
			return h
		}, false},
		{"model", ix.Ledger().HeldBackAll, false},
		{"model-after-write", ix.Ledger().HeldBackAll, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			durations := make([]time.Duration, 0, b.N)
			found := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if c.write {
					b.StopTimer()
					reason := ""
					if i%2 == 0 {
						reason = "escalation"
					}
					if _, err := db.SetAccountFlag(ctx, flagged, reason, today.AddDays(5)); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				t := time.Now()
				q := queries[i%len(queries)]
				if c.name == "sql" {
					// As matching did before the read model: the set copied into the exclusions.
					q.Exclude = map[int64]bool{}
					for id := range c.held() {
						q.Exclude[id] = true
					}
				} else {
					q.HeldBack = c.held() // as fulfillment.Service.Matches passes it
				}
				found += len(ix.Match(q).Items)
				durations = append(durations, time.Since(t))
			}
			b.StopTimer()
			slices.Sort(durations)
			b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
			if found == 0 {
				b.Fatal(fmt.Sprint("no matches for ", c.name))
			}
		})
	}
}
