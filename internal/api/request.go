package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/vouch"
)

// criteriaItem is what a request asks of a reference, by name; null is "any".
type criteriaItem struct {
	Industry    *string `json:"industry"`
	Region      *string `json:"region"`
	Country     *string `json:"country"`
	CompanySize *string `json:"company_size"`
	Product     *string `json:"product"`
	UseCase     *string `json:"use_case"`
	Competitor  *string `json:"competitor"`
	Language    *string `json:"language"`
	Seniority   *string `json:"seniority"`
}

// opportunityRef names the opportunity a request is for.
type opportunityRef struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Prospect string `json:"prospect"`
}

// requestItem is a request as lists show it: people, the opportunity and
// taxonomy values by name, its stage and whose move it is, and the states
// it may be moved to.
type requestItem struct {
	ID               int64                `json:"id"`
	Requester        *person              `json:"requester"`
	Opportunity      opportunityRef       `json:"opportunity"`
	ActivityType     string               `json:"activity_type"`
	ReferencesNeeded int                  `json:"references_needed"`
	Criteria         criteriaItem         `json:"criteria"`
	DueDate          vouch.Date           `json:"due_date"`
	Context          string               `json:"context"`
	Workflow         vouch.Workflow       `json:"workflow"`
	State            vouch.RequestState   `json:"state"`
	StateReason      string               `json:"state_reason"`
	Stage            vouch.StageKey       `json:"stage"`
	StageLabel       string               `json:"stage_label"`
	NextMove         *vouch.Party         `json:"next_move"`
	NextStep         string               `json:"next_step"`
	NextStates       []vouch.RequestState `json:"next_states"`
	Assignee         *person              `json:"assignee"`
	// ProposedReferenceID is the reference the requester proposed; nil when none.
	ProposedReferenceID *int64 `json:"proposed_reference_id"`
	// The opportunity's stage and amount when the request was made.
	StageAtRequest  string     `json:"stage_at_request"`
	AmountAtRequest *int64     `json:"amount_at_request_cents"`
	Version         int        `json:"version"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	ClosedAt        *time.Time `json:"closed_at"`
}

// requestDetail is one request with its asks and its timeline.
type requestDetail struct {
	requestItem
	Asks   []askItem      `json:"asks"`
	Events []requestEvent `json:"events"`
}

// requestEvent is one entry of a request's timeline.
type requestEvent struct {
	ID          int64               `json:"id"`
	Kind        string              `json:"kind"`
	From        *vouch.RequestState `json:"from"`
	To          *vouch.RequestState `json:"to"`
	ReferenceID *int64              `json:"reference_id"`
	Body        string              `json:"body"`
	Actor       string              `json:"actor"`
	At          time.Time           `json:"at"`
}

func eventOf(e vouch.RequestEvent) requestEvent {
	out := requestEvent{ID: e.ID, Kind: e.Kind, Body: e.Body, Actor: e.Actor, At: e.At.UTC()}
	if e.From != "" {
		from := e.From
		out.From = &from
	}
	if e.To != "" {
		to := e.To
		out.To = &to
	}
	if e.ReferenceID != 0 {
		id := e.ReferenceID
		out.ReferenceID = &id
	}
	return out
}

func (h *Handler) criteriaOf(c vouch.Criteria) criteriaItem {
	text := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return criteriaItem{Industry: h.valueName(c.IndustryID), Region: h.valueName(c.RegionID),
		Country: h.valueName(c.CountryID), CompanySize: h.valueName(c.SizeID), Product: h.valueName(c.ProductID),
		UseCase: h.valueName(c.UseCaseID), Competitor: h.valueName(c.CompetitorID),
		Language: text(c.Language), Seniority: text(c.Seniority)}
}

// requestItems turns requests into items, reading each person and
// opportunity once.
func (h *Handler) requestItems(ctx context.Context, reqs []*vouch.Request) ([]requestItem, error) {
	var ids []int64
	for _, q := range reqs {
		ids = append(ids, q.RequesterID, q.AssigneeID)
	}
	users, err := h.users(ctx, ids...)
	if err != nil {
		return nil, err
	}
	oppIDs := make([]int64, len(reqs))
	for i, q := range reqs {
		oppIDs[i] = q.OpportunityID
	}
	opps, err := h.ful.OpportunitiesByID(ctx, oppIDs)
	if err != nil {
		return nil, err
	}
	stages, err := h.ful.Stages(ctx, reqs)
	if err != nil {
		return nil, err
	}
	items := make([]requestItem, len(reqs))
	for i, q := range reqs {
		o := opps[q.OpportunityID]
		st := stages[q.ID]
		var move *vouch.Party
		if st.Move != vouch.PartyNobody {
			move = &st.Move
		}
		items[i] = requestItem{ID: q.ID, Requester: personOf(users, q.RequesterID),
			Opportunity:  opportunityRef{ID: o.ID, Name: o.Name, Prospect: o.Prospect},
			ActivityType: h.cat.ValueName(q.ActivityTypeID), ReferencesNeeded: q.ReferencesNeeded,
			Criteria: h.criteriaOf(q.Criteria), DueDate: q.DueDate, Context: q.Context, Workflow: q.Workflow,
			State: q.State, StateReason: q.StateReason, Stage: st.Key, StageLabel: st.Label, NextMove: move, NextStep: st.Step,
			NextStates: st.Moves, Assignee: personOf(users, q.AssigneeID),
			Version: q.Version, CreatedAt: q.CreatedAt, UpdatedAt: q.UpdatedAt, ClosedAt: q.ClosedAt}
		if q.ProposedReferenceID != 0 {
			id := q.ProposedReferenceID
			items[i].ProposedReferenceID = &id
		}
		items[i].StageAtRequest = q.OppStage
		if q.OppStage != "" || q.OppAmountCents != 0 {
			amount := q.OppAmountCents
			items[i].AmountAtRequest = &amount
		}
	}
	return items, nil
}

// requestDetail reads everything the request's page shows to the viewer of v.
func (h *Handler) requestDetail(ctx context.Context, v *fulfillment.RequestView) (requestDetail, error) {
	items, err := h.requestItems(ctx, []*vouch.Request{v.Request})
	if err != nil {
		return requestDetail{}, err
	}
	feedback, err := h.ful.RequestFeedback(ctx, v)
	if err != nil {
		return requestDetail{}, err
	}
	d := requestDetail{requestItem: items[0], Asks: make([]askItem, 0, len(v.Asks))}
	for _, a := range v.Asks {
		item, err := h.askItem(ctx, a, feedback)
		if err != nil {
			return requestDetail{}, err
		}
		d.Asks = append(d.Asks, item)
	}
	events, err := h.ful.Events(ctx, v)
	if err != nil {
		return requestDetail{}, err
	}
	d.Events = make([]requestEvent, len(events))
	for i, e := range events {
		d.Events[i] = eventOf(e)
	}
	return d, nil
}

// writeRequest answers with request id as it is stored now, as the caller sees it.
func (h *Handler) writeRequest(w http.ResponseWriter, r *http.Request, status int, id int64) {
	v, err := h.ful.ViewRequest(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.requestDetail(r.Context(), v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, status, d)
}

// visibleRequest reads the request of the {id} path parameter as the
// caller sees it (fulfillment.ViewRequest: someone who may not see it is
// told it does not exist).
func (h *Handler) visibleRequest(r *http.Request) (*fulfillment.RequestView, error) {
	id, err := pathID(r, "request")
	if err != nil {
		return nil, err
	}
	return h.ful.ViewRequest(r.Context(), userFrom(r.Context()), id)
}

// parseRequestState reads a state by value or label: "in_progress", "In progress".
func parseRequestState(s string) vouch.RequestState {
	return vouch.RequestState(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "_"))
}

func requestStateValues() string {
	names := make([]string, len(vouch.RequestStates))
	for i, s := range vouch.RequestStates {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// listRequests serves GET /api/v1/requests: soonest due first. The program
// team sees every request; anyone else only those they made
// (fulfillment.ListRequests decides). Filters:
// state (alternatives), mine=requested|assigned, unassigned, due_before.
func (h *Handler) listRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	u := userFrom(r.Context())
	var v vouch.Validation
	var f vouch.RequestFilter
	for _, s := range listParam(q, "state") {
		st := parseRequestState(s)
		if !st.Valid() {
			v.Add("state", fmt.Sprintf("has no value %q; it is one of %s", s, requestStateValues()))
			continue
		}
		f.States = append(f.States, st)
	}
	switch mine := strings.ToLower(strings.TrimSpace(q.Get("mine"))); mine {
	case "":
	case "requested":
		f.RequesterID = u.ID
	case "assigned":
		f.AssigneeID = u.ID
	default:
		v.Add("mine", "must be requested or assigned")
	}
	if s := q.Get("unassigned"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			v.Add("unassigned", "must be true or false")
		}
		f.Unassigned = b
	}
	if s := q.Get("due_before"); s != "" {
		f.DueBefore = dateField(&v, "due_before", s)
	}
	f.Offset, f.Limit = pageParams(r, &v, 50, 500)
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	reqs, total, err := h.ful.ListRequests(r.Context(), u, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.requestItems(r.Context(), reqs)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(items, nextCursor(f.Offset, len(reqs), total), total))
}

// getRequest serves GET /api/v1/requests/{id}: the request with its asks
// and its timeline (events, oldest first).
func (h *Handler) getRequest(w http.ResponseWriter, r *http.Request) {
	v, err := h.visibleRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.requestDetail(r.Context(), v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// criteriaInput is the criteria of a new request, by name; "" or null is "any".
type criteriaInput struct {
	Industry    string `json:"industry"`
	Region      string `json:"region"`
	Country     string `json:"country"`
	CompanySize string `json:"company_size"`
	Product     string `json:"product"`
	UseCase     string `json:"use_case"`
	Competitor  string `json:"competitor"`
	Language    string `json:"language"`
	Seniority   string `json:"seniority"`
}

// requestInput is the body of POST /api/v1/requests: the opportunity by id,
// or a new one inline.
type requestInput struct {
	OpportunityID    optional[int64]   `json:"opportunity_id"`
	Opportunity      *opportunityInput `json:"opportunity"`
	ActivityType     string            `json:"activity_type"`
	ReferencesNeeded int               `json:"references_needed"`
	DueDate          string            `json:"due_date"`
	Criteria         criteriaInput     `json:"criteria"`
	Context          string            `json:"context"`
	// ProposedReferenceID proposes a reference, as "Request this reference" does.
	ProposedReferenceID int64 `json:"proposed_reference_id"`
}

// requestFields are the domain's and the store's field names that differ
// from the body's.
var requestFields = map[string]string{"opportunity": "opportunity_id",
	"industry": "criteria.industry", "region": "criteria.region", "country": "criteria.country",
	"company_size": "criteria.company_size", "product": "criteria.product", "use_case": "criteria.use_case",
	"competitor": "criteria.competitor", "seniority": "criteria.seniority", "reference": "proposed_reference_id"}

// createRequest serves POST /api/v1/requests: a request for references for
// an opportunity, given by id or inline (then created with the request and
// owned by the caller unless it names an owner). A seller requests for
// their own opportunities; the program team for any. The program team is
// told. Every problem, of the request and of an inline opportunity, is
// named in one 400 before anything is written.
func (h *Handler) createRequest(w http.ResponseWriter, r *http.Request) {
	var in requestInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	ctx := r.Context()
	var v vouch.Validation
	req := &vouch.Request{ReferencesNeeded: in.ReferencesNeeded, Context: in.Context, ProposedReferenceID: in.ProposedReferenceID}
	var opp *vouch.Opportunity
	switch {
	case in.OpportunityID.Set && in.Opportunity != nil:
		v.Add("opportunity", "give opportunity_id or opportunity, not both")
	case in.Opportunity != nil:
		opp = &vouch.Opportunity{}
		if err := h.applyOpportunity(ctx, in.Opportunity, opp, &v, "opportunity."); err != nil {
			h.fail(w, r, err)
			return
		}
		if in.Opportunity.Version.Set {
			v.Add("opportunity.version", "is given by the server; leave it out when creating")
		}
	case in.OpportunityID.Set:
		req.OpportunityID = in.OpportunityID.Value
	default:
		v.Add("opportunity_id", "is required (or give opportunity: a new opportunity's fields)")
	}

	if strings.TrimSpace(in.ActivityType) == "" {
		v.Add("activity_type", "is required: an activity type's name, e.g. Call")
	} else if id, problem := h.valueOf(vouch.TaxActivityType, in.ActivityType, nil); problem != "" {
		v.Add("activity_type", problem)
	} else {
		req.ActivityTypeID = id
	}
	c := &in.Criteria
	for _, x := range []struct {
		field string
		kind  vouch.TaxonomyKind
		name  string
		to    *int64
	}{{"industry", vouch.TaxIndustry, c.Industry, &req.Criteria.IndustryID},
		{"region", vouch.TaxRegion, c.Region, &req.Criteria.RegionID},
		{"country", vouch.TaxCountry, c.Country, &req.Criteria.CountryID},
		{"company_size", vouch.TaxCompanySize, c.CompanySize, &req.Criteria.SizeID},
		{"product", vouch.TaxProduct, c.Product, &req.Criteria.ProductID},
		{"use_case", vouch.TaxUseCase, c.UseCase, &req.Criteria.UseCaseID},
		{"competitor", vouch.TaxCompetitor, c.Competitor, &req.Criteria.CompetitorID}} {
		id, problem := h.valueOf(x.kind, x.name, nil)
		if problem != "" {
			v.Add("criteria."+x.field, problem)
			continue
		}
		*x.to = id
	}
	req.Criteria.Language, req.Criteria.Seniority = c.Language, c.Seniority
	req.DueDate = dateField(&v, "due_date", in.DueDate)

	// Problems reading the body are told with the service's, all at once;
	// without any, the service checks and stores in one go.
	if v.Err() != nil {
		var rules vouch.Validation
		if err := h.ful.CheckRequest(ctx, userFrom(ctx), req, opp, &rules); err != nil {
			h.fail(w, r, err)
			return
		}
		for field, reason := range vouch.ErrorFields(rules.Err()) {
			if field == "opportunity" && req.OpportunityID == 0 && opp == nil {
				continue // already named above, in the body's words
			}
			if name, ok := requestFields[field]; ok {
				field = name
			}
			v.Add(field, reason)
		}
		writeError(w, v.Err())
		return
	}
	if err := h.ful.CreateRequest(ctx, userFrom(ctx), req, opp); err != nil {
		h.fail(w, r, fieldsOf(err, requestFields))
		return
	}
	h.writeRequest(w, r, http.StatusCreated, req.ID)
}

// changeRequestState serves POST /api/v1/requests/{id}/state: move a
// request by hand, with the version read. A move the lifecycle does not
// allow is a conflict (409) naming the moves there are; declining,
// cancelling and giving up need a reason (400). The requester may cancel
// their own request; every other move is the program team's.
func (h *Handler) changeRequestState(w http.ResponseWriter, r *http.Request) {
	view, err := h.visibleRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	req := view.Request
	var body struct {
		State   string `json:"state"`
		Reason  string `json:"reason"`
		Version int    `json:"version"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	var v vouch.Validation
	if strings.TrimSpace(body.State) == "" {
		v.Add("state", "is required: one of "+requestStateValues())
	}
	if body.Version <= 0 {
		v.Add("version", "is required: the version you read, so that nobody's change is overwritten")
	}
	if err := v.Err(); err != nil {
		writeError(w, err)
		return
	}
	c := vouch.RequestChange{To: parseRequestState(body.State), Reason: body.Reason}
	if !c.To.Valid() {
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: fmt.Sprintf("A request has no state %q.", body.State),
			Fields: map[string]string{"state": "must be one of " + requestStateValues()}})
		return
	}
	if _, err := h.ful.ChangeState(r.Context(), userFrom(r.Context()), req.ID, body.Version, c); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeRequest(w, r, http.StatusOK, req.ID)
}

// assignRequest serves POST /api/v1/requests/{id}/assign: give the request
// to a member of the program team (an email, "me"), or to nobody (null). A
// submitted request assigned to someone is in progress. The version is
// optional: left out, the request is assigned whatever its version.
func (h *Handler) assignRequest(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "request")
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Assignee optional[string] `json:"assignee"`
		Version  int              `json:"version"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	ctx := r.Context()
	var v vouch.Validation
	var assignee int64
	switch {
	case !body.Assignee.Set:
		v.Add("assignee", `is required: a team member's email, "me", or null for nobody`)
	case strings.TrimSpace(body.Assignee.Value) != "":
		if assignee, err = h.userParam(ctx, &v, "assignee", body.Assignee.Value); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if body.Version < 0 {
		v.Add("version", "must be the version you read, or left out")
	}
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	if _, err := h.ful.Assign(ctx, userFrom(ctx), id, body.Version, assignee); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeRequest(w, r, http.StatusOK, id)
}

// postRequestMessage serves POST /api/v1/requests/{id}/messages: add a
// message to the request's timeline; the requester and the assignee are told.
func (h *Handler) postRequestMessage(w http.ResponseWriter, r *http.Request) {
	view, err := h.visibleRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	req := view.Request
	var body struct {
		Body string `json:"body"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	if err := h.ful.Message(ctx, u, req.ID, body.Body); err != nil {
		h.fail(w, r, err)
		return
	}
	events, err := h.ful.Events(ctx, view)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The newest message with this text by this caller is the one just added.
	text, actor := strings.TrimSpace(body.Body), vouch.UserActor(u).Label
	i := len(events) - 1
	for i >= 0 && (events[i].Kind != vouch.EventMessage || events[i].Body != text || events[i].Actor != actor) {
		i--
	}
	if i < 0 {
		h.fail(w, r, fmt.Errorf("message on request %d not found on its timeline after adding it", req.ID))
		return
	}
	writeJSON(w, http.StatusCreated, eventOf(events[i]))
}

// matchItem is one candidate reference for a request, with its fit score,
// every contribution to it, the criteria it meets and misses, and the signs
// it was asked or used a lot lately.
type matchItem struct {
	ReferenceID int64             `json:"reference_id"`
	Reference   string            `json:"reference"`
	Title       string            `json:"title"`
	AccountID   int64             `json:"account_id"`
	Account     string            `json:"account"`
	Score       int               `json:"score"`
	Reasons     []vouch.Reason    `json:"reasons"`
	Criteria    []vouch.Criterion `json:"criteria"`
	Fatigue     []string          `json:"fatigue"`
}

// matchList is a page of the candidates, best first: every reference that
// passes the hard rules is on some page (total), with how many meet every
// criterion and how many fail a rule.
type matchList struct {
	Items      []matchItem `json:"items"`
	NextCursor string      `json:"next_cursor"`
	Total      int         `json:"total"`
	Eligible   int         `json:"eligible"` // the same as Total, for older clients
	MeetAll    int         `json:"meet_all"`
	Summary    string      `json:"summary"`
	Ineligible int         `json:"ineligible"`
}

// requestMatches serves GET /api/v1/requests/{id}/matches: a page (limit,
// 20 unless given, at most 100; cursor) of every reference that passes the
// hard rules, best first, leaving out references already asked for the
// request's opportunity. The list is for the requester and the program team
// (403 for the owner of an asked account).
func (h *Handler) requestMatches(w http.ResponseWriter, r *http.Request) {
	v, err := h.visibleRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var val vouch.Validation
	offset, limit := pageParams(r, &val, 20, 100)
	if err := val.Err(); err != nil {
		writeError(w, err)
		return
	}
	res, err := h.ful.MatchesFor(r.Context(), v, offset, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := matchList{Items: make([]matchItem, len(res.Items)), NextCursor: nextCursor(offset, len(res.Items), res.Eligible),
		Total: res.Eligible, Eligible: res.Eligible, MeetAll: res.MeetAll, Summary: res.Summary(), Ineligible: res.Ineligible}
	for i, m := range res.Items {
		out.Items[i] = matchItem{ReferenceID: m.Reference.ID, Reference: m.Reference.Name, Title: m.Reference.Title,
			AccountID: m.Account.ID, Account: m.Account.Name, Score: m.Score, Reasons: nonNil(m.Reasons),
			Criteria: nonNil(m.Criteria), Fatigue: nonNil(m.Fatigue)}
	}
	writeJSON(w, http.StatusOK, out)
}

// ineligibleItem is a reference that fails a hard rule of a request, with
// the rules it fails in words and the criteria it would meet.
type ineligibleItem struct {
	ReferenceID int64               `json:"reference_id"`
	Reference   string              `json:"reference"`
	Title       string              `json:"title"`
	AccountID   int64               `json:"account_id"`
	Account     string              `json:"account"`
	Status      vouch.Status        `json:"status"`
	Failures    []vouch.RuleFailure `json:"failures"`
	Criteria    []vouch.Criterion   `json:"criteria"`
}

// requestIneligible serves GET /api/v1/requests/{id}/ineligible: a page of
// the references that fail a hard rule of the request ("at capacity until
// 14 Mar", "not agreed to a call", "do not contact"), those meeting most
// criteria first. For the program team only (403 for anyone else).
func (h *Handler) requestIneligible(w http.ResponseWriter, r *http.Request) {
	v, err := h.visibleRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var val vouch.Validation
	offset, limit := pageParams(r, &val, 20, 100)
	if err := val.Err(); err != nil {
		writeError(w, err)
		return
	}
	ctx := r.Context()
	res, err := h.ful.IneligibleFor(ctx, userFrom(ctx), v, offset, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items := make([]ineligibleItem, len(res.Items))
	for i, m := range res.Items {
		items[i] = ineligibleItem{ReferenceID: m.Reference.ID, Reference: m.Reference.Name, Title: m.Reference.Title,
			AccountID: m.Account.ID, Account: m.Account.Name, Status: m.Status, Failures: nonNil(m.Failures), Criteria: nonNil(m.Criteria)}
	}
	writeJSON(w, http.StatusOK, newList(items, nextCursor(offset, len(items), res.Total), res.Total))
}

// nonNil is s, or an empty slice for nil, so JSON says [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
