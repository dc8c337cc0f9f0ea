package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/vouch"
)

// fileUpload is the answer to an upload: the item's file as now attached,
// and where reading its text stands.
type fileUpload struct {
	ItemID     int64              `json:"item_id"`
	Version    int                `json:"version"`
	File       *vouch.ContentFile `json:"file"`
	TextStatus string             `json:"text_status"`
	TextReason string             `json:"text_reason"`
}

// uploadContentFile serves POST /api/v1/content/{id}/file: a multipart body
// whose part "file" becomes the item's file. The part is streamed into the
// file store as it arrives; nothing is parsed into memory whole.
func (h *Handler) uploadContentFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.lib.Item(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		h.fail(w, r, &vouch.Error{Code: vouch.EINVALID, Message: "Send the file as multipart/form-data, in a part named file.",
			Fields: map[string]string{"file": "is required"}})
		return
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				h.fail(w, r, vouch.TooLarge("The upload", tooLarge.Limit))
				return
			}
			h.fail(w, r, &vouch.Error{Code: vouch.EINVALID, Message: "The body has no part named file.",
				Fields: map[string]string{"file": "is required"}})
			return
		}
		if part.FormName() != "file" {
			_, _ = io.Copy(io.Discard, part)
			continue
		}
		item, err := h.lib.Upload(r.Context(), id, part.FileName(), part)
		if err != nil {
			// The rest of the body (bounded by the body limit) is read, so
			// the client gets this answer rather than a reset connection.
			_, _ = io.Copy(io.Discard, r.Body)
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, fileUpload{ItemID: item.ID, Version: item.Version, File: item.File,
			TextStatus: item.TextStatus, TextReason: item.TextReason})
		return
	}
}

// downloadContentFile serves GET /api/v1/content/{id}/file: the item's file
// as an attachment, with the headers of files.Serve.
func (h *Handler) downloadContentFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	_, f, rc, err := h.lib.ItemFile(r.Context(), id, u.Can(vouch.PermManageContent))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	files.Serve(w, r, f, rc, false)
}
