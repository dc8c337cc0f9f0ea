package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// account serves GET /account: who you are, your time zone, and a form to
// change your password.
func (h *Handler) account(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, http.StatusOK, &page{Title: "Your account", Nav: "account"}, "")
}

// accountPage is what account.html shows besides the user.
type accountPage struct {
	Failed    string   // which form the errors belong to: "zone" or "password"
	Program   string   // the program's zone, the default
	TimeZones []string // suggested zones
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, p *page, failed string) {
	p.Data = &accountPage{Failed: failed, Program: h.clock.Zone().String(), TimeZones: commonTimeZones}
	h.render(w, r, status, "account", p)
}

// saveTimeZone serves POST /account/time-zone: the zone the signed-in
// user reads times in; empty is the program's.
func (h *Handler) saveTimeZone(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	tz := strings.TrimSpace(r.PostFormValue("time_zone"))
	saved, err := h.db.UpdateUser(r.Context(), u.ID, vouch.UserUpdate{TimeZone: &tz})
	if err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p := &page{Title: "Your account", Nav: "account", Form: r.PostForm}
		h.renderAccount(w, r, failForm(p, err, userLabels), p, "zone")
		return
	}
	msg := "Times are shown in the program's zone, " + h.clock.Zone().String() + "."
	if saved.TimeZone != "" {
		msg = "Times are shown in " + saved.TimeZone + "."
	}
	redirect(w, r, "/account", msg)
}

// changePassword serves POST /account/password.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	current := r.PostFormValue("current_password")
	next := r.PostFormValue("new_password")
	confirm := r.PostFormValue("confirm_password")
	p := &page{Title: "Your account", Nav: "account", Errors: map[string]string{}}

	if current == "" {
		p.Errors["current_password"] = "Enter your current password."
	}
	if msg := vouch.ValidatePassword(next); msg != "" {
		p.Errors["new_password"] = "New password " + msg + "."
	} else if confirm != next {
		p.Errors["confirm_password"] = "This does not match the new password."
	}
	if len(p.Errors) > 0 {
		p.Error = "Your password is unchanged. Please correct the highlighted fields."
		h.renderAccount(w, r, http.StatusBadRequest, p, "password")
		return
	}

	// Checking the current password is a login attempt: the same limit
	// applies, so a borrowed session cannot be used to guess it.
	ip := clientIP(r)
	attempt, wait, err := h.limiter.reserve(r.Context(), u.Email, ip)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if wait > 0 {
		p.Error = fmt.Sprintf("Too many wrong passwords. Try again in %s.", plural(int(math.Ceil(wait.Minutes())), "minute"))
		h.renderAccount(w, r, http.StatusTooManyRequests, p, "password")
		return
	}
	if _, err := h.db.Authenticate(r.Context(), u.Email, current); err != nil {
		if vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			h.serverError(w, r, err)
			return
		}
		p.Errors["current_password"] = "This is not your current password."
		p.Error = "Your password is unchanged."
		h.renderAccount(w, r, http.StatusBadRequest, p, "password")
		return
	}

	if err := h.limiter.succeeded(r.Context(), attempt, u.Email); err != nil {
		h.log.Error("clear login failures", "err", err)
	}

	if err := h.db.SetPassword(r.Context(), u.ID, next); err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p.Error = vouch.ErrorMessage(err)
		p.Errors = fieldErrors(err, map[string]string{"password": "New password"})
		if msg, ok := p.Errors["password"]; ok {
			p.Errors["new_password"] = msg
		}
		h.renderAccount(w, r, formStatus(err), p, "password")
		return
	}
	// SetPassword ended every session, this one included, so that a stolen
	// session dies with the old password; this browser gets a fresh one.
	if !h.renewSession(w, r, u) {
		return
	}
	redirect(w, r, "/account", "Your password is changed. You are signed out on every other device.")
}
