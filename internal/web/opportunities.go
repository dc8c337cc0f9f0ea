package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/vouchhq/vouch/internal/vouch"
)

// opportunitiesPageSize is how many deals one list page shows.
const opportunitiesPageSize = 50

// opportunityRow is one deal in the list, with the links behind it the
// viewer may open.
type opportunityRow struct {
	*vouch.Opportunity
	Amount      string
	Owner       string
	Values      []string // industry, region, segment … as named
	AccountLink string   // the account page, when the deal is a customer's and the viewer reads accounts
	AccountName string
	Requests    []opportunityRequest // the requests on it the viewer may open
	RequestLink string               // "request a reference" for the deal's owner while it is open
}

// opportunityRequest is one request on a deal, linked to its page.
type opportunityRequest struct {
	ID    int64
	Type  string
	State vouch.RequestState
}

// opportunityFilterSelect is one picklist filter of the form.
type opportunityFilterSelect struct {
	Param, Label string
	Options      []string
	Selected     string
}

// opportunities serves GET /opportunities: the deals, newest first,
// filtered by status, a value of each coverage dimension, the account and
// words in the name or prospect (vouch.ParseOpportunityFilter), 50 a page.
// Every choice is in the URL, so a coverage cell links to its deals.
func (h *Handler) opportunities(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	q := r.URL.Query()
	cat := h.opts.Index.Catalog()
	f, err := vouch.ParseOpportunityFilter(q.Get, func(k vouch.TaxonomyKind) []*vouch.TaxonomyValue { return cat.Values(k, true) })
	if err != nil {
		h.errorPage(w, r, http.StatusBadRequest, opportunityFilterProblem(err))
		return
	}
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n > 0 {
		f.Offset = min(n, 10_000_000)
	}
	f.Limit = opportunitiesPageSize
	opps, total, err := h.opts.Fulfillment.ListOpportunities(ctx, f)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	users, err := h.usersByID(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ids := make([]int64, 0, len(opps))
	for _, o := range opps {
		ids = append(ids, o.ID)
	}
	// The requests on these deals the viewer may open: a seller their own,
	// the team every one (the fulfilment service narrows the filter).
	reqs, _, err := h.opts.Fulfillment.ListRequests(ctx, u, vouch.RequestFilter{OpportunityIDs: ids, Limit: 10 * opportunitiesPageSize})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	byOpp := map[int64][]opportunityRequest{}
	for _, rq := range reqs {
		byOpp[rq.OpportunityID] = append(byOpp[rq.OpportunityID], opportunityRequest{ID: rq.ID, Type: cat.ValueName(rq.ActivityTypeID), State: rq.State})
	}
	var account *vouch.Account
	if f.AccountID != 0 && h.opts.Accounts != nil {
		account = h.opts.Accounts.Account(f.AccountID)
	}
	rows := make([]opportunityRow, 0, len(opps))
	for _, o := range opps {
		row := opportunityRow{Opportunity: o, Amount: vouch.FormatCents(o.Currency, o.AmountCents), Requests: byOpp[o.ID]}
		if owner := users[o.OwnerID]; owner != nil {
			row.Owner = owner.Name
		}
		for _, id := range []int64{o.IndustryID, o.RegionID, o.SegmentID, o.ProductID, o.SizeID} {
			if name := cat.ValueName(id); id != 0 && name != "" {
				row.Values = append(row.Values, name)
			}
		}
		if o.AccountID != 0 && u.Can(vouch.PermReadReferences) && h.opts.Accounts != nil {
			if a := h.opts.Accounts.Account(o.AccountID); a != nil {
				row.AccountLink, row.AccountName = "/accounts/"+strconv.FormatInt(a.ID, 10), a.Name
			}
		}
		if o.OwnerID == u.ID && o.Status == vouch.OpportunityOpen {
			row.RequestLink = "/requests/new?" + url.Values{"opportunity_id": {strconv.FormatInt(o.ID, 10)}, "prefill": {"1"}}.Encode()
		}
		rows = append(rows, row)
	}
	var selects []opportunityFilterSelect
	for _, k := range vouch.OpportunityFilterKinds {
		s := opportunityFilterSelect{Param: k.Param, Label: opportunityFilterLabels[k.Param]}
		for _, v := range cat.Values(k.Kind, false) {
			s.Options = append(s.Options, v.Name)
		}
		if id := filterValueID(f, k.Kind); id != 0 {
			s.Selected = cat.ValueName(id)
			if v := cat.Value(id); v != nil && v.Retired {
				s.Options = append(s.Options, v.Name)
			}
		}
		selects = append(selects, s)
	}
	params := url.Values{}
	for _, k := range append([]string{"q", "status", "account"}, opportunityParams()...) {
		if s := q.Get(k); s != "" {
			params.Set(k, s)
		}
	}
	pageURL := func(offset int) string {
		p := url.Values{}
		for k, v := range params {
			p[k] = v
		}
		if offset > 0 {
			p.Set("offset", strconv.Itoa(offset))
		}
		if len(p) == 0 {
			return "/opportunities"
		}
		return "/opportunities?" + p.Encode()
	}
	d := map[string]any{"Rows": rows, "Total": total, "Filter": f, "Selects": selects, "Filtered": len(params) > 0,
		"From": f.Offset + 1, "To": f.Offset + len(rows), "Account": account, "Query": f.Text, "Status": string(f.Status),
		"Statuses": []string{string(vouch.OpportunityOpen), string(vouch.OpportunityWon), string(vouch.OpportunityLost)}}
	if f.Offset > 0 {
		d["PrevURL"] = pageURL(max(f.Offset-opportunitiesPageSize, 0))
	}
	if f.Offset+len(rows) < total {
		d["NextURL"] = pageURL(f.Offset + opportunitiesPageSize)
	}
	h.render(w, r, http.StatusOK, "opportunities", &page{Title: "Opportunities", Nav: "opportunities", Data: d})
}

// opportunityFilterLabels name the picklist filters as the form does.
var opportunityFilterLabels = map[string]string{"industry": "Industry", "region": "Region", "product": "Product",
	"segment": "Segment", "company_size": "Company size"}

// opportunityParams are the picklist filters' parameter names.
func opportunityParams() []string {
	var out []string
	for _, k := range vouch.OpportunityFilterKinds {
		out = append(out, k.Param)
	}
	return out
}

// filterValueID is the filter's value of a picklist kind (0 none).
func filterValueID(f vouch.OpportunityFilter, kind vouch.TaxonomyKind) int64 {
	switch kind {
	case vouch.TaxIndustry:
		return f.IndustryID
	case vouch.TaxRegion:
		return f.RegionID
	case vouch.TaxProduct:
		return f.ProductID
	case vouch.TaxSegment:
		return f.SegmentID
	case vouch.TaxCompanySize:
		return f.SizeID
	}
	return 0
}

// opportunityFilterProblem says what is wrong with the filters, each by the
// name the form gives it.
func opportunityFilterProblem(err error) string {
	labels := map[string]string{"status": "Status", "account": "Account"}
	for k, v := range opportunityFilterLabels {
		labels[k] = v
	}
	msg := ""
	for _, p := range append([]string{"status", "account"}, opportunityParams()...) {
		if reason, ok := vouch.ErrorFields(err)[p]; ok {
			msg += labels[p] + " " + reason + ". "
		}
	}
	return msg + "Change the filter and try again."
}
