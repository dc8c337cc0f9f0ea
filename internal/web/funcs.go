package web

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// funcMap is every function the templates call, registered once, in New.
// Some need the handler: the static files' URLs, the bell's count.
func funcMap(h *Handler) template.FuncMap {
	return template.FuncMap{
		"date":      formatDate,
		"teamLabel": vouch.TeamLabel,
		"datetime":  h.dateTime,
		"relative":  h.relativeTime,
		"roles":     func() []vouch.Role { return vouch.Roles },
		"kinds":     func() []vouch.TaxonomyKind { return vouch.TaxonomyKinds },
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
		"lower":             strings.ToLower,
		"auditValue":        auditValue,
		"entity":            func(s string) string { return strings.ReplaceAll(s, "_", " ") },
		"json":              func(v any) string { return fmt.Sprintf("%v", v) },
		"statusClass":       statusClass,
		"requestStateClass": requestStateClass,
		"stageClass":        stageClass,
		"availability":      availabilityOf,
		"askStateClass":     askStateClass,
		"tel":               telURL,
		"shortDate":         h.shortDate,
		"relDate":           h.relativeDate,
		"ucfirst":           capitalize,
		"linkify":           linkify,
		"number":            formatNumber,
		"cents":             vouch.FormatCents,
		"emailParts":        emailParts,
		"percent":           percent,
		"points":            formatPoints,
		"static":            h.static.URL,
		"unread":            h.unreadCount,
		"add":               func(a, b int) int { return a + b },
		"sub":               func(a, b int) int { return a - b },
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
}

// unreadTimeout bounds the bell's count, so a slow database cannot hold up
// every page.
const unreadTimeout = 2 * time.Second

// unreadCount is the signed-in user's unread notifications, for the bell
// in the navigation.
func (h *Handler) unreadCount(u *vouch.User) int {
	if u == nil {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), unreadTimeout)
	defer cancel()
	n, err := h.opts.Fulfillment.UnreadNotifications(ctx, u)
	if err != nil {
		h.log.Warn("unread notifications", "user", u.ID, "err", err)
		return 0
	}
	return n
}

// emailParts splits an address at its last "@" into the mailbox and the
// domain ("" when there is none), so a table can break the address there
// instead of mid-word.
func emailParts(s string) [2]string {
	if i := strings.LastIndex(s, "@"); i > 0 {
		return [2]string{s[:i], s[i+1:]}
	}
	return [2]string{s, ""}
}

// formatNumber is how every count and amount in the interface is written:
// digits grouped by thousands, 12,345. Integers of any size are taken.
func formatNumber(n any) string {
	var v int64
	switch x := n.(type) {
	case int:
		v = int64(x)
	case int64:
		v = x
	case int32:
		v = int64(x)
	default:
		return fmt.Sprint(n)
	}
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "−" + s
	}
	return s
}

// percent writes a share out of 100: 42%.
func percent(n int) string { return formatNumber(n) + "%" }

// formatPoints writes a match reason's points with their sign: +12, −3.
func formatPoints(n int) string {
	if n >= 0 {
		return "+" + formatNumber(n)
	}
	return formatNumber(n)
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
func (h *Handler) shortDate(d vouch.Date) string {
	if d.IsZero() {
		return ""
	}
	if d.Time().Year() == h.clock.Today().Time().Year() {
		return d.Time().Format("2 Jan")
	}
	return d.Time().Format("2 Jan 2006")
}

// relativeDate says how far a day is from today: "today", "in 3 days",
// "5 days ago"; further than a month away it is the date itself.
func (h *Handler) relativeDate(d vouch.Date) string {
	if d.IsZero() {
		return ""
	}
	n := h.clock.Today().DaysUntil(d)
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

// dateTime writes an instant as its reader reads it: "2 Mar 2026 18:00
// CET", in the viewer's zone (given as {{datetime .At $.User}}), or in the
// program's when no viewer is given.
func (h *Handler) dateTime(t any, viewer ...*vouch.User) string {
	var v time.Time
	switch x := t.(type) {
	case time.Time:
		v = x
	case *time.Time:
		if x == nil {
			return ""
		}
		v = *x
	}
	if v.IsZero() {
		return ""
	}
	return v.In(h.readerZone(viewer...)).Format("2 Jan 2006 15:04 MST")
}

// readerZone is the zone a signed-in user reads times in: theirs, else the
// program's (also for no user at all).
func (h *Handler) readerZone(viewer ...*vouch.User) *time.Location {
	if len(viewer) > 0 && viewer[0] != nil {
		return h.clock.LocationFor(viewer[0].TimeZone)
	}
	return h.clock.Zone()
}

// relativeTime says "3 days ago" or "in 2 hours" for times near the
// program's now.
func (h *Handler) relativeTime(t any) string {
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
	d := v.Sub(h.clock.Now())
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

// availabilityOf is whether a reference in status (as of today) can be
// asked, for the availability template.
func availabilityOf(s vouch.Status, r *vouch.Reference) vouch.Availability {
	return vouch.AvailabilityOf(s, r.RestingUntil)
}
