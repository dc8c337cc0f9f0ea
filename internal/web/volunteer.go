package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The public volunteer form (/volunteer): a customer offers to be a
// reference without an account. It is off unless the program team turns it
// on; off, it answers 404 like any unknown page. Offers are limited per
// address and in all, counted in the database like sign-in attempts, so
// every instance applies the same limit. Cross-site posts are refused in
// front of every route (the server's cross-origin protection), and the form
// changes nothing but adding a nomination to the team's queue.

// Volunteer limits: offers per address and in all, per hour.
const (
	volunteerPerAddress = 5
	volunteerPerHour    = 100
	volunteerWindow     = time.Hour
)

// volunteerOn reports whether the form is on; off, it answers 404.
func (h *Handler) volunteerOn(w http.ResponseWriter, r *http.Request) bool {
	on, err := h.opts.Nominations.VolunteerFormOn(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return false
	}
	if !on {
		h.notFound(w, r)
		return false
	}
	return true
}

// volunteerPage serves GET /volunteer.
func (h *Handler) volunteerPage(w http.ResponseWriter, r *http.Request) {
	if !h.volunteerOn(w, r) {
		return
	}
	h.renderPublic(w, http.StatusOK, "volunteer", &publicPage{Title: "Be a reference", Form: url.Values{}})
}

// volunteerSubmit serves POST /volunteer.
func (h *Handler) volunteerSubmit(w http.ResponseWriter, r *http.Request) {
	if !h.volunteerOn(w, r) {
		return
	}
	if err := readPublicForm(w, r); err != nil {
		h.renderPublic(w, http.StatusBadRequest, "volunteer", &publicPage{Title: "Be a reference",
			Error: "Your answers could not be read. Please fill in the form again.", Form: url.Values{}})
		return
	}
	_, wait, err := h.db.ReserveLoginAttempt(r.Context(), volunteerWindow,
		store.LoginLimit{Key: "volunteer:ip:" + clientIP(r), Max: volunteerPerAddress},
		store.LoginLimit{Key: "volunteer:all", Max: volunteerPerHour})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		h.renderPublic(w, http.StatusTooManyRequests, "volunteer", &publicPage{Title: "Be a reference",
			Error: "We have received many offers in the last hour. Please try again later.", Form: r.PostForm})
		return
	}
	f := r.PostForm
	ctx := vouch.WithActor(r.Context(), vouch.Actor{Label: "volunteer form"})
	_, err = h.opts.Nominations.Volunteer(ctx, vouch.Nomination{AccountName: f.Get("account_name"), Name: f.Get("name"),
		Email: f.Get("email"), Title: f.Get("title"), Reason: f.Get("reason")})
	if vouch.ErrorCode(err) == vouch.EINVALID {
		h.renderPublic(w, http.StatusBadRequest, "volunteer", &publicPage{Title: "Be a reference",
			Error: vouch.ErrorMessage(err), Errors: fieldErrors(err, map[string]string{"account_name": "Your company",
				"name": "Your name", "email": "Your email", "title": "Your role", "reason": "What you would tell a peer"}), Form: f})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderPublic(w, http.StatusOK, "volunteer_done", &publicPage{Title: "Thank you"})
}
