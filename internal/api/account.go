package api

import (
	"context"
	"net/http"
	"time"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// accountItem is an account as the API shows it: taxonomy values and the
// owner by name, and how many of its people are references.
type accountItem struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	Domain        string     `json:"domain"`
	Industry      *string    `json:"industry"`
	Segment       *string    `json:"segment"`
	Region        *string    `json:"region"`
	Country       *string    `json:"country"`
	CompanySize   *string    `json:"company_size"`
	CRMID         string     `json:"crm_id"`
	Owner         *person    `json:"owner"`
	CSM           string     `json:"csm"`
	Health        string     `json:"health"`
	NPS           *int       `json:"nps"`
	CustomerSince vouch.Date `json:"customer_since"`
	Products      []string   `json:"products"`
	Notes         string     `json:"notes"`
	Version       int        `json:"version"`
	References    int        `json:"references"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// accountItems turns accounts into items, counting their references.
func (h *Handler) accountItems(ctx context.Context, accounts []*vouch.Account) ([]accountItem, error) {
	var owners []int64
	for _, a := range accounts {
		owners = append(owners, a.OwnerID)
	}
	users, err := h.users(ctx, owners...)
	if err != nil {
		return nil, err
	}
	items := make([]accountItem, len(accounts))
	for i, a := range accounts {
		refs, err := h.db.ReferencesOfAccount(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		count := len(refs)
		if vouch.OnlyRequestable(userFrom(ctx)) {
			// A seller counts the references they may request, as their list does.
			count = h.ix.Search(refindex.Query{AccountID: a.ID, Limit: 1, Requestable: true}).Total
		}
		products := h.valueNames(a.ProductIDs)
		items[i] = accountItem{ID: a.ID, Name: a.Name, Domain: a.Domain, Industry: h.valueName(a.IndustryID),
			Segment: h.valueName(a.SegmentID), Region: h.valueName(a.RegionID), Country: h.valueName(a.CountryID),
			CompanySize: h.valueName(a.SizeID), CRMID: a.CRMID, Owner: personOf(users, a.OwnerID), CSM: a.CSM,
			Health: a.Health, NPS: a.NPS, CustomerSince: a.CustomerSince, Products: products, Notes: a.Notes,
			Version: a.Version, References: count, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	}
	return items, nil
}

func (h *Handler) accountItem(ctx context.Context, id int64) (accountItem, error) {
	a, err := h.db.Account(ctx, id)
	if err != nil {
		return accountItem{}, err
	}
	items, err := h.accountItems(ctx, []*vouch.Account{a})
	if err != nil {
		return accountItem{}, err
	}
	return items[0], nil
}

// listAccounts serves GET /api/v1/accounts: accounts in order of id, those
// whose name or domain contains ?q= when given, paged by a cursor.
func (h *Handler) listAccounts(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r, 50, 500)
	if err != nil {
		writeError(w, err)
		return
	}
	after, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		writeError(w, err)
		return
	}
	accounts, total := h.accts.List(vouch.AccountFilter{
		Query: r.URL.Query().Get("q"), AfterID: after, Limit: limit + 1})
	next := ""
	if len(accounts) > limit {
		accounts = accounts[:limit]
		next = encodeCursor(accounts[limit-1].ID)
	}
	items, err := h.accountItems(r.Context(), accounts)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(items, next, total))
}

// getAccount serves GET /api/v1/accounts/{id}.
func (h *Handler) getAccount(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "account")
	if err != nil {
		writeError(w, err)
		return
	}
	item, err := h.accountItem(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, item)
}

// accountInput is the body of POST and PATCH /api/v1/accounts.
type accountInput struct {
	Version       optional[int]      `json:"version"`
	Name          optional[string]   `json:"name"`
	Domain        optional[string]   `json:"domain"`
	Industry      optional[string]   `json:"industry"`
	Segment       optional[string]   `json:"segment"`
	Region        optional[string]   `json:"region"`
	Country       optional[string]   `json:"country"`
	CompanySize   optional[string]   `json:"company_size"`
	CRMID         optional[string]   `json:"crm_id"`
	OwnerEmail    optional[string]   `json:"owner_email"`
	CSM           optional[string]   `json:"csm"`
	Health        optional[string]   `json:"health"`
	NPS           optional[*int]     `json:"nps"`
	CustomerSince optional[string]   `json:"customer_since"`
	Products      optional[[]string] `json:"products"`
	Notes         optional[string]   `json:"notes"`
}

// accountFields are the service's field names that differ from the body's.
var accountFields = map[string]string{"owner": "owner_email"}

// input turns the body into the service's input, names as given.
func (in *accountInput) input() vouch.AccountInput {
	out := vouch.AccountInput{Version: ptr(in.Version), Name: ptr(in.Name), Domain: ptr(in.Domain),
		CRMID: ptr(in.CRMID), CSM: ptr(in.CSM), Health: ptr(in.Health), Notes: ptr(in.Notes), NPS: ptr(in.NPS),
		CustomerSince: ptr(in.CustomerSince), Products: ptr(in.Products), OwnerEmail: ptr(in.OwnerEmail),
		Values: map[string]string{}}
	for _, p := range []struct {
		field string
		in    optional[string]
	}{{"industry", in.Industry}, {"segment", in.Segment}, {"region", in.Region}, {"country", in.Country},
		{"company_size", in.CompanySize}} {
		if p.in.Set {
			out.Values[p.field] = p.in.Value
		}
	}
	return out
}

// createAccount serves POST /api/v1/accounts.
func (h *Handler) createAccount(w http.ResponseWriter, r *http.Request) {
	var in accountInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	a, err := h.refs.CreateAccount(r.Context(), in.input())
	if err != nil {
		h.fail(w, r, fieldsOf(err, accountFields))
		return
	}
	item, err := h.accountItem(r.Context(), a.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, item)
}

// updateAccount serves PATCH /api/v1/accounts/{id}: fields left out are
// unchanged; the version read is required, and a stale one is a conflict.
func (h *Handler) updateAccount(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "account")
	if err != nil {
		writeError(w, err)
		return
	}
	var in accountInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	if _, err := h.refs.UpdateAccount(r.Context(), id, in.input()); err != nil {
		h.fail(w, r, fieldsOf(err, accountFields))
		return
	}
	item, err := h.accountItem(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, item)
}

// deleteAccount serves DELETE /api/v1/accounts/{id}. An account with
// references is refused (409): delete or move them first.
func (h *Handler) deleteAccount(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "account")
	if err != nil {
		writeError(w, err)
		return
	}
	if err := h.refs.DeleteAccount(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
