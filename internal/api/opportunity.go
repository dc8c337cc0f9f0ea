package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// opportunityItem is an opportunity as the API shows it: taxonomy values and
// the owner by name.
type opportunityItem struct {
	ID         int64                   `json:"id"`
	Name       string                  `json:"name"`
	Prospect   string                  `json:"prospect"`
	Amount     float64                 `json:"amount"` // units of the currency, cents as hundredths
	Currency   string                  `json:"currency"`
	Stage      string                  `json:"stage"`
	CloseDate  vouch.Date              `json:"close_date"`
	Status     vouch.OpportunityStatus `json:"status"`
	Owner      *person                 `json:"owner"`
	Industry   *string                 `json:"industry"`
	Region     *string                 `json:"region"`
	Product    *string                 `json:"product"`
	Competitor *string                 `json:"competitor"`
	Segment    *string                 `json:"segment"`
	Country    *string                 `json:"country"`
	Size       *string                 `json:"company_size"`
	AccountID  *int64                  `json:"account_id"` // the program's account the deal is with; null for a prospect
	CreatedOn  vouch.Date              `json:"created_on"` // the day the CRM created it; null when unknown
	CRMID      string                  `json:"crm_id"`
	Version    int                     `json:"version"`
	CreatedAt  time.Time               `json:"created_at"`
	UpdatedAt  time.Time               `json:"updated_at"`
}

// opportunityItems turns opportunities into items, reading their owners once.
func (h *Handler) opportunityItems(ctx context.Context, opps []*vouch.Opportunity) ([]opportunityItem, error) {
	var owners []int64
	for _, o := range opps {
		owners = append(owners, o.OwnerID)
	}
	users, err := h.users(ctx, owners...)
	if err != nil {
		return nil, err
	}
	items := make([]opportunityItem, len(opps))
	for i, o := range opps {
		items[i] = opportunityItem{ID: o.ID, Name: o.Name, Prospect: o.Prospect, Amount: o.Amount(), Currency: o.Currency,
			Stage: o.Stage, CloseDate: o.CloseDate, Status: o.Status, Owner: personOf(users, o.OwnerID),
			Industry: h.valueName(o.IndustryID), Region: h.valueName(o.RegionID), Product: h.valueName(o.ProductID),
			Competitor: h.valueName(o.CompetitorID), Segment: h.valueName(o.SegmentID), Country: h.valueName(o.CountryID),
			Size: h.valueName(o.SizeID), CreatedOn: o.CreatedOn, CRMID: o.CRMID, Version: o.Version,
			CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
		if o.AccountID != 0 {
			id := o.AccountID
			items[i].AccountID = &id
		}
	}
	return items, nil
}

func (h *Handler) opportunityItem(ctx context.Context, o *vouch.Opportunity) (opportunityItem, error) {
	items, err := h.opportunityItems(ctx, []*vouch.Opportunity{o})
	if err != nil {
		return opportunityItem{}, err
	}
	return items[0], nil
}

// listOpportunities serves GET /api/v1/opportunities: newest first,
// filtered by status, owner (an email, or "me"), words in the name or
// prospect, a value of industry, region, product, segment or company_size
// (by name) and account (its id). The cursor is the offset of the next page.
func (h *Handler) listOpportunities(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v vouch.Validation
	f, err := vouch.ParseOpportunityFilter(q.Get, func(k vouch.TaxonomyKind) []*vouch.TaxonomyValue { return h.cat.Values(k, true) })
	if err := v.Merge(err); err != nil {
		h.fail(w, r, err)
		return
	}
	if owner := strings.TrimSpace(q.Get("owner")); owner != "" {
		id, err := h.userParam(r.Context(), &v, "owner", owner)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.OwnerID = id
	}
	f.Offset, f.Limit = pageParams(r, &v, 50, 500)
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	opps, total, err := h.db.ListOpportunities(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.opportunityItems(r.Context(), opps)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(items, nextCursor(f.Offset, len(opps), total), total))
}

// userParam resolves a parameter naming a user by email, or "me" for the
// caller; a problem is added to v under field, and 0 returned.
func (h *Handler) userParam(ctx context.Context, v *vouch.Validation, field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "me") {
		return userFrom(ctx).ID, nil
	}
	u, err := h.db.UserByEmail(ctx, s)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		v.Add(field, fmt.Sprintf("has no user with the email %q", s))
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	return u.ID, nil
}

// getOpportunity serves GET /api/v1/opportunities/{id}.
func (h *Handler) getOpportunity(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "opportunity")
	if err != nil {
		writeError(w, err)
		return
	}
	o, err := h.db.Opportunity(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	item, err := h.opportunityItem(r.Context(), o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, item)
}

// opportunityInput is the body of POST, PATCH and PUT on opportunities, and
// the inline opportunity of a new request: taxonomy values by name, the
// owner by email.
type opportunityInput struct {
	Version    optional[int]     `json:"version"`
	Name       optional[string]  `json:"name"`
	Prospect   optional[string]  `json:"prospect"`
	Amount     optional[float64] `json:"amount"`
	Currency   optional[string]  `json:"currency"`
	Stage      optional[string]  `json:"stage"`
	CloseDate  optional[string]  `json:"close_date"`
	Status     optional[string]  `json:"status"`
	OwnerEmail optional[string]  `json:"owner_email"`
	Industry   optional[string]  `json:"industry"`
	Region     optional[string]  `json:"region"`
	Product    optional[string]  `json:"product"`
	Competitor optional[string]  `json:"competitor"`
	Segment    optional[string]  `json:"segment"`
	Country    optional[string]  `json:"country"`
	Size       optional[string]  `json:"company_size"`
	CreatedOn  optional[string]  `json:"created_on"`
	CRMID      optional[string]  `json:"crm_id"`
}

// opportunityFields are the domain's and the store's field names that
// differ from the body's.
var opportunityFields = map[string]string{"owner": "owner_email"}

// applyOpportunity sets the fields of o the body gives, resolving names.
// Problems are added to v, each field name after prefix (the inline
// opportunity of a request names its fields "opportunity.name" …).
func (h *Handler) applyOpportunity(ctx context.Context, in *opportunityInput, o *vouch.Opportunity, v *vouch.Validation, prefix string) error {
	for _, s := range []struct {
		in *optional[string]
		to *string
	}{{&in.Name, &o.Name}, {&in.Prospect, &o.Prospect}, {&in.Currency, &o.Currency}, {&in.Stage, &o.Stage}, {&in.CRMID, &o.CRMID}} {
		if s.in.Set {
			*s.to = s.in.Value
		}
	}
	if in.Amount.Set {
		o.AmountCents = int64(math.Round(in.Amount.Value * 100))
	}
	if in.Status.Set {
		o.Status = vouch.OpportunityStatus(strings.ToLower(strings.TrimSpace(in.Status.Value)))
	} else if in.Stage.Set {
		// No status given: the deals service reads it from the stage, by the
		// program's won and lost stages.
		o.Status = ""
	}
	if in.CloseDate.Set {
		var dv vouch.Validation
		o.CloseDate = dateField(&dv, "close_date", in.CloseDate.Value)
		addPrefixed(v, prefix, dv.Err(), nil)
	}
	if in.CreatedOn.Set {
		var dv vouch.Validation
		o.CreatedOn = dateField(&dv, "created_on", in.CreatedOn.Value)
		addPrefixed(v, prefix, dv.Err(), nil)
	}
	for _, s := range []struct {
		field string
		kind  vouch.TaxonomyKind
		in    *optional[string]
		to    *int64
	}{{"industry", vouch.TaxIndustry, &in.Industry, &o.IndustryID}, {"region", vouch.TaxRegion, &in.Region, &o.RegionID},
		{"product", vouch.TaxProduct, &in.Product, &o.ProductID}, {"competitor", vouch.TaxCompetitor, &in.Competitor, &o.CompetitorID},
		{"segment", vouch.TaxSegment, &in.Segment, &o.SegmentID}, {"country", vouch.TaxCountry, &in.Country, &o.CountryID},
		{"company_size", vouch.TaxCompanySize, &in.Size, &o.SizeID}} {
		if !s.in.Set {
			continue
		}
		id, problem := h.valueOf(s.kind, s.in.Value, []int64{*s.to})
		if problem != "" {
			v.Add(prefix+s.field, problem)
			continue
		}
		*s.to = id
	}
	if in.OwnerEmail.Set {
		o.OwnerID = 0
		if strings.TrimSpace(in.OwnerEmail.Value) != "" {
			id, err := h.userParam(ctx, v, prefix+"owner_email", in.OwnerEmail.Value)
			if err != nil {
				return err
			}
			o.OwnerID = id
		}
	}
	addPrefixed(v, prefix, o.Validate(), opportunityFields)
	return nil
}

// addPrefixed adds the fields of a validation error to v, renamed by names
// and then prefixed. Errors of other kinds cannot happen here: validation
// only ever reports fields.
func addPrefixed(v *vouch.Validation, prefix string, err error, names map[string]string) {
	for f, reason := range vouch.ErrorFields(err) {
		if n, ok := names[f]; ok {
			f = n
		}
		v.Add(prefix+f, reason)
	}
}

// createOpportunity serves POST /api/v1/opportunities. The caller owns the
// new opportunity unless owner_email names someone else.
func (h *Handler) createOpportunity(w http.ResponseWriter, r *http.Request) {
	var in opportunityInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	var v vouch.Validation
	if in.Version.Set {
		v.Add("version", "is given by the server; leave it out when creating")
	}
	o := &vouch.Opportunity{OwnerID: userFrom(r.Context()).ID}
	if err := h.applyOpportunity(r.Context(), &in, o, &v, ""); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := v.Err(); err != nil {
		writeError(w, err)
		return
	}
	if err := h.deals.Create(r.Context(), o); err != nil {
		h.fail(w, r, fieldsOf(err, opportunityFields))
		return
	}
	h.writeOpportunity(w, r, http.StatusCreated, o.ID)
}

// writeOpportunity answers with the opportunity as it is stored now.
func (h *Handler) writeOpportunity(w http.ResponseWriter, r *http.Request, status int, id int64) {
	o, err := h.db.Opportunity(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	item, err := h.opportunityItem(r.Context(), o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, status, item)
}

// updateOpportunity serves PATCH /api/v1/opportunities/{id}: fields left out
// are unchanged; the version read is required, and a stale one is a
// conflict. Sellers may change the opportunities they own; the program team any.
func (h *Handler) updateOpportunity(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "opportunity")
	if err != nil {
		writeError(w, err)
		return
	}
	var in opportunityInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	o, err := h.db.Opportunity(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	if !u.Can(vouch.PermManageProgram) && o.OwnerID != u.ID {
		writeError(w, vouch.Errorf(vouch.EFORBIDDEN, "Only the opportunity's owner or the program team may change opportunity %d.", id))
		return
	}
	var v vouch.Validation
	if !in.Version.Set || in.Version.Value <= 0 {
		v.Add("version", "is required: the version you read, so that nobody's change is overwritten")
	}
	if err := h.applyOpportunity(r.Context(), &in, o, &v, ""); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := v.Err(); err != nil {
		writeError(w, err)
		return
	}
	o.Version = in.Version.Value
	if err := h.deals.Update(r.Context(), o); err != nil {
		h.fail(w, r, fieldsOf(err, opportunityFields))
		return
	}
	h.writeOpportunity(w, r, http.StatusOK, id)
}

// upsertOpportunity serves PUT /api/v1/opportunities/crm/{crm_id}: a CRM
// sync sends each deal as it is in the CRM. The opportunity with that CRM id
// is replaced by the body (fields left out are cleared, as PUT says) at
// whatever version it is, because the CRM is the source of truth for its
// deals; without one, it is created. 201 says created, 200 updated.
func (h *Handler) upsertOpportunity(w http.ResponseWriter, r *http.Request) {
	crmID := strings.TrimSpace(r.PathValue("crm_id"))
	var in opportunityInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	var v vouch.Validation
	if in.Version.Set {
		v.Add("version", "is not used: an upsert replaces the opportunity at whatever version it is")
	}
	if in.CRMID.Set {
		v.Add("crm_id", "is given by the path, not the body")
	}
	if crmID == "" {
		v.Add("crm_id", "is required in the path: PUT /api/v1/opportunities/crm/{crm_id}")
	}
	o := &vouch.Opportunity{CRMID: crmID}
	if err := h.applyOpportunity(r.Context(), &in, o, &v, ""); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := v.Err(); err != nil {
		writeError(w, err)
		return
	}
	created, err := h.deals.Upsert(r.Context(), o)
	if err != nil {
		h.fail(w, r, fieldsOf(err, opportunityFields))
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	h.writeOpportunity(w, r, status, o.ID)
}
