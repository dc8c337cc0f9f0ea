package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The public pages people reach by a signed link from an email, without an
// account: the advocate's answer to an ask (/a/{token}) and the feedback
// forms of the seller and the advocate (/f/{token}). They have a layout of
// their own — no navigation, no sign-in — and never send anyone to the login
// page.
//
// Their forms carry no session CSRF token, because there is no session.
// They need none:
//   - http.CrossOriginProtection in front of every route (internal/server)
//     already refuses a POST whose Origin or Sec-Fetch-Site says it came
//     from another site, so a forged form on another site cannot post here;
//   - the token in the path is itself an unguessable, single-use secret: a
//     forger who knew it could simply use it, so a second secret in the form
//     would protect nothing more.
// Only a POST changes anything. A GET shows the page and changes nothing,
// which matters because mail scanners open links before people do.

// publicLayout is the document every public page is rendered in.
const publicLayout = "advocate_layout.html"

// parsePublicTemplates parses the pages of signed links, each with the
// public layout, once at start-up: a broken template fails the start.
func parsePublicTemplates(funcs template.FuncMap) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range []string{"advocate", "advocate_done", "feedback", "feedback_done", "link_problem"} {
		t, err := template.New(publicLayout).Funcs(funcs).ParseFS(templateFS, "templates/"+publicLayout, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		pages[name] = t
	}
	if err := addPublicTemplates(pages, funcs, "proof_public", "proof_gone", "scorecard_shared", "scorecard_shared_gone"); err != nil {
		return nil, err
	}
	// The public volunteer form (volunteer.go), in the advocates' layout.
	for _, name := range []string{"volunteer", "volunteer_done"} {
		t, err := template.New(publicLayout).Funcs(funcs).ParseFS(templateFS, "templates/"+publicLayout, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// publicPage is what every public template receives.
type publicPage struct {
	Title  string
	Errors map[string]string // per form field
	Error  string            // for the form as a whole
	Form   url.Values        // submitted values, to refill a form after an error
	Data   any
}

// renderPublic writes a public page. The token is in the address, so the
// page is neither cached, nor indexed, nor named in the Referer header of
// anything it links to or loads.
func (h *Handler) renderPublic(w http.ResponseWriter, status int, name string, p *publicPage) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Robots-Tag", "noindex, nofollow")
	var buf bytes.Buffer
	t, ok := h.public[name]
	if !ok {
		h.log.Error("render", "template", name, "err", "no such public template")
		status = http.StatusInternalServerError
		buf.WriteString("Something went wrong on our side. Please try again in a few minutes.\n")
		hdr.Set("Content-Type", "text/plain; charset=utf-8")
	} else if err := t.ExecuteTemplate(&buf, publicLayout, p); err != nil {
		h.log.Error("render", "template", name, "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString("Something went wrong on our side. Please try again in a few minutes.\n")
		hdr.Set("Content-Type", "text/plain; charset=utf-8")
	} else {
		hdr.Set("Content-Type", "text/html; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// linkProblem is what link_problem.html shows.
type linkProblem struct {
	Kind    string // used, expired, invalid, closed, unavailable, error
	Message string
	Contact string // "Pat Seller (pat@example.com)", when known
}

// showLinkProblem answers a link that cannot be used (any more) with a page
// that says why and what to do. Nothing was changed: every store write
// behind these pages is one transaction that rolls back on such an error.
func (h *Handler) showLinkProblem(w http.ResponseWriter, r *http.Request, err error, contact string) {
	p := linkProblem{Contact: contact}
	status := http.StatusGone
	var title string
	switch {
	case errors.Is(err, vouch.ErrLinkUsed):
		p.Kind, title = "used", "This link has already been used"
		p.Message = "Each link in our emails works once, and this one has already been used. Nothing was changed."
	case errors.Is(err, vouch.ErrLinkExpired):
		p.Kind, title = "expired", "This link has expired"
		p.Message = "Links in our emails work for a limited time, and this one has run out. Nothing was recorded."
	case errors.Is(err, vouch.ErrNoLongerAvailable):
		status, p.Kind, title = http.StatusConflict, "unavailable", "No longer available"
		p.Message = "Thank you for saying yes! Meanwhile the slots for this period were taken by another request, " +
			"so nothing was booked and there is nothing more you need to do. We will ask again when you are free."
	case errors.Is(err, vouch.ErrFeedbackGiven):
		status, p.Kind, title = http.StatusConflict, "rated", "Your feedback is already in"
		p.Message = vouch.ErrorMessage(err) + " Nothing more to do here."
	case vouch.ErrorCode(err) == vouch.ENOTFOUND:
		status, p.Kind, title = http.StatusNotFound, "invalid", "This link is not valid"
		p.Message = "Check that you opened the whole link from the email: some email programs break long links in two."
	case vouch.ErrorCode(err) == vouch.ECONFLICT:
		// Answered through another link of the same ask (a reminder), or the
		// request was closed meanwhile: the store's sentence says which.
		p.Kind, title = "closed", "Nothing more to do here"
		p.Message = vouch.ErrorMessage(err)
	default:
		// The path holds the token, a secret: it is not logged.
		h.log.Error("signed link page failed", "method", r.Method, "page", r.URL.Path[:min(len(r.URL.Path), 3)], "err", err)
		status, p.Kind, title = http.StatusInternalServerError, "error", "Something went wrong on our side"
		p.Message = "We could not open this page just now and have logged the problem. Please try the link again in a few minutes."
	}
	h.renderPublic(w, status, "link_problem", &publicPage{Title: title, Data: p})
}

// contactOf names the seller who asked, for "contact the person who asked you".
func (h *Handler) contactOf(r *http.Request, userID int64) string {
	if userID == 0 {
		return ""
	}
	u, err := h.db.User(r.Context(), userID)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s (%s)", u.Name, u.Email)
}

// readPublicForm parses a small form; the public pages take nothing larger.
func readPublicForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	return r.ParseForm()
}
