package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// newOpportunity is the opportunity choice that creates one from the form.
const newOpportunity = "new"

// criterionPicker is one criterion's picklist on the request form.
type criterionPicker struct {
	Name   string // the form field, and the store's error field
	Label  string
	Values []*vouch.TaxonomyValue
}

// requestCriteria are the taxonomy criteria a request can ask for, in the
// order the form shows them.
var requestCriteria = []struct {
	Name, Label string
	Kind        vouch.TaxonomyKind
}{
	{"industry", "Industry", vouch.TaxIndustry}, {"region", "Region", vouch.TaxRegion},
	{"country", "Country", vouch.TaxCountry}, {"company_size", "Company size", vouch.TaxCompanySize},
	{"product", "Product", vouch.TaxProduct}, {"use_case", "Use case", vouch.TaxUseCase},
	{"competitor", "Competitor", vouch.TaxCompetitor},
}

// requestFormPage is what request_new.html shows.
type requestFormPage struct {
	Opportunities []*vouch.Opportunity
	Types         []*vouch.TaxonomyValue
	Pickers       []criterionPicker
	Seniorities   []string
	Values        url.Values // the form's current values
	Prefilled     []string   // criteria taken from the chosen opportunity
	Today         string
	ShowMore      bool // open the optional part: something in it is set or wrong
	// Proposed is the reference the request proposes (from "Request this
	// reference" on its profile); nil when none, or when it may not be.
	Proposed *proposedReference
	// ProposalProblem says why the reference in the URL cannot be proposed.
	ProposalProblem string
}

// proposedReference is the reference a request proposes, as the form names it.
type proposedReference struct {
	ID                   int64
	Name, Title, Account string
}

// requestLabels name the form's fields in error sentences.
var requestLabels = map[string]string{
	"opportunity": "Opportunity", "opportunity_id": "Opportunity", "activity_type": "Activity type", "due_date": "Due date",
	"references_needed": "References needed", "seniority": "Seniority", "context": "Context notes", "language": "Language",
	"opp_name": "Opportunity name", "opp_prospect": "Prospect", "opp_amount": "Amount", "opp_close_date": "Close date",
	"opp_currency": "Currency", "industry": "Industry", "region": "Region", "country": "Country",
	"company_size": "Company size", "product": "Product", "use_case": "Use case", "competitor": "Competitor",
	"reference": "Proposed reference",
}

// opportunityFields are the store's names of an opportunity's fields as the
// request form names them.
var opportunityFields = map[string]string{"name": "opp_name", "prospect": "opp_prospect", "amount": "opp_amount",
	"close_date": "opp_close_date", "currency": "opp_currency", "status": "opp_name", "owner": "opp_name"}

// newRequest serves GET /requests/new: the request form. Its values may come
// in the URL, which is how "fill in from the opportunity" works without script.
func (h *Handler) newRequest(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	d, err := h.requestFormData(r, r.URL.Query())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.Values.Get("opportunity_id") == "" {
		if len(d.Opportunities) > 0 {
			d.Values.Set("opportunity_id", idString(d.Opportunities[0].ID))
		} else {
			d.Values.Set("opportunity_id", newOpportunity)
		}
	}
	h.prefillCriteria(d, u, r.URL.Query().Get("prefill") != "")
	h.render(w, r, http.StatusOK, "request_new", &page{Title: "Request a reference", Nav: "requests", Data: d})
}

// requestFormData reads the picklists and the seller's open opportunities.
func (h *Handler) requestFormData(r *http.Request, values url.Values) (*requestFormPage, error) {
	u := userFrom(r.Context())
	opps, _, err := h.opts.Fulfillment.ListOpportunities(r.Context(), vouch.OpportunityFilter{OwnerID: u.ID, Status: vouch.OpportunityOpen, Limit: 200})
	if err != nil {
		return nil, err
	}
	d := &requestFormPage{Opportunities: opps, Types: h.opts.Catalog.Values(vouch.TaxActivityType, false), Seniorities: vouch.Seniorities,
		Values: url.Values{}, Today: h.clock.Today().String()}
	for k, v := range values {
		d.Values[k] = v
	}
	if err := h.proposeReference(r, d); err != nil {
		return nil, err
	}
	for _, c := range requestCriteria {
		d.Pickers = append(d.Pickers, criterionPicker{Name: c.Name, Label: c.Label, Values: h.opts.Catalog.Values(c.Kind, false)})
	}
	for _, k := range []string{"references_needed", "language", "seniority", "context"} {
		if d.Values.Get(k) != "" && (k != "references_needed" || d.Values.Get(k) != "1") {
			d.ShowMore = true
		}
	}
	for _, c := range requestCriteria {
		if d.Values.Get(c.Name) != "" {
			d.ShowMore = true
		}
	}
	return d, nil
}

// proposeReference reads the form's proposed reference: named when the
// user may propose it, else dropped with the reason, the service's.
func (h *Handler) proposeReference(r *http.Request, d *requestFormPage) error {
	raw := strings.TrimSpace(d.Values.Get("reference"))
	if raw == "" {
		return nil
	}
	d.Values.Del("reference")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		d.ProposalProblem = requestLabels["reference"] + " " + vouch.NotARequestableReference + "."
		return nil
	}
	hit, sight, err := h.opts.Fulfillment.Reference(r.Context(), userFrom(r.Context()), id)
	problem := ""
	switch {
	case vouch.ErrorCode(err) == vouch.ENOTFOUND:
		problem = vouch.NotARequestableReference
	case err != nil:
		return err
	default:
		problem = vouch.ProposalProblem(sight, hit.Status)
	}
	if problem != "" {
		d.ProposalProblem = requestLabels["reference"] + " " + problem + "."
		return nil
	}
	d.Values.Set("reference", idString(id))
	d.Proposed = &proposedReference{ID: id, Name: hit.Reference.Name, Title: hit.Reference.Title, Account: hit.Account.Name}
	return nil
}

// prefillCriteria fills the criteria the chosen opportunity knows: empty
// ones on a first look, all it knows when the seller asks for it.
func (h *Handler) prefillCriteria(d *requestFormPage, u *vouch.User, override bool) {
	var opp *vouch.Opportunity
	for _, o := range d.Opportunities {
		if idString(o.ID) == d.Values.Get("opportunity_id") {
			opp = o
		}
	}
	if opp == nil {
		return
	}
	for _, c := range []struct {
		name, label string
		id          int64
	}{{"industry", "industry", opp.IndustryID}, {"region", "region", opp.RegionID},
		{"product", "product", opp.ProductID}, {"competitor", "competitor", opp.CompetitorID}} {
		if c.id != 0 && (override || d.Values.Get(c.name) == "") {
			d.Values.Set(c.name, idString(c.id))
			d.Prefilled = append(d.Prefilled, c.label)
		}
	}
	if len(d.Prefilled) > 0 {
		d.ShowMore = true
	}
}

// createRequest serves POST /requests/new.
func (h *Handler) createRequest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	f := r.PostForm
	if f.Get("action") == "prefill" {
		// "Fill in from the chosen opportunity": the same form again, nothing saved.
		d, err := h.requestFormData(r, f)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		d.Values.Del("csrf")
		d.Values.Del("action")
		h.prefillCriteria(d, u, true)
		h.render(w, r, http.StatusOK, "request_new", &page{Title: "Request a reference", Nav: "requests", Data: d})
		return
	}
	errs := map[string]string{}
	req := &vouch.Request{Context: f.Get("context"), Criteria: vouch.Criteria{Language: f.Get("language"), Seniority: f.Get("seniority")}}

	id := func(name string) int64 {
		s := strings.TrimSpace(f.Get(name))
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			errs[name] = requestLabels[name] + " must be chosen from the list."
			return 0
		}
		return n
	}
	req.ActivityTypeID = id("activity_type")
	c := &req.Criteria
	c.IndustryID, c.RegionID, c.CountryID, c.SizeID = id("industry"), id("region"), id("country"), id("company_size")
	c.ProductID, c.UseCaseID, c.CompetitorID = id("product"), id("use_case"), id("competitor")
	if s := strings.TrimSpace(f.Get("references_needed")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			errs["references_needed"] = "References needed must be a whole number from 1 to 10."
		}
		req.ReferencesNeeded = n
	}
	due, err := vouch.ParseDate(f.Get("due_date"))
	if err != nil {
		errs["due_date"] = "Due date must be a date like " + h.clock.Today().AddDays(14).String() + "."
	}
	req.DueDate = due
	req.ProposedReferenceID = id("reference")

	var opp *vouch.Opportunity
	if choice := f.Get("opportunity_id"); choice == newOpportunity || choice == "" {
		opp = &vouch.Opportunity{Name: f.Get("opp_name"), Prospect: f.Get("opp_prospect"), OwnerID: u.ID,
			IndustryID: c.IndustryID, RegionID: c.RegionID, ProductID: c.ProductID, CompetitorID: c.CompetitorID}
		if s := strings.NewReplacer(",", "", " ", "", "_", "").Replace(f.Get("opp_amount")); s != "" {
			n, err := strconv.ParseFloat(s, 64)
			if err != nil || n < 0 || math.IsInf(n, 0) || math.IsNaN(n) {
				errs["opp_amount"] = "Amount must be a number, like 250000 or 1234.50."
			}
			opp.AmountCents = int64(math.Round(n * 100))
		}
		if opp.CloseDate, err = vouch.ParseDate(f.Get("opp_close_date")); err != nil {
			errs["opp_close_date"] = "Close date must be a date like " + h.clock.Today().AddDays(60).String() + "."
		}
	} else {
		req.OpportunityID = id("opportunity_id")
	}
	// Problems reading the form are told with the service's, all at once;
	// without any, the service checks and stores in one go.
	var saveErr error
	if len(errs) > 0 {
		var rules vouch.Validation
		if err := h.opts.Fulfillment.CheckRequest(ctx, u, req, opp, &rules); err != nil {
			h.serverError(w, r, err)
			return
		}
		addRequestErrors(errs, rules.Err(), false)
	} else {
		saveErr = h.opts.Fulfillment.CreateRequest(ctx, u, req, opp)
		if saveErr == nil {
			msg := "Request submitted. The program team has been told and will pick a reference."
			if req.Workflow == vouch.WorkflowSelfServe {
				msg = "Request submitted. Pick a reference from the matches below and ask them."
			}
			if req.ProposedReferenceID != 0 {
				msg = "Request submitted, proposing the reference you chose. The program team has been told and starts from them."
				if req.Workflow == vouch.WorkflowSelfServe {
					msg = "Request submitted. Ask the reference you proposed, or pick another from the matches below."
				}
			}
			redirect(w, r, requestURL(req.ID, ""), msg)
			return
		}
		if !isFormError(saveErr) {
			h.serverError(w, r, saveErr)
			return
		}
		addRequestErrors(errs, saveErr, true)
	}
	d, ferr := h.requestFormData(r, f)
	if ferr != nil {
		h.serverError(w, r, ferr)
		return
	}
	d.Values.Del("csrf")
	for k := range errs {
		if k != "opportunity_id" && k != "activity_type" && k != "due_date" && !strings.HasPrefix(k, "opp_") {
			d.ShowMore = true
		}
	}
	p := &page{Title: "Request a reference", Nav: "requests", Data: d, Errors: errs}
	status := http.StatusBadRequest
	if saveErr != nil {
		p.Error = vouch.ErrorMessage(saveErr)
		status = formStatus(saveErr)
	} else if len(errs) == 1 {
		p.Error = "Nothing was submitted. Please correct the highlighted field."
	} else {
		p.Error = fmt.Sprintf("Nothing was submitted. Please correct the %d highlighted fields.", len(errs))
	}
	h.render(w, r, status, "request_new", p)
}

// addRequestErrors names the service's problems with a request in the
// form's words; replace says they win over a problem already noted.
func addRequestErrors(errs map[string]string, err error, replace bool) {
	for field, reason := range vouch.ErrorFields(err) {
		name := field
		if f, ok := strings.CutPrefix(field, "opportunity."); ok {
			name = opportunityFields[f]
		} else if field == "opportunity" {
			name = "opportunity_id"
		}
		if requestLabels[name] == "" {
			name = "opportunity_id"
		}
		if errs[name] == "" || replace {
			errs[name] = requestLabels[name] + " " + reason + "."
		}
	}
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
