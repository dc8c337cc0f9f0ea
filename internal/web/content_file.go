package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentFile serves GET /content/{id}/file: the item's file, to a reader
// who may see the item, as files.Serve sends every download. ?inline=1
// asks to show an image, a video or a recording in the browser.
func (h *Handler) contentFile(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	u := userFrom(r.Context())
	_, f, rc, err := h.opts.Content.ItemFile(r.Context(), id, u.Can(vouch.PermManageContent))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	files.Serve(w, r, f, rc, r.URL.Query().Get("inline") == "1")
}

// uploadContentFile serves POST /content/{id}/file, the upload form of an
// item's page. It reads the multipart body itself, part by part, so the
// file streams into the file store: the CSRF token is a text part before
// the file (the form puts it first) or the X-CSRF-Token header, and is
// checked before a byte of the file is kept. It goes back to the item's
// page with the outcome as a flash.
func (h *Handler) uploadContentFile(w http.ResponseWriter, r *http.Request) {
	r, u := h.loadUser(r)
	if u == nil {
		h.errorPage(w, r, http.StatusUnauthorized, "Your session has ended. Please sign in again.")
		return
	}
	if !u.Can(vouch.PermManageContent) {
		h.forbidden(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	back := fmt.Sprintf("/content/%d", id)
	if _, err := h.opts.Content.Item(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	expired := func() {
		h.errorPage(w, r, http.StatusForbidden, "This form has expired or did not come from Vouch. Go back, reload the page and try again.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		if !h.validCSRF(r) {
			expired()
			return
		}
		setFlash(w, "error", "Choose a file to upload.")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	values := url.Values{}
	for range 20 {
		part, err := mr.NextPart()
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				h.RefuseInput(w, r, vouch.TooLarge("The upload", tooLarge.Limit))
				return
			}
			break
		}
		if part.FormName() != "file" {
			v, _ := io.ReadAll(io.LimitReader(part, 4<<10))
			values.Add(part.FormName(), string(v))
			continue
		}
		r.PostForm = values
		if !h.validCSRF(r) {
			expired()
			return
		}
		if part.FileName() == "" {
			break
		}
		item, err := h.opts.Content.Upload(r.Context(), id, part.FileName(), part)
		if err != nil {
			if vouch.ErrorCode(err) == vouch.EINTERNAL {
				h.serverError(w, r, err)
				return
			}
			// The rest of the body (bounded by its limit) is read, so the
			// browser gets the answer rather than a reset connection.
			_, _ = io.Copy(io.Discard, r.Body)
			msg := vouch.ErrorMessage(err)
			if reason := vouch.ErrorFields(err)["file"]; reason != "" {
				msg = fmt.Sprintf("%q was not kept: it %s.", part.FileName(), reason)
			}
			setFlash(w, "error", msg)
			http.Redirect(w, r, back, http.StatusSeeOther)
			return
		}
		msg := fmt.Sprintf("%s is uploaded.", item.File.Name)
		if item.TextStatus == vouch.TextPending {
			msg += " Its text is being read so it can be searched."
		}
		redirect(w, r, back, msg)
		return
	}
	r.PostForm = values
	if !h.validCSRF(r) {
		expired()
		return
	}
	setFlash(w, "error", "Choose a file to upload.")
	http.Redirect(w, r, back, http.StatusSeeOther)
}
