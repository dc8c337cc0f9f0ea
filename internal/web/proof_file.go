package web

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/vouch"
)

// serveProofFile sends item's file to a buyer, as files.Serve sends every
// download (nosniff, a sandboxing CSP, an attachment unless an image or a
// video is asked for inline with ?inline=1).
func (h *Handler) serveProofFile(w http.ResponseWriter, r *http.Request, item *vouch.ContentItem) {
	if item.File == nil {
		h.proofGone(w)
		return
	}
	f, rc, err := h.opts.Content.OpenFile(r.Context(), item.File.ID)
	if err != nil {
		h.proofFailed(w, err)
		return
	}
	files.Serve(w, r, f, rc, r.URL.Query().Get("inline") == "1")
}
