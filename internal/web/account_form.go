package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// accountLabels name the account form's fields in error sentences.
var accountLabels = map[string]string{
	"name": "Name", "domain": "Website", "industry": "Industry", "segment": "Segment", "region": "Region",
	"country": "Country", "company_size": "Company size", "crm_id": "CRM id", "owner": "Owner",
	"csm": "Customer success manager", "health": "Health", "nps": "NPS", "customer_since": "Customer since",
	"products": "Products owned", "notes": "Notes", "arr": "ARR", "arr_currency": "The ARR's currency",
	"renewal_date": "Renewal date",
}

// acctForm is the account form as typed.
type acctForm struct {
	ID            int64
	Version       int
	Name          string
	Domain        string
	Values        map[string]int64 // industry, segment, region, country, company_size → value id
	CRMID         string
	OwnerID       int64
	CSM           string
	Health        string
	NPS           string
	CustomerSince string
	ARR           string // amount and currency as typed, "USD 1,200,000"
	RenewalDate   string
	Products      map[int64]bool
	Notes         string
}

// pickList is one taxonomy select of the account form.
type pickList struct {
	Field, Label string
	Values       []*vouch.TaxonomyValue
}

// accountFormPage is what account_form.html shows.
type accountFormPage struct {
	Form      *acctForm
	New       bool
	PickLists []pickList
	Products  []*vouch.TaxonomyValue
	Users     []*vouch.User
	Health    []string
	Conflict  []conflictField
}

// accountPickLists are the account's single-value taxonomy fields, in form order.
var accountPickLists = []struct {
	Field, Label string
	Kind         vouch.TaxonomyKind
}{
	{"industry", "Industry", vouch.TaxIndustry}, {"segment", "Segment", vouch.TaxSegment},
	{"region", "Region", vouch.TaxRegion}, {"country", "Country", vouch.TaxCountry},
	{"company_size", "Company size", vouch.TaxCompanySize},
}

func formOfAccount(a *vouch.Account) *acctForm {
	f := &acctForm{ID: a.ID, Version: a.Version, Name: a.Name, Domain: a.Domain, CRMID: a.CRMID, OwnerID: a.OwnerID,
		CSM: a.CSM, Health: a.Health, CustomerSince: a.CustomerSince.String(), Products: idSet(a.ProductIDs), Notes: a.Notes,
		ARR: a.ARR(), RenewalDate: a.RenewalDate.String(),
		Values: map[string]int64{"industry": a.IndustryID, "segment": a.SegmentID, "region": a.RegionID,
			"country": a.CountryID, "company_size": a.SizeID}}
	if a.NPS != nil {
		f.NPS = strconv.Itoa(*a.NPS)
	}
	return f
}

// readAccountForm reads the posted form: the form as typed, to show again
// when the save is refused, and the service's input, values by name.
func (h *Handler) readAccountForm(v url.Values) (*acctForm, vouch.AccountInput) {
	f := &acctForm{Name: v.Get("name"), Domain: v.Get("domain"), CRMID: v.Get("crm_id"), CSM: v.Get("csm"),
		Health: v.Get("health"), NPS: strings.TrimSpace(v.Get("nps")), CustomerSince: v.Get("customer_since"),
		Notes: v.Get("notes"), ARR: strings.TrimSpace(v.Get("arr")), RenewalDate: v.Get("renewal_date"),
		Values: map[string]int64{}, Products: map[int64]bool{}}
	f.Version, _ = strconv.Atoi(v.Get("version"))
	f.OwnerID, _ = strconv.ParseInt(v.Get("owner_id"), 10, 64)
	in := vouch.AccountInput{Version: &f.Version, Name: &f.Name, Domain: &f.Domain, CRMID: &f.CRMID, CSM: &f.CSM,
		Health: &f.Health, Notes: &f.Notes, CustomerSince: &f.CustomerSince, OwnerID: &f.OwnerID,
		ARR: &f.ARR, RenewalDate: &f.RenewalDate,
		Values: map[string]string{}, Unreadable: map[string]string{}}
	for _, p := range accountPickLists {
		f.Values[p.Field], _ = strconv.ParseInt(v.Get(p.Field), 10, 64)
		in.Values[p.Field] = ""
		if id := f.Values[p.Field]; id > 0 {
			in.Values[p.Field] = h.valueNameOf(id)
		}
	}
	for _, s := range v["products"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			f.Products[id] = true
		}
	}
	products := h.valueNames(f.Products)
	in.Products = &products
	var nps *int
	if f.NPS != "" {
		if n, err := strconv.Atoi(f.NPS); err != nil {
			in.Unreadable["nps"] = "must be a whole number between -100 and 100"
		} else {
			nps = &n
		}
	}
	in.NPS = &nps
	return f, in
}

// newAccount serves GET /accounts/new.
func (h *Handler) newAccount(w http.ResponseWriter, r *http.Request) {
	f := &acctForm{Values: map[string]int64{}, Products: map[int64]bool{}, OwnerID: userFrom(r.Context()).ID}
	h.renderAccountForm(w, r, http.StatusOK, &page{}, f, nil)
}

// editAccount serves GET /accounts/{id}/edit.
func (h *Handler) editAccount(w http.ResponseWriter, r *http.Request) {
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
	h.renderAccountForm(w, r, http.StatusOK, &page{}, formOfAccount(a), nil)
}

func (h *Handler) renderAccountForm(w http.ResponseWriter, r *http.Request, status int, p *page, f *acctForm, conflict []conflictField) {
	users, err := h.activeUsers(r, f.OwnerID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := &accountFormPage{Form: f, New: f.ID == 0, Users: users, Health: vouch.AccountHealth, Conflict: conflict}
	for _, pl := range accountPickLists {
		var vals []*vouch.TaxonomyValue
		for _, v := range h.opts.Catalog.Values(pl.Kind, true) {
			if !v.Retired || f.Values[pl.Field] == v.ID {
				vals = append(vals, v)
			}
		}
		d.PickLists = append(d.PickLists, pickList{Field: pl.Field, Label: pl.Label, Values: vals})
	}
	for _, v := range h.opts.Catalog.Values(vouch.TaxProduct, true) {
		if !v.Retired || f.Products[v.ID] {
			d.Products = append(d.Products, v)
		}
	}
	p.Nav, p.Data = "accounts", d
	if d.New {
		p.Title = "Add account"
	} else {
		p.Title = "Edit " + f.Name
	}
	h.render(w, r, status, "account_form", p)
}

// createAccount serves POST /accounts/new.
func (h *Handler) createAccount(w http.ResponseWriter, r *http.Request) {
	f, in := h.readAccountForm(r.PostForm)
	in.Version = nil
	a, err := h.refs.CreateAccount(r.Context(), in)
	if err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		h.refuseAccountForm(w, r, f, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/accounts/%d", a.ID), fmt.Sprintf("Added %s. Add the people who vouch for it as references.", a.Name))
}

// updateAccount serves POST /accounts/{id}/edit, with the same protection
// against overwriting someone else's save as references have.
func (h *Handler) updateAccount(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f, in := h.readAccountForm(r.PostForm)
	f.ID = id
	a, err := h.refs.UpdateAccount(r.Context(), id, in)
	if err == nil {
		redirect(w, r, fmt.Sprintf("/accounts/%d", id), "Saved "+a.Name+".")
		return
	}
	if !isFormError(err) {
		h.fail(w, r, err)
		return
	}
	if _, stale := vouch.ErrorFields(err)["version"]; stale && vouch.ErrorCode(err) == vouch.ECONFLICT {
		h.accountConflict(w, r, f)
		return
	}
	h.refuseAccountForm(w, r, f, err)
}

// refuseAccountForm shows the form again with the service's problems.
func (h *Handler) refuseAccountForm(w http.ResponseWriter, r *http.Request, f *acctForm, err error) {
	p := &page{Errors: map[string]string{}}
	status := failForm(p, err, accountLabels)
	delete(p.Errors, "version")
	// The form has one ARR field, amount and currency together: a missing
	// or unknown currency is said there.
	if msg, ok := p.Errors["arr_currency"]; ok {
		if _, both := p.Errors["arr"]; !both {
			p.Errors["arr"] = msg
		}
		delete(p.Errors, "arr_currency")
	}
	if len(p.Errors) > 0 && vouch.ErrorCode(err) != vouch.ECONFLICT {
		p.Error = "Please correct the highlighted field."
		if len(p.Errors) > 1 {
			p.Error = fmt.Sprintf("Please correct the %d highlighted fields.", len(p.Errors))
		}
	}
	if p.Error == "" {
		p.Error = "Nothing was saved."
	}
	h.renderAccountForm(w, r, status, p, f, nil)
}

// accountConflict shows the form again after a save lost to someone else's:
// the input kept, what differs listed, the saved version carried.
func (h *Handler) accountConflict(w http.ResponseWriter, r *http.Request, f *acctForm) {
	saved, err := h.db.Account(r.Context(), f.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	theirs := formOfAccount(saved)
	userName := func(id int64) string {
		if id == 0 {
			return ""
		}
		if u, err := h.db.User(r.Context(), id); err == nil {
			return u.Name
		}
		return fmt.Sprintf("user #%d", id)
	}
	names := func(m map[int64]bool) string {
		var out []string
		for _, id := range setIDs(m) {
			out = append(out, h.opts.Catalog.ValueName(id))
		}
		return strings.Join(out, ", ")
	}
	var diff []conflictField
	add := func(label, saved, yours string) {
		if strings.Join(strings.Fields(saved), " ") != strings.Join(strings.Fields(yours), " ") {
			diff = append(diff, conflictField{label, saved, yours})
		}
	}
	add("Name", theirs.Name, f.Name)
	add("Website", theirs.Domain, vouch.NormalizeDomain(f.Domain))
	for _, pl := range accountPickLists {
		add(pl.Label, h.opts.Catalog.ValueName(theirs.Values[pl.Field]), h.opts.Catalog.ValueName(f.Values[pl.Field]))
	}
	add("CRM id", theirs.CRMID, f.CRMID)
	add("Owner", userName(theirs.OwnerID), userName(f.OwnerID))
	add("Customer success manager", theirs.CSM, f.CSM)
	add("Health", theirs.Health, f.Health)
	add("NPS", theirs.NPS, f.NPS)
	add("Customer since", theirs.CustomerSince, f.CustomerSince)
	add("ARR", theirs.ARR, f.ARR)
	add("Renewal date", theirs.RenewalDate, f.RenewalDate)
	add("Products owned", names(theirs.Products), names(f.Products))
	add("Notes", theirs.Notes, f.Notes)
	f.Version = saved.Version
	p := &page{Error: "Someone else saved this account after you opened it. Your changes below are not saved yet: " +
		"check them against the saved version, then save again to keep yours."}
	h.renderAccountForm(w, r, http.StatusConflict, p, f, diff)
}
