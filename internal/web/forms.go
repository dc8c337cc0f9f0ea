package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/vouchhq/vouch/internal/vouch"
)

// pathID reads the numeric path value name; ok is false for anything else,
// which handlers answer with the 404 page.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// redirectError sends the browser to url with an error flash, for actions
// (a button, not a form with fields) that the store refused.
func redirectError(w http.ResponseWriter, r *http.Request, url, msg string) {
	setFlash(w, "error", msg)
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// formStatus is the status of a form re-rendered because of err: 409 when it
// clashes with existing data, else 400.
func formStatus(err error) int {
	if vouch.ErrorCode(err) == vouch.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// fieldErrors turns the store's per-field reasons ("is required") into
// sentences shown next to each field ("Email is required."). labels names the
// fields as the form shows them; the store's field names are the keys.
func fieldErrors(err error, labels map[string]string) map[string]string {
	out := map[string]string{}
	for field, reason := range vouch.ErrorFields(err) {
		label := labels[field]
		if label == "" {
			label = capitalize(strings.ReplaceAll(field, "_", " "))
		}
		out[field] = label + " " + reason + "."
	}
	return out
}

// failForm fills p with err for a form re-render and returns its status.
func failForm(p *page, err error, labels map[string]string) int {
	p.Error = vouch.ErrorMessage(err)
	p.Errors = fieldErrors(err, labels)
	return formStatus(err)
}

func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// Body limits of the pages, applied by the server in front of every route.
const (
	// MaxFormBody is the largest form a page accepts: the longest text
	// fields (a story of 20,000 characters, notes of 10,000) several times over.
	MaxFormBody = 256 << 10
	// MaxPublicFormBody is the largest answer an advocate's page (/a/, /f/) accepts.
	MaxPublicFormBody = 64 << 10
	// MaxUploadBody is the largest import upload: the file limit plus room
	// for the form's other fields and the multipart framing.
	MaxUploadBody = maxUploadSize + 1<<20
)

// RefuseInput answers a request the server refused before any page saw it:
// a body over its limit (413) or text with control characters (400).
func (h *Handler) RefuseInput(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusBadRequest
	if vouch.ErrorCode(err) == vouch.ETOOLARGE {
		status = http.StatusRequestEntityTooLarge
	}
	r, _ = h.loadUser(r)
	h.errorPage(w, r, status, vouch.ErrorMessage(err))
}
