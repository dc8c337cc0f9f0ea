package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
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
	// ARR in units of ARRCurrency, cents as hundredths; null when not known.
	ARR         *float64   `json:"arr"`
	ARRCurrency string     `json:"arr_currency"`
	RenewalDate vouch.Date `json:"renewal_date"`
	Version     int        `json:"version"`
	References  int        `json:"references"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
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
			count = h.ix.AccountReferences()[a.ID].Requestable
		}
		products := h.valueNames(a.ProductIDs)
		items[i] = accountItem{ID: a.ID, Name: a.Name, Domain: a.Domain, Industry: h.valueName(a.IndustryID),
			Segment: h.valueName(a.SegmentID), Region: h.valueName(a.RegionID), Country: h.valueName(a.CountryID),
			CompanySize: h.valueName(a.SizeID), CRMID: a.CRMID, Owner: personOf(users, a.OwnerID), CSM: a.CSM,
			Health: a.Health, NPS: a.NPS, CustomerSince: a.CustomerSince, Products: products, Notes: a.Notes,
			RenewalDate: a.RenewalDate, ARRCurrency: a.ARRCurrency,
			Version: a.Version, References: count, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
		if a.HasARR() {
			arr := float64(a.ARRCents) / 100
			items[i].ARR = &arr
		}
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

// accountList is a page of accounts, with the facet counts asked for.
type accountList struct {
	Items      []accountItem           `json:"items"`
	NextCursor string                  `json:"next_cursor"`
	Total      int                     `json:"total"`
	Facets     map[string][]facetValue `json:"facets,omitempty"`
}

// accountTaxonomies are the taxonomy filters of the account list.
var accountTaxonomies = []struct {
	param string
	kind  vouch.TaxonomyKind
}{{"industry", vouch.TaxIndustry}, {"segment", vouch.TaxSegment}, {"region", vouch.TaxRegion},
	{"country", vouch.TaxCountry}, {"company_size", vouch.TaxCompanySize}}

// accountQuery reads GET /api/v1/accounts's search from the URL: q, the
// filters (taxonomy values by name, health, owner by email), sort and facets.
func (h *Handler) accountQuery(ctx context.Context, q url.Values) (refindex.AccountQuery, error) {
	var v vouch.Validation
	aq := refindex.AccountQuery{Text: q.Get("q"), Filters: map[string][]int64{}}
	for _, t := range accountTaxonomies {
		for _, raw := range q[t.param] {
			ids, bad := h.valuesOfParam(t.kind, raw)
			if bad != "" {
				v.Add(t.param, h.unknownValue(t.kind, bad))
			}
			aq.Filters[t.param] = append(aq.Filters[t.param], ids...)
		}
	}
	for _, name := range listParam(q, "health") {
		k := refindex.HealthKey(name)
		if k < 0 {
			v.Add("health", fmt.Sprintf("has no value %q; it is one of %s", name, strings.Join(vouch.AccountHealth, ", ")))
			continue
		}
		aq.Filters["health"] = append(aq.Filters["health"], k)
	}
	for _, email := range listParam(q, "owner") {
		u, err := h.db.UserByEmail(ctx, email)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("owner", fmt.Sprintf("has no user with the email %q", email))
			continue
		} else if err != nil {
			return aq, err
		}
		aq.Filters["owner"] = append(aq.Filters["owner"], u.ID)
	}
	if sort := strings.ToLower(q.Get("sort")); sort != "" {
		if !slices.Contains(refindex.AccountSorts, sort) {
			v.Add("sort", "must be one of "+strings.Join(refindex.AccountSorts, ", "))
		}
		aq.Sort = sort
	}
	for _, name := range listParam(q, "facets") {
		name = strings.ToLower(name)
		if !slices.Contains(refindex.AccountFacets, name) {
			v.Add("facets", fmt.Sprintf("has no facet %q; it takes %s", name, strings.Join(refindex.AccountFacets, ", ")))
			continue
		}
		if !slices.Contains(aq.CountFacets, name) {
			aq.CountFacets = append(aq.CountFacets, name)
		}
	}
	return aq, paramError(v.Err())
}

// listAccounts serves GET /api/v1/accounts: the accounts matching ?q= and
// the filters, in the order asked (by default the order added), a page at a
// time, with facet counts on request. In the order added the cursor is the
// last account seen, so a page neither skips nor repeats when accounts are
// added; in the other orders it is the offset of the next page.
func (h *Handler) listAccounts(w http.ResponseWriter, r *http.Request) {
	aq, err := h.accountQuery(r.Context(), r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	limit, err := limitParam(r, 50, 500)
	if err != nil {
		writeError(w, err)
		return
	}
	cursor, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		writeError(w, err)
		return
	}
	added := aq.Sort == "" || aq.Sort == "added"
	if added {
		aq.AfterID, aq.Limit = cursor, limit+1
	} else {
		aq.Offset, aq.Limit = int(min(cursor, 1<<30)), limit
	}
	aq.Requestable = vouch.OnlyRequestable(userFrom(r.Context())) // "references" counts what each item's count says
	res := h.accts.Search(aq)
	accounts, next := res.Accounts, ""
	switch {
	case added && len(accounts) > limit:
		accounts = accounts[:limit]
		next = encodeCursor(accounts[limit-1].ID)
	case !added:
		next = nextCursor(aq.Offset, len(accounts), res.Total)
	}
	items, err := h.accountItems(r.Context(), accounts)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if items == nil {
		items = []accountItem{}
	}
	out := accountList{Items: items, NextCursor: next, Total: res.Total}
	if len(aq.CountFacets) > 0 {
		if out.Facets, err = h.accountFacets(r.Context(), res.Facets); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// accountFacets names the account facet counts as the parameters take
// them: owners by email.
func (h *Handler) accountFacets(ctx context.Context, counted map[string][]refindex.FacetValue) (map[string][]facetValue, error) {
	out := map[string][]facetValue{}
	for facet, vals := range counted {
		list, err := h.facetList(ctx, facet, vals)
		if err != nil {
			return nil, err
		}
		out[facet] = list
	}
	return out, nil
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
	// ARR is a number in units (1200000.5) or text with its currency
	// ("USD 1,200,000"); null or "" is "not known".
	ARR         optional[any]    `json:"arr"`
	ARRCurrency optional[string] `json:"arr_currency"`
	RenewalDate optional[string] `json:"renewal_date"`
}

// accountFields are the service's field names that differ from the body's.
var accountFields = map[string]string{"owner": "owner_email"}

// input turns the body into the service's input, names as given.
func (in *accountInput) input() vouch.AccountInput {
	out := vouch.AccountInput{Version: ptr(in.Version), Name: ptr(in.Name), Domain: ptr(in.Domain),
		CRMID: ptr(in.CRMID), CSM: ptr(in.CSM), Health: ptr(in.Health), Notes: ptr(in.Notes), NPS: ptr(in.NPS),
		CustomerSince: ptr(in.CustomerSince), Products: ptr(in.Products), OwnerEmail: ptr(in.OwnerEmail),
		ARRCurrency: ptr(in.ARRCurrency), RenewalDate: ptr(in.RenewalDate),
		Values: map[string]string{}, Unreadable: map[string]string{}}
	if in.ARR.Set {
		var text string
		switch v := in.ARR.Value.(type) {
		case nil:
		case string:
			text = v
		case float64:
			// Two decimals, so the amount cannot read as grouped thousands
			// ("1234.567" would).
			text = strconv.FormatFloat(v, 'f', 2, 64)
		default:
			out.Unreadable["arr"] = `must be a number or text like "USD 1,200,000"`
		}
		out.ARR = &text
	}
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
