package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/vouchhq/vouch/internal/refsheet"
)

// exportReferences serves GET /references/export.csv and GET /references/export.xlsx:
// every reference of the list's current view (its search, filters and sort,
// all pages), in the columns an import reads back.
func (h *Handler) exportReferences(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pq := h.parseReferenceQuery(r.URL.Query())
		pq.q.Offset, pq.q.Limit = 0, -1
		sight, err := h.opts.Fulfillment.SightFor(r.Context(), userFrom(r.Context()))
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		pq.q.Requestable = sight.OnlyRequestable()
		res := h.opts.Index.Search(pq.q)
		if sight.OnlyRequestable() {
			// A seller's file holds what their pages show them, no more.
			res.Hits = sight.Hits(res.Hits)
		}
		users, err := h.db.ListUsers(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		emails := make(map[int64]string, len(users))
		for _, u := range users {
			emails[u.ID] = u.Email
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
			w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="references-%s.%s"`, h.clock.Today(), format))
			if err := refsheet.Write(w, format, res.Hits, refsheet.Names{Values: h.opts.Catalog, Users: emails}); err != nil {
				h.log.Error("export cut short", "err", err)
			}
			return
		}
		// An XLSX file is a zip finished at the end: built in memory first, so a
		// failure is a clean error response rather than a broken file.
		var buf bytes.Buffer
		if err := refsheet.Write(&buf, format, res.Hits, refsheet.Names{Values: h.opts.Catalog, Users: emails}); err != nil {
			h.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="references-%s.%s"`, h.clock.Today(), format))
		_, _ = w.Write(buf.Bytes())
	}
}
