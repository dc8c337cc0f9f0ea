// Package web serves Vouch's server-rendered HTML interface: sign-in,
// the home dashboard and the admin pages. Pages work without JavaScript.
package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/deals"

	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/goals"
	"github.com/vouchhq/vouch/internal/health"
	"github.com/vouchhq/vouch/internal/jobs"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// PartialTemplates is the pattern of the template files that define blocks
// for every page (parse them with a page's own layout to use them).
const PartialTemplates = "templates/partial_*.html"

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
	// Content saves content items; Library is the content index they are
	// searched in.
	Content *content.Service
	Library *contentindex.Index
	// Metrics is the metrics engine every figure is read from.
	Metrics *analytics.Model
	// Goals saves program and team member goals and computes their progress.
	Goals *goals.Service
	// Scorecard builds scorecards from Metrics (with goal progress); nil:
	// the handler builds one over Metrics without goals.
	// Scorecard builds scorecards (periods, filters, charts); Sharing makes
	// read-only scorecard links and schedules the scorecard's mail.
	Scorecard *scorecard.Service
	Sharing   *scorecard.Sharing
	// Nominations records and decides nominations and finds their duplicates.
	Nominations *nominations.Service
	// Jobs runs background work (imports); the server shares it with the
	// API and the services. Nil: the handler starts a runner of its own.
	Jobs *jobs.Runner
	// MailConfigured says an SMTP server is set: without one, mail waits in
	// the outbox and the outbox page says it is not sent.
	MailConfigured bool
	Logger         *slog.Logger
	Version        string

	// Cadence runs the program's recurring tasks; Health keeps the program
	// health assessments. Nil: their pages are not served.
	Cadence *cadence.Service
	Health  *health.Service

	// Campaigns runs recruiting campaigns. Nil: their pages are not served.
	Campaigns *campaigns.Service
}

// Handler serves the HTML pages.
type Handler struct {
	db      *store.DB
	deals   *deals.Service // writes opportunities, and the stage mapping that sets their status
	opts    Options
	log     *slog.Logger
	pages   map[string]*template.Template
	limiter *loginLimiter
	imports *importer
	refs    *references.Service // saves references and accounts
	clock   *vouch.Clock        // the program's now and today (the database's clock)
	jobs    *jobs.Runner
	static  *staticFiles
	public  map[string]*template.Template // the pages of signed links, in their own layout
	mux     *http.ServeMux                // the routes, to know whether a page is served (Routes sets it)
	// ownCards is the scorecard service when Options brought none.
	ownCards *scorecard.Service
	// served holds the scorecard's optional routes (PDF, PNG, shares) this
	// handler serves, noted once by Routes: the page links only to those.
	served map[string]bool
}

// New parses every template once, at start-up, so a broken template fails
// the start rather than a page view.
func New(db *store.DB, opts Options) (*Handler, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	h := &Handler{db: db, deals: deals.New(db), opts: opts, log: opts.Logger, pages: map[string]*template.Template{},
		limiter: &loginLimiter{db: db}, refs: opts.References, clock: db.Clock}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	if h.static, err = newStaticFiles(static); err != nil {
		return nil, err
	}
	funcs := funcMap(h)
	// Partials (templates/partial_*.html) define blocks every page may use,
	// such as the scorecard's body, which the share part's public page draws too.
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", PartialTemplates)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "partial_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		h.pages[base] = t
	}
	if h.public, err = parsePublicTemplates(funcs); err != nil {
		return nil, err
	}
	h.jobs = opts.Jobs
	if h.jobs == nil {
		// Jobs an earlier run left running are marked failed before any page shows them.
		if h.jobs, err = jobs.New(context.Background(), db, jobs.Options{Logger: opts.Logger}); err != nil {
			return nil, err
		}
	}
	h.imports = newImporter(h.jobs, h.clock)
	if opts.Scorecard == nil && opts.Metrics != nil {
		h.ownCards = scorecard.New(opts.Metrics, opts.Catalog, h.clock.Today, nil)
		h.ownCards.SetUsers(db)
	}
	return h, nil
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
	p.Now = h.clock.Now()
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
	_, _ = w.Write(buf.Bytes())
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

// notFound serves / (every path no other route matches): the 404 page.
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
