package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The buyer's side of a proof page: GET /p/{token} shows the page, GET
// /p/{token}/files/{contentID} downloads the file of an item on it. No
// account, no session: the signed token is the credential. The page shows
// the items and nothing else of Vouch — no owner, no approval state, no
// uses, no navigation, no link into the application — and is never indexed
// nor cached. Whatever is wrong with a link (altered, unknown, revoked,
// expired) or with a download (an item not on the page, one left off since,
// one without a file) gets the same "not available" page, byte for byte, so
// nothing can be learnt by trying.

// proofLayout is the document the buyer's pages are rendered in: the public
// look, without the footer that speaks of an email.
const proofLayout = "proof_layout.html"

// addPublicTemplates parses pages seen without an account (the buyer's
// proof pages, the shared scorecard) into pages, in the public layout,
// once at start-up.
func addPublicTemplates(pages map[string]*template.Template, funcs template.FuncMap, names ...string) error {
	for _, name := range names {
		t, err := template.New(proofLayout).Funcs(funcs).ParseFS(templateFS, "templates/"+proofLayout, "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		pages[name] = t
	}
	return nil
}

// publicProofItem is an item as the buyer sees it.
type publicProofItem struct {
	ID       int64
	Type     string
	Title    string
	Summary  string
	Body     string
	URL      string
	FileName string
	FileSize string
}

// publicProofPage is what proof_public.html shows.
type publicProofPage struct {
	Title, Prospect, Message string
	Base                     string // the page's own path, for its downloads
	Items                    []publicProofItem
}

// renderProofPublic writes a buyer's page: never cached, never indexed,
// never named in a Referer.
func (h *Handler) renderProofPublic(w http.ResponseWriter, status int, name string, p *publicPage) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Robots-Tag", "noindex, nofollow")
	var buf bytes.Buffer
	t, ok := h.public[name]
	if !ok {
		h.log.Error("render", "template", name, "err", "no such public template")
		http.Error(w, "Something went wrong on our side. Please try again in a few minutes.", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, proofLayout, p); err != nil {
		h.log.Error("render", "template", name, "err", err)
		http.Error(w, "Something went wrong on our side. Please try again in a few minutes.", http.StatusInternalServerError)
		return
	}
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// proofGone answers every proof page link or download that cannot be served.
func (h *Handler) proofGone(w http.ResponseWriter) {
	h.renderProofPublic(w, http.StatusNotFound, "proof_gone", &publicPage{Title: "This page is not available"})
}

// proofFailed answers an error of the service: the generic page for a link
// that cannot be used, a logged 500 for anything else. The path holds the
// token, a secret: it is not logged.
func (h *Handler) proofFailed(w http.ResponseWriter, err error) {
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		h.proofGone(w)
		return
	}
	h.log.Error("proof page failed", "err", err)
	http.Error(w, "Something went wrong on our side. Please try again in a few minutes.", http.StatusInternalServerError)
}

// publicProof serves GET /p/{token}: the buyer's page, which counts a view.
func (h *Handler) publicProof(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	pp, err := h.opts.Content.ViewProofPage(r.Context(), token)
	if err != nil {
		h.proofFailed(w, err)
		return
	}
	d := &publicProofPage{Title: pp.Page.Title, Prospect: pp.Page.Prospect, Message: pp.Page.Message, Base: "/p/" + token}
	for _, it := range pp.Items {
		item := publicProofItem{ID: it.ID, Type: h.opts.Catalog.ValueName(it.TypeID), Title: it.Title, Summary: it.Summary,
			Body: it.Body, URL: it.URL}
		if it.File != nil {
			item.FileName, item.FileSize = it.File.Name, fileSize(it.File.Size)
		}
		d.Items = append(d.Items, item)
	}
	h.renderProofPublic(w, http.StatusOK, "proof_public", &publicPage{Title: pp.Page.Title, Data: d})
}

// publicProofFile serves GET /p/{token}/files/{contentID}: the file of an
// item shown on the page, and nothing else; the download is recorded.
func (h *Handler) publicProofFile(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("contentID"), 10, 64)
	if err != nil || id <= 0 {
		h.proofGone(w)
		return
	}
	// A browser fetching a video in parts asks for each by Range: only the
	// request that starts the file counts as a download.
	rng := r.Header.Get("Range")
	count := r.Method == http.MethodGet && (rng == "" || strings.HasPrefix(rng, "bytes=0-"))
	f, rc, err := h.opts.Content.ProofDownload(r.Context(), r.PathValue("token"), id, count)
	if err != nil {
		h.proofFailed(w, err)
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	files.Serve(w, r, f, rc, r.URL.Query().Get("inline") == "1")
}
