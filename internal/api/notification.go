package api

import (
	"net/http"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// notificationItem is an in-app notification; link is the page of the web
// UI it is about, as a path (/requests/12).
type notificationItem struct {
	ID        int64      `json:"id"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// notificationList is the caller's newest notifications and how many of all
// of theirs are unread.
type notificationList struct {
	Items      []notificationItem `json:"items"`
	NextCursor string             `json:"next_cursor"`
	Total      int                `json:"total"`
	Unread     int                `json:"unread"`
}

// listNotifications serves GET /api/v1/notifications: the caller's newest
// notifications (limit, 50 unless given), newest first, with the unread count.
// Older ones are not paged: notifications are news, not records.
func (h *Handler) listNotifications(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r, 50, 500)
	if err != nil {
		writeError(w, err)
		return
	}
	u := userFrom(r.Context())
	ns, unread, err := h.ful.Notifications(r.Context(), u, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := notificationList{Items: make([]notificationItem, len(ns)), Total: len(ns), Unread: unread}
	for i, n := range ns {
		out.Items[i] = notificationItem{ID: n.ID, Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
	}
	writeJSON(w, http.StatusOK, out)
}

// markNotificationsRead serves POST /api/v1/notifications/read: mark the
// caller's notifications with the ids given read, or all of them. Ids of
// other users' notifications change nothing. It answers the unread count.
func (h *Handler) markNotificationsRead(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDs []int64 `json:"ids"`
		All bool    `json:"all"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	switch {
	case body.All && len(body.IDs) > 0:
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: "Give ids or all, not both.",
			Fields: map[string]string{"ids": "give ids or all, not both"}})
		return
	case !body.All && len(body.IDs) == 0:
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: `Say which notifications were read: "ids": [1, 2], or "all": true.`,
			Fields: map[string]string{"ids": "is required unless all is true"}})
		return
	case len(body.IDs) > 500:
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: "Mark at most 500 notifications read at once, or all of them.",
			Fields: map[string]string{"ids": "may name at most 500 notifications"}})
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	var err error
	if body.All {
		err = h.ful.MarkAllNotificationsRead(ctx, u)
	} else {
		err = h.ful.MarkNotificationsRead(ctx, u, body.IDs)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	unread, err := h.ful.UnreadNotifications(ctx, u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"unread": unread})
}
