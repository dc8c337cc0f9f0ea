package web

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/vouch"
)

// serveProofFile sends item's file to a buyer.
func (h *Handler) serveProofFile(w http.ResponseWriter, r *http.Request, item *vouch.ContentItem) {
	h.proofGone(w) // replaced when file storage is merged
}
