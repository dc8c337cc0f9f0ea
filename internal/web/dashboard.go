package web

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/vouch"
)

// dashboard serves GET /: what needs the signed-in user now.
func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	data := map[string]any{}
	if u.Can(vouch.PermManageUsers) {
		users, err := h.db.ListUsers(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		byRole := map[vouch.Role]int{}
		disabled := 0
		for _, x := range users {
			if x.Disabled {
				disabled++
				continue
			}
			byRole[x.Role]++
		}
		data["UsersByRole"] = byRole
		data["UserCount"] = len(users) - disabled
	}
	if u.Can(vouch.PermReadAudit) {
		recent, _, err := h.db.ListAudit(r.Context(), vouch.AuditFilter{Limit: 8})
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data["RecentChanges"] = recent
	}
	h.render(w, r, http.StatusOK, "dashboard", &page{Title: "Home", Nav: "home", Data: data})
}
