package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
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

// serves reports whether a GET of path reaches a page of its own rather
// than the catch-all "not found".
func (h *Handler) serves(path string) bool {
	if h.mux == nil {
		return false
	}
	_, pattern := h.mux.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: path}})
	return pattern != "" && pattern != "/"
}

// opportunityFit is an open deal of the seller's with the references and
// content that fit it, and why.
type opportunityFit struct {
	Opportunity *vouch.Opportunity
	References  []refindex.Match
	Eligible    int
	Content     *requestContentView
}

// opportunityFitsShown is how many open deals a seller's home page lists,
// and how many references each.
const (
	opportunityFitsShown = 5
	opportunityRefsShown = 3
)

// opportunityFits ranks references and content for the seller's open
// deals by the deal's industry, region, country, size, product and
// competitor — the matching and the "content for a request" of the
// request page.
func (h *Handler) opportunityFits(ctx context.Context, u *vouch.User) ([]opportunityFit, int, error) {
	opps, total, err := h.db.ListOpportunities(ctx, vouch.OpportunityFilter{OwnerID: u.ID, Status: vouch.OpportunityOpen,
		Limit: opportunityFitsShown})
	if err != nil {
		return nil, 0, err
	}
	out := make([]opportunityFit, 0, len(opps))
	for _, o := range opps {
		c := vouch.Criteria{IndustryID: o.IndustryID, RegionID: o.RegionID, CountryID: o.CountryID, SizeID: o.SizeID,
			ProductID: o.ProductID, CompetitorID: o.CompetitorID}
		f := opportunityFit{Opportunity: o}
		if c != (vouch.Criteria{}) {
			asked, err := h.db.AskedForOpportunity(ctx, o.ID)
			if err != nil {
				return nil, 0, err
			}
			// As a request's matches: nobody the ask ledger holds back.
			res := h.opts.Index.Match(refindex.MatchQuery{Criteria: c, Today: h.clock.Today(), Exclude: asked,
				HeldBack: h.opts.Index.Ledger().HeldBackAll(), Limit: opportunityRefsShown})
			f.References, f.Eligible = res.Items, res.Eligible
			if h.opts.Library != nil {
				if v := h.requestContent(h.opts.Library, c); v.Total > 0 {
					f.Content = v
				}
			}
		}
		out = append(out, f)
	}
	return out, total, nil
}

// programAlerts are what the program team should look at besides the queue.
type programAlerts struct {
	Expiring         int // approved content whose consent ends within content.RemindDays
	ExpiringDays     int
	AwaitingApproval int // content waiting for the customer's approval
}

func (h *Handler) alerts(ctx context.Context) (*programAlerts, error) {
	a := &programAlerts{ExpiringDays: content.RemindDays}
	if h.opts.Content != nil {
		items, _, err := h.opts.Content.Expiring(ctx, h.clock.Today(), content.RemindDays)
		if err != nil {
			return nil, err
		}
		a.Expiring = len(items)
	}
	if h.opts.Library != nil {
		a.AwaitingApproval = h.opts.Library.Search(contentindex.Query{Manage: true, Limit: 1,
			States: []vouch.ContentState{vouch.ContentAwaitingApproval}}).Total
	}
	return a, nil
}

// dashboard serves GET /: what needs the signed-in user now. An executive
// (viewer) reads the scorecard instead, once it is served.
func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if u.Role == vouch.RoleViewer && h.serves("/scorecard") {
		http.Redirect(w, r, "/scorecard", http.StatusSeeOther)
		return
	}
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
	if u.Can(vouch.PermRequestReference) && !u.Can(vouch.PermManageProgram) {
		fits, total, err := h.opportunityFits(r.Context(), u)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data["Opportunities"], data["OpenOpportunities"] = fits, total
	}
	if u.Can(vouch.PermManageProgram) {
		a, err := h.alerts(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data["Alerts"] = a
	}
	if h.opts.Goals != nil && u.Can(vouch.PermReadGoals) {
		users, _, err := h.goalUsers(r)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		mine, err := h.opts.Goals.OwnedBy(r.Context(), u.ID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data["MyGoals"] = h.goalRows(u, mine, users)
		if u.Can(vouch.PermManageProgram) {
			risky, err := h.opts.Goals.NeedAttention(r.Context(), u.Can(vouch.PermManageGoals))
			if err != nil {
				h.serverError(w, r, err)
				return
			}
			var others []*vouch.Goal
			for _, g := range risky {
				if g.OwnerID != u.ID && vouch.SeesGoal(u, g) {
					others = append(others, g) // the viewer's own are under "Your goals"
				}
			}
			data["GoalsAtRisk"] = h.goalRows(u, others, users)
		}
	}
	// The program team's cadence this week (cadence.go): what is still open.
	if h.opts.Cadence != nil && u.Can(vouch.PermManageCadence) {
		_, items, err := h.opts.Cadence.Week(r.Context(), h.clock.Today(), u.ID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		var open []cadence.Item
		for _, it := range items {
			if it.Occurrence.Status == vouch.OccurrenceOpen {
				open = append(open, it)
			}
		}
		data["Cadence"] = h.cadenceRows(u, open, nil)
		data["CadenceShown"] = true
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
