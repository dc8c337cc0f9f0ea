package demo_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestDemoRequestsHaveMatchesUnderTheFatigueRules: the demo as `make run`
// loads it, under the default fatigue rules (decision 0010): the rules
// hold some references back, but every open request waiting for a pick
// still has candidates, so the demo shows matching at work.
func TestDemoRequestsHaveMatchesUnderTheFatigueRules(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
		if _, err := demo.Load(ctx, db, demo.Options{Seed: 1, BaseURL: "http://vouch.test"}); err != nil {
			t.Fatal(err)
		}
		ps, err := db.ProgramSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r := ps.FatigueRules(); r.AccountCap != vouch.DefaultLedgerAccountCap || r.CooldownDays != vouch.DefaultLedgerCooldownDays {
			t.Fatalf("the demo runs with rules %+v, not the defaults", r)
		}
		_, _, ix := testutil.ReadModels(t, db)
		svc, err := fulfillment.New(ctx, db, ix, "http://vouch.test", slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		reqs, _, err := db.ListRequests(ctx, vouch.RequestFilter{States: []vouch.RequestState{vouch.RequestSubmitted,
			vouch.RequestInProgress}, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(reqs) == 0 {
			t.Fatal("the demo has no request waiting for a pick")
		}
		held := ix.Ledger().HeldBackAll()
		t.Logf("%d open requests; the rules hold back %d references", len(reqs), len(held))
		for _, r := range reqs {
			res, err := svc.Matches(ctx, r, 0, 20)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Items) == 0 {
				t.Errorf("demo request #%d (%s) has no match", r.ID, r.State)
			}
		}
	})
}
