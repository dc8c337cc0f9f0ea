package web

import (
	"context"
	"net/http"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// referenceTiles are the home page's reference numbers, all from the index.
type referenceTiles struct {
	All        int // every reference
	Active     int // active today (a rest that ended counts)
	Available  int // active with capacity now
	Stale      int // active, not verified in 12 months
	AtCapacity int // active, no capacity left in the 90-day window
	Nominated  int // nominated, waiting to be qualified
	Qualifying int
}

// countReferences computes the tiles with one search: active references,
// with status counted over all references and the rest within active ones.
func (h *Handler) countReferences() referenceTiles {
	res := h.opts.Index.Search(refindex.Query{Limit: 1, CountFacets: []string{"status", "capacity", "verified"},
		Filters: map[string][]int64{"status": {refindex.StatusKey(vouch.StatusActive)}}})
	t := referenceTiles{Active: res.Total}
	for _, v := range res.Facets["status"] {
		t.All += v.Count
		switch vouch.Status(v.Name) {
		case vouch.StatusNominated:
			t.Nominated = v.Count
		case vouch.StatusQualifying:
			t.Qualifying = v.Count
		}
	}
	for _, v := range res.Facets["capacity"] {
		if v.Key == 0 {
			t.AtCapacity = v.Count
		} else {
			t.Available = v.Count
		}
	}
	for _, v := range res.Facets["verified"] {
		if v.Key == 0 {
			t.Stale = v.Count
		}
	}
	return t
}

// requestTiles are the home page's request numbers: what waits for the user.
type requestTiles struct {
	Team       bool // the program team: the queue's tiles
	MyOpen     int  // open requests the user made
	Unassigned int
	DueSoon    int // open, due within 72 hours
	Overdue    int
	Approvals  int // requests with an ask awaiting the user's approval as account owner
}

// countRequests computes the request tiles.
func (h *Handler) countRequests(ctx context.Context, u *vouch.User) (requestTiles, error) {
	t := requestTiles{Team: u.Can(vouch.PermManageProgram)}
	_, n, err := h.db.ListRequests(ctx, vouch.RequestFilter{RequesterID: u.ID, Open: true, Limit: 1})
	if err != nil {
		return t, err
	}
	t.MyOpen = n
	if t.Team {
		for _, x := range []struct {
			tab  string
			into *int
		}{{"unassigned", &t.Unassigned}, {"due", &t.DueSoon}, {"overdue", &t.Overdue}} {
			if _, *x.into, err = h.queueRequests(ctx, u, x.tab, 0, 1); err != nil {
				return t, err
			}
		}
	}
	approvals, err := h.approvalsFor(ctx, u)
	t.Approvals = len(approvals)
	return t, err
}

// dashboard serves GET /: what needs the signed-in user now.
func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	data := map[string]any{}
	demo, err := h.db.Setting(r.Context(), store.SettingDemo, "")
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data["Demo"] = demo != ""
	if demo != "" && u.Can(vouch.PermManageProgram) {
		// "Answer as the advocate" opens a mail whose link still works.
		if data["OpenAskMail"], err = h.db.NewestOpenAskMail(r.Context()); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if u.Can(vouch.PermManageUsers) {
		users, err := h.db.ListUsers(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		byRole := map[vouch.Role]int{}
		disabled := 0
		for _, x := range users {
			if x.Disabled {
				disabled++
				continue
			}
			byRole[x.Role]++
		}
		data["UsersByRole"] = byRole
		data["UserCount"] = len(users) - disabled
	}
	if u.Can(vouch.PermReadReferences) {
		data["Refs"] = h.countReferences()
	}
	if u.Can(vouch.PermRequestReference) {
		t, err := h.countRequests(r.Context(), u)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data["Requests"] = t
	}
	if u.Can(vouch.PermReadAudit) {
		recent, _, err := h.db.ListAudit(r.Context(), vouch.AuditFilter{Limit: 8})
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data["RecentChanges"] = recent
	}
	h.render(w, r, http.StatusOK, "dashboard", &page{Title: "Home", Nav: "home", Data: data})
}
