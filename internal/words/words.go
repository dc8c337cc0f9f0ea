// Package words splits text into the words search indexes hold: lower-cased,
// lightly stemmed, and compared with one typo forgiven. The reference index
// and the content index read text the same way through it.
package words

import (
	"strings"
	"unicode"
)

// Tokenize lower-cases s and splits it into words of letters and digits.
func Tokenize(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Stem strips common English inflections so "migrating", "migrated" and
// "migrates" meet at "migrat". It is deliberately light: over-stemming hurts
// names, which are most of what people search for.
func Stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	for _, suf := range []string{"ational", "ations", "ation", "ings", "ing", "edly", "ies", "ied", "ers", "er", "ed", "es", "ly", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			base := w[:len(w)-len(suf)]
			switch suf {
			case "ies", "ied":
				return base + "y"
			case "s":
				if strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is") {
					return w
				}
			}
			return base
		}
	}
	return w
}

// Within1 reports whether a and b differ by at most one edit (insert,
// delete, substitute or swap of neighbours): enough to forgive most typos.
func Within1(a, b string) bool {
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	if i == la && i == lb {
		return true
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}
