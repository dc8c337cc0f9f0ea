package store_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func setFatigue(t *testing.T, db *store.DB, edit func(*vouch.ProgramSettings)) {
	t.Helper()
	ps, err := db.ProgramSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	edit(&ps)
	if err := db.SetProgramSettings(ctx, ps); err != nil {
		t.Fatal(err)
	}
}

func (f *rqFixture) teamAsk(ref *vouch.Reference, team, what string) error {
	return f.db.LogTeamAsk(ctx, &vouch.TeamAsk{ReferenceID: ref.ID, Team: team, AskedOn: f.today(), What: what,
		Outcome: "Agreed", LoggedBy: f.team.ID})
}

func (f *rqFixture) tryAsk(req *vouch.Request, ref *vouch.Reference) error {
	return f.db.CreateAsk(ctx, &vouch.Ask{RequestID: req.ID, ReferenceID: ref.ID, State: vouch.AskPending},
		f.link(vouch.LinkAnswer), vouch.Outgoing{})
}

// Issue 12: an account capped at three asks per 90 days is not asked a
// fourth time, whoever asks — a seller's request or another team's logged
// ask — and the refusal says why.
func TestLedgerStopsAFourthAskOfAnAccountCappedAtThree(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		setFatigue(t, db, func(ps *vouch.ProgramSettings) { ps.LedgerAccountCap, ps.LedgerPeriodDays = 3, 90 })
		ada, bo := f.ref(t, "Ada Advocate", nil), f.ref(t, "Bo Booster", nil)

		f.ask(t, f.request(t, nil, nil), ada)
		f.advance(60e9)
		if err := f.teamAsk(bo, vouch.TeamPR, "Press quote"); err != nil {
			t.Fatalf("PR's ask: %v", err)
		}
		f.advance(24 * 3600e9)
		f.ask(t, f.request(t, nil, nil), bo)

		want := "Northwind Health has been asked 3 times in 90 days (cap 3)"
		err := f.tryAsk(f.request(t, nil, nil), ada)
		if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), want) {
			t.Errorf("a seller's fourth ask: %v, want %q", err, want)
		}
		err = f.teamAsk(ada, vouch.TeamAnalystRelations, "Analyst briefing")
		if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), want) {
			t.Errorf("analyst relations' fourth ask: %v, want %q", err, want)
		}

		entries, err := db.AccountLedger(ctx, f.acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 3 {
			t.Fatalf("the account's ledger has %d entries, want 3: %+v", len(entries), entries)
		}
		if e := entries[0]; e.Source != vouch.LedgerFromRequest || e.ReferenceName != "Bo Booster" || e.Team != vouch.TeamSales {
			t.Errorf("newest entry %+v, want Bo's request ask", e)
		}
		if e := entries[1]; e.Source != vouch.LedgerFromTeam || e.Team != vouch.TeamPR || e.What != "Press quote" ||
			e.Outcome != "Agreed" || e.AskedByName == "" {
			t.Errorf("second entry %+v, want PR's press quote", e)
		}
		refEntries, err := db.ReferenceLedger(ctx, bo.ID)
		if err != nil || len(refEntries) != 2 {
			t.Errorf("Bo's ledger: %d entries, %v; want 2", len(refEntries), err)
		}
		if got := f.audit(t, "team_ask", entries[1].ID); len(got) != 1 {
			t.Errorf("the logged ask has %d audit entries, want 1", len(got))
		}

		held, err := db.HeldBack(ctx, []*vouch.Reference{ada, bo})
		if err != nil || held[ada.ID] != want || held[bo.ID] != want {
			t.Errorf("held back %v, %v; want both %q", held, err, want)
		}

		// 90 days after the first asks, one slot is free again.
		f.advance(89 * 24 * 3600e9)
		if err := f.tryAsk(f.request(t, nil, nil), ada); err != nil {
			t.Errorf("an ask once the first two left the window: %v", err)
		}
	})
}

// A flagged account's references are not asked until the flag's day has
// passed; the cap per reference counts that reference's asks only.
func TestLedgerFlagAndReferenceCap(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		setFatigue(t, db, func(ps *vouch.ProgramSettings) { ps.LedgerReferenceCap = 1 })
		ada, bo := f.ref(t, "Ada Advocate", nil), f.ref(t, "Bo Booster", nil)
		if err := f.teamAsk(ada, vouch.TeamMarketing, "Case study"); err != nil {
			t.Fatal(err)
		}
		err := f.tryAsk(f.request(t, nil, nil), ada)
		if want := "Ada Advocate has been asked 1 time in 90 days (cap 1)"; err == nil || err.Error() != want {
			t.Errorf("ask over the reference cap: %v, want %q", err, want)
		}

		until := f.today().AddDays(10)
		if _, err := db.SetAccountFlag(ctx, f.acct.ID, "renewal", until); err != nil {
			t.Fatal(err)
		}
		err = f.tryAsk(f.request(t, nil, nil), bo)
		want := "Northwind Health is flagged: renewal until " + until.Time().Format("2 Jan 2006")
		if err == nil || err.Error() != want {
			t.Errorf("ask of a flagged account: %v, want %q", err, want)
		}
		if got := f.audit(t, "account", f.acct.ID); len(got) < 2 || got[0].Action != "flag" {
			t.Errorf("setting the flag is not audited: %+v", got)
		}
		if _, err := db.SetAccountFlag(ctx, f.acct.ID, "renewal", f.today().AddDays(-1)); vouch.ErrorCode(err) != vouch.EINVALID {
			t.Errorf("a flag ending in the past: %v, want EINVALID", err)
		}
		f.advance(11 * 24 * 3600e9)
		if err := f.tryAsk(f.request(t, nil, nil), bo); err != nil {
			t.Errorf("an ask after the flag ended: %v", err)
		}
	})
}

// Twenty asks racing for the last slots under an account cap of three —
// sellers' asks and other teams' logged asks at once: exactly three land.
func TestLedgerRacingAsksNeverPassTheCap(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		setFatigue(t, db, func(ps *vouch.ProgramSettings) { ps.LedgerAccountCap = 3 })
		const n = 20
		refs := make([]*vouch.Reference, n)
		reqs := make([]*vouch.Request, n)
		for i := range n {
			refs[i] = f.ref(t, "Advocate "+string(rune('A'+i)), nil)
			reqs[i] = f.request(t, nil, nil)
		}
		start := make(chan struct{})
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if i%2 == 0 {
					errs[i] = f.tryAsk(reqs[i], refs[i])
				} else {
					errs[i] = f.teamAsk(refs[i], vouch.TeamReviewCampaign, "Review on a review site")
				}
			}()
		}
		close(start)
		wg.Wait()
		landed := 0
		for i, err := range errs {
			var e *vouch.Error
			switch {
			case err == nil:
				landed++
			case errors.As(err, &e) && e.Code == vouch.ECONFLICT && strings.Contains(e.Message, "(cap 3)"):
			default:
				t.Errorf("ask %d: %v", i, err)
			}
		}
		entries, err := db.AccountLedger(ctx, f.acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		if landed != 3 || len(entries) != 3 {
			t.Errorf("%d asks landed and the ledger has %d, want 3 and 3", landed, len(entries))
		}
	})
}
