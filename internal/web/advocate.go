package web

import "net/http"

// advocateRoutes registers the public pages people reach by a signed link.
func (h *Handler) advocateRoutes(mux *http.ServeMux) {}
