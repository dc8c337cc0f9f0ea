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
	h.readFilePart(w, r, func(name string, part io.Reader) {
		item, err := h.lib.Upload(r.Context(), id, name, part)
		if err != nil {
			h.failUpload(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, fileUpload{ItemID: item.ID, Version: item.Version, File: item.File,
			TextStatus: item.TextStatus, TextReason: item.TextReason})
	})
}

// readFilePart finds the part named file of a multipart body and hands it
// to use as it streams in; parts before it are skipped.
func (h *Handler) readFilePart(w http.ResponseWriter, r *http.Request, use func(name string, part io.Reader)) {
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
		use(part.FileName(), part)
		return
	}
}

// failUpload answers a refused upload. The rest of the body (bounded by
// the body limit) is read first, so the client gets this answer rather
// than a reset connection.
func (h *Handler) failUpload(w http.ResponseWriter, r *http.Request, err error) {
	_, _ = io.Copy(io.Discard, r.Body)
	h.fail(w, r, err)
}

// uploadApprovalDocument serves POST /api/v1/content-documents: the proof
// of an approval (the customer's mail as .eml, a PDF, text, an image),
// kept so that an approval can name it as file_id.
func (h *Handler) uploadApprovalDocument(w http.ResponseWriter, r *http.Request) {
	h.readFilePart(w, r, func(name string, part io.Reader) {
		f, err := h.lib.StoreDocument(r.Context(), name, part)
		if err != nil {
			h.failUpload(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, f)
	})
}

// downloadApprovalDocument serves GET /api/v1/content-documents/{id}: a
// stored file by its id, to the program team only (approval documents are
// the customer's mail, for the team's eyes).
func (h *Handler) downloadApprovalDocument(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "document")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, rc, err := h.lib.OpenFile(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	files.Serve(w, r, f, rc, false)
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
