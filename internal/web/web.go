// Package web serves Vouch's server-rendered HTML interface: sign-in,
// the home dashboard and the admin pages. Pages work without JavaScript.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the web interface.
type Options struct {
	// SecureCookies marks cookies Secure; set when Vouch is served over HTTPS
	// (directly, or behind a proxy, as the base URL says).
	SecureCookies bool
	// Catalog names taxonomy values and holds the program settings; the
	// server loads it and keeps it current, like Index and Accounts.
	Catalog *catalog.Catalog
	// References saves references and accounts: every rule about them is there.
	References *references.Service
	// Index answers reference searches.
	Index *refindex.Index
	// Accounts answers account searches.
	Accounts *refindex.Accounts
	// Fulfillment runs the request loop (requests, asks, advocate links).
	Fulfillment *fulfillment.Service
	// MailConfigured says an SMTP server is set: without one, mail waits in
	// the outbox and the outbox page says it is not sent.
	MailConfigured bool
	Logger         *slog.Logger
	Version        string
}

// Handler serves the HTML pages.
type Handler struct {
	db      *store.DB
	opts    Options
	log     *slog.Logger
	pages   map[string]*template.Template
	limiter *loginLimiter
	imports *importer
	refs    *references.Service // saves references and accounts
}

// New parses every template once, at start-up, so a broken template fails
// the start rather than a page view.
func New(db *store.DB, opts Options) (*Handler, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	h := &Handler{db: db, opts: opts, log: opts.Logger, pages: map[string]*template.Template{},
		limiter: &loginLimiter{db: db}, imports: newImporter(), refs: opts.References}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		h.pages[base] = t
	}
	return h, nil
}

// Routes registers the pages on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	mux.HandleFunc("GET /login", h.loginPage)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /logout", h.logout)

	mux.Handle("GET /{$}", h.signedIn(h.dashboard))

	mux.Handle("GET /admin/users", h.can(vouch.PermManageUsers, h.users))
	mux.Handle("POST /admin/users", h.can(vouch.PermManageUsers, h.createUser))
	mux.Handle("GET /admin/users/{id}", h.can(vouch.PermManageUsers, h.user))
	mux.Handle("POST /admin/users/{id}", h.can(vouch.PermManageUsers, h.updateUser))
	mux.Handle("POST /admin/users/{id}/password", h.can(vouch.PermManageUsers, h.resetPassword))

	mux.Handle("GET /admin/taxonomies", h.can(vouch.PermManageTaxonomies, h.taxonomies))
	mux.Handle("GET /admin/taxonomies/{kind}", h.can(vouch.PermManageTaxonomies, h.taxonomy))
	mux.Handle("POST /admin/taxonomies/{kind}", h.can(vouch.PermManageTaxonomies, h.createTaxonomyValue))
	mux.Handle("POST /admin/taxonomies/{kind}/{id}", h.can(vouch.PermManageTaxonomies, h.updateTaxonomyValue))
	mux.Handle("POST /admin/taxonomies/{kind}/{id}/delete", h.can(vouch.PermManageTaxonomies, h.deleteTaxonomyValue))

	mux.Handle("GET /admin/audit", h.can(vouch.PermReadAudit, h.audit))

	mux.Handle("GET /admin/tokens", h.can(vouch.PermManageUsers, h.tokens))
	mux.Handle("POST /admin/tokens", h.can(vouch.PermManageUsers, h.createToken))
	mux.Handle("POST /admin/tokens/{id}/revoke", h.can(vouch.PermManageUsers, h.revokeToken))

	mux.Handle("GET /references", h.can(vouch.PermReadReferences, h.references))
	mux.Handle("POST /references/bulk", h.can(vouch.PermManageProgram, h.bulkReferences))
	mux.Handle("GET /references/export.csv", h.can(vouch.PermReadReferences, h.exportReferences(refsheet.FormatCSV)))
	mux.Handle("GET /references/export.xlsx", h.can(vouch.PermReadReferences, h.exportReferences(refsheet.FormatXLSX)))
	mux.Handle("GET /references/new", h.can(vouch.PermManageProgram, h.newReference))
	mux.Handle("POST /references/new", h.can(vouch.PermManageProgram, h.createReference))
	mux.Handle("GET /references/import", h.can(vouch.PermManageProgram, h.importStart))
	mux.Handle("POST /references/import", h.readUpload(h.can(vouch.PermManageProgram, h.uploadImport)))
	mux.Handle("GET /references/import/template.csv", h.can(vouch.PermManageProgram, h.importTemplate))
	mux.Handle("GET /references/import/{id}/mapping", h.can(vouch.PermManageProgram, h.importMapping))
	mux.Handle("POST /references/import/{id}/check", h.can(vouch.PermManageProgram, h.checkImport))
	mux.Handle("GET /references/import/{id}/report", h.can(vouch.PermManageProgram, h.importReport))
	mux.Handle("GET /references/import/{id}/problems.csv", h.can(vouch.PermManageProgram, h.importProblems))
	mux.Handle("POST /references/import/{id}/apply", h.can(vouch.PermManageProgram, h.applyImport))
	mux.Handle("GET /references/import/{id}/status", h.can(vouch.PermManageProgram, h.importStatus))
	mux.Handle("GET /references/{id}", h.can(vouch.PermReadReferences, h.reference))
	mux.Handle("GET /references/{id}/edit", h.can(vouch.PermManageProgram, h.editReference))
	mux.Handle("POST /references/{id}/edit", h.can(vouch.PermManageProgram, h.updateReference))
	mux.Handle("POST /references/{id}/status", h.can(vouch.PermManageProgram, h.changeReferenceStatus))
	mux.Handle("POST /references/{id}/activities", h.can(vouch.PermManageProgram, h.logReferenceActivity))
	mux.Handle("POST /references/{id}/verify", h.can(vouch.PermManageProgram, h.verifyReference))

	mux.Handle("GET /accounts", h.can(vouch.PermReadReferences, h.accounts))
	mux.Handle("GET /accounts/new", h.can(vouch.PermManageProgram, h.newAccount))
	mux.Handle("POST /accounts/new", h.can(vouch.PermManageProgram, h.createAccount))
	mux.Handle("GET /accounts/{id}", h.can(vouch.PermReadReferences, h.accountPage))
	mux.Handle("GET /accounts/{id}/edit", h.can(vouch.PermManageProgram, h.editAccount))
	mux.Handle("POST /accounts/{id}/edit", h.can(vouch.PermManageProgram, h.updateAccount))
	mux.Handle("POST /accounts/{id}/delete", h.can(vouch.PermManageProgram, h.deleteAccount))

	mux.Handle("GET /account", h.signedIn(h.account))
	mux.Handle("POST /account/password", h.signedIn(h.changePassword))

	h.requestRoutes(mux)
	h.advocateRoutes(mux)

	mux.Handle("/", h.optionalUser(h.notFound))
}

// page is what every template receives.
type page struct {
	Title  string
	Nav    string // the navigation entry to highlight
	User   *vouch.User
	CSRF   string
	Flash  *flash
	Errors map[string]string // per form field
	Error  string            // for the form as a whole
	Form   url.Values        // submitted values, to refill a form after an error
	Data   any
	Now    time.Time
}

// render writes a page with status; templates render to a buffer first so a
// template error becomes a clean 500 instead of half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := h.pages[name]
	if !ok {
		h.serverError(w, r, fmt.Errorf("no template %q", name))
		return
	}
	if u := userFrom(r.Context()); u != nil && p.User == nil {
		p.User = u
	}
	if s := sessionFrom(r.Context()); s != nil {
		p.CSRF = s.CSRFToken
	}
	if p.Flash == nil {
		p.Flash = takeFlash(w, r)
	}
	p.Now = time.Now()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		h.log.Error("render", "template", name, "err", err)
		if name != "error" {
			h.serverError(w, r, err)
			return
		}
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage shows a friendly page for status.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	titles := map[int]string{
		http.StatusNotFound:        "Page not found",
		http.StatusForbidden:       "Not allowed",
		http.StatusTooManyRequests: "Too many attempts",
	}
	title := titles[status]
	if title == "" {
		title = "Something went wrong"
	}
	h.render(w, r, status, "error", &page{Title: title, Data: map[string]any{"Status": status, "Message": msg}})
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusNotFound, "There is no page at "+r.URL.Path+". It may have moved, or the link may be mistyped.")
}

func (h *Handler) forbidden(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusForbidden, "Your role does not allow this page. Ask an admin if you need access.")
}

func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("request failed", "method", r.Method, "path", vouch.LoggablePath(r.URL.Path), "err", err)
	h.errorPage(w, r, http.StatusInternalServerError, "Vouch hit an unexpected problem and has logged it. Please try again.")
}

// fail shows err: a domain error on its own terms, anything else as a 500.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch vouch.ErrorCode(err) {
	case vouch.ENOTFOUND:
		h.errorPage(w, r, http.StatusNotFound, vouch.ErrorMessage(err))
	case vouch.EFORBIDDEN:
		h.forbidden(w, r)
	case vouch.EINVALID, vouch.ECONFLICT:
		h.errorPage(w, r, http.StatusBadRequest, vouch.ErrorMessage(err))
	default:
		h.serverError(w, r, err)
	}
}

// isFormError reports whether err is the user's to fix in the form.
func isFormError(err error) bool {
	c := vouch.ErrorCode(err)
	return c == vouch.EINVALID || c == vouch.ECONFLICT
}

func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	fsrv := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

var errBadID = errors.New("bad id")
