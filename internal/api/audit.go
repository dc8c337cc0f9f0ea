package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// listAudit serves GET /api/v1/audit: the change log, newest first, filtered
// and paged by a cursor so that entries added meanwhile do not shift pages.
func (h *Handler) listAudit(w http.ResponseWriter, r *http.Request) {
	f, err := auditFilter(r)
	if err != nil {
		writeError(w, err)
		return
	}
	entries, total, err := h.db.ListAudit(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	next := ""
	if len(entries) == f.Limit {
		// A full page may be the last one; look for one more entry so the
		// last page never hands out a cursor to an empty page.
		last := entries[len(entries)-1].ID
		more := f
		more.BeforeID, more.Limit = last, 1
		rest, _, err := h.db.ListAudit(r.Context(), more)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(rest) > 0 {
			next = encodeCursor(last)
		}
	}
	writeJSON(w, http.StatusOK, newList(entries, next, total))
}

// auditFilter reads the query parameters of GET /api/v1/audit, naming in
// the error every parameter that is not valid.
func auditFilter(r *http.Request) (vouch.AuditFilter, error) {
	q := r.URL.Query()
	f := vouch.AuditFilter{EntityType: q.Get("entity_type"), Action: q.Get("action")}
	var v vouch.Validation
	f.EntityID = idParam(q.Get("entity_id"), "entity_id", &v)
	f.ActorID = idParam(q.Get("actor_id"), "actor_id", &v)
	f.Since = timeParam(q.Get("since"), "since", false, &v)
	f.Until = timeParam(q.Get("until"), "until", true, &v)
	limit, err := limitParam(r, 50, 500)
	if err != nil {
		v.Add("limit", vouch.ErrorFields(err)["limit"])
	}
	f.Limit = limit
	before, err := decodeCursor(q.Get("cursor"))
	if err != nil {
		v.Add("cursor", vouch.ErrorFields(err)["cursor"])
	}
	f.BeforeID = before
	return f, v.Err()
}

// idParam reads an optional positive id from a query parameter.
func idParam(s, name string, v *vouch.Validation) int64 {
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		v.Add(name, "must be a positive whole number")
		return 0
	}
	return id
}

// timeParam reads an optional time as RFC 3339 or as a date (YYYY-MM-DD, UTC).
// The filter's end is exclusive, so a date as the end (end=true) means the end
// of that day: until=2025-03-31 includes everything on 31 March.
func timeParam(s, name string, end bool, v *vouch.Validation) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.Add(name, "must be a date (2025-03-31) or a time (2025-03-31T14:00:00Z)")
		return time.Time{}
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t
}
