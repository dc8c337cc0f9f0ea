package references_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func str(s string) *string { return &s }
func num(n int) *int       { return &n }

// newService is the service over a fresh database of the engine, its
// picklists loaded as the server loads them.
func newService(t *testing.T, db *store.DB) *references.Service {
	t.Helper()
	_, cat, _ := testutil.ReadModels(t, db)
	return references.New(db, cat)
}

func TestCreateReportsEveryProblemAtOnce(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		_, err := s.CreateReference(ctx, vouch.ReferenceInput{Account: str("Nobody Inc"), Name: str(""),
			Email: str("not-an-email"), Products: &[]string{"Analitics"}, GoLive: str("spring"),
			OwnerEmail: str("ghost@example.com"), Status: str("retired"), Reason: str("gone"),
			Unreadable: map[string]string{"capacity": "must be a whole number"}})
		got := vouch.ErrorFields(err)
		for _, f := range []string{"account", "name", "email", "products", "go_live", "owner", "status", "capacity"} {
			if got[f] == "" {
				t.Errorf("no problem named for %s: %v", f, got)
			}
		}
		if !strings.Contains(got["products"], `did you mean "Analytics"?`) {
			t.Errorf("products: %q", got["products"])
		}
		if n, _ := db.CountReferences(ctx); n != 0 {
			t.Errorf("%d references after a refused save", n)
		}
	})
}

func TestCreateAccountOnSaveIsOneTransaction(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		first, err := s.CreateReference(ctx, vouch.ReferenceInput{Account: str("Nimbus  Air"), CreateAccount: true,
			Name: str("Ana Lima"), Email: str("ana@nimbus.example")})
		if err != nil {
			t.Fatal(err)
		}
		if !first.AccountCreated || first.Account.Name != "Nimbus Air" || first.Reference.AccountID != first.Account.ID {
			t.Fatalf("saved %+v, account %+v", first.Reference, first.Account)
		}
		// The same name again finds the account; a refused reference creates none.
		again, err := s.CreateReference(ctx, vouch.ReferenceInput{Account: str("nimbus air"), CreateAccount: true, Name: str("Bo")})
		if err != nil || again.AccountCreated || again.Account.ID != first.Account.ID {
			t.Fatalf("second save: %v, %+v", err, again)
		}
		_, err = s.CreateReference(ctx, vouch.ReferenceInput{Account: str("Orbit Labs"), CreateAccount: true,
			Name: str("Cy"), Email: str("ana@nimbus.example")}) // the email is taken: refused in the transaction
		if vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorFields(err)["email"] == "" {
			t.Fatalf("duplicate email: %v", err)
		}
		if _, err := db.AccountByName(ctx, "Orbit Labs"); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("the account of a refused save exists: %v", err)
		}
	})
}

func TestStaleVersionIsAConflictNamingVersion(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		saved, err := s.CreateReference(ctx, vouch.ReferenceInput{Account: str("Acme"), CreateAccount: true, Name: str("Maya")})
		if err != nil {
			t.Fatal(err)
		}
		id, v := saved.Reference.ID, saved.Reference.Version
		if _, err := s.UpdateReference(ctx, id, vouch.ReferenceInput{Version: num(v), Title: str("CIO")}); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateReference(ctx, id, vouch.ReferenceInput{Version: num(v), Title: str("CTO")})
		if vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorFields(err)["version"] == "" {
			t.Fatalf("stale save: %v", err)
		}
		_, err = s.UpdateReference(ctx, id, vouch.ReferenceInput{Title: str("CTO")})
		if vouch.ErrorFields(err)["version"] == "" {
			t.Fatalf("save without a version: %v", err)
		}
		r, _ := db.Reference(ctx, id)
		if r.Title != "CIO" {
			t.Errorf("title %q after refused saves, want CIO", r.Title)
		}
		// Two saves of the same version at once: exactly one wins.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.UpdateReference(ctx, id, vouch.ReferenceInput{Version: num(r.Version), Title: str(fmt.Sprint("T", i))})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Errorf("concurrent saves: %v, %v; want one conflict", errs[0], errs[1])
		}
	})
}

func TestBulkSaysWhichReferenceFailedAndWhy(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		mk := func(name, status string) int64 {
			saved, err := s.CreateReference(ctx, vouch.ReferenceInput{Account: str("Acme"), CreateAccount: true, Name: str(name), Status: str(status)})
			if err != nil {
				t.Fatal(err)
			}
			return saved.Reference.ID
		}
		q, n, a := mk("Q", "qualifying"), mk("N", "nominated"), mk("A", "active")
		res, err := s.Bulk(ctx, vouch.BulkAction{IDs: []int64{999999, q, n, a}, Kind: vouch.BulkStatus,
			Status: vouch.StatusChange{To: vouch.StatusActive}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changed) != 1 || res.Changed[0] != q || len(res.Unchanged) != 1 || res.Unchanged[0] != a {
			t.Errorf("changed %v, unchanged %v", res.Changed, res.Unchanged)
		}
		if len(res.Failed) != 2 || res.Failed[0].ID != 999999 || !strings.Contains(res.Failed[0].Reason, "not found") ||
			res.Failed[1].ID != n || !strings.Contains(res.Failed[1].Reason, "cannot become active") {
			t.Errorf("failed %+v", res.Failed)
		}
		// A problem with the action itself refuses all of it.
		_, err = s.Bulk(ctx, vouch.BulkAction{IDs: []int64{q}, Kind: vouch.BulkVerified, Day: db.Today().AddDays(2)})
		if vouch.ErrorFields(err)["date"] == "" {
			t.Errorf("verified in the future: %v", err)
		}
		_, err = s.Bulk(ctx, vouch.BulkAction{IDs: []int64{q}, Kind: vouch.BulkOwner, OwnerEmail: str("ghost@example.com")})
		if vouch.ErrorFields(err)["owner"] == "" {
			t.Errorf("unknown owner: %v", err)
		}
	})
}

func TestAccountValuesByName(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		_, err := s.CreateAccount(ctx, vouch.AccountInput{Name: str("Acme"),
			Values: map[string]string{"industry": "health care", "company_size": "1001-5000"}})
		if vouch.ErrorFields(err)["industry"] == "" {
			t.Fatalf("an alias that is no value: %v", err)
		}
		a, err := s.CreateAccount(ctx, vouch.AccountInput{Name: str("Acme"),
			Values: map[string]string{"industry": "healthcare", "company_size": "1001-5000"}})
		if err != nil {
			t.Fatal(err)
		}
		if a.IndustryID == 0 || a.SizeID == 0 {
			t.Errorf("industry %d, size %d", a.IndustryID, a.SizeID)
		}
	})
}

func TestLogActivityReportsEveryProblemAtOnce(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		saved, err := s.CreateReference(ctx, vouch.ReferenceInput{Account: str("Acme"), CreateAccount: true, Name: str("Maya")})
		if err != nil {
			t.Fatal(err)
		}
		id := saved.Reference.ID
		_, err = s.LogActivity(ctx, vouch.ActivityLog{ReferenceID: id, Type: "Cal", OccurredOn: "soon", Notes: strings.Repeat("x", 5001)})
		got := vouch.ErrorFields(err)
		if !strings.Contains(got["activity_type"], `did you mean "Call"?`) || got["occurred_on"] == "" || got["notes"] == "" {
			t.Errorf("problems %v", got)
		}
		a, err := s.LogActivity(ctx, vouch.ActivityLog{ReferenceID: id, Type: "call", OccurredOn: db.Today().String()})
		if err != nil || a.ID == 0 {
			t.Fatalf("log: %v", err)
		}
		retired := true
		if _, err := db.UpdateTaxonomyValue(ctx, a.TypeID, vouch.TaxonomyUpdate{Retired: &retired}); err != nil {
			t.Fatal(err)
		}
		s = newService(t, db) // picklists as loaded after the change
		_, err = s.LogActivity(ctx, vouch.ActivityLog{ReferenceID: id, TypeID: a.TypeID, OccurredOn: db.Today().String()})
		if !strings.Contains(vouch.ErrorFields(err)["activity_type"], "Call is retired") {
			t.Errorf("a retired type: %v", err)
		}
	})
}

// A generated program is held to the rules of a single save: the first bad
// record refuses it all, named; a good one moves later statuses by a change.
func TestCreateProgramHoldsEachRecordToTheRules(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		today := db.Today()
		p := references.Program{
			Accounts:  []*vouch.Account{{Name: " Cedar  Labs "}},
			Refs:      []*vouch.Reference{{Name: "Tom Becker"}, {Name: "Ana Ruiz", LastVerified: today.AddDays(3)}},
			AccountOf: []int{0, 0},
		}
		err := s.CreateProgram(ctx, p)
		if vouch.ErrorFields(err)["last_verified"] == "" || !strings.Contains(err.Error(), `reference "Ana Ruiz"`) {
			t.Fatalf("verified in the future: %v", err)
		}
		if n, _ := db.CountReferences(ctx); n != 0 {
			t.Fatalf("a refused program wrote %d references", n)
		}
		p.Refs[1] = &vouch.Reference{Name: "Ana Ruiz", Status: vouch.StatusRetired, StatusReason: "Left the company"}
		if err := s.CreateProgram(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.Accounts[0].Name != "Cedar Labs" || p.Refs[1].Status != vouch.StatusRetired {
			t.Errorf("account %q, Ana %s", p.Accounts[0].Name, p.Refs[1].Status)
		}
		hist, err := db.StatusHistory(ctx, p.Refs[1].ID)
		if err != nil || len(hist) != 2 {
			t.Errorf("Ana's history: %+v %v", hist, err)
		}
	})
}
