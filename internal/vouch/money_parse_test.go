package vouch

import "testing"

func TestParseAmountReadsCRMExports(t *testing.T) {
	for _, c := range []struct {
		in       string
		cents    int64
		currency string
	}{
		{"USD 12,500.00", 1250000, "USD"},
		{"$1,234.56", 123456, "USD"},
		{"1.234,56 €", 123456, "EUR"},
		{"€1.234,56", 123456, "EUR"},
		{"12 500,00 EUR", 1250000, "EUR"},
		{"12\u00a0500,00\u00a0EUR", 1250000, "EUR"},
		{"12500", 1250000, ""},
		{"12500.5", 1250050, ""},
		{"1,234", 123400, ""},
		{"1.234", 123400, ""},
		{"0.125", 13, ""},
		{"1'234.50 CHF", 123450, "CHF"},
		{"(1,000.00)", -100000, ""},
		{"-$1,200", -120000, "USD"},
		{"eur 99", 9900, "EUR"},
		{"£ 2,000,000", 200000000, "GBP"},
		{"JPY 1,000,000", 100000000, "JPY"},
		{"12,345.678901", 1234568, ""},
	} {
		cents, cur, problem := ParseAmount(c.in)
		if problem != "" || cents != c.cents || cur != c.currency {
			t.Errorf("ParseAmount(%q) = %d %q %q; want %d %q", c.in, cents, cur, problem, c.cents, c.currency)
		}
	}
}

func TestParseAmountSaysWhyTextIsNoAmount(t *testing.T) {
	for in, want := range map[string]string{
		"":              "is empty",
		"twelve":        "is not an amount like 12,500.00",
		"12.500.00,1,2": "is not an amount like 12,500.00",
		"UDS 100":       `names the currency "UDS", which is not an ISO 4217 code such as USD or EUR`,
		"100 XYZ":       `names the currency "XYZ", which is not an ISO 4217 code such as USD or EUR`,
		"USD":           "is not an amount like 12,500.00",
		"1,000.00.5":    "is not an amount like 12,500.00",
	} {
		if _, _, got := ParseAmount(in); got != want {
			t.Errorf("ParseAmount(%q) problem = %q; want %q", in, got, want)
		}
	}
}

func TestValidCurrency(t *testing.T) {
	for c, want := range map[string]bool{"USD": true, "EUR": true, "usd": false, "UDS": false, "US": false} {
		if ValidCurrency(c) != want {
			t.Errorf("ValidCurrency(%q) = %v", c, !want)
		}
	}
}
