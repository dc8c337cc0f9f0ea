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
	"lower":      strings.ToLower,
	"auditValue": auditValue,
	"entity":     func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"json":       func(v any) string { return fmt.Sprintf("%v", v) },
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
	}
	return ""
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
