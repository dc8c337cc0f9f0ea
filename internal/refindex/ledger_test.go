package refindex_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestLedgerFollowsWrites: the ask ledger's read model holds back what the
// fatigue rules say as each write commits — a logged ask reaching the
// account cap, a done activity starting a cool-down, a flag set and
// cleared — and another instance's writes after a poll; at every step it
// answers exactly what the SQL reading of the same rules answers.
func TestLedgerFollowsWrites(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
		feed, _, ix := testutil.ReadModels(t, db)
		ps := vouch.DefaultProgramSettings()
		ps.LedgerAccountCap, ps.LedgerReferenceCap, ps.LedgerCooldownDays = 2, 0, 14
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		account := func(name string) *vouch.Account {
			a := &vouch.Account{Name: name}
			if err := db.CreateAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		ref := func(a *vouch.Account, name string) *vouch.Reference {
			r := &vouch.Reference{AccountID: a.ID, Name: name, Status: vouch.StatusActive}
			if err := db.CreateReference(ctx, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		acme, globex, initech := account("Acme Corp"), account("Globex"), account("Initech")
		ada, bo, cy, dee := ref(acme, "Ada Lovelace"), ref(acme, "Bo Diddley"), ref(globex, "Cy Young"), ref(initech, "Dee Dee")
		today := db.Today()
		day := func(d vouch.Date) string { return d.Time().Format("2 Jan 2006") }
		check := func(step string, want map[int64]string) {
			t.Helper()
			got := ix.Ledger().HeldBackAll()
			if len(want) == 0 && len(got) == 0 {
				got = want
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the read model holds back %v, want %v", step, got, want)
			}
			sql, err := db.HeldBackReferences(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(sql) == 0 && len(got) == 0 {
				sql = got
			}
			if !reflect.DeepEqual(got, sql) {
				t.Errorf("%s: the read model holds back %v, SQL %v", step, got, sql)
			}
		}
		logAsk := func(db *store.DB, r *vouch.Reference, on vouch.Date) {
			t.Helper()
			if err := db.LogTeamAsk(ctx, &vouch.TeamAsk{ReferenceID: r.ID, Team: vouch.TeamPR, AskedOn: on, What: "Press quote"}); err != nil {
				t.Fatal(err)
			}
		}
		check("nothing asked", nil)

		logAsk(db, ada, today.AddDays(-3))
		check("one ask of Acme", nil)
		logAsk(db, bo, today)
		capped := "Acme Corp has been asked 2 times in 90 days (cap 2)"
		check("Acme at its cap", map[int64]string{ada.ID: capped, bo.ID: capped})
		if got := ix.Ledger().HeldBackOf([]int64{bo.ID, cy.ID}); !reflect.DeepEqual(got, map[int64]string{bo.ID: capped}) {
			t.Errorf("held back of Bo and Cy: %v", got)
		}
		if got := ix.Ledger().AccountHeldBack(acme.ID); got != capped {
			t.Errorf("Acme held back %q, want %q", got, capped)
		}

		call := testutil.ValueID(t, db, vouch.TaxActivityType, "Call")
		if err := db.LogActivity(ctx, &vouch.Activity{ReferenceID: cy.ID, TypeID: call, OccurredOn: today.AddDays(-2)}); err != nil {
			t.Fatal(err)
		}
		cooling := "Cy Young: cool-down until " + day(today.AddDays(12)) + " after a call on " + day(today.AddDays(-2))
		check("Cy after a call", map[int64]string{ada.ID: capped, bo.ID: capped, cy.ID: cooling})

		flagged := "Globex is flagged: renewal until " + day(today.AddDays(10))
		if _, err := db.SetAccountFlag(ctx, globex.ID, "renewal", today.AddDays(10)); err != nil {
			t.Fatal(err)
		}
		check("Globex flagged", map[int64]string{ada.ID: capped, bo.ID: capped, cy.ID: flagged})

		// Another instance on the same database: seen after a poll.
		other, err := store.Open(ctx, otherConfig(db))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		other.Clock = db.Clock
		logAsk(other, dee, today)
		logAsk(other, dee, today.AddDays(-1))
		if _, err := other.SetAccountFlag(ctx, globex.ID, "", vouch.Date{}); err != nil {
			t.Fatal(err)
		}
		if got := ix.Ledger().HeldBackAll(); got[cy.ID] != flagged || got[dee.ID] != "" {
			t.Errorf("before a poll the read model holds back %v", got)
		}
		if err := feed.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		check("after another instance's asks of Dee and Globex's flag cleared", map[int64]string{ada.ID: capped, bo.ID: capped,
			cy.ID: cooling, dee.ID: "Initech has been asked 2 times in 90 days (cap 2)"})

		// Moving Bo to Initech moves his ask with him.
		bo.AccountID = initech.ID
		if err := db.UpdateReference(ctx, bo); err != nil {
			t.Fatal(err)
		}
		initechCapped := "Initech has been asked 3 times in 90 days (cap 3)"
		ps.LedgerAccountCap = 3
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		check("Bo moved to Initech, cap 3", map[int64]string{bo.ID: initechCapped, dee.ID: initechCapped, cy.ID: cooling})

		// The rules are read as of today: the cool-down and the asks pass.
		db.Clock.Set(db.Now().AddDate(0, 0, 91))
		check("91 days later", nil)
	})
}
