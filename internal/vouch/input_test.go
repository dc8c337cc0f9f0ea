package vouch

import "testing"

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		value     string
		multiline bool
		reason    string // "" = accepted
	}{
		{"Acme GmbH", false, ""},
		{"Größe — 東京 🚀", false, ""},
		{"", false, ""},
		{"a\x00b", false, "contains a control character (U+0000)"},
		{"a\x00b", true, "contains a control character (U+0000)"},
		{"\x1b[2J\x1b[Hadmin", false, "contains a control character (U+001B)"},
		{"\x1b[31mred", true, "contains a control character (U+001B)"},
		{"line one\nline two", false, "contains a control character (U+000A)"},
		{"line one\r\nline two\tindented", true, ""},
		{"tab\there", false, "contains a control character (U+0009)"},
		{"del\x7f", true, "contains a control character (U+007F)"},
		{"next line\u0085", true, "contains a control character (U+0085)"},
		{"bad \xff byte", false, "is not valid UTF-8 text"},
		{"bad \xc3 byte", true, "is not valid UTF-8 text"},
		{"replacement \uFFFD is fine", false, ""},
	} {
		err := CheckText("name", c.value, c.multiline)
		if c.reason == "" {
			if err != nil {
				t.Errorf("CheckText(%q, %v) = %v, want accepted", c.value, c.multiline, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || ErrorFields(err)["name"] != c.reason {
			t.Errorf("CheckText(%q, %v) = %v, want EINVALID name: %s", c.value, c.multiline, err, c.reason)
		}
	}
	if msg := ErrorMessage(CheckText("status_reason", "a\x00", true)); msg != "Status reason contains a control character (U+0000); remove it and try again." {
		t.Errorf("message %q", msg)
	}
}

func TestLongText(t *testing.T) {
	for field, want := range map[string]bool{"story": true, "notes": true, "criteria.notes": true,
		"items[2].body": true, "name": false, "email": false, "q": false, "notes.name": false} {
		if got := LongText(field); got != want {
			t.Errorf("LongText(%q) = %v, want %v", field, got, want)
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"Ada Lovelace":        "Ada Lovelace",
		"\x1b[2JEvil":         `\x1b[2JEvil`,
		"bell\a and \xff":     `bell\x07 and \xff`,
		"c1 \u009b0m, é kept": `c1 \u009b0m, é kept`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 256 << 10: "256 KiB", 21 << 20: "21 MiB", 1000: "1000 bytes"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
