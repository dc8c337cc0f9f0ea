package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// exportReferences answers GET /api/v1/references?format=csv|xlsx: every
// reference matching the filters (not one page) in the spreadsheet layout
// that `vouch import references` reads back.
func (h *Handler) exportReferences(w http.ResponseWriter, r *http.Request, s referenceSearch, format string) {
	format = strings.ToLower(format)
	if format != refsheet.FormatCSV && format != refsheet.FormatXLSX {
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: fmt.Sprintf("Unknown format %q; use json, csv or xlsx.", format),
			Fields: map[string]string{"format": "must be json, csv or xlsx"}})
		return
	}
	s.query.Offset, s.query.Limit, s.query.CountFacets = 0, -1, nil
	sight, err := h.ful.SightFor(r.Context(), userFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s.query.Requestable = sight.OnlyRequestable()
	res := h.ix.Search(s.query)
	if sight.OnlyRequestable() {
		// A seller's file holds what the list shows them, no more.
		res.Hits = sight.Hits(res.Hits)
	}
	names, err := exportNames(r, h)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == refsheet.FormatXLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Cache-Control", "no-store")
	if format == refsheet.FormatCSV {
		// CSV streams row by row: a large export never sits in memory whole.
		// A failure mid-way can only cut the file short; it is logged.
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="references-%s.%s"`, h.db.Today(), format))
		if err := refsheet.Write(w, format, res.Hits, names); err != nil {
			h.log.Error("export cut short", "err", err)
		}
		return
	}
	// An XLSX file is a zip finished at the end: built in memory first, so a
	// failure is a clean error response rather than a broken file.
	var buf bytes.Buffer
	if err := refsheet.Write(&buf, format, res.Hits, names); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="references-%s.%s"`, h.db.Today(), format))
	_, _ = w.Write(buf.Bytes())
}

// exportNames resolves value and owner ids for an export.
func exportNames(r *http.Request, h *Handler) (refsheet.Names, error) {
	users, err := h.db.ListUsers(r.Context())
	if err != nil {
		return refsheet.Names{}, err
	}
	emails := make(map[int64]string, len(users))
	for _, u := range users {
		emails[u.ID] = u.Email
	}
	return refsheet.Names{Values: h.cat, Users: emails}, nil
}
