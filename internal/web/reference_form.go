package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// referenceLabels name the reference form's fields in error sentences.
var referenceLabels = map[string]string{
	"account": "Account", "name": "Name", "title": "Title", "seniority": "Seniority", "email": "Email",
	"phone": "Phone", "time_zone": "Time zone", "languages": "Languages", "products": "Products",
	"use_cases": "Use cases", "competitors": "Competitors replaced", "activities": "Activities agreed",
	"deployment": "Deployment", "go_live": "Go-live date", "story": "Story", "owner": "Owner",
	"last_verified": "Last verified", "capacity": "Capacity", "crm_id": "CRM id", "status": "Status",
	"reason": "Reason", "until": "Resting until",
}

// refForm is the reference form's state: what the person typed, kept as
// typed so a refused save shows it again unchanged.
type refForm struct {
	ID            int64
	Version       int
	Account       string
	CreateAccount bool
	Name          string
	Title         string
	Seniority     string
	Email         string
	Phone         string
	TimeZone      string
	Languages     string
	Products      map[int64]bool
	UseCases      map[int64]bool
	Competitors   map[int64]bool
	Activities    map[int64]bool
	Consent       map[int64]string // activity type → consent date as typed
	Deployment    string
	GoLive        string
	Story         string
	OwnerID       int64
	LastVerified  string
	Capacity      string
	CRMID         string
	Status        string
}

// conflictField is a field where the saved reference differs from what the person submitted.
type conflictField struct{ Label, Saved, Yours string }

// referenceFormPage is what reference_form.html shows.
type referenceFormPage struct {
	Form          *refForm
	New           bool
	Accounts      []string // names, for the account field's suggestions
	Users         []*vouch.User
	Products      []*vouch.TaxonomyValue
	UseCases      []*vouch.TaxonomyValue
	Competitors   []*vouch.TaxonomyValue
	ActivityTypes []*vouch.TaxonomyValue
	Seniorities   []string
	Deployments   []string
	Statuses      []vouch.Status
	TimeZones     []string
	CapDefault    int
	Conflict      []conflictField
}

// commonTimeZones are suggested in the time zone field; any IANA zone is accepted.
var commonTimeZones = []string{"America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
	"America/Toronto", "America/Mexico_City", "America/Sao_Paulo", "Europe/London", "Europe/Dublin", "Europe/Paris",
	"Europe/Berlin", "Europe/Amsterdam", "Europe/Madrid", "Europe/Rome", "Europe/Stockholm", "Europe/Zurich",
	"Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
	"Pacific/Auckland", "UTC"}

func idSet(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func setIDs(m map[int64]bool) []int64 {
	var out []int64
	for id, ok := range m {
		if ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// formOfReference fills the form from a stored reference.
func formOfReference(ref *vouch.Reference, accountName string) *refForm {
	f := &refForm{ID: ref.ID, Version: ref.Version, Account: accountName, Name: ref.Name, Title: ref.Title,
		Seniority: ref.Seniority, Email: ref.Email, Phone: ref.Phone, TimeZone: ref.TimeZone,
		Languages: strings.Join(ref.Languages, ", "), Products: idSet(ref.ProductIDs), UseCases: idSet(ref.UseCaseIDs),
		Competitors: idSet(ref.CompetitorIDs), Activities: map[int64]bool{}, Consent: map[int64]string{},
		Deployment: ref.Deployment, GoLive: ref.GoLive.String(), Story: ref.Story, OwnerID: ref.OwnerID,
		LastVerified: ref.LastVerified.String(), CRMID: ref.CRMID, Status: string(ref.Status)}
	for _, a := range ref.Activities {
		f.Activities[a.TypeID] = true
		f.Consent[a.TypeID] = a.ConsentedOn.String()
	}
	if ref.CapacityOverride != nil {
		f.Capacity = strconv.Itoa(*ref.CapacityOverride)
	}
	return f
}

// readReferenceForm reads the posted form: the form as typed, to show again
// when the save is refused, and the service's input, values by name.
func (h *Handler) readReferenceForm(v url.Values) (*refForm, vouch.ReferenceInput) {
	ids := func(key string) map[int64]bool {
		m := map[int64]bool{}
		for _, s := range v[key] {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
				m[id] = true
			}
		}
		return m
	}
	f := &refForm{Account: strings.TrimSpace(v.Get("account")), CreateAccount: v.Get("create_account") != "",
		Name: v.Get("name"), Title: v.Get("title"), Seniority: v.Get("seniority"), Email: v.Get("email"),
		Phone: v.Get("phone"), TimeZone: v.Get("time_zone"), Languages: v.Get("languages"),
		Products: ids("products"), UseCases: ids("use_cases"), Competitors: ids("competitors"),
		Activities: ids("activities"), Consent: map[int64]string{}, Deployment: v.Get("deployment"),
		GoLive: v.Get("go_live"), Story: v.Get("story"), LastVerified: v.Get("last_verified"),
		Capacity: strings.TrimSpace(v.Get("capacity")), CRMID: v.Get("crm_id"), Status: v.Get("status")}
	f.Version, _ = strconv.Atoi(v.Get("version"))
	f.OwnerID, _ = strconv.ParseInt(v.Get("owner_id"), 10, 64)
	for key, vals := range v {
		if rest, ok := strings.CutPrefix(key, "consent_"); ok && len(vals) > 0 && strings.TrimSpace(vals[0]) != "" {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				f.Consent[id] = strings.TrimSpace(vals[0])
			}
		}
	}
	in := vouch.ReferenceInput{Version: &f.Version, Account: &f.Account, CreateAccount: f.CreateAccount,
		Name: &f.Name, Title: &f.Title, Seniority: &f.Seniority, Email: &f.Email, Phone: &f.Phone,
		TimeZone: &f.TimeZone, Deployment: &f.Deployment, Story: &f.Story, CRMID: &f.CRMID,
		GoLive: &f.GoLive, LastVerified: &f.LastVerified, OwnerID: &f.OwnerID, Unreadable: map[string]string{}}
	langs := []string{}
	for _, l := range strings.FieldsFunc(f.Languages, func(r rune) bool { return r == ',' || r == ';' }) {
		langs = append(langs, strings.TrimSpace(l))
	}
	in.Languages = &langs
	products, useCases, competitors := h.valueNames(f.Products), h.valueNames(f.UseCases), h.valueNames(f.Competitors)
	in.Products, in.UseCases, in.Competitors = &products, &useCases, &competitors
	acts := []vouch.ActivityInput{}
	for _, id := range setIDs(f.Activities) {
		acts = append(acts, vouch.ActivityInput{Type: h.valueNameOf(id), ConsentedOn: f.Consent[id]})
	}
	in.Activities = &acts
	for id := range f.Consent {
		if !f.Activities[id] {
			in.Unreadable["activities"] = "has a consent date filled in for an activity that is not ticked: tick it, or clear the date"
		}
	}
	var capacity *int
	if f.Capacity != "" {
		if n, err := strconv.Atoi(f.Capacity); err != nil {
			in.Unreadable["capacity"] = "must be a whole number of activities, or empty for the default"
		} else {
			capacity = &n
		}
	}
	in.CapacityOverride = &capacity
	if f.Status != "" {
		in.Status = &f.Status
	}
	return f, in
}

// valueNames names the ticked values, as the service takes them.
func (h *Handler) valueNames(ids map[int64]bool) []string {
	out := []string{}
	for _, id := range setIDs(ids) {
		out = append(out, h.valueNameOf(id))
	}
	return out
}

// valueNameOf names a value posted by id; an id that names no value stays
// visible as "#id", which the service refuses as unknown.
func (h *Handler) valueNameOf(id int64) string {
	if v := h.opts.Catalog.Value(id); v != nil {
		return v.Name
	}
	return fmt.Sprintf("#%d", id)
}

// newReference serves GET /references/new. ?account= fills in the account.
func (h *Handler) newReference(w http.ResponseWriter, r *http.Request) {
	f := &refForm{Account: r.URL.Query().Get("account"), Status: string(vouch.StatusNominated),
		Products: map[int64]bool{}, UseCases: map[int64]bool{}, Competitors: map[int64]bool{},
		Activities: map[int64]bool{}, Consent: map[int64]string{}, OwnerID: userFrom(r.Context()).ID}
	h.renderReferenceForm(w, r, http.StatusOK, &page{}, f, nil)
}

// editReference serves GET /references/{id}/edit.
func (h *Handler) editReference(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	ref, err := h.db.Reference(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	acct, err := h.db.Account(r.Context(), ref.AccountID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderReferenceForm(w, r, http.StatusOK, &page{}, formOfReference(ref, acct.Name), nil)
}

func (h *Handler) renderReferenceForm(w http.ResponseWriter, r *http.Request, status int, p *page, f *refForm, conflict []conflictField) {
	users, err := h.activeUsers(r, f.OwnerID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	accounts, _, err := h.db.ListAccounts(r.Context(), vouch.AccountFilter{Limit: 1000})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := &referenceFormPage{Form: f, New: f.ID == 0, Users: users, Seniorities: vouch.Seniorities,
		Deployments: vouch.Deployments, Statuses: vouch.InitialStatuses, TimeZones: commonTimeZones,
		CapDefault: h.opts.Catalog.CapacityDefault(), Conflict: conflict}
	for _, a := range accounts {
		d.Accounts = append(d.Accounts, a.Name)
	}
	slices.SortFunc(d.Accounts, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	// Retired values are offered only where the reference already has them.
	values := func(kind vouch.TaxonomyKind, chosen map[int64]bool) []*vouch.TaxonomyValue {
		var out []*vouch.TaxonomyValue
		for _, v := range h.opts.Catalog.Values(kind, true) {
			if !v.Retired || chosen[v.ID] {
				out = append(out, v)
			}
		}
		return out
	}
	d.Products = values(vouch.TaxProduct, f.Products)
	d.UseCases = values(vouch.TaxUseCase, f.UseCases)
	d.Competitors = values(vouch.TaxCompetitor, f.Competitors)
	d.ActivityTypes = values(vouch.TaxActivityType, f.Activities)
	p.Nav, p.Data = "references", d
	if d.New {
		p.Title = "Add reference"
	} else {
		p.Title = "Edit " + f.Name
	}
	h.render(w, r, status, "reference_form", p)
}

// createReference serves POST /references/new. A name no account has
// becomes a new account only when the person ticked "Create this account":
// a typo should not quietly create a second "Acme".
func (h *Handler) createReference(w http.ResponseWriter, r *http.Request) {
	f, in := h.readReferenceForm(r.PostForm)
	in.Version = nil
	saved, err := h.refs.CreateReference(r.Context(), in)
	if err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		h.refuseReferenceForm(w, r, f, err)
		return
	}
	ref, acct := saved.Reference, saved.Account
	msg := fmt.Sprintf("Added %s at %s as %s.", ref.Name, acct.Name, strings.ToLower(ref.Status.Label()))
	if saved.AccountCreated {
		msg += fmt.Sprintf(" %s is a new account; fill in its industry and region on its page.", acct.Name)
	}
	redirect(w, r, fmt.Sprintf("/references/%d", ref.ID), msg)
}

// updateReference serves POST /references/{id}/edit. A save made after
// someone else's is refused (the version differs): the form comes back with
// the person's input, what differs from the saved reference, and the new
// version, so saving again is a deliberate choice, never a silent overwrite.
func (h *Handler) updateReference(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f, in := h.readReferenceForm(r.PostForm)
	f.ID, f.Status, in.Status = id, "", nil
	saved, err := h.refs.UpdateReference(r.Context(), id, in)
	if err == nil {
		redirect(w, r, fmt.Sprintf("/references/%d", id), "Saved "+saved.Reference.Name+".")
		return
	}
	if !isFormError(err) {
		h.fail(w, r, err)
		return
	}
	if _, stale := vouch.ErrorFields(err)["version"]; stale && vouch.ErrorCode(err) == vouch.ECONFLICT {
		h.referenceConflict(w, r, f)
		return
	}
	h.refuseReferenceForm(w, r, f, err)
}

// refuseReferenceForm shows the form again with the service's problems.
func (h *Handler) refuseReferenceForm(w http.ResponseWriter, r *http.Request, f *refForm, err error) {
	p := &page{Errors: map[string]string{}}
	status := failForm(p, err, referenceLabels)
	delete(p.Errors, "version")
	if len(p.Errors) > 0 && vouch.ErrorCode(err) != vouch.ECONFLICT {
		p.Error = "Please correct the highlighted field."
		if len(p.Errors) > 1 {
			p.Error = fmt.Sprintf("Please correct the %d highlighted fields.", len(p.Errors))
		}
	}
	if p.Error == "" {
		p.Error = "Nothing was saved."
	}
	h.renderReferenceForm(w, r, status, p, f, nil)
}

// referenceConflict re-renders the form after a save lost to someone
// else's: the input is kept, the fields where the saved reference now
// differs are listed, and the form carries the saved version.
func (h *Handler) referenceConflict(w http.ResponseWriter, r *http.Request, f *refForm) {
	saved, lerr := h.db.Reference(r.Context(), f.ID)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	acct, lerr := h.db.Account(r.Context(), saved.AccountID)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	theirs := formOfReference(saved, acct.Name)
	names := func(m map[int64]bool) string {
		var out []string
		for _, id := range setIDs(m) {
			out = append(out, h.opts.Catalog.ValueName(id))
		}
		return strings.Join(out, ", ")
	}
	userName := func(id int64) string {
		if id == 0 {
			return ""
		}
		if u, err := h.db.User(r.Context(), id); err == nil {
			return u.Name
		}
		return fmt.Sprintf("user #%d", id)
	}
	agreed := func(f *refForm) string {
		var out []string
		for _, id := range setIDs(f.Activities) {
			s := h.opts.Catalog.ValueName(id)
			if c := f.Consent[id]; c != "" {
				s += " (" + c + ")"
			}
			out = append(out, s)
		}
		return strings.Join(out, ", ")
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	var diff []conflictField
	add := func(label, saved, yours string) {
		if norm(saved) != norm(yours) {
			diff = append(diff, conflictField{label, saved, yours})
		}
	}
	add("Account", theirs.Account, f.Account)
	add("Name", theirs.Name, f.Name)
	add("Title", theirs.Title, f.Title)
	add("Seniority", theirs.Seniority, f.Seniority)
	add("Email", theirs.Email, strings.ToLower(f.Email))
	add("Phone", theirs.Phone, f.Phone)
	add("Time zone", theirs.TimeZone, f.TimeZone)
	add("Languages", theirs.Languages, f.Languages)
	add("Products", names(theirs.Products), names(f.Products))
	add("Use cases", names(theirs.UseCases), names(f.UseCases))
	add("Competitors replaced", names(theirs.Competitors), names(f.Competitors))
	add("Activities agreed", agreed(theirs), agreed(f))
	add("Deployment", theirs.Deployment, f.Deployment)
	add("Go-live date", theirs.GoLive, f.GoLive)
	add("Story", theirs.Story, f.Story)
	add("Owner", userName(theirs.OwnerID), userName(f.OwnerID))
	add("Last verified", theirs.LastVerified, f.LastVerified)
	add("Capacity", theirs.Capacity, f.Capacity)
	add("CRM id", theirs.CRMID, f.CRMID)
	f.Version = saved.Version
	p := &page{Error: "Someone else saved this reference after you opened it. Your changes below are not saved yet: " +
		"check them against the saved version, then save again to keep yours."}
	h.renderReferenceForm(w, r, http.StatusConflict, p, f, diff)
}
