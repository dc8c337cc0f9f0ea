package fulfillment_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Matching respects the ask ledger: a reference the fatigue rules hold
// back is not proposed, and asking it anyway (from its profile, or with
// the warnings confirmed) is refused, saying why.
func TestMatchingLeavesOutHeldBackReferences(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		maya, jonas := l.ref(t, "Maya Okafor", nil), l.ref(t, "Jonas Lindqvist", nil)
		ps, err := db.ProgramSettings(l.ctx(l.pm))
		if err != nil {
			t.Fatal(err)
		}
		ps.LedgerReferenceCap = 1
		if err := db.SetProgramSettings(l.ctx(l.pm), ps); err != nil {
			t.Fatal(err)
		}
		if err := l.s.LogTeamAsk(l.ctx(l.pm), l.pm, &vouch.TeamAsk{ReferenceID: maya.ID, Team: vouch.TeamPR,
			AskedOn: db.Today(), What: "Press quote"}); err != nil {
			t.Fatal(err)
		}
		req := l.request(t, "Contoso")
		res, err := l.s.Matches(l.ctx(l.pm), req, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range res.Items {
			names = append(names, m.Reference.Name)
		}
		if strings.Join(names, ",") != jonas.Name {
			t.Errorf("proposed %v, want only %s", names, jonas.Name)
		}
		_, err = l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true)
		if want := "Maya Okafor has been asked 1 time in 90 days (cap 1)"; vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorMessage(err) != want {
			t.Errorf("asking Maya anyway: %v, want %q", err, want)
		}
		if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, jonas.ID, true); err != nil {
			t.Errorf("asking Jonas: %v", err)
		}
	})
}

// TestAnotherInstancesAskHoldsBack: an ask made through another instance
// on the same database reaches this one's matching after a poll of the
// change feed, with no restart: the reference at its cap is no longer
// proposed, and the request page says why.
func TestAnotherInstancesAskHoldsBack(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		maya, jonas := l.ref(t, "Maya Okafor", nil), l.ref(t, "Jonas Lindqvist", nil)
		ps, err := db.ProgramSettings(l.ctx(l.pm))
		if err != nil {
			t.Fatal(err)
		}
		ps.LedgerReferenceCap, ps.LedgerAccountCap, ps.LedgerCooldownDays = 1, 0, 0
		if err := db.SetProgramSettings(l.ctx(l.pm), ps); err != nil {
			t.Fatal(err)
		}
		first, second := l.request(t, "Contoso"), l.request(t, "Fabrikam")

		cfg := store.Config{URL: db.URL}
		if db.Engine == store.SQLite {
			cfg = store.Config{DataDir: strings.TrimSuffix(db.Path, "/"+store.DBFileName)}
		}
		other, err := store.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		other.Clock = db.Clock
		_, _, oix := testutil.ReadModels(t, other)
		osvc, err := fulfillment.New(context.Background(), other, oix, base+"/", slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := osvc.Ask(l.ctx(l.pm), l.pm, first.ID, maya.ID, true); err != nil {
			t.Fatal(err)
		}
		names := func() string {
			t.Helper()
			res, err := l.s.Matches(l.ctx(l.pm), second, 0, -1)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range res.Items {
				out = append(out, m.Reference.Name)
			}
			slices.Sort(out)
			return strings.Join(out, ",")
		}
		if got := names(); got != "Jonas Lindqvist,Maya Okafor" {
			t.Errorf("before a poll %s's matches are %s", second.Context, got)
		}
		if err := l.feed.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := names(); got != jonas.Name {
			t.Errorf("after a poll the matches are %s, want only %s", got, jonas.Name)
		}
		held, err := l.s.HeldBackFor(l.ctx(l.pm), second)
		want := "Maya Okafor has been asked 1 time in 90 days (cap 1)"
		if err != nil || len(held) != 1 || held[0].ReferenceID != maya.ID || held[0].Reason != want {
			t.Errorf("held back from the second request: %+v (%v), want Maya: %q", held, err, want)
		}
	})
}
