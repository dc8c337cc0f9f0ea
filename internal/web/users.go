package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

var userLabels = map[string]string{"email": "Email", "name": "Name", "role": "Role", "password": "Password", "time_zone": "Time zone"}

// users serves GET /admin/users: everyone who can sign in, and a form to add someone.
func (h *Handler) users(w http.ResponseWriter, r *http.Request) {
	h.renderUsers(w, r, http.StatusOK, &page{})
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, status int, p *page) {
	users, err := h.db.ListUsers(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Title, p.Nav = "Users", "users"
	p.Data = &usersPage{Users: users, Program: h.clock.Zone().String(), TimeZones: commonTimeZones}
	h.render(w, r, status, "users", p)
}

// usersPage is what users.html shows.
type usersPage struct {
	Users     []*vouch.User
	Program   string   // the program's zone, a new user's unless another is given
	TimeZones []string // suggested zones
}

// createUser serves POST /admin/users.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	u := &vouch.User{
		Email: r.PostFormValue("email"),
		Name:  r.PostFormValue("name"),
		Role:  vouch.Role(r.PostFormValue("role")),
		// Empty: they read times in the program's zone.
		TimeZone: r.PostFormValue("time_zone"),
	}
	pw := r.PostFormValue("password")
	err := h.db.CreateUser(r.Context(), u, pw)
	if err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, userLabels)
		// The store checks the password only once the other fields are
		// valid; say everything that is wrong at once.
		if msg := vouch.ValidatePassword(pw); msg != "" && p.Errors["password"] == "" {
			p.Errors["password"] = "Password " + msg + "."
			p.Error = fmt.Sprintf("Please correct the %d highlighted fields.", len(p.Errors))
		}
		h.renderUsers(w, r, status, p)
		return
	}
	redirect(w, r, "/admin/users", fmt.Sprintf("Added %s (%s) as %s. Give them the initial password; they can change it under Your account.",
		u.Name, u.Email, strings.ToLower(u.Role.Label())))
}

// userPage is what user.html shows.
type userPage struct {
	Target    *vouch.User
	Audit     []*vouch.AuditEntry
	Self      bool   // the admin is editing their own account
	Failed    string // which form the errors belong to: "edit" or "password"
	Program   string // the program's zone, the user's when theirs is empty
	TimeZones []string
}

// user serves GET /admin/users/{id}.
func (h *Handler) user(w http.ResponseWriter, r *http.Request) {
	h.renderUser(w, r, http.StatusOK, &page{}, "")
}

func (h *Handler) renderUser(w http.ResponseWriter, r *http.Request, status int, p *page, failed string) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	target, err := h.db.User(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	entries, _, err := h.db.ListAudit(r.Context(), vouch.AuditFilter{EntityType: "user", EntityID: id, Limit: 10})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Title, p.Nav = target.Name, "users"
	p.Data = &userPage{Target: target, Audit: entries, Self: target.ID == userFrom(r.Context()).ID, Failed: failed,
		Program: h.clock.Zone().String(), TimeZones: commonTimeZones}
	h.render(w, r, status, "user", p)
}

// updateUser serves POST /admin/users/{id}: name, role and disabled.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	name := r.PostFormValue("name")
	role := vouch.Role(r.PostFormValue("role"))
	disabled := r.PostFormValue("disabled") != ""
	upd := vouch.UserUpdate{Name: &name, Role: &role, Disabled: &disabled}
	if _, sent := r.PostForm["time_zone"]; sent {
		tz := r.PostFormValue("time_zone")
		upd.TimeZone = &tz
	}
	u, err := h.db.UpdateUser(r.Context(), id, upd)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		h.renderUser(w, r, failForm(p, err, userLabels), p, "edit")
		return
	}
	msg := "Saved " + u.Name + "."
	if u.Disabled {
		msg += " They are signed out and cannot sign in until enabled again."
	}
	// Changing one's own role or disabling oneself ends one's own session
	// too: go home, which asks to sign in again and then shows what the new
	// role allows, rather than back to a page the new role may not open.
	if me := userFrom(r.Context()); me.ID == u.ID && (u.Role != me.Role || u.Disabled) {
		redirect(w, r, "/", msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/users/%d", u.ID), msg)
}

// resetPassword serves POST /admin/users/{id}/password.
func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	target, err := h.db.User(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.db.SetPassword(r.Context(), id, r.PostFormValue("password")); err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{}
		h.renderUser(w, r, failForm(p, err, map[string]string{"password": "New password"}), p, "password")
		return
	}
	// SetPassword ends every session of the user; an admin resetting their
	// own password should not be thrown out for it.
	if me := userFrom(r.Context()); me.ID == id {
		if !h.renewSession(w, r, me) {
			return
		}
	}
	redirect(w, r, fmt.Sprintf("/admin/users/%d", id),
		"Password reset for "+target.Name+". They are signed out everywhere; give them the new password.")
}

// renewSession starts a fresh session for u after its sessions were ended
// (a password change) and sets the cookie. It reports false after writing
// an error page.
func (h *Handler) renewSession(w http.ResponseWriter, r *http.Request, u *vouch.User) bool {
	token, _, err := h.db.CreateSession(r.Context(), u.ID)
	if err != nil {
		h.serverError(w, r, err)
		return false
	}
	h.setSessionCookie(w, token, int(store.SessionTTL.Seconds()))
	return true
}
