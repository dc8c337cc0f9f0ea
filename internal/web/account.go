package web

import (
	"fmt"
	"math"
	"net/http"

	"github.com/vouchhq/vouch/internal/vouch"
)

// account serves GET /account: who you are and a form to change your password.
func (h *Handler) account(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "account", &page{Title: "Your account", Nav: "account"})
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
		h.render(w, r, http.StatusBadRequest, "account", p)
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
		h.render(w, r, http.StatusTooManyRequests, "account", p)
		return
	}
	if _, err := h.db.Authenticate(r.Context(), u.Email, current); err != nil {
		if vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			h.serverError(w, r, err)
			return
		}
		p.Errors["current_password"] = "This is not your current password."
		p.Error = "Your password is unchanged."
		h.render(w, r, http.StatusBadRequest, "account", p)
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
		h.render(w, r, formStatus(err), "account", p)
		return
	}
	// SetPassword ended every session, this one included, so that a stolen
	// session dies with the old password; this browser gets a fresh one.
	if !h.renewSession(w, r, u) {
		return
	}
	redirect(w, r, "/account", "Your password is changed. You are signed out on every other device.")
}
