package vouch

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ValueKey is how picklist values given by name are compared: case, runs of
// spaces, the kind of dash and the spaces around it, and thousands
// separators do not matter ("1,001-5,000" is "1001–5000", "10001+" is "10,001+").
func ValueKey(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	s = dashes.Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ',' && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1]):
			continue
		case c == ' ' && i+1 < len(s) && s[i+1] == '-':
			continue // the space before a dash
		case c == ' ' && i > 0 && s[i-1] == '-':
			continue // the space after one
		}
		b.WriteByte(c)
	}
	return b.String()
}

var dashes = strings.NewReplacer("–", "-", "—", "-", "‐", "-", "‑", "-", "−", "-")

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// TypoLimit is how many edits a name may be from the value it is taken to
// mean in a "did you mean" suggestion: one for names under five letters,
// two under twelve, three for longer ones ("Finance Services").
func TypoLimit(name string) int {
	switch n := utf8.RuneCountInString(name); {
	case n < 5:
		return 1
	case n < 12:
		return 2
	}
	return 3
}

// ClosestName is the option that name most likely misspells: within
// TypoLimit edits (compared by ValueKey), or else the only option that
// starts with a name of three or more characters; "" when there is none.
func ClosestName(name string, options []string) string {
	key := ValueKey(name)
	best, bestDist := "", TypoLimit(key)+1
	var prefixed []string
	for _, o := range options {
		ok := ValueKey(o)
		if d := EditDistance(key, ok); d < bestDist {
			best, bestDist = o, d
		}
		if utf8.RuneCountInString(key) >= 3 && strings.HasPrefix(ok, key) {
			prefixed = append(prefixed, o)
		}
	}
	if best == "" && len(prefixed) == 1 {
		best = prefixed[0]
	}
	return best
}

// FindValue returns the value of vals that name names (by ValueKey), retired
// or not; nil when none does.
func FindValue(vals []*TaxonomyValue, name string) *TaxonomyValue {
	key := ValueKey(name)
	if key == "" {
		return nil
	}
	for _, v := range vals {
		if ValueKey(v.Name) == key {
			return v
		}
	}
	return nil
}

// UnknownValue is the reason a name is no value among vals: with the value
// it most likely means, or else the values there are (at most 15 named).
// Retired values are never suggested.
func UnknownValue(name string, vals []*TaxonomyValue) string {
	names := make([]string, 0, len(vals))
	for _, v := range vals {
		if !v.Retired {
			names = append(names, v.Name)
		}
	}
	if best := ClosestName(name, names); best != "" {
		return fmt.Sprintf("has no value %q; did you mean %q?", name, best)
	}
	if len(names) == 0 {
		return fmt.Sprintf("has no value %q; there are no values to choose from yet", name)
	}
	all := len(names)
	if all > 15 {
		names = append(names[:15], fmt.Sprintf("… (%d in all)", all))
	}
	return fmt.Sprintf("has no value %q; it is one of %s", name, strings.Join(names, ", "))
}

// RetiredValue is the reason a retired value cannot be newly given to a
// reference or an account; one that already has it keeps it.
func RetiredValue(v *TaxonomyValue) string {
	return fmt.Sprintf("%s is retired; choose another value or restore it in Settings → Taxonomies", v.Name)
}

// ChooseValue resolves one value given by name ("" is no value) among vals,
// for a record that has the values kept already: an unknown name, or a
// retired value the record does not have, is refused with the reason.
func ChooseValue(vals []*TaxonomyValue, name string, kept []int64) (int64, string) {
	if strings.TrimSpace(name) == "" {
		return 0, ""
	}
	v := FindValue(vals, name)
	if v == nil {
		return 0, UnknownValue(name, vals)
	}
	if v.Retired && !containsID(kept, v.ID) {
		return 0, RetiredValue(v)
	}
	return v.ID, ""
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
