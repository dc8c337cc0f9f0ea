package api

import (
	"bytes"
	"context"
	"encoding/json"
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

// referenceItem is a reference as the API shows it: taxonomy values, the
// account and the owner by name for people, with ids where a program needs them.
type referenceItem struct {
	ID                  int64            `json:"id"`
	Name                string           `json:"name"`
	Title               string           `json:"title"`
	Seniority           string           `json:"seniority"`
	Email               string           `json:"email"`
	Phone               string           `json:"phone"`
	TimeZone            string           `json:"time_zone"`
	Languages           []string         `json:"languages"`
	Account             accountRef       `json:"account"`
	Industry            *string          `json:"industry"`
	Region              *string          `json:"region"`
	Country             *string          `json:"country"`
	Segment             *string          `json:"segment"`
	CompanySize         *string          `json:"company_size"`
	Products            []string         `json:"products"`
	UseCases            []string         `json:"use_cases"`
	CompetitorsReplaced []string         `json:"competitors_replaced"`
	Activities          []agreedActivity `json:"activities"`
	Deployment          string           `json:"deployment"`
	GoLive              vouch.Date       `json:"go_live"`
	Story               string           `json:"story"`
	Owner               *person          `json:"owner"`
	LastVerified        vouch.Date       `json:"last_verified"`
	Stale               bool             `json:"stale"`
	Status              vouch.Status     `json:"status"`
	StatusReason        string           `json:"status_reason"`
	RestingUntil        vouch.Date       `json:"resting_until"`
	Capacity            vouch.Capacity   `json:"capacity"`
	CapacityOverride    *int             `json:"capacity_override"`
	CRMID               string           `json:"crm_id"`
	Version             int              `json:"version"`
	CreatedAt           time.Time        `json:"created_at"`
	UpdatedAt           time.Time        `json:"updated_at"`
}

type accountRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// person is a user as other records show it (an owner).
type person struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type agreedActivity struct {
	Type        string     `json:"type"`
	ConsentedOn vouch.Date `json:"consented_on"`
}

// referenceList is the list envelope with the facet counts asked for.
type referenceList struct {
	Items      []referenceItem         `json:"items"`
	NextCursor string                  `json:"next_cursor"`
	Total      int                     `json:"total"`
	Facets     map[string][]facetValue `json:"facets,omitempty"`
	// Suggestions, when nothing matched, are the searches that would find
	// something: this one without a parameter.
	Suggestions []searchSuggestion `json:"suggestions,omitempty"`
}

// searchSuggestion is a parameter whose removal would make an empty search
// find references: "q", or a filter with the values given for it.
type searchSuggestion struct {
	Remove string   `json:"remove"`
	Values []string `json:"values"`
	Total  int      `json:"total"`
}

// facetValue is one value of a facet. Its name is always a value the
// parameter of the same name accepts, so a client can select it as it is.
type facetValue struct {
	Name     string `json:"name"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}

// users returns the users with the given ids that exist. A few are read one
// by one; more, and every user is read at once (there are at most hundreds).
func (h *Handler) users(ctx context.Context, ids ...int64) (map[int64]*vouch.User, error) {
	out := map[int64]*vouch.User{}
	want := map[int64]bool{}
	for _, id := range ids {
		if id != 0 {
			want[id] = true
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	if len(want) <= 3 {
		for id := range want {
			u, err := h.db.User(ctx, id)
			if vouch.ErrorCode(err) == vouch.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, err
			}
			out[id] = u
		}
		return out, nil
	}
	all, err := h.db.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range all {
		if want[u.ID] {
			out[u.ID] = u
		}
	}
	return out, nil
}

func personOf(users map[int64]*vouch.User, id int64) *person {
	if u := users[id]; u != nil {
		return &person{ID: u.ID, Email: u.Email, Name: u.Name}
	}
	return nil
}

// valueName is the name of a single-valued taxonomy field, nil when unset.
func (h *Handler) valueName(id int64) *string {
	if id == 0 {
		return nil
	}
	if v := h.cat.Value(id); v != nil {
		return &v.Name
	}
	return nil
}

// valueNames names the values in display order.
func (h *Handler) valueNames(ids []int64) []string {
	vals := make([]*vouch.TaxonomyValue, 0, len(ids))
	for _, id := range ids {
		if v := h.cat.Value(id); v != nil {
			vals = append(vals, v)
		}
	}
	sortValues(vals)
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v.Name
	}
	return out
}

func sortValues(vals []*vouch.TaxonomyValue) {
	slices.SortStableFunc(vals, func(a, b *vouch.TaxonomyValue) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
}

// referenceItems turns hits into items, reading the owners once.
func (h *Handler) referenceItems(ctx context.Context, hits []refindex.Hit) ([]referenceItem, error) {
	var owners []int64
	for _, hit := range hits {
		owners = append(owners, hit.Reference.OwnerID)
	}
	users, err := h.users(ctx, owners...)
	if err != nil {
		return nil, err
	}
	items := make([]referenceItem, len(hits))
	for i, hit := range hits {
		items[i] = h.referenceItem(hit, users)
	}
	return items, nil
}

func (h *Handler) referenceItem(hit refindex.Hit, users map[int64]*vouch.User) referenceItem {
	r, a := hit.Reference, hit.Account
	acts := make([]*vouch.TaxonomyValue, 0, len(r.Activities))
	consented := map[int64]vouch.Date{}
	for _, act := range r.Activities {
		if v := h.cat.Value(act.TypeID); v != nil {
			acts = append(acts, v)
			consented[v.ID] = act.ConsentedOn
		}
	}
	sortValues(acts)
	activities := make([]agreedActivity, len(acts))
	for i, v := range acts {
		activities[i] = agreedActivity{Type: v.Name, ConsentedOn: consented[v.ID]}
	}
	langs := r.Languages
	if langs == nil {
		langs = []string{}
	}
	return referenceItem{
		ID: r.ID, Name: r.Name, Title: r.Title, Seniority: r.Seniority, Email: r.Email, Phone: r.Phone,
		TimeZone: r.TimeZone, Languages: langs,
		Account:  accountRef{ID: a.ID, Name: a.Name},
		Industry: h.valueName(a.IndustryID), Region: h.valueName(a.RegionID), Country: h.valueName(a.CountryID),
		Segment: h.valueName(a.SegmentID), CompanySize: h.valueName(a.SizeID),
		Products: h.valueNames(r.ProductIDs), UseCases: h.valueNames(r.UseCaseIDs),
		CompetitorsReplaced: h.valueNames(r.CompetitorIDs), Activities: activities,
		Deployment: r.Deployment, GoLive: r.GoLive, Story: r.Story, Owner: personOf(users, r.OwnerID),
		LastVerified: r.LastVerified, Stale: hit.Stale, Status: hit.Status, StatusReason: r.StatusReason,
		RestingUntil: r.RestingUntil, Capacity: hit.Capacity, CapacityOverride: r.CapacityOverride,
		CRMID: r.CRMID, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// freshItem returns the reference as it is after a write that left it at
// version minVersion or later. The index has it already (local writes are
// applied as they commit); should it lag, the item is read from the database.
func (h *Handler) freshItem(ctx context.Context, id int64, minVersion int) (referenceItem, error) {
	hit, ok := h.ix.Get(id)
	if !ok || hit.Reference.Version < minVersion {
		today := h.db.Today()
		recs, err := h.db.LoadReferenceRecords(ctx, []int64{id}, today)
		if err != nil {
			return referenceItem{}, err
		}
		if len(recs) == 0 {
			return referenceItem{}, vouch.Errorf(vouch.ENOTFOUND, "Reference %d not found.", id)
		}
		r := recs[0].Reference
		max := h.cat.CapacityDefault()
		if r.CapacityOverride != nil {
			max = *r.CapacityOverride
		}
		hit = refindex.Hit{Reference: r, Account: recs[0].Account, Status: r.EffectiveStatus(today),
			Capacity: vouch.ComputeCapacity(max, recs[0].Activities, today), Stale: r.Stale(today)}
	}
	items, err := h.referenceItems(ctx, []refindex.Hit{hit})
	if err != nil {
		return referenceItem{}, err
	}
	return items[0], nil
}

// --- Searching -------------------------------------------------------------

// referenceSorts are the orders of ?sort=, each also as key-asc and
// key-desc (refindex.ParseSort, the reading the list page uses too).
var referenceSorts = append([]string{"relevance"}, refindex.SortKeys...)

// referenceFacets maps the names ?facets= accepts, which are the filter
// parameters' names, to the index's facet names.
var referenceFacets = []struct{ param, facet string }{
	{"industry", "industry"}, {"region", "region"}, {"country", "country"}, {"segment", "segment"},
	{"company_size", "company_size"}, {"product", "product"}, {"use_case", "use_case"},
	{"competitor", "competitor"}, {"activity_type", "activity_type"}, {"seniority", "seniority"},
	{"status", "status"}, {"has_capacity", "capacity"}, {"verified", "verified"}, {"owner", "owner"},
}

// referenceSearch is GET /api/v1/references's search as read from the URL.
type referenceSearch struct {
	query  refindex.Query
	facets []string // parameter names, as asked
}

// referenceQuery reads the search of GET /api/v1/references from the URL:
// filters by name, q, sort and facets, but not limit and cursor, so that
// another rendering of the same search (an export) reads it the same way.
// Parameters it does not know are left alone for others to read.
func (h *Handler) referenceQuery(ctx context.Context, q url.Values) (referenceSearch, error) {
	var v vouch.Validation
	s := referenceSearch{query: refindex.Query{Filters: map[string][]int64{}, Text: strings.TrimSpace(q.Get("q"))}}
	for _, kind := range vouch.TaxonomyKinds {
		if kind == vouch.TaxContentType {
			continue // content's own picklist: references have no type
		}
		param := string(kind)
		for _, raw := range q[param] {
			ids, bad := h.valuesOfParam(kind, raw)
			if bad != "" {
				v.Add(param, h.unknownValue(kind, bad))
			}
			s.query.Filters[param] = append(s.query.Filters[param], ids...)
		}
	}
	for _, name := range listParam(q, "status") {
		st, ok := vouch.ParseStatus(name)
		if !ok {
			v.Add("status", fmt.Sprintf("has no value %q; it is one of %s", name, statusNames()))
			continue
		}
		s.query.Filters["status"] = append(s.query.Filters["status"], refindex.StatusKey(st))
	}
	for _, name := range listParam(q, "seniority") {
		k := refindex.SeniorityKey(strings.TrimSpace(name))
		if k < 0 {
			v.Add("seniority", fmt.Sprintf("has no value %q; it is one of %s", name, strings.Join(vouch.Seniorities, ", ")))
			continue
		}
		s.query.Filters["seniority"] = append(s.query.Filters["seniority"], k)
	}
	for _, b := range []struct{ param, facet string }{{"has_capacity", "capacity"}, {"verified", "verified"}} {
		for _, raw := range listParam(q, b.param) {
			yes, err := strconv.ParseBool(raw)
			if err != nil {
				v.Add(b.param, "must be true or false")
				continue
			}
			key := int64(0)
			if yes {
				key = 1
			}
			s.query.Filters[b.facet] = append(s.query.Filters[b.facet], key)
		}
	}
	for _, email := range listParam(q, "owner") {
		u, err := h.db.UserByEmail(ctx, email)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("owner", fmt.Sprintf("has no user with the email %q", email))
			continue
		} else if err != nil {
			return s, err
		}
		s.query.Filters["owner"] = append(s.query.Filters["owner"], u.ID)
	}
	if raw := q.Get("account_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			v.Add("account_id", "must be a positive whole number")
		} else if _, err := h.db.Account(ctx, id); vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("account_id", "is not a known account")
		} else if err != nil {
			return s, err
		}
		s.query.AccountID = id
	}
	if raw := q.Get("sort"); raw != "" {
		sort, reverse, ok := refindex.ParseSort(raw)
		if !ok {
			v.Add("sort", "must be one of "+strings.Join(referenceSorts, ", ")+", or one of those but relevance with -asc or -desc")
		}
		s.query.Sort, s.query.Desc = sort, reverse
		if sort == "" && strings.EqualFold(strings.TrimSpace(raw), "relevance") {
			s.query.Sort = "relevance"
		}
	}
	for _, name := range listParam(q, "facets") {
		name = strings.ToLower(name)
		i := slices.IndexFunc(referenceFacets, func(f struct{ param, facet string }) bool { return f.param == name })
		if i < 0 {
			names := make([]string, len(referenceFacets))
			for j, f := range referenceFacets {
				names[j] = f.param
			}
			v.Add("facets", fmt.Sprintf("has no facet %q; it takes %s", name, strings.Join(names, ", ")))
			continue
		}
		if !slices.Contains(s.facets, name) {
			s.facets = append(s.facets, name)
			s.query.CountFacets = append(s.query.CountFacets, referenceFacets[i].facet)
		}
	}
	return s, paramError(v.Err())
}

// listParam reads a parameter given as alternatives: repeated, or separated
// by commas (industry=Retail,Healthcare). Blank entries are skipped.
func listParam(q url.Values, name string) []string {
	var out []string
	for _, raw := range q[name] {
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// valuesOfParam reads one occurrence of a taxonomy parameter: one name, or
// several separated by commas. Names may contain commas themselves
// ("1,001–5,000"), so the longest run of pieces that names a value wins. It
// returns the ids found and the first part that names no value.
func (h *Handler) valuesOfParam(kind vouch.TaxonomyKind, raw string) ([]int64, string) {
	parts := strings.Split(raw, ",")
	if len(parts) > maxParamValues {
		return nil, raw[:min(len(raw), 40)] + "…"
	}
	ids, failed := h.valuesOfParts(kind, parts)
	if failed < 0 {
		return ids, ""
	}
	// Name the piece that is wrong: this one, when the rest are values or it
	// is a misspelt value; else everything left.
	piece := strings.TrimSpace(parts[failed])
	if _, bad := h.valuesOfParts(kind, parts[failed+1:]); bad < 0 || h.closestValue(kind, piece) != "" {
		return ids, piece
	}
	return ids, strings.TrimSpace(strings.Join(parts[failed:], ","))
}

// maxParamValues bounds the alternatives one parameter may list.
const maxParamValues = 500

// valuesOfParts resolves comma-separated pieces, joining neighbours (a few at
// most) into names that contain commas. It returns the ids and the index of
// the first piece that starts no name, or -1.
func (h *Handler) valuesOfParts(kind vouch.TaxonomyKind, parts []string) ([]int64, int) {
	var ids []int64
	for i := 0; i < len(parts); {
		if strings.TrimSpace(parts[i]) == "" {
			i++
			continue
		}
		found := false
		for j := min(len(parts), i+4); j > i; j-- {
			if id := h.lookupValue(kind, strings.Join(parts[i:j], ",")); id != 0 {
				ids, i, found = append(ids, id), j, true
				break
			}
		}
		if !found {
			return ids, i
		}
	}
	return ids, -1
}

// lookupValue finds a value of kind by name (vouch.ValueKey: case, spaces,
// dashes and thousands separators do not matter); 0 when none.
func (h *Handler) lookupValue(kind vouch.TaxonomyKind, name string) int64 {
	return h.refs.Lookup(kind, name)
}

// unknownValue says that name is no value of kind: with the value it most
// likely means, or else the values there are.
func (h *Handler) unknownValue(kind vouch.TaxonomyKind, name string) string {
	return h.refs.UnknownValue(kind, name)
}

// closestValue is the value of kind that name most likely misspells, by the
// one matcher every edge uses (vouch.ClosestName); "" when there is none.
func (h *Handler) closestValue(kind vouch.TaxonomyKind, name string) string {
	var names []string
	for _, v := range h.cat.Values(kind, false) {
		names = append(names, v.Name)
	}
	return vouch.ClosestName(name, names)
}

func statusNames() string { return vouch.StatusNames() }

// paramError gives an error about one field a message that says it all.
func paramError(err error) error {
	e, ok := err.(*vouch.Error)
	if !ok || len(e.Fields) != 1 {
		return err
	}
	for field, reason := range e.Fields {
		msg := field + " " + reason
		if !strings.HasSuffix(msg, "?") {
			msg += "."
		}
		e.Message = msg
	}
	return e
}

// listReferences serves GET /api/v1/references: the references matching
// the filters, from the in-memory index, a page at a time, with facet counts
// on request. The cursor is the offset of the next page: the order is total
// (ties are broken by name, then id), so pages neither overlap nor skip.
func (h *Handler) listReferences(w http.ResponseWriter, r *http.Request) {
	s, err := h.referenceQuery(r.Context(), r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if format := r.URL.Query().Get("format"); format != "" && !strings.EqualFold(format, "json") {
		h.exportReferences(w, r, s, format)
		return
	}
	limit, err := limitParam(r, 50, 500)
	if err != nil {
		writeError(w, err)
		return
	}
	offset, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil || offset > 1<<30 {
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: "The cursor is not valid; use next_cursor from the previous page.",
			Fields: map[string]string{"cursor": "is not valid"}})
		return
	}
	s.query.Offset, s.query.Limit, s.query.Suggest = int(offset), limit, true
	sight, err := h.ful.SightFor(r.Context(), userFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// A seller's list and counts hold only what they may request, and each
	// item only what they may see of it.
	s.query.Requestable = sight.OnlyRequestable()
	res := h.ix.Search(s.query)
	items, err := h.referenceItems(r.Context(), sight.Hits(res.Hits))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := referenceList{Items: items, NextCursor: nextCursor(s.query.Offset, len(res.Hits), res.Total), Total: res.Total}
	if len(s.facets) > 0 {
		if out.Facets, err = h.facets(r.Context(), s.facets, res.Facets); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if out.Suggestions, err = h.suggestions(r.Context(), s.query, res.Suggestions); err != nil {
		h.fail(w, r, err)
		return
	}
	if out.Items == nil {
		out.Items = []referenceItem{}
	}
	writeJSON(w, http.StatusOK, out)
}

// suggestions names the index's suggestions by the parameters and values
// the search takes, so a client can drop the parameter and search again.
func (h *Handler) suggestions(ctx context.Context, q refindex.Query, found []refindex.Suggestion) ([]searchSuggestion, error) {
	var out []searchSuggestion
	for _, sg := range found {
		if sg.Facet == "" {
			out = append(out, searchSuggestion{Remove: "q", Values: []string{q.Text}, Total: sg.Total})
			continue
		}
		i := slices.IndexFunc(referenceFacets, func(f struct{ param, facet string }) bool { return f.facet == sg.Facet })
		if i < 0 {
			continue
		}
		s := searchSuggestion{Remove: referenceFacets[i].param, Values: []string{}, Total: sg.Total}
		for _, k := range sg.Keys {
			switch sg.Facet {
			case "status":
				s.Values = append(s.Values, string(vouch.Statuses[k]))
			case "seniority":
				s.Values = append(s.Values, vouch.Seniorities[k])
			case "capacity", "verified":
				s.Values = append(s.Values, strconv.FormatBool(k == 1))
			case "owner":
				users, err := h.users(ctx, k)
				if err != nil {
					return nil, err
				}
				if u := users[k]; u != nil {
					s.Values = append(s.Values, u.Email)
				}
			default:
				s.Values = append(s.Values, h.cat.ValueName(k))
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// facets names the index's facet counts the way the parameters take them.
func (h *Handler) facets(ctx context.Context, params []string, counted map[string][]refindex.FacetValue) (map[string][]facetValue, error) {
	out := map[string][]facetValue{}
	for _, param := range params {
		i := slices.IndexFunc(referenceFacets, func(f struct{ param, facet string }) bool { return f.param == param })
		list, err := h.facetList(ctx, param, counted[referenceFacets[i].facet])
		if err != nil {
			return nil, err
		}
		out[param] = list
	}
	return out, nil
}

// getReference serves GET /api/v1/references/{id}, from the index.
func (h *Handler) getReference(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "reference")
	if err != nil {
		writeError(w, err)
		return
	}
	// A reference the caller may not see answers as not found.
	hit, _, err := h.ful.Reference(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.referenceItems(r.Context(), []refindex.Hit{hit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, items[0])
}

// --- Writing ---------------------------------------------------------------

// optional is a field of a request body that tells a field left out from
// one sent, even as null, so that PATCH changes only what it is given.
type optional[T any] struct {
	Set   bool
	Value T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		var zero T
		o.Value = zero
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// referenceInput is the body of POST and PATCH /api/v1/references: every
// field optional, taxonomy values and the owner by name.
type referenceInput struct {
	Version             optional[int]               `json:"version"`
	AccountID           optional[int64]             `json:"account_id"`
	Account             optional[string]            `json:"account"`
	Name                optional[string]            `json:"name"`
	Title               optional[string]            `json:"title"`
	Seniority           optional[string]            `json:"seniority"`
	Email               optional[string]            `json:"email"`
	Phone               optional[string]            `json:"phone"`
	TimeZone            optional[string]            `json:"time_zone"`
	Languages           optional[[]string]          `json:"languages"`
	Products            optional[[]string]          `json:"products"`
	UseCases            optional[[]string]          `json:"use_cases"`
	CompetitorsReplaced optional[[]string]          `json:"competitors_replaced"`
	Activities          optional[[]json.RawMessage] `json:"activities"`
	Deployment          optional[string]            `json:"deployment"`
	GoLive              optional[string]            `json:"go_live"`
	Story               optional[string]            `json:"story"`
	OwnerEmail          optional[string]            `json:"owner_email"`
	LastVerified        optional[string]            `json:"last_verified"`
	CapacityOverride    optional[*int]              `json:"capacity_override"`
	CRMID               optional[string]            `json:"crm_id"`
	Status              optional[string]            `json:"status"`
	Reason              optional[string]            `json:"reason"`
	Until               optional[string]            `json:"until"`
	CreateAccount       optional[bool]              `json:"create_account"`
}

// fieldsOf renames the fields of the store's errors to those of the body.
func fieldsOf(err error, names map[string]string) error {
	e, ok := err.(*vouch.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	fields := map[string]string{}
	for f, reason := range e.Fields {
		if n, ok := names[f]; ok {
			f = n
		}
		fields[f] = reason
	}
	return &vouch.Error{Code: e.Code, Message: e.Message, Fields: fields}
}

// dateField reads a date field: "" and null are no date.
func dateField(v *vouch.Validation, field, s string) vouch.Date {
	d, err := vouch.ParseDate(s)
	if err != nil {
		v.Add(field, `must be a date like "2026-03-14"`)
	}
	return d
}

// valueOf resolves one picklist value given by name ("" is no value) for a
// record that has the values keep: the service's rule, retired values included.
func (h *Handler) valueOf(kind vouch.TaxonomyKind, name string, keep []int64) (int64, string) {
	return h.refs.Value(kind, name, keep)
}

// referenceFields are the service's field names that differ from the body's.
var referenceFields = map[string]string{"capacity": "capacity_override", "owner": "owner_email",
	"competitors": "competitors_replaced", "resting_until": "until"}

// fieldNames is referenceFields for one body: the account is named as given.
func (in *referenceInput) fieldNames() map[string]string {
	names := map[string]string{"account": "account_id"}
	if in.Account.Set {
		names["account"] = "account"
	}
	for k, v := range referenceFields {
		names[k] = v
	}
	return names
}

// ptr is the value of an optional field, nil when the body left it out.
func ptr[T any](o optional[T]) *T {
	if !o.Set {
		return nil
	}
	v := o.Value
	return &v
}

// input turns the body into the service's input: names as given; an
// activity that is neither a name nor an object is unreadable.
func (in *referenceInput) input() vouch.ReferenceInput {
	out := vouch.ReferenceInput{
		Version: ptr(in.Version), AccountID: ptr(in.AccountID), Account: ptr(in.Account),
		CreateAccount: in.CreateAccount.Value,
		Name:          ptr(in.Name), Title: ptr(in.Title), Seniority: ptr(in.Seniority), Email: ptr(in.Email),
		Phone: ptr(in.Phone), TimeZone: ptr(in.TimeZone), Languages: ptr(in.Languages), Deployment: ptr(in.Deployment),
		Story: ptr(in.Story), CRMID: ptr(in.CRMID), Products: ptr(in.Products), UseCases: ptr(in.UseCases),
		Competitors: ptr(in.CompetitorsReplaced), GoLive: ptr(in.GoLive), LastVerified: ptr(in.LastVerified),
		OwnerEmail: ptr(in.OwnerEmail), CapacityOverride: ptr(in.CapacityOverride),
		Status: ptr(in.Status), Reason: ptr(in.Reason), Until: ptr(in.Until),
		Unreadable: map[string]string{},
	}
	if in.Activities.Set {
		acts := []vouch.ActivityInput{}
		for _, raw := range in.Activities.Value {
			var obj struct {
				Type        string `json:"type"`
				ConsentedOn string `json:"consented_on"`
			}
			raw = bytes.TrimSpace(raw)
			ok := false
			switch {
			case len(raw) > 0 && raw[0] == '"':
				ok = json.Unmarshal(raw, &obj.Type) == nil
			case len(raw) > 0 && raw[0] == '{':
				dec := json.NewDecoder(bytes.NewReader(raw))
				dec.DisallowUnknownFields()
				ok = dec.Decode(&obj) == nil
			}
			if !ok {
				out.Unreadable["activities"] = `each must be an activity type's name, or an object like {"type": "Call", "consented_on": "2026-01-05"}`
				continue
			}
			acts = append(acts, vouch.ActivityInput{Type: obj.Type, ConsentedOn: obj.ConsentedOn})
		}
		out.Activities = &acts
	}
	return out
}

// createReference serves POST /api/v1/references. An account given by a
// name no account has is created only with "create_account": true.
func (h *Handler) createReference(w http.ResponseWriter, r *http.Request) {
	var in referenceInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	saved, err := h.refs.CreateReference(r.Context(), in.input())
	if err != nil {
		h.fail(w, r, fieldsOf(err, in.fieldNames()))
		return
	}
	item, err := h.freshItem(r.Context(), saved.Reference.ID, saved.Reference.Version)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, item)
}

// updateReference serves PATCH /api/v1/references/{id}. The body carries the
// version the client read: if someone saved since, nothing is written (409).
// Fields left out are unchanged; a status moves the reference along its
// lifecycle in the same transaction, so either everything is saved or nothing.
func (h *Handler) updateReference(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "reference")
	if err != nil {
		writeError(w, err)
		return
	}
	var in referenceInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	saved, err := h.refs.UpdateReference(r.Context(), id, in.input())
	if err != nil {
		h.fail(w, r, fieldsOf(err, in.fieldNames()))
		return
	}
	item, err := h.freshItem(r.Context(), id, saved.Reference.Version)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, item)
}

// deleteReference serves DELETE /api/v1/references/{id}.
func (h *Handler) deleteReference(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "reference")
	if err != nil {
		writeError(w, err)
		return
	}
	if err := h.refs.DeleteReference(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// --- History and activities ------------------------------------------------

// statusEvent is one move in a reference's lifecycle; from is null for the first.
type statusEvent struct {
	ID     int64         `json:"id"`
	From   *vouch.Status `json:"from"`
	To     vouch.Status  `json:"to"`
	Reason string        `json:"reason"`
	Until  vouch.Date    `json:"until"`
	Actor  string        `json:"actor"`
	At     time.Time     `json:"at"`
}

// activityItem is an activity a reference did (or is booked to do, when an
// advocate accepted an ask), its type by name, with the request and
// opportunity it was for and what the advocate earned and was given.
type activityItem struct {
	ID             int64      `json:"id"`
	ReferenceID    int64      `json:"reference_id"`
	Type           string     `json:"type"`
	OccurredOn     vouch.Date `json:"occurred_on"`
	Notes          string     `json:"notes"`
	State          string     `json:"state"`
	RequestID      *int64     `json:"request_id"`
	OpportunityID  *int64     `json:"opportunity_id"`
	Points         int        `json:"points"`
	ThankYou       string     `json:"thank_you"`
	ThankYouSentOn vouch.Date `json:"thank_you_sent_on"`
	// The opportunity's stage and amount when the activity was tied to it.
	StageAtRequest  string    `json:"stage_at_request"`
	AmountAtRequest *int64    `json:"amount_at_request_cents"`
	CreatedAt       time.Time `json:"created_at"`
}

// existingReference reads {id} and checks the reference exists.
func (h *Handler) existingReference(r *http.Request) (int64, error) {
	id, err := pathID(r, "reference")
	if err != nil {
		return 0, err
	}
	if _, ok := h.ix.Get(id); ok {
		return id, nil
	}
	// The index may not have caught up with a write made elsewhere.
	if _, err := h.db.Reference(r.Context(), id); err != nil {
		return 0, err
	}
	return id, nil
}

// visibleReference reads {id} and checks the caller may see the
// reference: the program team any that exists, anyone else only one they
// may request (vouch.SightOfReference); others answer as not found.
func (h *Handler) visibleReference(r *http.Request) (int64, vouch.ReferenceSight, error) {
	u := userFrom(r.Context())
	if !vouch.OnlyRequestable(u) {
		id, err := h.existingReference(r)
		return id, vouch.SightOfReference(u, vouch.StatusActive, vouch.ContactAlways, true), err
	}
	id, err := pathID(r, "reference")
	if err != nil {
		return 0, vouch.ReferenceSight{}, err
	}
	_, sight, err := h.ful.Reference(r.Context(), u, id)
	return id, sight, err
}

// referenceHistory serves GET /api/v1/references/{id}/history: every status
// change, oldest first, with its reason and who made it.
func (h *Handler) referenceHistory(w http.ResponseWriter, r *http.Request) {
	id, sight, err := h.visibleReference(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	events, err := h.db.StatusHistory(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	events = sight.RedactHistory(events)
	items := make([]statusEvent, len(events))
	for i, e := range events {
		items[i] = statusEvent{ID: e.ID, To: e.To, Reason: e.Reason, Until: e.Until, Actor: e.Actor, At: e.At}
		if e.From != "" {
			from := e.From
			items[i].From = &from
		}
	}
	writeJSON(w, http.StatusOK, newList(items, "", len(items)))
}

// referenceActivities serves GET /api/v1/references/{id}/activities, newest first.
func (h *Handler) referenceActivities(w http.ResponseWriter, r *http.Request) {
	id, _, err := h.visibleReference(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	acts, err := h.db.Activities(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items := make([]activityItem, len(acts))
	for i, a := range acts {
		items[i] = h.activityItem(a)
	}
	writeJSON(w, http.StatusOK, newList(items, "", len(items)))
}

func (h *Handler) activityItem(a vouch.Activity) activityItem {
	item := activityItem{ID: a.ID, ReferenceID: a.ReferenceID, Type: h.cat.ValueName(a.TypeID), OccurredOn: a.OccurredOn,
		Notes: a.Notes, State: a.State, Points: a.Points, ThankYou: a.ThankYou, ThankYouSentOn: a.ThankYouSentOn,
		CreatedAt: a.CreatedAt.UTC()}
	if item.State == "" {
		// Logged by hand just now: the store keeps it done, its default.
		item.State = vouch.ActivityDone
	}
	if a.RequestID != 0 {
		id := a.RequestID
		item.RequestID = &id
	}
	if a.OpportunityID != 0 {
		id, amount := a.OpportunityID, a.OppAmountCents
		item.OpportunityID, item.StageAtRequest, item.AmountAtRequest = &id, a.OppStage, &amount
	}
	return item
}

// logActivity serves POST /api/v1/references/{id}/activities: record
// something the reference did. It counts against the reference's capacity.
func (h *Handler) logActivity(w http.ResponseWriter, r *http.Request) {
	id, err := h.existingReference(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body struct {
		Type             string `json:"type"`
		OccurredOn       string `json:"occurred_on"`
		Notes            string `json:"notes"`
		OpportunityID    int64  `json:"opportunity_id"`
		OpportunityCRMID string `json:"opportunity_crm_id"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	a, err := h.refs.LogActivity(r.Context(), vouch.ActivityLog{ReferenceID: id, Type: body.Type,
		OccurredOn: body.OccurredOn, Notes: body.Notes, OpportunityID: body.OpportunityID,
		Opportunity: body.OpportunityCRMID, By: userFrom(r.Context())})
	if err != nil {
		h.fail(w, r, fieldsOf(err, map[string]string{"activity_type": "type", "opportunity": "opportunity_id"}))
		return
	}
	writeJSON(w, http.StatusCreated, h.activityItem(*a))
}

// --- Bulk actions ----------------------------------------------------------

type bulkSkip struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

type bulkResult struct {
	Changed []int64    `json:"changed"`
	Skipped []bulkSkip `json:"skipped"`
}

// bulkReferences serves POST /api/v1/references/bulk: one action on a
// selection. References the action does not fit (a move the lifecycle does
// not allow, an id that is gone) are skipped with the reason; the others change.
func (h *Handler) bulkReferences(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDs        []int64          `json:"ids"`
		Action     string           `json:"action"`
		Status     optional[string] `json:"status"`
		Reason     optional[string] `json:"reason"`
		Until      optional[string] `json:"until"`
		OwnerEmail optional[string] `json:"owner_email"`
		Date       optional[string] `json:"date"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	var v vouch.Validation
	// Each action takes its own fields; a field of another action is a mistake.
	uses := map[string][]string{"status": {"status", "reason", "until"}, "owner": {"owner_email"}, "verified": {"date"}}
	given := map[string]bool{"status": body.Status.Set, "reason": body.Reason.Set, "until": body.Until.Set,
		"owner_email": body.OwnerEmail.Set, "date": body.Date.Set}
	action := strings.ToLower(strings.TrimSpace(body.Action))
	if _, ok := uses[action]; ok {
		for _, f := range []string{"status", "reason", "until", "owner_email", "date"} {
			if given[f] && !slices.Contains(uses[action], f) {
				v.Add(f, "is not used by the "+action+" action")
			}
		}
	}
	a := vouch.BulkAction{IDs: body.IDs, Kind: action}
	switch action {
	case "status":
		st, ok := vouch.ParseStatus(body.Status.Value)
		if !body.Status.Set {
			v.Add("status", "is required for the status action")
		} else if !ok {
			v.Add("status", "must be one of "+statusNames())
		}
		a.Status = vouch.StatusChange{To: st, Reason: body.Reason.Value, Until: dateField(&v, "until", body.Until.Value)}
	case "owner":
		if !body.OwnerEmail.Set {
			v.Add("owner_email", `is required for the owner action ("" for nobody)`)
		}
		a.OwnerEmail = &body.OwnerEmail.Value
	case "verified":
		a.Day = dateField(&v, "date", body.Date.Value)
	}
	if err := v.Err(); err != nil {
		writeError(w, err)
		return
	}
	res, err := h.refs.Bulk(r.Context(), a)
	if err != nil {
		h.fail(w, r, fieldsOf(err, map[string]string{"owner": "owner_email"}))
		return
	}
	// References already in the status count as changed: they are as asked.
	out := bulkResult{Changed: append(append([]int64{}, res.Changed...), res.Unchanged...), Skipped: []bulkSkip{}}
	slices.Sort(out.Changed)
	for _, f := range res.Failed {
		out.Skipped = append(out.Skipped, bulkSkip{ID: f.ID, Reason: f.Reason})
	}
	writeJSON(w, http.StatusOK, out)
}

// facetList names one facet's counts the way its parameter takes them:
// yes/no facets as true or false, owners by email (an owner no longer a
// user is left out), the rest by their value's name. The references and
// the accounts lists share it.
func (h *Handler) facetList(ctx context.Context, param string, vals []refindex.FacetValue) ([]facetValue, error) {
	var users map[int64]*vouch.User
	if param == "owner" {
		ids := make([]int64, len(vals))
		for i, fv := range vals {
			ids[i] = fv.Key
		}
		var err error
		if users, err = h.users(ctx, ids...); err != nil {
			return nil, err
		}
	}
	list := make([]facetValue, 0, len(vals))
	for _, fv := range vals {
		name := fv.Name
		switch param {
		case "has_capacity", "verified":
			name = strconv.FormatBool(fv.Key == 1)
		case "owner":
			u := users[fv.Key]
			if u == nil {
				continue
			}
			name = u.Email
		}
		list = append(list, facetValue{Name: name, Count: fv.Count, Selected: fv.Selected})
	}
	return list, nil
}
