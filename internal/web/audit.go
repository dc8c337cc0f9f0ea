package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// auditPageSize is how many entries one audit page shows.
const auditPageSize = 50

// auditPage is what audit.html shows.
type auditPage struct {
	Entries     []*vouch.AuditEntry
	Total       int // entries matching the filters, on every page
	EntityTypes []string
	Actions     []string
	Users       []*vouch.User
	Filtered    bool   // any filter is set
	OlderURL    string // the next page, or "" on the last one
	NewestURL   string // the first page, when not on it
}

// audit serves GET /admin/audit. Every filter lives in the query string, so
// a view can be bookmarked and shared; paging uses the id of the last entry
// shown (before=…), so new entries do not shift the pages.
func (h *Handler) audit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := vouch.AuditFilter{
		EntityType: strings.TrimSpace(q.Get("entity_type")),
		Action:     strings.TrimSpace(q.Get("action")),
		Limit:      auditPageSize + 1, // one more tells whether an older page exists
	}
	errs := map[string]string{}
	if s := q.Get("entity_id"); s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			f.EntityID = id
		}
	}
	if s := q.Get("actor"); s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			f.ActorID = id
		}
	}
	if s := q.Get("before"); s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			f.BeforeID = id
		}
	}
	// Dates are whole UTC days; "until" includes its day.
	if s := strings.TrimSpace(q.Get("since")); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			errs["since"] = "From must be a date like 2027-03-14."
		}
		f.Since = d
	}
	if s := strings.TrimSpace(q.Get("until")); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			errs["until"] = "To must be a date like 2027-03-14."
		} else {
			f.Until = d.AddDate(0, 0, 1)
		}
	}
	if len(errs) == 0 && !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		errs["until"] = "To must be on or after From."
	}

	data := &auditPage{Filtered: f.EntityType != "" || f.Action != "" || f.ActorID != 0 || f.EntityID != 0 ||
		q.Get("since") != "" || q.Get("until") != ""}
	var err error
	if data.EntityTypes, err = h.db.AuditEntityTypes(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	if data.Actions, err = h.db.AuditActions(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	if data.Users, err = h.db.ListUsers(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	p := &page{Title: "Audit log", Nav: "audit", Form: q, Data: data}
	if len(errs) > 0 {
		p.Errors = errs
		p.Error = "Please correct the highlighted dates."
		h.render(w, r, http.StatusBadRequest, "audit", p)
		return
	}
	if data.Entries, data.Total, err = h.db.ListAudit(r.Context(), f); err != nil {
		h.serverError(w, r, err)
		return
	}
	if len(data.Entries) > auditPageSize {
		data.Entries = data.Entries[:auditPageSize]
		data.OlderURL = auditURL(q, data.Entries[auditPageSize-1].ID)
	}
	if f.BeforeID != 0 {
		data.NewestURL = auditURL(q, 0)
	}
	h.render(w, r, http.StatusOK, "audit", p)
}

// auditURL is the audit page with the same filters, before the entry id
// (0 for the newest entries). Empty filters are dropped to keep URLs short.
func auditURL(q url.Values, before int64) string {
	out := url.Values{}
	for _, k := range []string{"entity_type", "entity_id", "action", "actor", "since", "until"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	if before > 0 {
		out.Set("before", strconv.FormatInt(before, 10))
	}
	if len(out) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + out.Encode()
}
