package web

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Login throttling: after too many failures in the window, further attempts
// for that email (or from that address) get 429 until the oldest failure ages out.
const (
	loginWindow       = 15 * time.Minute
	maxFailuresPerKey = 5  // per email address
	maxFailuresPerIP  = 20 // per client address, across emails
)

type loginLimiter struct{ db *store.DB }

// reserve records a sign-in attempt for email from ip before its password is
// checked, or returns how long the caller must wait when either is at its
// limit. Counting and recording are one step, so simultaneous attempts
// cannot all slip under the limit.
func (l *loginLimiter) reserve(ctx context.Context, email, ip string) (store.LoginAttempt, time.Duration, error) {
	return l.db.ReserveLoginAttempt(ctx, loginWindow,
		store.LoginLimit{Key: "email:" + email, Max: maxFailuresPerKey},
		store.LoginLimit{Key: "ip:" + ip, Max: maxFailuresPerIP})
}

// succeeded forgets the attempt (the password was right) and the email's
// earlier failures; the address keeps its failures for other emails.
func (l *loginLimiter) succeeded(ctx context.Context, a store.LoginAttempt, email string) error {
	if err := l.db.ForgetLoginAttempt(ctx, a); err != nil {
		return err
	}
	return l.db.ClearLoginFailures(ctx, "email:"+email)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// safeNext keeps the post-login redirect on this site: a path starting
// with one slash. Backslashes and control characters are refused anywhere,
// since browsers read "\\" as "/" and drop tabs and newlines from URLs, so
// "/\t/evil.example" would otherwise become "//evil.example".
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}

// loginPage serves GET /login.
func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	r, u := h.loadUser(r)
	if u != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "login", &page{Title: "Sign in", Form: r.URL.Query()})
}

// login serves POST /login. Cross-site posts never get here: the
// cross-origin check in front of every route refuses them (login CSRF).
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	email := vouch.NormalizeEmail(r.PostFormValue("email"))
	pw := r.PostFormValue("password")
	p := &page{Title: "Sign in", Form: r.PostForm}
	if email == "" || pw == "" {
		p.Errors = map[string]string{}
		if email == "" {
			p.Errors["email"] = "Enter your email address."
		}
		if pw == "" {
			p.Errors["password"] = "Enter your password."
		}
		h.render(w, r, http.StatusBadRequest, "login", p)
		return
	}
	ip := clientIP(r)
	attempt, wait, err := h.limiter.reserve(r.Context(), email, ip)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if wait > 0 {
		mins := int(math.Ceil(wait.Minutes()))
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		p.Error = fmt.Sprintf("Too many failed sign-in attempts. Try again in %s.", plural(mins, "minute"))
		h.render(w, r, http.StatusTooManyRequests, "login", p)
		return
	}
	u, err := h.db.Authenticate(r.Context(), email, pw)
	if err != nil {
		if vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			h.serverError(w, r, err)
			return
		}
		// The reserved attempt stays recorded: it is now a failure.
		h.log.Info("login failed", "email", email, "ip", ip)
		p.Error = vouch.ErrorMessage(err)
		h.render(w, r, http.StatusUnauthorized, "login", p)
		return
	}
	// Drop any session the browser had: the new one gets a fresh id (no fixation).
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := h.db.DeleteSession(r.Context(), c.Value); err != nil {
			h.log.Warn("dropping the previous session failed", "err", err) // the new session is fresh either way
		}
	}
	token, _, err := h.db.CreateSession(vouch.WithActor(r.Context(), vouch.UserActor(u)), u.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := h.limiter.succeeded(r.Context(), attempt, email); err != nil {
		h.log.Error("clear login failures", "err", err)
	}
	h.setSessionCookie(w, token, int(store.SessionTTL.Seconds()))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// logout serves POST /logout.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	r, u := h.loadUser(r)
	if u != nil && !h.validCSRF(r) {
		h.errorPage(w, r, http.StatusForbidden, "This form has expired or did not come from Vouch. Go back, reload the page and try again.")
		return
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := h.db.DeleteSession(r.Context(), c.Value); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	h.setSessionCookie(w, "", -1)
	setFlash(w, "success", "You are signed out.")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
