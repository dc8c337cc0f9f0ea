package references_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestAccountARRAndRenewalAreSavedAuditedAndReadEverywhere(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		a, err := s.CreateAccount(ctx, vouch.AccountInput{Name: str("Acme"), ARR: str("USD 1,200,000"),
			RenewalDate: str("2027-03-31")})
		if err != nil {
			t.Fatal(err)
		}
		if a.ARRCents != 120000000 || a.ARRCurrency != "USD" || a.RenewalDate != vouch.NewDate(2027, 3, 31) {
			t.Fatalf("created %+v", a)
		}

		// A European figure with its sign after: the currency comes from the text.
		version := a.Version
		a, err = s.UpdateAccount(ctx, a.ID, vouch.AccountInput{Version: &version, ARR: str("1.350.000,50 €")})
		if err != nil {
			t.Fatal(err)
		}
		if a.ARR() != "EUR 1,350,000.50" {
			t.Errorf("ARR is %q", a.ARR())
		}
		// A bare number keeps the currency the account has.
		version = a.Version
		if a, err = s.UpdateAccount(ctx, a.ID, vouch.AccountInput{Version: &version, ARR: str("1400000")}); err != nil {
			t.Fatal(err)
		}
		if a.ARR() != "EUR 1,400,000" {
			t.Errorf("a bare number: ARR is %q", a.ARR())
		}

		// Every reader sees the same figures: one account, the list, the
		// snapshot imports plan against, and the read models' load.
		one, err := db.Account(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, _, err := db.ListAccounts(ctx, vouch.AccountFilter{})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := db.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.AllAccounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]*vouch.Account{"Account": one, "ListAccounts": list[0], "Snapshot": snap.Accounts[0], "AllAccounts": all[a.ID]} {
			if got.ARR() != "EUR 1,400,000" || got.RenewalDate.String() != "2027-03-31" {
				t.Errorf("%s reads ARR %q, renewal %q", name, got.ARR(), got.RenewalDate)
			}
		}

		// Clearing both: the ARR is not known any more, not zero.
		version = a.Version
		if a, err = s.UpdateAccount(ctx, a.ID, vouch.AccountInput{Version: &version, ARR: str(""), RenewalDate: str("")}); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.Account(ctx, a.ID); again.HasARR() || again.ARRCents != 0 || !again.RenewalDate.IsZero() {
			t.Errorf("cleared, the account reads %+v", again)
		}

		// The audit log names each change in words people read.
		entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "account", EntityID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := len(entries) - 1; i >= 0; i-- {
			for _, c := range entries[i].Changes {
				if c.Field == "arr" || c.Field == "renewal_date" {
					b, _ := json.Marshal(c)
					got = append(got, entries[i].Action+" "+string(b))
				}
			}
		}
		want := []string{
			`create {"field":"arr","before":"","after":"USD 1,200,000"}`,
			`create {"field":"renewal_date","before":"","after":"2027-03-31"}`,
			`update {"field":"arr","before":"USD 1,200,000","after":"EUR 1,350,000.50"}`,
			`update {"field":"arr","before":"EUR 1,350,000.50","after":"EUR 1,400,000"}`,
			`update {"field":"arr","before":"EUR 1,400,000","after":""}`,
			`update {"field":"renewal_date","before":"2027-03-31","after":""}`,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestAccountARRProblemsAreNamedAndChangeNothing(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		a, err := s.CreateAccount(ctx, vouch.AccountInput{Name: str("Acme"), ARR: str("250000"), ARRCurrency: str("gbp")})
		if err != nil {
			t.Fatal(err)
		}
		if a.ARR() != "GBP 250,000" {
			t.Fatalf("ARR with its currency apart: %q", a.ARR())
		}
		for _, c := range []struct {
			in    vouch.AccountInput
			field string
			want  string
		}{
			{vouch.AccountInput{ARR: str("twelve million")}, "arr", "is not an amount like 12,500.00"},
			{vouch.AccountInput{ARR: str("UDS 1,000")}, "arr", `names the currency "UDS", which is not an ISO 4217 code such as USD or EUR`},
			{vouch.AccountInput{ARR: str("-5,000")}, "arr", "must not be negative"},
			{vouch.AccountInput{ARR: str("USD 1,000"), ARRCurrency: str("EUR")}, "arr", "is in USD but the currency given is EUR"},
			{vouch.AccountInput{ARRCurrency: str("XYZ")}, "arr_currency", "must be an ISO 4217 code such as USD or EUR"},
			{vouch.AccountInput{ARRCurrency: str("")}, "arr_currency", "is required with an ARR: a code such as USD or EUR"},
			{vouch.AccountInput{RenewalDate: str("31/03/2027")}, "renewal_date", "must be a date like 2026-03-14"},
		} {
			in := c.in
			in.Version = &a.Version
			_, err := s.UpdateAccount(ctx, a.ID, in)
			if got := vouch.ErrorFields(err)[c.field]; got != c.want {
				t.Errorf("%s: %s is %q (%v), want %q", c.want, c.field, got, err, c.want)
			}
		}
		// A new account without a currency anywhere is asked for one.
		_, err = s.CreateAccount(ctx, vouch.AccountInput{Name: str("Globex"), ARR: str("1,000")})
		if got := vouch.ErrorFields(err)["arr_currency"]; got != "is required with an ARR: a code such as USD or EUR" {
			t.Errorf("no currency: %v", err)
		}
		after, _ := db.Account(ctx, a.ID)
		if after.ARR() != "GBP 250,000" || after.Version != a.Version {
			t.Errorf("refused saves changed the account: %+v", after)
		}
	})
}
