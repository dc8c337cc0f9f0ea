package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentItem is a content item as the API shows it: its type, tags,
// featured accounts and references and owner by name, its state as of today
// (approved content whose consent ended is expired), and its use and ratings.
type contentItem struct {
	ID             int64              `json:"id"`
	Type           *string            `json:"type"`
	Title          string             `json:"title"`
	Summary        string             `json:"summary"`
	Body           string             `json:"body"`
	URL            string             `json:"url"`
	File           *vouch.ContentFile `json:"file"`
	TextStatus     string             `json:"text_status"`
	TextReason     string             `json:"text_reason"`
	Accounts       []accountRef       `json:"accounts"`
	References     []accountRef       `json:"references"`
	Industry       []string           `json:"industry"`
	Region         []string           `json:"region"`
	Country        []string           `json:"country"`
	Segment        []string           `json:"segment"`
	CompanySize    []string           `json:"company_size"`
	Product        []string           `json:"product"`
	UseCase        []string           `json:"use_case"`
	Competitor     []string           `json:"competitor"`
	Language       string             `json:"language"`
	PublishedOn    vouch.Date         `json:"published_on"`
	Owner          *person            `json:"owner"`
	State          vouch.ContentState `json:"state"`
	ApprovedOn     vouch.Date         `json:"approved_on"`
	ApprovedBy     string             `json:"approved_by"`
	ApprovalMethod string             `json:"approval_method"`
	ExpiresOn      vouch.Date         `json:"expires_on"`
	Stats          vouch.ContentStats `json:"stats"`
	Version        int                `json:"version"`
	CreatedAt      time.Time          `json:"created_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
}

// contentList is the list envelope with the facet and state counts of the search.
type contentList struct {
	Items      []contentItem           `json:"items"`
	NextCursor string                  `json:"next_cursor"`
	Total      int                     `json:"total"`
	Facets     map[string][]facetValue `json:"facets"`
	States     []contentStateCount     `json:"states"`
}

type contentStateCount struct {
	State vouch.ContentState `json:"state"`
	Count int                `json:"count"`
}

// contentItems turns hits into items, reading the owners once.
func (h *Handler) contentItems(ctx context.Context, hits []contentindex.Hit) ([]contentItem, error) {
	var owners []int64
	for _, hit := range hits {
		owners = append(owners, hit.Item.OwnerID)
	}
	users, err := h.users(ctx, owners...)
	if err != nil {
		return nil, err
	}
	items := make([]contentItem, len(hits))
	for i, hit := range hits {
		items[i] = h.contentItem(hit, users)
	}
	return items, nil
}

func (h *Handler) contentItem(hit contentindex.Hit, users map[int64]*vouch.User) contentItem {
	c := hit.Item
	named := func(ids []int64, names []string) []accountRef {
		out := make([]accountRef, 0, len(ids))
		for i, id := range ids {
			name := ""
			if i < len(names) {
				name = names[i]
			}
			out = append(out, accountRef{ID: id, Name: name})
		}
		return out
	}
	return contentItem{
		ID: c.ID, Type: h.valueName(c.TypeID), Title: c.Title, Summary: c.Summary, Body: c.Body, URL: c.URL,
		File: c.File, TextStatus: c.TextStatus, TextReason: c.TextReason,
		Accounts: named(c.AccountIDs, hit.Accounts), References: named(c.ReferenceIDs, hit.Refs),
		Industry: h.valueNames(c.IndustryIDs), Region: h.valueNames(c.RegionIDs), Country: h.valueNames(c.CountryIDs),
		Segment: h.valueNames(c.SegmentIDs), CompanySize: h.valueNames(c.SizeIDs), Product: h.valueNames(c.ProductIDs),
		UseCase: h.valueNames(c.UseCaseIDs), Competitor: h.valueNames(c.CompetitorIDs),
		Language: c.Language, PublishedOn: c.PublishedOn, Owner: personOf(users, c.OwnerID),
		State: hit.State, ApprovedOn: c.ApprovedOn, ApprovedBy: c.ApprovedBy, ApprovalMethod: c.ApprovalMethod,
		ExpiresOn: c.ExpiresOn, Stats: hit.Stats, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

// contentReader says how much of the library the caller sees: the program
// team every state, others what vouch.ContentShown lets them.
func contentReader(ctx context.Context) (manage bool) {
	u := userFrom(ctx)
	return u != nil && u.Can(vouch.PermManageContent)
}

// contentQuery reads the search of GET /api/v1/content from the URL, limit
// and cursor included. Facet values come by name or by id.
func (h *Handler) contentQuery(ctx context.Context, r *http.Request) (contentindex.Query, error) {
	q := r.URL.Query()
	var v vouch.Validation
	query := contentindex.Query{Text: strings.TrimSpace(q.Get("q")), Filters: map[vouch.TaxonomyKind][]int64{},
		Manage: contentReader(ctx)}
	for _, kind := range contentindex.FacetKinds {
		params := []string{string(kind)}
		if kind == vouch.TaxContentType {
			params = append(params, "type")
		}
		for _, param := range params {
			for _, raw := range q[param] {
				ids, bad := h.contentValuesOfParam(kind, raw)
				if bad != "" {
					v.Add(param, h.unknownValue(kind, bad))
				}
				query.Filters[kind] = append(query.Filters[kind], ids...)
			}
		}
	}
	for _, name := range listParam(q, "state") {
		st, ok := vouch.ParseContentState(name)
		if !ok {
			v.Add("state", fmt.Sprintf("has no value %q; it is one of %s", name, vouch.ContentStateNames()))
			continue
		}
		query.States = append(query.States, st)
		if st == vouch.ContentExpired {
			query.IncludeExpired = true // asking for expired content is asking to see it
		}
	}
	for _, p := range []struct {
		param string
		to    *int64
		check func(int64) error
	}{
		{"account_id", &query.AccountID, func(id int64) error { _, err := h.db.Account(ctx, id); return err }},
		{"reference_id", &query.ReferenceID, func(id int64) error { _, err := h.db.Reference(ctx, id); return err }},
	} {
		raw := q.Get(p.param)
		if raw == "" {
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			v.Add(p.param, "must be a positive whole number")
			continue
		}
		if err := p.check(id); vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add(p.param, "is not a known "+strings.TrimSuffix(p.param, "_id"))
			continue
		} else if err != nil {
			return query, err
		}
		*p.to = id
	}
	query.Language = strings.TrimSpace(q.Get("language"))
	if raw := q.Get("include_expired"); raw != "" {
		yes, err := strconv.ParseBool(raw)
		if err != nil {
			v.Add("include_expired", "must be true or false")
		}
		query.IncludeExpired = query.IncludeExpired || yes
	}
	if raw := strings.ToLower(strings.TrimSpace(q.Get("sort"))); raw != "" {
		if !slices.Contains(contentindex.Sorts, raw) {
			v.Add("sort", "must be one of "+strings.Join(contentindex.Sorts, ", "))
		}
		query.Sort = raw
	}
	query.Offset, query.Limit = pageParams(r, &v, 50, 500)
	return query, paramError(v.Err())
}

// contentValuesOfParam reads one occurrence of a picklist parameter: names
// (as for references) or ids of the kind's values.
func (h *Handler) contentValuesOfParam(kind vouch.TaxonomyKind, raw string) ([]int64, string) {
	var ids []int64
	allIDs := true
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if v := h.cat.Value(id); err != nil || v == nil || v.Kind != kind {
			allIDs = false
			break
		}
		ids = append(ids, id)
	}
	if allIDs && len(ids) > 0 {
		return ids, ""
	}
	return h.valuesOfParam(kind, raw)
}

// listContent serves GET /api/v1/content: the items matching the filters,
// from the in-memory index, a page at a time, with facet and state counts.
// Sellers and viewers see only approved items (expired ones too with
// include_expired or state=expired); the program team sees every state.
func (h *Handler) listContent(w http.ResponseWriter, r *http.Request) {
	query, err := h.contentQuery(r.Context(), r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res := h.libx.Search(query)
	items, err := h.contentItems(r.Context(), res.Items)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := contentList{Items: items, NextCursor: nextCursor(query.Offset, len(res.Items), res.Total), Total: res.Total,
		Facets: map[string][]facetValue{}, States: []contentStateCount{}}
	for kind, counts := range res.Facets {
		list := make([]facetValue, 0, len(counts))
		for _, fc := range counts {
			list = append(list, facetValue{Name: fc.Name, Count: fc.Count, Selected: slices.Contains(query.Filters[kind], fc.ID)})
		}
		out.Facets[string(kind)] = list
	}
	for _, sc := range res.States {
		out.States = append(out.States, contentStateCount{State: sc.State, Count: sc.Count})
	}
	writeJSON(w, http.StatusOK, out)
}

// visibleContent reads {id} and the item as the caller may see it: an item
// hidden from them (a draft for a seller) answers 404 like an unknown one.
// Expired items are shown, marked, to whoever asks for one by id.
func (h *Handler) visibleContent(r *http.Request) (contentindex.Hit, error) {
	id, err := pathID(r, "content item")
	if err != nil {
		return contentindex.Hit{}, err
	}
	hit, ok := h.libx.Get(id, contentReader(r.Context()), true)
	if !ok {
		return contentindex.Hit{}, vouch.Errorf(vouch.ENOTFOUND, "No content item with id %d.", id)
	}
	return hit, nil
}

// getContent serves GET /api/v1/content/{id}.
func (h *Handler) getContent(w http.ResponseWriter, r *http.Request) {
	hit, err := h.visibleContent(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.contentItems(r.Context(), []contentindex.Hit{hit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, items[0])
}

// freshContent returns the item as it is after a write that left it at
// version minVersion or later: the index has it already (local writes are
// applied as they commit); should it lag, it is read from the database.
func (h *Handler) freshContent(ctx context.Context, id int64, minVersion int) (contentItem, error) {
	hit, ok := h.libx.Get(id, true, true)
	if !ok || hit.Item.Version < minVersion {
		item, err := h.lib.Item(ctx, id)
		if err != nil {
			return contentItem{}, err
		}
		stats, err := h.db.ContentStats(ctx, []int64{id})
		if err != nil {
			return contentItem{}, err
		}
		names, err := h.db.ReferenceNames(ctx, item.ReferenceIDs)
		if err != nil {
			return contentItem{}, err
		}
		hit = contentindex.Hit{Item: item, State: item.EffectiveState(h.db.Today()), Stats: stats[id]}
		for _, aid := range item.AccountIDs {
			name := ""
			if a, err := h.db.Account(ctx, aid); err == nil {
				name = a.Name
			}
			hit.Accounts = append(hit.Accounts, name)
		}
		for _, rid := range item.ReferenceIDs {
			hit.Refs = append(hit.Refs, names[rid])
		}
	}
	items, err := h.contentItems(ctx, []contentindex.Hit{hit})
	if err != nil {
		return contentItem{}, err
	}
	return items[0], nil
}

// contentInput is the body of POST and PATCH /api/v1/content: every field
// optional; the type, tags and owner by name, featured accounts by name or
// id and featured references by email or id.
type contentInput struct {
	Version      optional[int]      `json:"version"`
	Type         optional[string]   `json:"type"`
	Title        optional[string]   `json:"title"`
	Summary      optional[string]   `json:"summary"`
	Body         optional[string]   `json:"body"`
	URL          optional[string]   `json:"url"`
	Accounts     optional[[]string] `json:"accounts"`
	AccountIDs   optional[[]int64]  `json:"account_ids"`
	References   optional[[]string] `json:"references"`
	ReferenceIDs optional[[]int64]  `json:"reference_ids"`
	Industry     optional[[]string] `json:"industry"`
	Region       optional[[]string] `json:"region"`
	Country      optional[[]string] `json:"country"`
	Segment      optional[[]string] `json:"segment"`
	CompanySize  optional[[]string] `json:"company_size"`
	Product      optional[[]string] `json:"product"`
	UseCase      optional[[]string] `json:"use_case"`
	Competitor   optional[[]string] `json:"competitor"`
	Language     optional[string]   `json:"language"`
	PublishedOn  optional[string]   `json:"published_on"`
	OwnerEmail   optional[string]   `json:"owner_email"`
	OwnerID      optional[int64]    `json:"owner_id"`
}

// input turns the body into the service's input.
func (in *contentInput) input() vouch.ContentInput {
	out := vouch.ContentInput{
		Version: ptr(in.Version), Type: ptr(in.Type), Title: ptr(in.Title), Summary: ptr(in.Summary), Body: ptr(in.Body),
		URL: ptr(in.URL), Accounts: ptr(in.Accounts), AccountIDs: ptr(in.AccountIDs), References: ptr(in.References),
		ReferenceIDs: ptr(in.ReferenceIDs), Language: ptr(in.Language), PublishedOn: ptr(in.PublishedOn),
		OwnerEmail: ptr(in.OwnerEmail), OwnerID: ptr(in.OwnerID), Tags: map[vouch.TaxonomyKind][]string{},
	}
	for kind, tag := range map[vouch.TaxonomyKind]optional[[]string]{
		vouch.TaxIndustry: in.Industry, vouch.TaxRegion: in.Region, vouch.TaxCountry: in.Country,
		vouch.TaxSegment: in.Segment, vouch.TaxCompanySize: in.CompanySize, vouch.TaxProduct: in.Product,
		vouch.TaxUseCase: in.UseCase, vouch.TaxCompetitor: in.Competitor,
	} {
		if tag.Set {
			names := tag.Value
			if names == nil {
				names = []string{}
			}
			out.Tags[kind] = names
		}
	}
	return out
}

// fieldNames maps the service's field names to the body's: accounts and
// references are named as the body gave them, the owner likewise.
func (in *contentInput) fieldNames() map[string]string {
	names := map[string]string{"owner": "owner_email"}
	if in.OwnerID.Set && !in.OwnerEmail.Set {
		names["owner"] = "owner_id"
	}
	if in.AccountIDs.Set && !in.Accounts.Set {
		names["accounts"] = "account_ids"
	}
	if in.ReferenceIDs.Set && !in.References.Set {
		names["references"] = "reference_ids"
	}
	names[string(vouch.TaxContentType)] = "type"
	return names
}

// createContent serves POST /api/v1/content: a new item, a draft owned by
// the caller unless the body names another owner.
func (h *Handler) createContent(w http.ResponseWriter, r *http.Request) {
	var in contentInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	saved, err := h.lib.Create(r.Context(), in.input())
	if err != nil {
		h.fail(w, r, fieldsOf(err, in.fieldNames()))
		return
	}
	item, err := h.freshContent(r.Context(), saved.ID, saved.Version)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, item)
}

// updateContent serves PATCH /api/v1/content/{id}. The body carries the
// version read: if someone saved since, nothing is written (409).
func (h *Handler) updateContent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err != nil {
		writeError(w, err)
		return
	}
	var in contentInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	saved, err := h.lib.Update(r.Context(), id, in.input())
	if err != nil {
		h.fail(w, r, fieldsOf(err, in.fieldNames()))
		return
	}
	item, err := h.freshContent(r.Context(), id, saved.Version)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, item)
}

// deleteContent serves DELETE /api/v1/content/{id}.
func (h *Handler) deleteContent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err != nil {
		writeError(w, err)
		return
	}
	if err := h.lib.Delete(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// contentStateInput is the body of POST /api/v1/content/{id}/state.
type contentStateInput struct {
	State      string `json:"state"`
	ApprovedBy string `json:"approved_by"`
	Method     string `json:"method"`
	Note       string `json:"note"`
	FileID     int64  `json:"file_id"`
	ExpiresOn  string `json:"expires_on"`
	Version    int    `json:"version"`
}

// changeContentState serves POST /api/v1/content/{id}/state: a move along
// the approval lifecycle. An approval without expires_on lasts the
// program's consent period; approving an approved item again renews it.
func (h *Handler) changeContentState(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err != nil {
		writeError(w, err)
		return
	}
	var in contentStateInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	var v vouch.Validation
	st, ok := vouch.ParseContentState(in.State)
	if !ok {
		v.Add("state", "must be one of "+vouch.ContentStateNames())
	}
	expires := dateField(&v, "expires_on", in.ExpiresOn)
	if in.FileID < 0 {
		v.Add("file_id", "is not a known file")
	}
	if in.Version < 0 {
		v.Add("version", "must be the version you read")
	}
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	saved, err := h.lib.ChangeState(r.Context(), id, in.Version, vouch.ContentStateChange{To: st, ApprovedBy: in.ApprovedBy,
		Method: in.Method, Note: in.Note, FileID: in.FileID, ExpiresOn: expires})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	item, err := h.freshContent(r.Context(), id, saved.Version)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, item)
}

// contentHistory serves GET /api/v1/content/{id}/history: the approval
// history, oldest first. Notes (the customer's mail quoted, why it was
// withdrawn) are the program team's: others get them empty.
func (h *Handler) contentHistory(w http.ResponseWriter, r *http.Request) {
	hit, err := h.visibleContent(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	events, err := h.lib.History(r.Context(), hit.Item.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !contentReader(r.Context()) {
		for i := range events {
			events[i].Note = ""
		}
	}
	writeJSON(w, http.StatusOK, newList(events, "", len(events)))
}

// expiringItem is an item whose consent ends soon, with its owner's reminder.
type expiringItem struct {
	Item       contentItem `json:"item"`
	DaysLeft   int         `json:"days_left"`
	RemindedOn vouch.Date  `json:"reminded_on"`
}

// expiringContent serves GET /api/v1/content/expiring?days=30: approved
// items whose consent ends within days (those whose consent already ended
// but that the daily job has not marked yet come first), soonest first.
func (h *Handler) expiringContent(w http.ResponseWriter, r *http.Request) {
	days := 30
	if raw := r.URL.Query().Get("days"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 366 {
			writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: "days must be a whole number from 1 to 366.",
				Fields: map[string]string{"days": "must be 1–366"}})
			return
		}
		days = n
	}
	today := h.db.Today()
	found, reminded, err := h.lib.Expiring(r.Context(), today, days)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hits := make([]contentindex.Hit, 0, len(found))
	for _, it := range found {
		if hit, ok := h.libx.Get(it.ID, true, true); ok {
			hits = append(hits, hit)
		}
	}
	items, err := h.contentItems(r.Context(), hits)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]expiringItem, len(items))
	for i, it := range items {
		out[i] = expiringItem{Item: it, DaysLeft: today.DaysUntil(hits[i].Item.ExpiresOn), RemindedOn: reminded[it.ID]}
	}
	writeJSON(w, http.StatusOK, newList(out, "", len(out)))
}
