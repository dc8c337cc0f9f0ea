package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// agreedView is an activity type a reference agreed to, for the profile.
type agreedView struct {
	Name        string
	ConsentedOn vouch.Date
}

// activityView is one activity in a reference's history.
type activityView struct {
	vouch.Activity
	Type        string
	SeesRequest bool // the viewer may open the request it was for
	// Deal is the opportunity it helped, when the viewer may see it (a
	// seller: their own; the program team: any), and its stage then.
	Deal string
}

// referenceAskView is one ask the reference received.
type referenceAskView struct {
	*vouch.Ask
	Opportunity string // the deal it was for; "" when the viewer may not see the request
}

// referenceProfile is what reference.html shows.
type referenceProfile struct {
	Ref           *vouch.Reference
	Account       *vouch.Account
	Industry      string
	Region        string
	Status        vouch.Status // as of today
	Capacity      vouch.Capacity
	Slots         []bool // the capacity gauge: true for a used slot; nil when too many to draw
	Stale         bool
	Owner         *vouch.User
	Products      []string
	UseCases      []string
	Competitors   []string
	Agreed        []agreedView
	History       []vouch.StatusEvent // newest first
	Activities    []activityView
	Points        int // earned by done activities
	Asks          []referenceAskView
	ThankYous     []string
	ActivityTypes []*vouch.TaxonomyValue
	// Opportunities are the deals an activity may be logged against: the
	// viewer's own, or every one for the program team (newest first).
	Opportunities []*vouch.Opportunity
	NextStatuses  []vouch.Status
	LocalTime     string // the time now in the reference's time zone
	Today         string
	CanManage     bool
	AskFor        []askForOption // the open requests the team may ask the reference for
	CanRequest    bool           // the primary action: request this reference
	ContactNote   string         // why a seller sees no email or phone; "" when they see them
	Failed        string         // the form the errors belong to: "status" or "activity"
	Content       []contentRow   // the consent ledger's content featuring the reference, as the viewer may see it

	// Recruited: the nominations the reference was recruited from, with
	// who nominated and who accepted them (the team's; nominations.go).
	Recruited []recruitedFrom
	// The ask ledger (ledger.go): every ask of the reference by any team,
	// and why the fatigue rules hold it back today ("" they do not).
	Ledger   ledgerView
	HeldBack string

	today vouch.Date
}

var statusLabels = map[string]string{"status": "New status", "reason": "Reason", "until": "Resting until"}
var activityLabels = map[string]string{"activity_type": "Activity type", "occurred_on": "Date", "notes": "Notes",
	"opportunity": "Opportunity"}

// reference serves GET /references/{id}: the reference's profile.
func (h *Handler) reference(w http.ResponseWriter, r *http.Request) {
	h.renderReference(w, r, http.StatusOK, &page{}, "")
}

func (h *Handler) renderReference(w http.ResponseWriter, r *http.Request, status int, p *page, failed string) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	ref, err := h.db.Reference(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	acct, err := h.db.Account(ctx, ref.AccountID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	history, err := h.db.StatusHistory(ctx, id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	acts, err := h.db.Activities(ctx, id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ix := h.opts.Index
	today := h.clock.Today()
	d := &referenceProfile{Ref: ref, Account: acct, Industry: h.opts.Catalog.ValueName(acct.IndustryID), Region: h.opts.Catalog.ValueName(acct.RegionID),
		Today: today.String(), CanManage: userFrom(ctx).Can(vouch.PermManageProgram), Failed: failed, today: today}
	if hit, ok := ix.Get(id); ok && hit.Reference.Version == ref.Version {
		d.Status, d.Capacity, d.Stale = hit.Status, hit.Capacity, hit.Stale
	} else {
		// The index has not caught up with a write made elsewhere: work it out from the database.
		var days []vouch.Date
		for _, a := range acts {
			days = append(days, a.OccurredOn)
		}
		max := h.opts.Catalog.CapacityDefault()
		if ref.CapacityOverride != nil {
			max = *ref.CapacityOverride
		}
		d.Status, d.Capacity, d.Stale = ref.EffectiveStatus(today), vouch.ComputeCapacity(max, days, today), ref.Stale(today)
	}
	if d.Capacity.Max <= 20 {
		d.Slots = make([]bool, d.Capacity.Max)
		for i := range d.Slots {
			d.Slots[i] = i < d.Capacity.Used
		}
	}
	// A reference the viewer may not see is not found, like an unknown one;
	// what they see of one they may is blanked here, before anything shows it.
	sight, err := h.opts.Fulfillment.SightFor(ctx, userFrom(ctx))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	rs := sight.Of(id, d.Status)
	if !rs.Listed {
		h.notFound(w, r)
		return
	}
	ref = rs.Redact(ref)
	d.Ref, history = ref, rs.RedactHistory(history)
	d.CanRequest = userFrom(ctx).Can(vouch.PermRequestReference) && vouch.Requestable(d.Status)
	if !rs.Contact {
		d.ContactNote = contactNote(h.opts.Catalog.ProgramSettings().SellerContact)
	}
	d.NextStatuses = d.Status.NextStatuses()
	if ref.OwnerID != 0 {
		if u, err := h.db.User(ctx, ref.OwnerID); err == nil {
			d.Owner = u
		}
	}
	names := func(ids []int64) []string {
		out := []string{}
		for _, id := range ids {
			if n := h.opts.Catalog.ValueName(id); n != "" {
				out = append(out, n)
			}
		}
		return out
	}
	d.Products, d.UseCases, d.Competitors = names(ref.ProductIDs), names(ref.UseCaseIDs), names(ref.CompetitorIDs)
	for _, a := range ref.Activities {
		d.Agreed = append(d.Agreed, agreedView{Name: h.opts.Catalog.ValueName(a.TypeID), ConsentedOn: a.ConsentedOn})
	}
	slices.Reverse(history)
	d.History = history
	var reqIDs []int64
	for _, a := range acts {
		reqIDs = append(reqIDs, a.RequestID)
	}
	sees, err := h.opts.Fulfillment.SeesRequests(ctx, userFrom(ctx), reqIDs)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	deals, err := h.activityDeals(ctx, userFrom(ctx), acts)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, a := range acts {
		d.Activities = append(d.Activities, activityView{Activity: a, Type: h.opts.Catalog.ValueName(a.TypeID), SeesRequest: sees[a.RequestID],
			Deal: deals[a.OpportunityID]})
		if a.State == vouch.ActivityDone {
			d.Points += a.Points
		}
	}
	d.ThankYous = vouch.ThankYous
	if d.Asks, err = h.referenceAsks(ctx, id); err != nil {
		h.serverError(w, r, err)
		return
	}
	// The activity types the reference agreed to come first in the log form.
	agreed := map[int64]bool{}
	for _, a := range ref.Activities {
		agreed[a.TypeID] = true
	}
	types := h.opts.Catalog.Values(vouch.TaxActivityType, false)
	slices.SortStableFunc(types, func(a, b *vouch.TaxonomyValue) int {
		switch {
		case agreed[a.ID] && !agreed[b.ID]:
			return -1
		case agreed[b.ID] && !agreed[a.ID]:
			return 1
		}
		return 0
	})
	d.ActivityTypes = types
	if d.CanManage {
		if d.Opportunities, err = h.loggableOpportunities(ctx, userFrom(ctx)); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if ref.TimeZone != "" {
		if loc, ok := vouch.Zone(ref.TimeZone); ok {
			d.LocalTime = h.clock.Now().In(loc).Format("Mon 15:04")
		}
	}
	if d.CanManage && d.Status == vouch.StatusActive {
		if d.AskFor, err = h.askForOptions(ctx, userFrom(ctx)); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if d.Content, err = h.contentFeaturing(r, vouch.ContentFilter{ReferenceID: id}); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.CanManage && h.opts.Nominations != nil {
		if d.Recruited, err = h.recruitedFrom(r, id); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if err := h.referenceLedger(ctx, d, ref); err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Title, p.Nav, p.Data = ref.Name, "references", d
	h.render(w, r, status, "reference", p)
}

// contactNote says why a seller sees no email or phone, under the program's setting.
func contactNote(setting vouch.ContactSight) string {
	if setting == vouch.ContactNever {
		return "The program team keeps the contact details and makes the introduction."
	}
	return "Contact details are shown once the advocate accepts one of your requests."
}

// changeReferenceStatus serves POST /references/{id}/status.
func (h *Handler) changeReferenceStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	c := vouch.StatusChange{Reason: r.PostFormValue("reason")}
	errs := map[string]string{}
	if s, ok := vouch.ParseStatus(r.PostFormValue("status")); ok {
		c.To = s
	} else {
		errs["status"] = "Choose the new status."
	}
	until, err := vouch.ParseDate(r.PostFormValue("until"))
	if err != nil {
		errs["until"] = "Resting until must be a date like 2027-03-14."
	}
	c.Until = until
	if len(errs) > 0 {
		p := &page{Form: r.PostForm, Errors: errs, Error: "The status is unchanged. Please correct the highlighted fields."}
		h.renderReference(w, r, http.StatusBadRequest, p, "status")
		return
	}
	ref, err := h.refs.ChangeStatus(r.Context(), id, version, c)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, statusLabels)
		delete(p.Errors, "version")
		h.renderReference(w, r, status, p, "status")
		return
	}
	msg := fmt.Sprintf("%s is now %s.", ref.Name, strings.ToLower(ref.Status.Label()))
	if ref.Status == vouch.StatusResting {
		msg = fmt.Sprintf("%s is resting until %s, then active again by itself.", ref.Name, formatDate(ref.RestingUntil))
	}
	redirect(w, r, fmt.Sprintf("/references/%d", id), msg)
}

// logReferenceActivity serves POST /references/{id}/activities.
func (h *Handler) logReferenceActivity(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	in := vouch.ActivityLog{ReferenceID: id, OccurredOn: r.PostFormValue("occurred_on"), Notes: r.PostFormValue("notes"),
		Unreadable: map[string]string{}}
	if s := r.PostFormValue("activity_type"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			in.TypeID = n
		} else {
			in.Unreadable["activity_type"] = "must be one of the activity types: choose one"
		}
	}
	in.By = userFrom(r.Context())
	if s := r.PostFormValue("opportunity_id"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			in.OpportunityID = n
		} else {
			in.Unreadable["opportunity"] = "must be one of the opportunities listed: choose one"
		}
	}
	if in.OpportunityID == 0 {
		in.Opportunity = r.PostFormValue("opportunity_crm_id")
	}
	a, err := h.refs.LogActivity(r.Context(), in)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, activityLabels)
		p.Error = "Nothing was logged. Please correct the highlighted fields."
		h.renderReference(w, r, status, p, "activity")
		return
	}
	ix := h.opts.Index
	msg := fmt.Sprintf("%s logged for %s.", h.opts.Catalog.ValueName(a.TypeID), formatDate(a.OccurredOn))
	if hit, ok := ix.Get(id); ok {
		msg += " " + h.capacitySentence(hit.Capacity)
	}
	redirect(w, r, fmt.Sprintf("/references/%d#activity", id), msg)
}

// capacitySentence says how much a reference may still be asked to do.
func (h *Handler) capacitySentence(c vouch.Capacity) string {
	s := fmt.Sprintf("%d of %d used in the last %d days", c.Used, c.Max, vouch.CapacityWindowDays)
	if !c.Free() && !c.NextFree.IsZero() {
		s += "; next free on " + h.shortDate(c.NextFree)
	}
	return s + "."
}

// verifyReference serves POST /references/{id}/verify: the details were checked today.
func (h *Handler) verifyReference(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	today := h.clock.Today()
	res, err := h.refs.Bulk(r.Context(), vouch.BulkAction{IDs: []int64{id}, Kind: vouch.BulkVerified, Day: today})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(res.Changed) == 0 {
		h.notFound(w, r)
		return
	}
	name := "The reference"
	if hit, ok := h.opts.Index.Get(id); ok {
		name = hit.Reference.Name
	}
	redirect(w, r, fmt.Sprintf("/references/%d", id), fmt.Sprintf("%s is verified as of today, %s.", name, formatDate(today)))
}

// ThankRecent reports whether an activity on day is recent enough (within
// the capacity window) that a missing thank-you deserves attention.
func (d *referenceProfile) ThankRecent(day vouch.Date) bool {
	return !day.Before(d.today.AddDays(-vouch.CapacityWindowDays))
}

// referenceAsks lists the asks a reference received, newest first, with
// the deal each was for when the viewer may see its request.
func (h *Handler) referenceAsks(ctx context.Context, refID int64) ([]referenceAskView, error) {
	asks, err := h.db.AsksOfReference(ctx, refID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(asks))
	for i, a := range asks {
		ids[i] = a.RequestID
	}
	sees, err := h.opts.Fulfillment.SeesRequests(ctx, userFrom(ctx), ids)
	if err != nil {
		return nil, err
	}
	var out []referenceAskView
	for _, a := range asks {
		v := referenceAskView{Ask: a}
		req, err := h.db.Request(ctx, a.RequestID)
		if err != nil {
			return nil, err
		}
		if sees[a.RequestID] {
			opp, err := h.db.Opportunity(ctx, req.OpportunityID)
			if err != nil {
				return nil, err
			}
			v.Opportunity = opp.Name
		}
		out = append(out, v)
	}
	return out, nil
}

// markThankYouSent serves POST /references/{id}/activities/{activity}/thank-you:
// the advocate was thanked for a done activity.
func (h *Handler) markThankYouSent(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	actID, ok2 := pathID(r, "activity")
	if !ok1 || !ok2 {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	back := fmt.Sprintf("/references/%d#activity", id)
	if owner, err := h.db.ActivityReference(ctx, actID); err != nil {
		h.serverError(w, r, err)
		return
	} else if owner != id {
		h.notFound(w, r)
		return
	}
	day, err := vouch.ParseDate(r.PostFormValue("sent_on"))
	if err != nil {
		redirectError(w, r, back, "Nothing was recorded: the date must be a date like "+h.clock.Today().String()+".")
		return
	}
	if day.IsZero() {
		day = h.clock.Today()
	}
	kind := r.PostFormValue("thank_you")
	if err := h.opts.Fulfillment.MarkThankYouSent(ctx, actID, kind, day); err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	what := "A thank-you"
	if kind != "" && kind != "none" {
		what = "A thank-you (" + kind + ")"
	}
	redirect(w, r, back, fmt.Sprintf("%s is recorded as sent on %s.", what, formatDate(day)))
}
