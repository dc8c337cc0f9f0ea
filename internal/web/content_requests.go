package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Content requests: a seller asks for content that does not exist yet
// (/content-requests/new), sees their requests (/content-requests) and the
// team's answer on each (/content-requests/{id}); the program team sees
// every request and moves it along on its page.

// contentRequestStateClass is the pill colour of a content request state.
func contentRequestStateClass(s string) string {
	switch s {
	case vouch.ContentRequestOpen:
		return "pill-accent"
	case vouch.ContentRequestInProgress:
		return "pill-warn"
	case vouch.ContentRequestDone:
		return "pill-ok"
	case vouch.ContentRequestDeclined:
		return "pill-bad"
	}
	return "pill-muted"
}

// contentRequestRow is a content request as lists and its page show it.
type contentRequestRow struct {
	Req         *vouch.ContentRequest
	State       string
	Class       string
	Type        string
	Tags        []string // "Healthcare", "EMEA" …
	Opportunity string
	Fulfilled   string // the title of the item that answers it
}

// contentRequestRow makes the row of req; opps names the opportunities
// (read for the whole list at once). The fulfilling item's title comes from
// the content index, which the team sees whole.
func (h *Handler) contentRequestRow(req *vouch.ContentRequest, opps map[int64]string) contentRequestRow {
	row := contentRequestRow{Req: req, State: vouch.ContentRequestStateLabel(req.State), Class: contentRequestStateClass(req.State),
		Type: h.opts.Catalog.ValueName(req.TypeID)}
	for _, k := range vouch.ContentRequestTagKinds {
		for _, id := range req.TagIDs(k) {
			row.Tags = append(row.Tags, h.opts.Catalog.ValueName(id))
		}
	}
	row.Opportunity = opps[req.OpportunityID]
	if req.FulfilledBy != 0 {
		if hit, ok := h.opts.Library.Get(req.FulfilledBy, true, true); ok {
			row.Fulfilled = hit.Item.Title
		}
	}
	return row
}

// stateTab is one filter of the list.
type stateTab struct {
	Value, Label string
	Current      bool
}

// contentRequests serves GET /content-requests: the seller's own requests,
// every one for the team; ?state= filters.
func (h *Handler) contentRequests(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	state := strings.TrimSpace(r.URL.Query().Get("state"))
	list, total, err := h.opts.Content.ContentRequests(r.Context(), u, vouch.ContentRequestFilter{State: state, Limit: 200})
	if vouch.ErrorCode(err) == vouch.EINVALID {
		state = ""
		list, total, err = h.opts.Content.ContentRequests(r.Context(), u, vouch.ContentRequestFilter{Limit: 200})
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	tabs := []stateTab{{Value: "", Label: "All", Current: state == ""}}
	for _, s := range vouch.ContentRequestStates {
		tabs = append(tabs, stateTab{Value: s, Label: vouch.ContentRequestStateLabel(s), Current: s == state})
	}
	var oppIDs []int64
	for _, req := range list {
		oppIDs = append(oppIDs, req.OpportunityID)
	}
	opps := h.opportunityNames(r, oppIDs)
	rows := make([]contentRequestRow, len(list))
	for i, req := range list {
		rows[i] = h.contentRequestRow(req, opps)
	}
	h.render(w, r, http.StatusOK, "content_requests", &page{Title: "Content requests", Nav: "content",
		Data: map[string]any{"Rows": rows, "Total": total, "Tabs": tabs, "Team": vouch.MayMoveContentRequest(u)}})
}

// contentRequestForm is what content_request_new.html offers.
type contentRequestForm struct {
	Types         []*vouch.TaxonomyValue
	Tags          []requestTagChoice
	Opportunities []*vouch.Opportunity
}

// requestTagChoice is one picklist of the form.
type requestTagChoice struct {
	Kind   vouch.TaxonomyKind
	Label  string
	Values []*vouch.TaxonomyValue
}

var contentRequestLabels = map[string]string{"description": "What you need", "type": "Type", "opportunity": "Opportunity",
	"industry": "Industry", "region": "Region", "product": "Product", "use_case": "Use case", "segment": "Segment"}

// newContentRequest serves GET /content-requests/new.
func (h *Handler) newContentRequest(w http.ResponseWriter, r *http.Request) {
	h.renderContentRequestForm(w, r, http.StatusOK, &page{Form: r.URL.Query()})
}

func (h *Handler) renderContentRequestForm(w http.ResponseWriter, r *http.Request, status int, p *page) {
	u := userFrom(r.Context())
	d := &contentRequestForm{Types: h.opts.Catalog.Values(vouch.TaxContentType, false)}
	for _, k := range vouch.ContentRequestTagKinds {
		d.Tags = append(d.Tags, requestTagChoice{Kind: k, Label: contentRequestLabels[string(k)], Values: h.opts.Catalog.Values(k, false)})
	}
	opps, _, err := h.opts.Fulfillment.ListOpportunities(r.Context(), vouch.OpportunityFilter{OwnerID: u.ID, Status: vouch.OpportunityOpen, Limit: 200})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.Opportunities = opps
	p.Title, p.Nav, p.Data = "Ask for content", "content", d
	h.render(w, r, status, "content_request_new", p)
}

// createContentRequest serves POST /content-requests/new.
func (h *Handler) createContentRequest(w http.ResponseWriter, r *http.Request) {
	in := content.ContentRequestInput{Description: r.PostFormValue("description"), Type: r.PostFormValue("type"),
		Tags: map[vouch.TaxonomyKind][]string{}}
	for _, k := range vouch.ContentRequestTagKinds {
		if v := strings.TrimSpace(r.PostFormValue(string(k))); v != "" {
			in.Tags[k] = []string{v}
		}
	}
	var err error
	if s := strings.TrimSpace(r.PostFormValue("opportunity_id")); s != "" {
		id, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil || id <= 0 {
			err = &vouch.Error{Code: vouch.EINVALID, Message: "Please correct the highlighted field.",
				Fields: map[string]string{"opportunity": "is not a known opportunity"}}
		}
		in.OpportunityID = id
	}
	var req *vouch.ContentRequest
	if err == nil {
		req, err = h.opts.Content.CreateContentRequest(r.Context(), userFrom(r.Context()), in)
	}
	if err != nil {
		if vouch.ErrorCode(err) != vouch.EINVALID {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, contentRequestLabels)
		h.renderContentRequestForm(w, r, status, p)
		return
	}
	redirect(w, r, "/content-requests/"+strconv.FormatInt(req.ID, 10), "Request sent. The content team will tell you here when it is done.")
}

// contentRequestPage serves GET /content-requests/{id}: the request, the
// team's answer, and for the team the form that moves it along.
func (h *Handler) contentRequestPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	req, err := h.opts.Content.ContentRequest(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderContentRequest(w, r, http.StatusOK, &page{}, req)
}

func (h *Handler) renderContentRequest(w http.ResponseWriter, r *http.Request, status int, p *page, req *vouch.ContentRequest) {
	u := userFrom(r.Context())
	d := map[string]any{"Row": h.contentRequestRow(req, h.opportunityNames(r, []int64{req.OpportunityID})),
		"Team": vouch.MayMoveContentRequest(u)}
	if vouch.MayMoveContentRequest(u) {
		// The items that could answer it: those with the request's tags
		// first, else the newest approved ones.
		q := contentindex.Query{Manage: true, States: []vouch.ContentState{vouch.ContentApprovedExternal, vouch.ContentApprovedInternal},
			Filters: map[vouch.TaxonomyKind][]int64{}, Limit: 50}
		if req.TypeID != 0 {
			q.Filters[vouch.TaxContentType] = []int64{req.TypeID}
		}
		for _, k := range vouch.ContentRequestTagKinds {
			if ids := req.TagIDs(k); len(ids) > 0 {
				q.Filters[k] = ids
			}
		}
		res := h.opts.Library.Search(q)
		if len(res.Items) == 0 {
			q.Filters = nil
			res = h.opts.Library.Search(q)
		}
		candidates := res.Items
		if req.FulfilledBy != 0 {
			found := false
			for _, c := range candidates {
				found = found || c.Item.ID == req.FulfilledBy
			}
			if hit, ok := h.opts.Library.Get(req.FulfilledBy, true, true); ok && !found {
				candidates = append([]contentindex.Hit{hit}, candidates...)
			}
		}
		var states []stateTab
		for _, s := range vouch.ContentRequestStates {
			states = append(states, stateTab{Value: s, Label: vouch.ContentRequestStateLabel(s), Current: s == req.State})
		}
		d["Candidates"], d["States"] = candidates, states
	}
	p.Title, p.Nav, p.Data = "Content request", "content", d
	h.render(w, r, status, "content_request", p)
}

// moveContentRequest serves POST /content-requests/{id}: the team's step,
// at the version the form was read at.
func (h *Handler) moveContentRequest(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	u := userFrom(r.Context())
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	note := r.PostFormValue("note")
	m := vouch.ContentRequestMove{State: r.PostFormValue("state"), Note: &note, Version: version}
	var fulfilled int64
	if s := strings.TrimSpace(r.PostFormValue("fulfilled_by")); s != "" {
		fulfilled, _ = strconv.ParseInt(s, 10, 64)
	}
	m.FulfilledBy = &fulfilled
	saved, err := h.opts.Content.MoveContentRequest(r.Context(), u, id, m)
	if err != nil {
		code := vouch.ErrorCode(err)
		if code != vouch.EINVALID && code != vouch.ECONFLICT {
			h.fail(w, r, err)
			return
		}
		req, rerr := h.opts.Content.ContentRequest(r.Context(), u, id)
		if rerr != nil {
			h.fail(w, r, rerr)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, map[string]string{"state": "State", "note": "Note", "fulfilled_by": "Fulfilled by", "version": "Version"})
		h.renderContentRequest(w, r, status, p, req)
		return
	}
	msg := "Saved."
	switch saved.State {
	case vouch.ContentRequestDone:
		msg = "Marked done. The seller is told, with a link to the item."
	case vouch.ContentRequestDeclined:
		msg = "Declined. The seller is told why."
	}
	redirect(w, r, "/content-requests/"+strconv.FormatInt(id, 10), msg)
}
