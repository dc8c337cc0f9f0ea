package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/vouch"
)

// requestRoutes registers the pages of request fulfillment.
func (h *Handler) requestRoutes(mux *http.ServeMux) {
	mux.Handle("GET /requests", h.can(vouch.PermRequestReference, h.queue))
	// Links that end in a slash (a notification's) land on the same page.
	mux.Handle("GET /requests/{$}", h.can(vouch.PermRequestReference, h.queue))
	mux.Handle("GET /requests/mine", h.can(vouch.PermRequestReference, h.myRequests))
	mux.Handle("GET /requests/new", h.can(vouch.PermRequestReference, h.newRequest))
	mux.Handle("POST /requests/new", h.can(vouch.PermRequestReference, h.createRequest))
	mux.Handle("GET /requests/{id}", h.signedIn(h.requestPage))
	mux.Handle("POST /requests/{id}/asks", h.can(vouch.PermRequestReference, h.askReference))
	mux.Handle("POST /requests/{id}/asks/{ask}/approve", h.signedIn(h.approveAsk))
	mux.Handle("POST /requests/{id}/asks/{ask}/withdraw", h.can(vouch.PermRequestReference, h.withdrawAsk))
	mux.Handle("POST /requests/{id}/asks/{ask}/schedule", h.can(vouch.PermRequestReference, h.scheduleAsk))
	mux.Handle("POST /requests/{id}/asks/{ask}/complete", h.can(vouch.PermRequestReference, h.completeAsk))
	mux.Handle("POST /requests/{id}/asks/{ask}/feedback", h.can(vouch.PermRequestReference, h.sellerFeedback))
	mux.Handle("POST /requests/{id}/messages", h.signedIn(h.requestMessage))
	mux.Handle("POST /requests/{id}/state", h.can(vouch.PermRequestReference, h.changeRequestState))
	mux.Handle("POST /requests/{id}/assign", h.can(vouch.PermManageProgram, h.assignRequest))

	mux.Handle("GET /notifications", h.signedIn(h.notifications))
	mux.Handle("POST /notifications/read", h.signedIn(h.readNotifications))

	mux.Handle("GET /admin/outbox", h.can(vouch.PermManageProgram, h.outbox))
	mux.Handle("GET /admin/outbox/{id}", h.can(vouch.PermManageProgram, h.outboxMail))
	mux.Handle("POST /admin/outbox/{id}/retry", h.can(vouch.PermManageProgram, h.retryMail))

	mux.Handle("GET /admin/activity-types", h.can(vouch.PermManageProgram, h.activityTypes))
	mux.Handle("POST /admin/activity-types", h.can(vouch.PermManageProgram, h.saveActivityType))
	mux.Handle("GET /admin/settings", h.can(vouch.PermManageProgram, h.settings))
	mux.Handle("POST /admin/settings", h.can(vouch.PermManageProgram, h.saveSettings))

	mux.Handle("POST /references/{id}/activities/{activity}/thank-you", h.can(vouch.PermManageProgram, h.markThankYouSent))

	h.bindUnreadCount()
}

// requestStateClass is the pill colour of a request state; the pill always
// carries the state's name too.
func requestStateClass(s vouch.RequestState) string {
	switch s {
	case vouch.RequestSubmitted:
		return "pill-accent"
	case vouch.RequestInProgress, vouch.RequestAwaitingAdvocate:
		return "pill-warn"
	case vouch.RequestScheduled, vouch.RequestCompleted:
		return "pill-ok"
	case vouch.RequestDeclined, vouch.RequestUnfulfilled:
		return "pill-bad"
	}
	return "pill-muted"
}

// askStateClass is the pill colour of an ask state.
func askStateClass(s vouch.AskState) string {
	switch s {
	case vouch.AskAwaitingApproval, vouch.AskPending:
		return "pill-warn"
	case vouch.AskAccepted, vouch.AskScheduled, vouch.AskCompleted:
		return "pill-ok"
	case vouch.AskDeclined, vouch.AskRejected:
		return "pill-bad"
	}
	return "pill-muted"
}

func init() {
	funcs["requestStateClass"] = requestStateClass
	funcs["askStateClass"] = askStateClass
	funcs["thousands"] = thousands
	funcs["points"] = func(n int) string {
		if n >= 0 {
			return fmt.Sprintf("+%d", n)
		}
		return fmt.Sprintf("−%d", -n)
	}
	funcs["linkify"] = linkify
	// unread is bound to each handler's database in bindUnreadCount; this
	// placeholder lets the templates parse before that.
	funcs["unread"] = func(*vouch.User) int { return 0 }
}

// unreadTimeout bounds the bell's count, so a slow database cannot hold up
// every page.
const unreadTimeout = 2 * time.Second

// bindUnreadCount gives every page the signed-in user's unread
// notification count for the bell in the navigation.
func (h *Handler) bindUnreadCount() {
	count := template.FuncMap{"unread": func(u *vouch.User) int {
		if u == nil {
			return 0
		}
		ctx, cancel := context.WithTimeout(context.Background(), unreadTimeout)
		defer cancel()
		n, err := h.opts.Fulfillment.UnreadNotifications(ctx, u)
		if err != nil {
			h.log.Warn("unread notifications", "user", u.ID, "err", err)
			return 0
		}
		return n
	}}
	for _, t := range h.pages {
		t.Funcs(count)
	}
}

// teamUsers lists the enabled people who fulfill requests, for assigning.
func (h *Handler) teamUsers(ctx context.Context) ([]*vouch.User, map[int64]*vouch.User, error) {
	users, err := h.db.ListUsers(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]*vouch.User{}
	var team []*vouch.User
	for _, u := range users {
		byID[u.ID] = u
		if u.Can(vouch.PermManageProgram) {
			team = append(team, u)
		}
	}
	return team, byID, nil
}

// userName is a user's name for lists ("" for nobody).
func userName(users map[int64]*vouch.User, id int64) string {
	if u := users[id]; u != nil {
		return u.Name
	}
	return ""
}

// requestRow is one request in a list: the queue, the board, my requests.
type requestRow struct {
	*vouch.Request
	Opportunity *vouch.Opportunity
	Type        string
	Requester   string
	Assignee    string
	Overdue     bool // open and due before today
	DueSoon     bool // open and due within 72 hours
	Forward     []vouch.RequestState
}

// requestRows reads what the list pages show about each request.
func (h *Handler) requestRows(ctx context.Context, reqs []*vouch.Request, users map[int64]*vouch.User) ([]requestRow, error) {
	today := vouch.Today()
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.OpportunityID
	}
	opps, err := h.opts.Fulfillment.OpportunitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	rows := make([]requestRow, 0, len(reqs))
	for _, r := range reqs {
		row := requestRow{Request: r, Opportunity: opps[r.OpportunityID], Type: h.opts.Index.ValueName(r.ActivityTypeID),
			Requester: userName(users, r.RequesterID), Assignee: userName(users, r.AssigneeID)}
		if !r.State.Closed() {
			row.Overdue = r.DueDate.Before(today)
			row.DueSoon = !row.Overdue && !r.DueDate.After(today.AddDays(3))
			row.Forward = forwardStates(r.State)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// forwardStates are the moves the board offers as one click: onwards in
// fulfillment order, never closing (that needs a reason) and never to
// completed (that records the activity, on the request page).
func forwardStates(s vouch.RequestState) []vouch.RequestState {
	pos := func(x vouch.RequestState) int {
		for i, y := range vouch.RequestStates {
			if x == y {
				return i
			}
		}
		return -1
	}
	var out []vouch.RequestState
	for _, n := range s.NextStates() {
		if !n.Closed() && pos(n) > pos(s) {
			out = append(out, n)
		}
	}
	return out
}

// visibleRequest reads request id as u sees it (fulfillment.ViewRequest):
// its requester and the program team see all of it, the owner of an asked
// account the asks about their customers. Others get ENOTFOUND, as if
// there were no such request.
func (h *Handler) visibleRequest(ctx context.Context, u *vouch.User, id int64) (*fulfillment.RequestView, error) {
	v, err := h.opts.Fulfillment.ViewRequest(ctx, u, id)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "There is no request %d, or it is not yours to see.", id)
	}
	return v, err
}

// approvalsFor returns the open requests with an ask awaiting u's approval
// as the owner of the reference's account.
func (h *Handler) approvalsFor(ctx context.Context, u *vouch.User) ([]*vouch.Request, error) {
	return h.opts.Fulfillment.RequestsAwaitingApproval(ctx, u)
}

// backTo is where an action returns: the page it was posted from when
// that is a path on this site, else fallback.
func backTo(r *http.Request, fallback string) string {
	if b := r.PostFormValue("back"); b != "" && safeNext(b) == b {
		return b
	}
	return fallback
}

// requestURL is the path of a request's page, at an optional anchor.
func requestURL(id int64, anchor string) string {
	if anchor != "" {
		return fmt.Sprintf("/requests/%d#%s", id, anchor)
	}
	return fmt.Sprintf("/requests/%d", id)
}

// actionFailed answers a refused action: the user's mistake or a conflict
// goes back as a flash error (nothing changed); anything else is a 500.
func (h *Handler) actionFailed(w http.ResponseWriter, r *http.Request, back string, err error) {
	switch vouch.ErrorCode(err) {
	case vouch.EINVALID, vouch.ECONFLICT, vouch.EFORBIDDEN:
		msg := vouch.ErrorMessage(err)
		if fields := vouch.ErrorFields(err); len(fields) > 0 {
			var parts []string
			for _, f := range sortedKeys(fields) {
				if f == "version" {
					continue
				}
				parts = append(parts, capitalize(strings.ReplaceAll(f, "_", " "))+" "+fields[f]+".")
			}
			if len(parts) > 0 {
				msg += " " + strings.Join(parts, " ")
			}
		}
		redirectError(w, r, back, msg)
	case vouch.ENOTFOUND:
		h.errorPage(w, r, http.StatusNotFound, vouch.ErrorMessage(err))
	default:
		h.serverError(w, r, err)
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// thousands writes n with thousands separators: 250,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
