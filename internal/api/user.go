package api

import (
	"net/http"
	"sort"

	"github.com/vouchhq/vouch/internal/vouch"
)

// listUsers serves GET /api/v1/users: every user in order of id, paged by a
// cursor. An installation has at most a few hundred users, so the page is
// cut from the full list rather than in SQL.
func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r, 50, 500)
	if err != nil {
		writeError(w, err)
		return
	}
	after, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		writeError(w, err)
		return
	}
	users, err := h.db.ListUsers(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sort.Slice(users, func(i, j int) bool { return users[i].ID < users[j].ID })
	page := []*vouch.User{}
	for _, u := range users {
		if u.ID > after {
			page = append(page, u)
		}
	}
	next := ""
	if len(page) > limit {
		page = page[:limit]
		next = encodeCursor(page[limit-1].ID)
	}
	writeJSON(w, http.StatusOK, newList(page, next, len(users)))
}

// getUser serves GET /api/v1/users/{id}.
func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "user")
	if err != nil {
		writeError(w, err)
		return
	}
	u, err := h.db.User(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// createUser serves POST /api/v1/users.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Email    string     `json:"email"`
		Name     string     `json:"name"`
		Role     vouch.Role `json:"role"`
		Password string     `json:"password"`
		TimeZone string     `json:"time_zone"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	u := &vouch.User{Email: body.Email, Name: body.Name, Role: body.Role, TimeZone: body.TimeZone}
	// The store checks the user before the password; checking both here
	// reports every field that needs fixing in one response.
	var v vouch.Validation
	for field, reason := range vouch.ErrorFields(u.Validate()) {
		v.Add(field, reason)
	}
	if reason := vouch.ValidatePassword(body.Password); reason != "" {
		v.Add("password", reason)
	}
	if err := v.Err(); err != nil {
		writeError(w, err)
		return
	}
	if err := h.db.CreateUser(r.Context(), u, body.Password); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

// updateUser serves PATCH /api/v1/users/{id}: rename, change role or time
// zone, disable or enable. The store refuses to demote or disable the last enabled admin.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "user")
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Name     *string     `json:"name"`
		Role     *vouch.Role `json:"role"`
		Disabled *bool       `json:"disabled"`
		TimeZone *string     `json:"time_zone"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	u, err := h.db.UpdateUser(r.Context(), id, vouch.UserUpdate{Name: body.Name, Role: body.Role, Disabled: body.Disabled,
		TimeZone: body.TimeZone})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}
