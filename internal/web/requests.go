package web

import "net/http"

// requestRoutes registers the pages of request fulfillment.
func (h *Handler) requestRoutes(mux *http.ServeMux) {}
