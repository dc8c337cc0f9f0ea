package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// tokensPage is what tokens.html shows.
type tokensPage struct {
	Tokens []*vouch.APIToken
	Users  []*vouch.User // enabled users, who may be given a token
	// Secret and Created are set only on the response to creating a token:
	// the secret is not stored, so this is the one time it can be shown.
	Secret  string
	Created *vouch.APIToken
	BaseURL string // this server as the browser reached it, for the example command
}

// tokens serves GET /admin/tokens.
func (h *Handler) tokens(w http.ResponseWriter, r *http.Request) {
	h.renderTokens(w, r, http.StatusOK, &page{}, nil)
}

func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, status int, p *page, data *tokensPage) {
	if data == nil {
		data = &tokensPage{}
	}
	var err error
	if data.Tokens, err = h.db.ListTokens(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	users, err := h.db.ListUsers(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, u := range users {
		if !u.Disabled {
			data.Users = append(data.Users, u)
		}
	}
	p.Title, p.Nav, p.Data = "API tokens", "tokens", data
	h.render(w, r, status, "tokens", p)
}

// createToken serves POST /admin/tokens. It renders the page with the new
// secret rather than redirecting: a redirect would have to carry the secret
// in a URL or cookie, and it must be shown once and kept nowhere.
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	userID, err := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	p := &page{Form: r.PostForm, Errors: map[string]string{}}
	if err != nil || userID <= 0 {
		p.Errors["user_id"] = "Choose the user the token acts as."
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if len(name) > 100 {
		p.Errors["name"] = "Name must be at most 100 characters."
	}
	if len(p.Errors) > 0 {
		p.Error = "Please correct the highlighted fields."
		h.renderTokens(w, r, http.StatusBadRequest, p, nil)
		return
	}
	secret, t, err := h.db.CreateToken(r.Context(), userID, name)
	if err != nil {
		switch vouch.ErrorCode(err) {
		case vouch.EINVALID, vouch.ENOTFOUND:
			// A disabled or deleted user: the store's sentence says which.
			p.Error = vouch.ErrorMessage(err)
			p.Errors["user_id"] = p.Error
			h.renderTokens(w, r, http.StatusBadRequest, p, nil)
		default:
			h.serverError(w, r, err)
		}
		return
	}
	scheme := "http"
	if r.TLS != nil || h.opts.SecureCookies {
		scheme = "https"
	}
	h.renderTokens(w, r, http.StatusOK, &page{}, &tokensPage{Secret: secret, Created: t, BaseURL: scheme + "://" + r.Host})
}

// revokeToken serves POST /admin/tokens/{id}/revoke.
func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.db.RevokeToken(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/tokens", "Token revoked. Programs using it are refused from now on.")
}
