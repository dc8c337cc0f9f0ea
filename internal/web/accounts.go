package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// accountsPageSize is how many accounts one list page shows.
const accountsPageSize = 50

// accountRow is one account in the list.
type accountRow struct {
	*vouch.Account
	Industry, Region string
	Owner            string
	References       int
	Active           int
}

// accountListFacets are the account list's facets, in order: URL parameter
// (the index's facet name) and heading.
var accountListFacets = []listFacet{
	{"industry", "Industry"}, {"segment", "Segment"}, {"region", "Region"}, {"country", "Country"},
	{"company_size", "Company size"}, {"health", "Health"}, {"owner", "Owner"},
}

// accountSorts are the orders the account list offers; the first is the default.
var accountSorts = []struct{ Value, Label string }{
	{"", "Order added"}, {"name", "Name"}, {"references", "Most references"}, {"updated", "Recently updated"},
}

// accountsPage is what accounts.html shows.
type accountsPage struct {
	Query     string
	Sort      string
	Sorts     []struct{ Value, Label string }
	Facets    []*facetView
	Selected  int // facet values selected
	Filtered  bool
	Rows      []accountRow
	Total     int
	From, To  int
	PrevURL   string
	NextURL   string
	CanManage bool
}

// usersByID returns every user by id, for showing owners' names.
func (h *Handler) usersByID(r *http.Request) (map[int64]*vouch.User, error) {
	users, err := h.db.ListUsers(r.Context())
	if err != nil {
		return nil, err
	}
	m := make(map[int64]*vouch.User, len(users))
	for _, u := range users {
		m[u.ID] = u
	}
	return m, nil
}

// accountFacetKey turns a facet value from the URL into the index's key:
// taxonomy values and health by name (any case), owners by user id; -1 when
// it names nothing.
func (h *Handler) accountFacetKey(facet, raw string) int64 {
	switch facet {
	case "health":
		return refindex.HealthKey(raw)
	case "owner":
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil && id > 0 {
			return id
		}
		return -1
	}
	kind := map[string]vouch.TaxonomyKind{"industry": vouch.TaxIndustry, "segment": vouch.TaxSegment, "region": vouch.TaxRegion,
		"country": vouch.TaxCountry, "company_size": vouch.TaxCompanySize}[facet]
	if id := h.opts.Catalog.ValueID(kind, raw); id != 0 {
		return id
	}
	return -1
}

// accounts serves GET /accounts: customer companies, searchable by name or
// domain, filtered by facets with counts, in the order chosen. Every choice
// is in the URL.
func (h *Handler) accounts(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := refindex.AccountQuery{Text: strings.TrimSpace(v.Get("q")), Filters: map[string][]int64{}, Limit: accountsPageSize}
	params := url.Values{}
	if q.Text != "" {
		params.Set("q", q.Text)
	}
	selected, unknown := map[string][]string{}, map[string][]string{}
	for _, f := range accountListFacets {
		for _, raw := range v[f.Name] {
			if raw = strings.TrimSpace(raw); raw == "" || slices.Contains(selected[f.Name], raw) {
				continue
			}
			key := h.accountFacetKey(f.Name, raw)
			if key < 0 {
				unknown[f.Name] = append(unknown[f.Name], raw) // kept: it matches nothing, and says so
			}
			q.Filters[f.Name] = append(q.Filters[f.Name], key)
			selected[f.Name] = append(selected[f.Name], raw)
			params.Add(f.Name, raw)
		}
	}
	if s := v.Get("sort"); s != "added" && slices.Contains(refindex.AccountSorts, s) {
		q.Sort = s
		params.Set("sort", s)
	}
	if n, err := strconv.Atoi(v.Get("offset")); err == nil && n > 0 {
		q.Offset = min(n, 10_000_000)
	}
	q.CountFacets = refindex.AccountFacets
	q.Requestable = vouch.OnlyRequestable(userFrom(r.Context())) // "most references" counts what the rows show
	res := h.opts.Accounts.Search(q)
	users, err := h.usersByID(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := &accountsPage{Query: q.Text, Sort: q.Sort, Sorts: accountSorts, Total: res.Total,
		Filtered: q.Text != "" || len(selected) > 0, CanManage: userFrom(r.Context()).Can(vouch.PermManageProgram)}
	d.Facets = accountFacetViews(res.Facets, unknown, users)
	for _, f := range d.Facets {
		d.Selected += f.Selected
	}
	pageURL := func(offset int) string {
		u := url.Values{}
		for k, vals := range params {
			u[k] = vals
		}
		if offset > 0 {
			u.Set("offset", strconv.Itoa(offset))
		}
		if len(u) == 0 {
			return "/accounts"
		}
		return "/accounts?" + u.Encode()
	}
	if q.Offset > 0 {
		d.PrevURL = pageURL(max(q.Offset-accountsPageSize, 0))
	}
	if q.Offset+accountsPageSize < res.Total {
		d.NextURL = pageURL(q.Offset + accountsPageSize)
	}
	sellerView := vouch.OnlyRequestable(userFrom(r.Context()))
	for _, a := range res.Accounts {
		refs := res.References[a.ID]
		row := accountRow{Account: a, Industry: h.opts.Catalog.ValueName(a.IndustryID), Region: h.opts.Catalog.ValueName(a.RegionID),
			References: refs.Total, Active: refs.Active}
		if sellerView {
			row.References = refs.Requestable // a seller counts what they may request, as their list does
		}
		if u := users[a.OwnerID]; u != nil {
			row.Owner = u.Name
		}
		d.Rows = append(d.Rows, row)
	}
	if len(d.Rows) > 0 {
		d.From, d.To = q.Offset+1, q.Offset+len(d.Rows)
	}
	h.render(w, r, http.StatusOK, "accounts", &page{Title: "Accounts", Nav: "accounts", Data: d})
}

// accountFacetViews turns the account facet counts into checkbox lists:
// selected values first, then by count, except company size and health,
// which keep their own order (smallest first, best first).
func accountFacetViews(counts map[string][]refindex.FacetValue, unknown map[string][]string, users map[int64]*vouch.User) []*facetView {
	var out []*facetView
	for _, f := range accountListFacets {
		fv := &facetView{Name: f.Name, Label: f.Label}
		var opts []facetOption
		for _, v := range counts[f.Name] {
			param, label := v.Name, v.Name
			switch f.Name {
			case "health":
				label = capitalize(v.Name)
			case "owner":
				param, label = strconv.FormatInt(v.Key, 10), "Unknown user"
				if u := users[v.Key]; u != nil {
					label = u.Name
				}
			}
			opts = append(opts, facetOption{Param: param, Label: label, Count: v.Count, Selected: v.Selected})
		}
		// Company size and health keep their own order (smallest first, best first).
		if fv.finish(f.Name, "af-", f.Name == "company_size" || f.Name == "health", opts, unknown[f.Name]) {
			out = append(out, fv)
		}
	}
	return out
}

// accountView is what account_view.html shows.
type accountView struct {
	Ledger    ledgerView // the ask ledger of the account's references the viewer may see, and its flag
	Account   *vouch.Account
	Facts     map[string]string // taxonomy names by field
	Products  []string
	Owner     *vouch.User
	Refs      []referenceRow
	Content   []contentRow // featuring the account, as the viewer may see it
	CanManage bool
}

// accountPage serves GET /accounts/{id}: the account and its references.
func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	a, err := h.db.Account(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ix := h.opts.Index
	d := &accountView{Account: a, CanManage: userFrom(r.Context()).Can(vouch.PermManageProgram), Facts: map[string]string{
		"industry": h.opts.Catalog.ValueName(a.IndustryID), "segment": h.opts.Catalog.ValueName(a.SegmentID), "region": h.opts.Catalog.ValueName(a.RegionID),
		"country": h.opts.Catalog.ValueName(a.CountryID), "size": h.opts.Catalog.ValueName(a.SizeID)}}
	for _, p := range a.ProductIDs {
		d.Products = append(d.Products, h.opts.Catalog.ValueName(p))
	}
	if a.OwnerID != 0 {
		if u, err := h.db.User(r.Context(), a.OwnerID); err == nil {
			d.Owner = u
		}
	}
	for _, hit := range ix.Search(refindex.Query{AccountID: id, Limit: -1, Sort: "name",
		Requestable: vouch.OnlyRequestable(userFrom(r.Context()))}).Hits {
		d.Refs = append(d.Refs, referenceRow{Hit: hit})
	}
	if d.Content, err = h.contentFeaturing(r, vouch.ContentFilter{AccountID: id}); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.Ledger, err = h.accountLedger(r.Context(), a); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "account_view", &page{Title: a.Name, Nav: "accounts", Data: d})
}

// deleteAccount serves POST /accounts/{id}/delete. An account with
// references is kept: the store refuses, and the page says why.
func (h *Handler) deleteAccount(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	back := fmt.Sprintf("/accounts/%d", id)
	a, err := h.db.Account(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.PostFormValue("confirm") == "" {
		redirectError(w, r, back, "Nothing deleted: tick the box to confirm you want to delete "+a.Name+".")
		return
	}
	if err := h.refs.DeleteAccount(r.Context(), id); err != nil {
		if vouch.ErrorCode(err) == vouch.ECONFLICT {
			redirectError(w, r, back, "Not deleted: "+vouch.ErrorMessage(err))
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/accounts", fmt.Sprintf("Deleted %s. The audit log keeps a record of it.", a.Name))
}
