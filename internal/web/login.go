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

// retryAfter returns how long the caller must wait, or 0 if it may try now.
func (l *loginLimiter) retryAfter(ctx context.Context, email, ip string) (time.Duration, error) {
	now := l.db.Now()
	for _, k := range []struct {
		key string
		max int
	}{{"email:" + email, maxFailuresPerKey}, {"ip:" + ip, maxFailuresPerIP}} {
		n, oldest, err := l.db.LoginFailures(ctx, k.key, now.Add(-loginWindow))
		if err != nil {
			return 0, err
		}
		if n >= k.max {
			return oldest.Add(loginWindow).Sub(now), nil
		}
	}
	return 0, nil
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
	wait, err := h.limiter.retryAfter(r.Context(), email, ip)
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
		if err := h.db.RecordLoginFailure(r.Context(), "email:"+email, "ip:"+ip); err != nil {
			h.log.Error("record login failure", "err", err)
		}
		h.log.Info("login failed", "email", email, "ip", ip)
		p.Error = vouch.ErrorMessage(err)
		h.render(w, r, http.StatusUnauthorized, "login", p)
		return
	}
	// Drop any session the browser had: the new one gets a fresh id (no fixation).
	if c, err := r.Cookie(SessionCookie); err == nil {
		h.db.DeleteSession(r.Context(), c.Value)
	}
	token, _, err := h.db.CreateSession(vouch.WithActor(r.Context(), vouch.UserActor(u)), u.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.db.ClearLoginFailures(r.Context(), "email:"+email)
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
