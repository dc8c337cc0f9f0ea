package web

import (
	"fmt"
	"net/http"
	"net/url"
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

// accountsPage is what accounts.html shows.
type accountsPage struct {
	Query     string
	Rows      []accountRow
	Total     int
	NextURL   string
	FirstURL  string
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

// accounts serves GET /accounts: customer companies, searchable by name or domain.
func (h *Handler) accounts(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	list, total := h.opts.Accounts.List(vouch.AccountFilter{Query: q, AfterID: max(after, 0), Limit: accountsPageSize + 1})
	users, err := h.usersByID(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ix := h.opts.Index
	d := &accountsPage{Query: q, Total: total, CanManage: userFrom(r.Context()).Can(vouch.PermManageProgram)}
	params := url.Values{}
	if q != "" {
		params.Set("q", q)
	}
	if len(list) > accountsPageSize {
		list = list[:accountsPageSize]
		next := url.Values{"after": {strconv.FormatInt(list[len(list)-1].ID, 10)}}
		if q != "" {
			next.Set("q", q)
		}
		d.NextURL = "/accounts?" + next.Encode()
	}
	if after > 0 {
		d.FirstURL = "/accounts"
		if q != "" {
			d.FirstURL += "?" + params.Encode()
		}
	}
	active := refindex.StatusKey(vouch.StatusActive)
	for _, a := range list {
		row := accountRow{Account: a, Industry: h.opts.Catalog.ValueName(a.IndustryID), Region: h.opts.Catalog.ValueName(a.RegionID)}
		if u := users[a.OwnerID]; u != nil {
			row.Owner = u.Name
		}
		res := ix.Search(refindex.Query{AccountID: a.ID, Limit: 1, CountFacets: []string{"status"},
			Requestable: vouch.OnlyRequestable(userFrom(r.Context()))})
		row.References = res.Total
		for _, v := range res.Facets["status"] {
			if v.Key == active {
				row.Active = v.Count
			}
		}
		d.Rows = append(d.Rows, row)
	}
	h.render(w, r, http.StatusOK, "accounts", &page{Title: "Accounts", Nav: "accounts", Data: d})
}

// accountView is what account_view.html shows.
type accountView struct {
	Account   *vouch.Account
	Facts     map[string]string // taxonomy names by field
	Products  []string
	Owner     *vouch.User
	Refs      []referenceRow
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
