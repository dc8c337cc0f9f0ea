package vouch

import "testing"

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		cur    string
		amount float64
		want   string
	}{
		{"USD", 250000, "USD 250,000"},
		{"EUR", 1234.56, "EUR 1,234.56"},
		{"USD", 12500.5, "USD 12,500.50"},
		{"USD", 0, "USD 0"},
		{"GBP", -999.99, "GBP -999.99"},
		{"", 1000000, "1,000,000"},
	} {
		if got := FormatMoney(c.cur, c.amount); got != c.want {
			t.Errorf("FormatMoney(%q, %v) = %q, want %q", c.cur, c.amount, got, c.want)
		}
	}
	if got := FormatCents("USD", 123456); got != "USD 1,234.56" {
		t.Errorf("FormatCents = %q", got)
	}
}
