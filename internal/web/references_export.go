package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// exportReferences serves GET /references/export.csv and /references/export.xlsx:
// every reference of the list's current view (its search, filters and sort,
// all pages), in the columns an import reads back.
func (h *Handler) exportReferences(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pq := h.parseReferenceQuery(r.URL.Query())
		pq.q.Offset, pq.q.Limit = 0, -1
		res := h.opts.Index.Search(pq.q)
		users, err := h.db.ListUsers(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		emails := make(map[int64]string, len(users))
		for _, u := range users {
			emails[u.ID] = u.Email
		}
		var buf bytes.Buffer
		if err := refsheet.Write(&buf, format, res.Hits, refsheet.Names{Values: h.opts.Index, Users: emails}); err != nil {
			h.serverError(w, r, err)
			return
		}
		ctype := "text/csv; charset=utf-8"
		if format == refsheet.FormatXLSX {
			ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="references-%s.%s"`, vouch.Today(), format))
		w.Header().Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	}
}
