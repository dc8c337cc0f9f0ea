package web

import (
	"encoding/base64"
	"net/http"
	"strings"
)

// flash is a one-time message shown on the next page, e.g. after a redirect.
type flash struct {
	Kind    string // "success" or "error"
	Message string
}

const flashCookie = "vouch_flash"

func setFlash(w http.ResponseWriter, kind, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: kind + ":" + base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	kind, enc, ok := strings.Cut(c.Value, ":")
	if !ok {
		return nil
	}
	msg, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil
	}
	return &flash{Kind: kind, Message: string(msg)}
}

// redirect sends the browser to url after a successful form post, with a flash message.
func redirect(w http.ResponseWriter, r *http.Request, url, msg string) {
	if msg != "" {
		setFlash(w, "success", msg)
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
}
