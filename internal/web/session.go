package web

import (
	"context"
	"crypto/subtle"
	"net/http"

	"github.com/vouchhq/vouch/internal/vouch"
)

// SessionCookie holds the session id; the database stores only its hash.
const SessionCookie = "vouch_session"

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

func userFrom(ctx context.Context) *vouch.User {
	u, _ := ctx.Value(userKey).(*vouch.User)
	return u
}

func sessionFrom(ctx context.Context) *vouch.Session {
	s, _ := ctx.Value(sessionKey).(*vouch.Session)
	return s
}

// loadUser returns the request with the signed-in user in its context, if any.
func (h *Handler) loadUser(r *http.Request) (*http.Request, *vouch.User) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return r, nil
	}
	u, s, err := h.db.SessionUser(r.Context(), c.Value)
	if err != nil {
		return r, nil
	}
	ctx := context.WithValue(r.Context(), userKey, u)
	ctx = context.WithValue(ctx, sessionKey, s)
	ctx = vouch.WithActor(ctx, vouch.UserActor(u))
	return r.WithContext(ctx), u
}

// optionalUser serves pages that anyone may see but that show the user when signed in.
func (h *Handler) optionalUser(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, _ = h.loadUser(r)
		next(w, r)
	})
}

// signedIn serves next only to a signed-in user, sends others to the login
// page (coming back afterwards), and checks the CSRF token of every form post.
func (h *Handler) signedIn(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, u := h.loadUser(r)
		if u == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			h.errorPage(w, r, http.StatusUnauthorized, "Your session has ended. Please sign in again.")
			return
		}
		if !safeMethod(r.Method) && !h.validCSRF(r) {
			h.errorPage(w, r, http.StatusForbidden, "This form has expired or did not come from Vouch. Go back, reload the page and try again.")
			return
		}
		next(w, r)
	})
}

// can is signedIn plus a permission check.
func (h *Handler) can(p vouch.Permission, next http.HandlerFunc) http.Handler {
	return h.signedIn(func(w http.ResponseWriter, r *http.Request) {
		if !userFrom(r.Context()).Can(p) {
			h.forbidden(w, r)
			return
		}
		next(w, r)
	})
}

// validCSRF compares the form's token with the session's. Cross-origin posts
// are already refused by http.CrossOriginProtection in front of every route;
// the token is a second, independent check for old browsers.
func (h *Handler) validCSRF(r *http.Request) bool {
	s := sessionFrom(r.Context())
	if s == nil {
		return false
	}
	token := r.PostFormValue("csrf")
	if token == "" {
		token = r.Header.Get("X-CSRF-Token")
	}
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRFToken)) == 1
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (h *Handler) setSessionCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   h.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
}
