package vouch

import "testing"

func TestReadARR(t *testing.T) {
	for _, c := range []struct {
		text, given     string
		cents           int64
		currency, field string
		problem         string
	}{
		{"USD 1,200,000", "", 120000000, "USD", "", ""},
		{"1.200.000 €", "", 120000000, "EUR", "", ""},
		{"$1,234.56", "usd", 123456, "USD", "", ""},
		{"1200000", " eur ", 120000000, "EUR", "", ""},
		{"1200000", "", 120000000, "", "", ""}, // the caller keeps the account's currency or asks for one
		{"  ", "EUR", 0, "", "", ""},           // blank is no ARR, whatever the currency
		{"USD 5", "EUR", 0, "", "arr", "is in USD but the currency given is EUR"},
		{"lots", "", 0, "", "arr", "is not an amount like 12,500.00"},
	} {
		cents, currency, field, problem := ReadARR(c.text, c.given)
		if cents != c.cents || currency != c.currency || field != c.field || problem != c.problem {
			t.Errorf("ReadARR(%q, %q) = %d %q %q %q, want %d %q %q %q", c.text, c.given, cents, currency, field, problem,
				c.cents, c.currency, c.field, c.problem)
		}
	}
}

func TestAccountARRRules(t *testing.T) {
	for _, c := range []struct {
		a     Account
		field string
		want  string
	}{
		{Account{Name: "A", ARRCents: 100, ARRCurrency: " usd "}, "", ""},
		{Account{Name: "A"}, "", ""},
		{Account{Name: "A", ARRCents: -100, ARRCurrency: "USD"}, "arr", "must not be negative"},
		{Account{Name: "A", ARRCents: 100, ARRCurrency: "UDS"}, "arr_currency", "must be an ISO 4217 code such as USD or EUR"},
		{Account{Name: "A", ARRCents: 100}, "arr_currency", "is required with an ARR: a code such as USD or EUR"},
	} {
		err := c.a.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.a, err)
			}
			continue
		}
		if got := ErrorFields(err)[c.field]; got != c.want {
			t.Errorf("%+v: %s is %q, want %q", c.a, c.field, got, c.want)
		}
	}
	a := Account{Name: "A", ARRCents: 135000050, ARRCurrency: "eur"}
	if err := a.Validate(); err != nil || a.ARR() != "EUR 1,350,000.50" || !a.HasARR() {
		t.Errorf("ARR %q (%v)", a.ARR(), err)
	}
	if (&Account{}).ARR() != "" {
		t.Error("an account without ARR shows one")
	}
}
