package api_test

import (
	"fmt"
	"testing"
)

// accountARR is the ARR part of an Account as the API answers it.
type accountARR struct {
	ID          int64    `json:"id"`
	Version     int      `json:"version"`
	ARR         *float64 `json:"arr"`
	ARRCurrency string   `json:"arr_currency"`
	RenewalDate *string  `json:"renewal_date"`
}

func TestAccountARRAndRenewal(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		arrOf := func(want string) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				t.Helper()
				var a accountARR
				r.decode(t, &a)
				got := fmt.Sprintf("%v %s %v", a.ARR, a.ARRCurrency, a.RenewalDate)
				if a.ARR != nil && a.RenewalDate != nil {
					got = fmt.Sprintf("%.2f %s %s", *a.ARR, a.ARRCurrency, *a.RenewalDate)
				}
				if got != want {
					t.Errorf("ARR and renewal %q, want %q", got, want)
				}
			}
		}
		var id int64
		f.run(t, []scenario{
			{name: "created with ARR as text", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Acme", "arr": "USD 1,200,000", "renewal_date": "2027-03-31"}`, status: 201,
				check: func(t *testing.T, r response) {
					var a accountARR
					r.decode(t, &a)
					id = a.ID
					arrOf("1200000.00 USD 2027-03-31")(t, r)
				}},
			{name: "without ARR it is null, not zero", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Globex"}`, status: 201, want: []string{`"arr":null`, `"arr_currency":""`, `"renewal_date":null`}},
			{name: "a bad amount names the field", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Initech", "arr": "UDS 5,000"}`, status: 400, fields: []string{"arr"},
				want: []string{`names the currency \"UDS\", which is not an ISO 4217 code such as USD or EUR`}},
			{name: "a number needs a currency", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Initech", "arr": 5000}`, status: 400, fields: []string{"arr_currency"},
				want: []string{"is required with an ARR"}},
			{name: "neither number nor text", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Initech", "arr": true}`, offSpec: true, status: 400, fields: []string{"arr"},
				want: []string{`must be a number or text like \"USD 1,200,000\"`}},
		})
		if id == 0 {
			t.Fatal("no account created")
		}
		path := fmt.Sprintf("/api/v1/accounts/%d", id)
		f.run(t, []scenario{
			{name: "a number with its currency apart", method: "PATCH", path: path, as: "program_manager",
				body: `{"version": 1, "arr": 1350000.5, "arr_currency": "eur"}`, status: 200, check: arrOf("1350000.50 EUR 2027-03-31")},
			{name: "currencies that disagree", method: "PATCH", path: path, as: "program_manager",
				body: `{"version": 2, "arr": "USD 1,000", "arr_currency": "EUR"}`, status: 400, fields: []string{"arr"},
				want: []string{"is in USD but the currency given is EUR"}},
			{name: "a bad renewal date", method: "PATCH", path: path, as: "program_manager",
				body: `{"version": 2, "renewal_date": "31.03.2027"}`, offSpec: true, status: 400, fields: []string{"renewal_date"}},
			{name: "a seller reads it", method: "GET", path: path, as: "seller", status: 200, check: arrOf("1350000.50 EUR 2027-03-31")},
			{name: "cleared with null", method: "PATCH", path: path, as: "program_manager",
				body: `{"version": 2, "arr": null, "renewal_date": null}`, status: 200, want: []string{`"arr":null`, `"arr_currency":""`, `"renewal_date":null`}},
			{name: "the audit log names the change", method: "GET", path: fmt.Sprintf("/api/v1/audit?entity_type=account&entity_id=%d", id),
				as: "admin", status: 200, want: []string{`"field":"arr","before":"USD 1,200,000","after":"EUR 1,350,000.50"`,
					`"field":"renewal_date","before":"2027-03-31","after":""`}},
		})
	})
}
