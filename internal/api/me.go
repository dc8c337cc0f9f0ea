package api

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/vouch"
)

// me serves GET /api/v1/me: the caller's user, role and what the role may do.
func (h *Handler) me(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	perms := u.Role.Permissions()
	if perms == nil {
		perms = []vouch.Permission{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u, "permissions": perms})
}
