package web

import (
	"net/http"
	"strconv"
)

// notificationsShown is how many of the newest notifications the page lists.
const notificationsShown = 100

// notifications serves GET /notifications: the user's newest notifications.
func (h *Handler) notifications(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	list, unread, err := h.opts.Fulfillment.Notifications(r.Context(), u, notificationsShown)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "notifications", &page{Title: "Notifications", Nav: "notifications",
		Data: map[string]any{"Items": list, "Unread": unread}})
}

// readNotifications serves POST /notifications/read: the notifications
// given by id (or all of them) are marked read. With next, it then goes
// there: opening a notification marks it read.
func (h *Handler) readNotifications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	var err error
	msg := ""
	if r.PostFormValue("all") != "" {
		err = h.opts.Fulfillment.MarkAllNotificationsRead(ctx, u)
		msg = "All notifications are marked read."
	} else {
		var ids []int64
		for _, s := range r.PostForm["id"] {
			if id, perr := strconv.ParseInt(s, 10, 64); perr == nil && id > 0 {
				ids = append(ids, id)
			}
		}
		err = h.opts.Fulfillment.MarkNotificationsRead(ctx, u, ids)
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if next := r.PostFormValue("next"); next != "" && safeNext(next) == next {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	redirect(w, r, "/notifications", msg)
}
