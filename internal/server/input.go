package server

import (
	"cmp"
	"errors"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/api"
	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/web"
)

// bodyLimit is how large a request body may be on the routes it names.
type bodyLimit struct {
	method, prefix string // prefix matches the path; "" method is any
	upload         bool   // the route reads its own multipart body
	limit          int64
	// fileOf, when set, matches instead of prefix: paths /…/content/{id}/file.
	fileOf string
	// suffix, with fileOf, is the path's end: "/file" when empty. The
	// approval form (/content/{id}/state) may carry the customer's
	// approval document, so it has the upload limit too, but is parsed
	// here like any form (its file waits on disk, not in memory).
	suffix string
	// setting: the limit is the content library's upload setting plus
	// uploadSlack (always so with fileOf).
	setting bool
}

// uploadSlack is what a multipart body may carry beside the file itself:
// part headers, boundaries and a CSRF token.
const uploadSlack = 64 << 10

// bodyLimits is the one table of body limits; the first match wins and
// every request matches one, so no route goes unlimited.
var bodyLimits = []bodyLimit{
	{method: http.MethodPost, fileOf: "/content/", upload: true},
	{method: http.MethodPost, fileOf: "/api/v1/content/", upload: true},
	{method: http.MethodPost, fileOf: "/content/", suffix: "/state"},
	// The new item form may carry the item's file; it is parsed here.
	{method: http.MethodPost, prefix: "/content/new", setting: true},
	{method: http.MethodPost, prefix: "/api/v1/content-documents", upload: true, setting: true},
	{method: http.MethodPost, prefix: "/references/import", upload: true, limit: web.MaxUploadBody},
	{method: http.MethodPost, prefix: "/content/import", upload: true, limit: web.MaxUploadBody},
	{method: http.MethodPost, prefix: "/activities/import", upload: true, limit: web.MaxUploadBody},    // reference history
	{method: http.MethodPost, prefix: "/opportunities/import", upload: true, limit: web.MaxUploadBody}, // CRM deals
	{method: http.MethodPost, prefix: "/accounts/import", upload: true, limit: web.MaxUploadBody},      // CRM accounts
	{prefix: "/api/", limit: api.MaxBody},
	{prefix: "/a/", limit: web.MaxPublicFormBody},
	{prefix: "/f/", limit: web.MaxPublicFormBody},
	{limit: web.MaxFormBody},
}

func (s *Server) limitOf(r *http.Request) bodyLimit {
	for _, l := range bodyLimits {
		if l.method != "" && l.method != r.Method {
			continue
		}
		if l.fileOf != "" {
			if isFilePath(r.URL.Path, l.fileOf, cmp.Or(l.suffix, "/file")) {
				l.limit = s.catalog.ProgramSettings().MaxUploadBytes() + uploadSlack
				return l
			}
			continue
		}
		if strings.HasPrefix(r.URL.Path, l.prefix) && (!l.upload || r.URL.Path == l.prefix) {
			if l.setting {
				l.limit = s.catalog.ProgramSettings().MaxUploadBytes() + uploadSlack
			}
			return l
		}
	}
	return bodyLimits[len(bodyLimits)-1]
}

// isFilePath reports whether path is prefix + an item id + suffix.
func isFilePath(path, prefix, suffix string) bool {
	rest, ok := strings.CutPrefix(path, prefix)
	if !ok {
		return false
	}
	id, ok := strings.CutSuffix(rest, suffix)
	if !ok || id == "" || len(id) > 19 {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// formMemory is how much of a multipart form's files is held in memory; the
// rest waits on disk until the request ends.
const formMemory = 32 << 10

// checkInput stands in front of every route. It limits the request body
// (refusing a declared length over the limit before reading a byte), then
// holds every query parameter and, for pages, every form value to
// vouch.CheckText, so no handler sees invalid UTF-8 or a control character
// and each refusal names its field. JSON bodies are checked as the API
// decodes them.
func (s *Server) checkInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isAPI := strings.HasPrefix(r.URL.Path, "/api/")
		refuse := func(err error) {
			if vouch.ErrorCode(err) == vouch.ETOOLARGE {
				// The rest of the body is not read: the connection ends with this answer.
				w.Header().Set("Connection", "close")
			}
			if isAPI {
				api.WriteError(w, err)
			} else {
				s.web.RefuseInput(w, r, err)
			}
		}
		l := s.limitOf(r)
		what := "The request body"
		if l.upload {
			what = "The upload"
		}
		if r.ContentLength > l.limit {
			if l.fileOf != "" || l.setting {
				// Named as the file's own limit, the setting, not the body's.
				reason := files.LimitReason(l.limit - uploadSlack)
				refuse(&vouch.Error{Code: vouch.ETOOLARGE, Message: "The file " + reason + ".", Fields: map[string]string{"file": reason}})
				return
			}
			refuse(vouch.TooLarge(what, l.limit))
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, l.limit)
		}
		if err := checkValues(r.URL.Query()); err != nil {
			refuse(err)
			return
		}
		if !isAPI && !l.upload && hasForm(r) {
			if err := parseForm(r); err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					err = vouch.TooLarge(what, l.limit)
				}
				refuse(err)
				return
			}
			if err := checkValues(r.PostForm); err != nil {
				refuse(err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// hasForm reports whether r carries a form body for the page to read.
func hasForm(r *http.Request) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		return false
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data"
}

// parseForm reads the form once, here, so the body limit gives a 413 rather
// than the empty form a page's PostFormValue would see.
func parseForm(r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(formMemory)
	} else {
		err = r.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	if err != nil && !errors.As(err, &tooLarge) {
		return vouch.Errorf(vouch.EINVALID, "The form could not be read; reload the page and try again.")
	}
	return err
}

// checkValues holds every name and value to vouch.CheckText; long-text
// fields may hold tabs and line breaks. Names are taken in order, so the
// same input always names the same field.
func checkValues(values map[string][]string) error {
	for _, name := range slices.Sorted(maps.Keys(values)) {
		vs := values[name]
		if vouch.TextProblem(name, false) != "" {
			return vouch.CheckText("field name "+vouch.Printable(name), name, false)
		}
		for _, v := range vs {
			if err := vouch.CheckText(name, v, vouch.LongText(name)); err != nil {
				return err
			}
		}
	}
	return nil
}
