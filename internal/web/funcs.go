package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

var funcs = template.FuncMap{
	"date":     formatDate,
	"datetime": formatDateTime,
	"relative": relativeTime,
	"roles":    func() []vouch.Role { return vouch.Roles },
	"kinds":    func() []vouch.TaxonomyKind { return vouch.TaxonomyKinds },
	"can": func(u *vouch.User, p string) bool {
		return u.Can(vouch.Permission(p))
	},
	"value": func(form url.Values, key string, fallback any) string {
		if form != nil {
			if v, ok := form[key]; ok && len(v) > 0 {
				return v[0]
			}
		}
		if fallback == nil {
			return ""
		}
		return fmt.Sprint(fallback)
	},
	"lower":       strings.ToLower,
	"auditValue":  auditValue,
	"entity":      func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"json":        func(v any) string { return fmt.Sprintf("%v", v) },
	"statusClass": statusClass,
	"tel":         telURL,
	"shortDate":   shortDate,
	"relDate":     relativeDate,
	"ucfirst":     capitalize,
	"add":         func(a, b int) int { return a + b },
	"sub":         func(a, b int) int { return a - b },
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
}

// formatDate shows a date as people read it: "14 Mar 2027".
func formatDate(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.Format("2 Jan 2006")
	case *time.Time:
		if v == nil {
			return ""
		}
		return v.Format("2 Jan 2006")
	case vouch.Date:
		if v.IsZero() {
			return ""
		}
		return v.Time().Format("2 Jan 2006")
	}
	return ""
}

// shortDate shows a day near now without its year ("14 Mar"), others in full.
func shortDate(d vouch.Date) string {
	if d.IsZero() {
		return ""
	}
	if d.Time().Year() == time.Now().UTC().Year() {
		return d.Time().Format("2 Jan")
	}
	return d.Time().Format("2 Jan 2006")
}

// relativeDate says how far a day is from today: "today", "in 3 days",
// "5 days ago"; further than a month away it is the date itself.
func relativeDate(d vouch.Date) string {
	if d.IsZero() {
		return ""
	}
	n := vouch.Today().DaysUntil(d)
	switch {
	case n == 0:
		return "today"
	case n == 1:
		return "tomorrow"
	case n == -1:
		return "yesterday"
	case n > 1 && n < 31:
		return fmt.Sprintf("in %d days", n)
	case n < -1 && n > -31:
		return fmt.Sprintf("%d days ago", -n)
	}
	return formatDate(d)
}

// telURL is a tel: link for a phone number as people write it
// ("+1 (555) 010-2000"): only digits and a leading plus are kept.
func telURL(phone string) template.URL {
	var b strings.Builder
	for i, r := range phone {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}

// statusClass is the pill colour of a reference status. The pill always
// carries the status's name too: colour is never the only signal.
func statusClass(s vouch.Status) string {
	switch s {
	case vouch.StatusActive:
		return "pill-ok"
	case vouch.StatusNominated, vouch.StatusQualifying:
		return "pill-accent"
	case vouch.StatusResting:
		return "pill-warn"
	case vouch.StatusDoNotContact:
		return "pill-bad"
	}
	return "pill-muted"
}

func formatDateTime(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.UTC().Format("2 Jan 2006 15:04 UTC")
	case *time.Time:
		if v == nil {
			return ""
		}
		return v.UTC().Format("2 Jan 2006 15:04 UTC")
	}
	return ""
}

// relativeTime says "3 days ago" or "in 2 hours" for times near now.
func relativeTime(t any) string {
	var v time.Time
	switch x := t.(type) {
	case time.Time:
		v = x
	case *time.Time:
		if x == nil {
			return "never"
		}
		v = *x
	default:
		return ""
	}
	d := time.Until(v)
	future := d > 0
	if !future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = plural(int(d.Minutes()), "minute")
	case d < 24*time.Hour:
		s = plural(int(d.Hours()), "hour")
	case d < 30*24*time.Hour:
		s = plural(int(d.Hours()/24), "day")
	default:
		return formatDate(v)
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// auditValue shows one side of a change: "—" for no value, so a creation
// reads "name: — → Ada".
func auditValue(v any) string {
	if v == nil {
		return "—"
	}
	// Values come back from JSON, where every number is a float64.
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := fmt.Sprint(v)
	if s == "" {
		return "(empty)"
	}
	return s
}
