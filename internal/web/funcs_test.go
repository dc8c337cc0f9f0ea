package web

import "testing"

func TestNumbersAreWrittenOneWay(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"}, {1234567, "1,234,567"},
		{int64(250000), "250,000"}, {-4200, "−4,200"},
	} {
		if got := formatNumber(c.in); got != c.want {
			t.Errorf("formatNumber(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := percent(42); got != "42%" {
		t.Errorf("percent(42) = %q", got)
	}
	for n, want := range map[int]string{12: "+12", 0: "+0", -3: "−3", 1500: "+1,500"} {
		if got := formatPoints(n); got != want {
			t.Errorf("formatPoints(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestEmailsSplitAtTheirAt(t *testing.T) {
	for in, want := range map[string][2]string{
		"maya.okafor@example.com": {"maya.okafor", "example.com"},
		`"a@b"@example.com`:       {`"a@b"`, "example.com"},
		"cli:ops":                 {"cli:ops", ""},
		"@example.com":            {"@example.com", ""},
		"":                        {"", ""},
	} {
		if got := emailParts(in); got != want {
			t.Errorf("emailParts(%q) = %q, want %q", in, got, want)
		}
	}
}
