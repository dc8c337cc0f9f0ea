package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/vouchhq/vouch/internal/vouch"
)

// queuePageSize is how many requests one list page shows.
const queuePageSize = 100

// boardLimit bounds the cards a board shows; past it the list pages on.
const boardLimit = 500

// queueTab is one filter of the team's queue.
type queueTab struct {
	Key, Label string
	Count      int
	URL        string
	Current    bool
}

// queueTabs are the queue's filters, in the order the page shows them.
var queueTabs = []struct{ Key, Label string }{
	{"unassigned", "Unassigned"}, {"mine", "Mine"}, {"due", "Due within 72 h"}, {"overdue", "Overdue"},
	{"approvals", "Awaiting my approval"}, {"open", "All open"}, {"closed", "Closed"},
}

// boardColumn is one stage of open requests on the board.
type boardColumn struct {
	Stage vouch.StageKey
	Rows  []requestRow
}

// queuePage is what queue.html shows.
type queuePage struct {
	Tabs     []queueTab
	Tab      string
	TabLabel string
	Board    bool
	Rows     []requestRow
	Columns  []boardColumn
	Total    int
	From, To int
	PrevURL  string
	NextURL  string
	ListURL  string
	BoardURL string
	Here     string // this view, where actions come back to
	Me       int64
}

// queueURL is the queue's address for a tab and view.
func queueURL(tab string, board bool, offset int) string {
	v := url.Values{}
	if tab != "open" {
		v.Set("tab", tab)
	}
	if board {
		v.Set("view", "board")
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	if len(v) == 0 {
		return "/requests"
	}
	return "/requests?" + v.Encode()
}

// queue serves GET /requests and GET /requests/{$}: the program team's queue as a list or a
// board, filtered by the tab in the URL. Sellers see their own requests.
func (h *Handler) queue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	if !u.Can(vouch.PermManageProgram) {
		h.myRequests(w, r)
		return
	}
	q := r.URL.Query()
	d := &queuePage{Tab: q.Get("tab"), Board: q.Get("view") == "board", Me: u.ID}
	if d.Tab == "" {
		d.Tab = "open"
	}
	known := false
	for _, t := range queueTabs {
		known = known || t.Key == d.Tab
	}
	if !known {
		h.errorPage(w, r, http.StatusNotFound, "The queue has no tab “"+d.Tab+"”. Try unassigned, mine, due, overdue, open or closed.")
		return
	}
	if d.Board && d.Tab == "closed" {
		// The board's columns are the open states: closed requests are a list.
		d.Board = false
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(offset, 0)
	if d.Board {
		offset = 0
	}
	for _, t := range queueTabs {
		_, n, err := h.queueRequests(ctx, u, t.Key, 0, 1)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		if t.Key == "approvals" && n == 0 && d.Tab != "approvals" {
			continue
		}
		d.Tabs = append(d.Tabs, queueTab{Key: t.Key, Label: t.Label, Count: n, URL: queueURL(t.Key, d.Board, 0), Current: t.Key == d.Tab})
		if t.Key == d.Tab {
			d.TabLabel = t.Label
		}
	}
	limit := queuePageSize
	if d.Board {
		limit = boardLimit
	}
	reqs, total, err := h.queueRequests(ctx, u, d.Tab, offset, limit)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	_, users, err := h.teamUsers(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	rows, err := h.requestRows(ctx, reqs, users)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.Total, d.Rows = total, rows
	d.ListURL, d.BoardURL, d.Here = queueURL(d.Tab, false, 0), queueURL(d.Tab, true, 0), queueURL(d.Tab, d.Board, offset)
	if d.Board {
		for _, k := range vouch.OpenStages {
			col := boardColumn{Stage: k}
			for _, row := range rows {
				if row.Stage.Key == k {
					col.Rows = append(col.Rows, row)
				}
			}
			d.Columns = append(d.Columns, col)
		}
	} else if len(rows) > 0 {
		d.From, d.To = offset+1, offset+len(rows)
		if offset > 0 {
			d.PrevURL = queueURL(d.Tab, false, max(offset-queuePageSize, 0))
		}
		if d.To < total {
			d.NextURL = queueURL(d.Tab, false, offset+queuePageSize)
		}
	}
	h.render(w, r, http.StatusOK, "queue", &page{Title: "Request queue", Nav: "requests", Data: d})
}

// queueRequests lists a tab's requests from offset, and how many it has.
func (h *Handler) queueRequests(ctx context.Context, u *vouch.User, tab string, offset, limit int) ([]*vouch.Request, int, error) {
	today := h.clock.Today()
	f := vouch.RequestFilter{Open: true, Offset: offset, Limit: limit}
	switch tab {
	case "unassigned":
		f.Unassigned = true
	case "mine":
		f.AssigneeID = u.ID
	case "overdue":
		f.DueBefore = today.AddDays(-1)
	case "due":
		// Due from today to three days ahead. Requests come by due date,
		// so the overdue ones are the first ones; the tab starts after them.
		_, overdue, err := h.opts.Fulfillment.ListRequests(ctx, u, vouch.RequestFilter{Open: true, DueBefore: today.AddDays(-1), Limit: 1})
		if err != nil {
			return nil, 0, err
		}
		f.DueBefore, f.Offset = today.AddDays(3), overdue+offset
		reqs, n, err := h.opts.Fulfillment.ListRequests(ctx, u, f)
		return reqs, n - overdue, err
	case "approvals":
		reqs, err := h.approvalsFor(ctx, u)
		if err != nil {
			return nil, 0, err
		}
		n := len(reqs)
		reqs = reqs[min(offset, n):min(offset+limit, n)]
		return reqs, n, nil
	case "closed":
		f.Open = false
		for _, s := range vouch.RequestStates {
			if s.Closed() {
				f.States = append(f.States, s)
			}
		}
	}
	return h.opts.Fulfillment.ListRequests(ctx, u, f)
}

// myRequestsPage is what request_mine.html shows.
type myRequestsPage struct {
	Open      []requestRow
	Closed    []requestRow
	Approvals []requestRow
	CanManage bool
}

// myRequests serves GET /requests/mine: the requests the user made, open
// and closed, and any waiting for their approval as an account owner.
func (h *Handler) myRequests(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	open, _, err := h.opts.Fulfillment.ListRequests(ctx, u, vouch.RequestFilter{RequesterID: u.ID, Open: true, Limit: 200})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	cf := vouch.RequestFilter{RequesterID: u.ID, Limit: 200}
	for _, s := range vouch.RequestStates {
		if s.Closed() {
			cf.States = append(cf.States, s)
		}
	}
	closed, _, err := h.opts.Fulfillment.ListRequests(ctx, u, cf)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	approvals, err := h.approvalsFor(ctx, u)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	_, users, err := h.teamUsers(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := &myRequestsPage{CanManage: u.Can(vouch.PermManageProgram)}
	for _, x := range []struct {
		reqs []*vouch.Request
		into *[]requestRow
	}{{open, &d.Open}, {closed, &d.Closed}, {approvals, &d.Approvals}} {
		if *x.into, err = h.requestRows(ctx, x.reqs, users); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "request_mine", &page{Title: "My requests", Nav: "requests", Data: d})
}
