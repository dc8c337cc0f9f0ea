package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func valueID(t *testing.T, db *store.DB, kind vouch.TaxonomyKind, name string) int64 {
	t.Helper()
	vals, err := db.ListTaxonomy(ctx, kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		if strings.EqualFold(v.Name, name) {
			return v.ID
		}
	}
	t.Fatalf("no %s %q", kind, name)
	return 0
}

func mustAccount(t *testing.T, db *store.DB, name string) *vouch.Account {
	t.Helper()
	a := &vouch.Account{Name: name, Domain: "https://www." + strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".com/about",
		IndustryID: valueID(t, db, vouch.TaxIndustry, "Healthcare"), RegionID: valueID(t, db, vouch.TaxRegion, "EMEA")}
	if err := db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReferenceLifecycle(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		a := mustAccount(t, db, "Northwind Health")
		if a.Domain != "northwindhealth.com" {
			t.Errorf("domain stored as %q", a.Domain)
		}
		call := valueID(t, db, vouch.TaxActivityType, "Call")
		r := &vouch.Reference{AccountID: a.ID, Name: "Maya Okafor", Title: "CIO", Seniority: "Executive", Email: "Maya@Northwind.com",
			ProductIDs: []int64{valueID(t, db, vouch.TaxProduct, "Analytics")},
			Activities: []vouch.AgreedActivity{{TypeID: call, ConsentedOn: vouch.NewDate(2026, 1, 5)}},
			Languages:  []string{"English", " german ", "English"}, TimeZone: "Europe/Berlin"}
		if err := db.CreateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r.Status != vouch.StatusNominated || r.Email != "maya@northwind.com" || r.Seniority != "executive" {
			t.Errorf("created %+v", r)
		}
		if strings.Join(r.Languages, ",") != "English,german" {
			t.Errorf("languages %v", r.Languages)
		}
		got, err := db.Reference(ctx, r.ID)
		if err != nil || len(got.Activities) != 1 || got.Activities[0].ConsentedOn.String() != "2026-01-05" || len(got.ProductIDs) != 1 {
			t.Fatalf("read back %+v %v", got, err)
		}
		// Not allowed: nominated → active directly.
		_, err = db.ChangeStatus(ctx, r.ID, 0, vouch.StatusChange{To: vouch.StatusActive})
		if vouch.ErrorCode(err) != vouch.EINVALID || !strings.Contains(err.Error(), "cannot become active") {
			t.Errorf("nominated → active: %v", err)
		}
		for _, c := range []vouch.StatusChange{{To: vouch.StatusQualifying}, {To: vouch.StatusActive},
			{To: vouch.StatusResting, Until: db.Today().AddDays(30)}} {
			if _, err := db.ChangeStatus(ctx, r.ID, 0, c); err != nil {
				t.Fatalf("→ %s: %v", c.To, err)
			}
		}
		_, err = db.ChangeStatus(ctx, r.ID, 0, vouch.StatusChange{To: vouch.StatusRetired})
		if vouch.ErrorFields(err)["reason"] == "" {
			t.Errorf("retire without reason: %v", err)
		}
		if _, err := db.ChangeStatus(ctx, r.ID, 0, vouch.StatusChange{To: vouch.StatusDoNotContact, Reason: "asked us to stop"}); err != nil {
			t.Fatal(err)
		}
		hist, _ := db.StatusHistory(ctx, r.ID)
		var steps []string
		for _, e := range hist {
			steps = append(steps, string(e.To))
		}
		if strings.Join(steps, ">") != "nominated>qualifying>active>resting>do_not_contact" || hist[4].Reason != "asked us to stop" || hist[4].Actor != "test" {
			t.Errorf("history %s, last %+v", strings.Join(steps, ">"), hist[len(hist)-1])
		}
	})
}

func TestReferenceOptimisticConcurrency(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		a := mustAccount(t, db, "Contoso")
		r := &vouch.Reference{AccountID: a.ID, Name: "Jonas Berg"}
		if err := db.CreateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		first, _ := db.Reference(ctx, r.ID)
		second, _ := db.Reference(ctx, r.ID)
		first.Title = "CTO"
		if err := db.UpdateReference(ctx, first); err != nil {
			t.Fatal(err)
		}
		second.Title = "VP Engineering"
		err := db.UpdateReference(ctx, second)
		if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "Someone else saved") {
			t.Fatalf("second save: %v", err)
		}
		now, _ := db.Reference(ctx, r.ID)
		if now.Title != "CTO" {
			t.Errorf("title %q: the second save overwrote the first", now.Title)
		}
	})
}

func TestReferenceUniqueAndInUse(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		a := mustAccount(t, db, "Contoso")
		if err := db.CreateReference(ctx, &vouch.Reference{AccountID: a.ID, Name: "A", Email: "a@contoso.com", CRMID: "C1"}); err != nil {
			t.Fatal(err)
		}
		err := db.CreateReference(ctx, &vouch.Reference{AccountID: a.ID, Name: "B", Email: "A@contoso.com"})
		if vouch.ErrorFields(err)["email"] == "" {
			t.Errorf("duplicate email: %v", err)
		}
		err = db.CreateReference(ctx, &vouch.Reference{AccountID: a.ID, Name: "B", CRMID: "C1"})
		if vouch.ErrorFields(err)["crm_id"] == "" {
			t.Errorf("duplicate crm id: %v", err)
		}
		// A taxonomy value in use cannot be deleted, only retired.
		healthcare := valueID(t, db, vouch.TaxIndustry, "Healthcare")
		err = db.DeleteTaxonomyValue(ctx, healthcare)
		if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "retire it instead") {
			t.Errorf("deleting a value in use: %v", err)
		}
		err = db.CreateReference(ctx, &vouch.Reference{AccountID: a.ID, Name: "C", ProductIDs: []int64{healthcare}})
		if vouch.ErrorFields(err)["products"] == "" {
			t.Errorf("an industry as a product: %v", err)
		}
	})
}

func TestWakeResting(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		a := mustAccount(t, db, "Contoso")
		r := &vouch.Reference{AccountID: a.ID, Name: "A", Status: vouch.StatusResting, RestingUntil: db.Today().AddDays(3)}
		if err := db.CreateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.WakeRestingReferences(ctx, db.Today()); n != 0 {
			t.Errorf("woke %d before the day", n)
		}
		if n, err := db.WakeRestingReferences(ctx, db.Today().AddDays(3)); n != 1 || err != nil {
			t.Fatalf("woke %d, %v", n, err)
		}
		got, _ := db.Reference(ctx, r.ID)
		hist, _ := db.StatusHistory(ctx, r.ID)
		if got.Status != vouch.StatusActive || hist[len(hist)-1].Actor != "system" {
			t.Errorf("after waking: %s, history %+v", got.Status, hist[len(hist)-1])
		}
	})
}

func TestBulkStatusSkipsDisallowed(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		a := mustAccount(t, db, "Contoso")
		q := &vouch.Reference{AccountID: a.ID, Name: "Q", Status: vouch.StatusQualifying}
		n := &vouch.Reference{AccountID: a.ID, Name: "N"}
		for _, r := range []*vouch.Reference{q, n} {
			if err := db.CreateReference(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		res, err := db.BulkChangeStatus(ctx, []int64{q.ID, n.ID}, vouch.StatusChange{To: vouch.StatusActive})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changed) != 1 || res.Changed[0] != q.ID || len(res.Failed) != 1 || res.Failed[0].ID != n.ID || res.Failed[0].Reason == "" {
			t.Errorf("bulk result %+v", res)
		}
	})
}

func TestSubscribersSeeCommits(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	var mu sync.Mutex
	var seen []vouch.Touched
	db.Subscribe(func(t []vouch.Touched) { mu.Lock(); seen = append(seen, t...); mu.Unlock() })
	a := mustAccount(t, db, "Contoso")
	if err := db.CreateAccount(context.Background(), &vouch.Account{Name: "Nobody's", OwnerID: 999999}); err == nil { // refused: no commit, no notice
		t.Fatal("an account with an unknown owner was created")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0] != (vouch.Touched{Kind: vouch.EntityAccount, ID: a.ID}) {
		t.Errorf("notices %+v", seen)
	}
}
