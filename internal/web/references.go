package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// referencesPageSize is how many references one list page shows.
const referencesPageSize = 50

// listFacet is a facet of the references page: its URL parameter (the
// API's, so an export link reads the same view) and heading.
type listFacet struct{ Name, Label string }

// facet is the index's name of the facet.
func (f listFacet) facet() string {
	if f.Name == "has_capacity" {
		return "capacity"
	}
	return f.Name
}

// listFacets are the facets the references page shows, in order.
var listFacets = []listFacet{
	{"status", "Status"}, {"has_capacity", "Capacity"}, {"verified", "Verified"},
	{"industry", "Industry"}, {"region", "Region"}, {"country", "Country"}, {"segment", "Segment"},
	{"company_size", "Company size"}, {"product", "Product"}, {"use_case", "Use case"},
	{"competitor", "Competitor replaced"}, {"activity_type", "Agreed to"}, {"seniority", "Seniority"},
}

// sortKey is an order of the list, named as in the URL (sort=verified),
// with its usual direction and the names of both directions.
type sortKey struct {
	Key       string
	Asc, Desc string // how the sort menu names each direction
}

// sortKeys are the orders the list offers besides the default, in the
// index's keys (refindex.SortKeys). The URL names one by its key alone for
// its usual direction, or as key-asc or key-desc (sort=name-desc): one
// reading for the page and the API, refindex.ParseSort.
var sortKeys = []sortKey{
	{"name", "Name, A–Z", "Name, Z–A"},
	{"account", "Account, A–Z", "Account, Z–A"},
	{"status", "Status, nominated first", "Status, do not contact first"},
	{"asked", "Last asked, never or longest ago first", "Last asked, most recent first"},
	{"verified", "Last verified, stalest first", "Last verified, most recent first"},
	{"updated", "Updated, longest ago first", "Recently updated"},
}

// listOrder is one choice of the sort menu: its value in the URL and the index's order.
type listOrder struct {
	Value, Label string
	Sort         string // the index's name of the order; "" for best match
	Desc         bool   // descending
	Reverse      bool   // the index's order reversed (refindex.Query.Desc)
}

// listOrders are the choices of the sort menu: "Best match" (by relevance
// when searching, by name otherwise), then each key in its usual direction
// and reversed.
var listOrders = func() []listOrder {
	out := []listOrder{{Label: "Best match"}}
	for _, k := range sortKeys {
		usual := listOrder{Value: k.Key, Label: k.Asc, Sort: k.Key}
		other := listOrder{Value: k.Key + "-desc", Label: k.Desc, Sort: k.Key, Desc: true, Reverse: true}
		if refindex.NewestFirst(k.Key) {
			usual.Label, usual.Desc = k.Desc, true
			other.Value, other.Label, other.Desc = k.Key+"-asc", k.Asc, false
		}
		out = append(out, usual, other)
	}
	return out
}()

// parseOrder reads sort= of the list (refindex.ParseSort) as one of the
// sort menu's choices.
func parseOrder(raw string) (listOrder, bool) {
	sort, reverse, ok := refindex.ParseSort(raw)
	if !ok || sort == "" {
		return listOrders[0], ok
	}
	for _, o := range listOrders[1:] {
		if o.Sort == sort && o.Reverse == reverse {
			return o, true
		}
	}
	return listOrders[0], false
}

// listColumn is a column of the references table that the reader can show
// or hide; the name is always shown.
type listColumn struct {
	Key, Label string
	Sort       string // the sort key it orders by; "" when it does not sort
	// Shown unless the URL picks the columns: the program team looks after
	// references (is it verified?), a seller picks one (which industry?).
	ForTeam, ForSellers bool
}

// listColumns are the table's columns after the name, in their order.
var listColumns = []listColumn{
	{"title", "Title", "", true, true},
	{"account", "Account", "account", true, true},
	{"industry", "Industry", "", false, true},
	{"region", "Region", "", false, false},
	{"status", "Status", "status", true, true},
	{"capacity", "Capacity", "", true, true},
	{"asked", "Last asked", "asked", false, false},
	{"verified", "Last verified", "verified", true, false},
	{"updated", "Updated", "updated", false, false},
}

// defaultColumn says whether a column shows when the URL does not pick them.
func defaultColumn(c listColumn, team bool) bool {
	if team {
		return c.ForTeam
	}
	return c.ForSellers
}

// columnHead is a column's header as the page shows it.
type columnHead struct {
	Key, Label string
	SortURL    string // "" when the column does not sort
	SortLabel  string // what following SortURL does, e.g. "Sort by name, Z–A"
	AriaSort   string // "ascending" or "descending" when the list is in its order
	Shown      bool   // for the column chooser
}

// facetOption is one value of a facet as the page shows it.
type facetOption struct {
	ID       string // the checkbox's id
	Param    string // the value in the URL
	Label    string
	Count    int
	Selected bool
}

// facetView is one facet's checkbox list: the first values, and the rest behind "More".
type facetView struct {
	Name, Label string
	Options     []facetOption
	More        []facetOption
	Selected    int
}

// referenceRow is one reference in the list.
type referenceRow struct {
	refindex.Hit
	Industry, Region string
}

// referencesPage is what references.html shows.
type referencesPage struct {
	Query       string
	Sort        string // the sort menu's value
	Sorts       []listOrder
	Heads       []columnHead // the name's, then each shown column's
	Columns     []columnHead // every column the chooser offers
	Show        map[string]bool
	ColsChosen  bool   // the URL picks the columns
	DefaultCols string // this view with the usual columns
	Facets      []*facetView
	Selected    int // facet values selected
	Notices     []string
	Suggestions []searchSuggestion // when nothing matches: the searches that would find something
	Rows        []referenceRow
	Total       int
	Empty       bool // no references at all
	Filtered    bool // search text or any facet value
	From, To    int
	PrevURL     string
	NextURL     string
	FirstURL    string
	ListURL     string // this view, for coming back after a bulk action
	ExportQuery string
	CanManage   bool
	Users       []*vouch.User
	Statuses    []vouch.Status
	PageIDs     []int64
	ForRequest  int64 // the request each row offers to ask for (?for_request=N); 0: none
}

// parsedQuery is a list URL understood: the index query and what the page needs to show it.
type parsedQuery struct {
	q        refindex.Query
	params   url.Values          // the canonical parameters: text, facets, sort and columns
	selected map[string][]string // facet → values as given in the URL
	unknown  map[string][]string // facet → values that name nothing
	order    listOrder
	show     map[string]bool // the columns shown, by key
	chosen   bool            // cols= picked them
	notices  []string        // parameters that named nothing, said in words
}

// parseReferenceQuery reads the list's URL: q, one parameter per facet
// (repeated for several values; taxonomy values by name, case-insensitive),
// sort, cols and offset. A facet value that names nothing is kept as a filter
// that matches nothing, and reported, rather than silently dropped; an
// unknown order or column is reported and left out.
func (h *Handler) parseReferenceQuery(v url.Values) parsedQuery {
	pq := parsedQuery{params: url.Values{}, selected: map[string][]string{}, unknown: map[string][]string{}}
	pq.q.Text = strings.TrimSpace(v.Get("q"))
	if pq.q.Text != "" {
		pq.params.Set("q", pq.q.Text)
	}
	pq.q.Filters = map[string][]int64{}
	for _, f := range listFacets {
		for _, given := range v[f.Name] {
			// Like the API, a parameter may list values separated by commas;
			// a name that contains a comma ("1,001–5,000") is taken whole.
			values := []string{given}
			if _, ok := h.facetKey(f.facet(), strings.TrimSpace(given)); !ok && strings.Contains(given, ",") {
				values = strings.Split(given, ",")
			}
			for _, raw := range values {
				raw = strings.TrimSpace(raw)
				if raw == "" || slices.Contains(pq.selected[f.Name], raw) {
					continue
				}
				key, ok := h.facetKey(f.facet(), raw)
				if !ok {
					pq.unknown[f.Name] = append(pq.unknown[f.Name], raw)
					key = -1
				}
				pq.q.Filters[f.facet()] = append(pq.q.Filters[f.facet()], key)
				pq.selected[f.Name] = append(pq.selected[f.Name], raw)
				pq.params.Add(f.Name, raw)
			}
		}
	}
	// "Best match" is the default order: by relevance when searching, by
	// name otherwise. Only another choice goes into the URL.
	order, ok := parseOrder(v.Get("sort"))
	if !ok {
		pq.notices = append(pq.notices, fmt.Sprintf("The list cannot be sorted by “%s”, so it is in its usual order.", v.Get("sort")))
	}
	pq.order, pq.q.Sort, pq.q.Desc = order, order.Sort, order.Reverse
	if order.Value != "" {
		pq.params.Set("sort", order.Value)
	}
	pq.show, pq.chosen = parseColumns(v["cols"], &pq.notices)
	if pq.chosen {
		keys := []string{"name"}
		for _, c := range listColumns {
			if pq.show[c.Key] {
				keys = append(keys, c.Key)
			}
		}
		pq.params.Set("cols", strings.Join(keys, ","))
	}
	if n, err := strconv.Atoi(v.Get("offset")); err == nil && n > 0 {
		pq.q.Offset = min(n, 10_000_000)
	}
	pq.q.Limit = referencesPageSize
	return pq
}

// parseColumns reads cols= (repeated, or separated by commas): the columns
// to show after the name. Without it, or when it names no column at all,
// chosen is false and the reader's default columns show; "name" alone shows
// the name only.
func parseColumns(given []string, notices *[]string) (show map[string]bool, chosen bool) {
	show = map[string]bool{}
	for _, raw := range given {
		for _, key := range strings.Split(raw, ",") {
			key = strings.ToLower(strings.TrimSpace(key))
			if key == "" {
				continue
			}
			if key == "name" {
				chosen = true
				continue
			}
			if !slices.ContainsFunc(listColumns, func(c listColumn) bool { return c.Key == key }) {
				*notices = append(*notices, fmt.Sprintf("The list has no column “%s”.", key))
				continue
			}
			show[key], chosen = true, true
		}
	}
	return show, chosen
}

// columnHeads are the table's headers: the name, then each shown column.
// A header that sorts links to its order, or to the reverse when the list
// is already in it.
func columnHeads(pq parsedQuery) (heads, chooser []columnHead) {
	current := pq.order.Sort
	if current == "" && pq.q.Text == "" {
		current = "name" // best match without a search is by name
	}
	head := func(key, label, sort string) columnHead {
		h := columnHead{Key: key, Label: label}
		if sort == "" {
			return h
		}
		i := slices.IndexFunc(listOrders, func(o listOrder) bool { return o.Sort == sort })
		next := listOrders[i] // its usual direction
		if sort == current {
			h.AriaSort = "ascending"
			if pq.order.Desc {
				h.AriaSort = "descending"
			}
			next = listOrders[i+1]
			if pq.order.Value == next.Value {
				next = listOrders[i]
			}
		}
		params := url.Values{}
		for k, v := range pq.params {
			params[k] = v
		}
		params.Set("sort", next.Value)
		h.SortURL, h.SortLabel = referencesURL(params, 0), "Sort by "+strings.ToLower(next.Label[:1])+next.Label[1:]
		return h
	}
	heads = append(heads, head("name", "Name", "name"))
	for _, c := range listColumns {
		h := head(c.Key, c.Label, c.Sort)
		h.Shown = pq.show[c.Key]
		chooser = append(chooser, h)
		if h.Shown {
			heads = append(heads, h)
		}
	}
	return heads, chooser
}

// facetKey turns a facet value from a URL into the index's key for it.
func (h *Handler) facetKey(facet, raw string) (int64, bool) {
	switch facet {
	case "status":
		s, ok := vouch.ParseStatus(raw)
		return refindex.StatusKey(s), ok
	case "seniority":
		k := refindex.SeniorityKey(raw)
		return k, k >= 0
	case "capacity", "verified":
		switch strings.ToLower(raw) {
		case "1", "yes", "true", "available", "verified":
			return 1, true
		case "0", "no", "false", "full", "stale":
			return 0, true
		}
		return -1, false
	}
	id := h.opts.Catalog.ValueID(refindex.FacetKind(facet), raw)
	return id, id != 0
}

// facetLabel is how the page names a facet value.
func facetLabel(facet string, v refindex.FacetValue) (param, label string) {
	switch facet {
	case "status":
		return v.Name, vouch.Status(v.Name).Label()
	case "seniority":
		return v.Name, capitalize(v.Name)
	case "capacity":
		if v.Key == 1 {
			return "1", "Has capacity now"
		}
		return "0", "At capacity"
	case "verified":
		if v.Key == 1 {
			return "1", "Verified within 12 months"
		}
		return "0", "Stale (over 12 months)"
	}
	return v.Name, v.Name
}

// slug makes s fit an HTML id: lower-case letters and digits, dashes between.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// naturalOrder are the facets whose values are listed in their own order
// rather than by count: a lifecycle, yes/no, and company size (by count,
// "10,001+" could come before "1–50", which reads as noise).
var naturalOrder = map[string]bool{"status": true, "has_capacity": true, "verified": true, "seniority": true, "company_size": true}

// facetShown is how many values a facet lists before "More".
const facetShown = 6

// facetViews turns the index's counts into checkbox lists: selected values
// first, then by count; values that would give nothing are left out unless selected.
func facetViews(pq parsedQuery, counts map[string][]refindex.FacetValue) []*facetView {
	var out []*facetView
	for _, f := range listFacets {
		fv := &facetView{Name: f.Name, Label: f.Label}
		var opts []facetOption
		for _, v := range counts[f.facet()] {
			param, label := facetLabel(f.facet(), v)
			if v.Count == 0 && !v.Selected {
				continue
			}
			opts = append(opts, facetOption{Param: param, Label: label, Count: v.Count, Selected: v.Selected})
		}
		if fv.finish(f.Name, "f-", naturalOrder[f.Name], opts, pq.unknown[f.Name]) {
			out = append(out, fv)
		}
	}
	return out
}

// finish lists opts (and the values the URL named that do not exist, as
// unknown) in fv: selected values first, then by count unless natural
// keeps the index's own order; each gets an id from idPrefix and its
// value, and the values after the first few (and every selected one) go
// under "More". It reports whether the facet has anything to list.
func (fv *facetView) finish(name, idPrefix string, natural bool, opts []facetOption, unknown []string) bool {
	for _, raw := range unknown {
		opts = append(opts, facetOption{Param: raw, Label: fmt.Sprintf("“%s” (unknown)", raw), Selected: true})
	}
	sort.SliceStable(opts, func(i, j int) bool {
		if opts[i].Selected != opts[j].Selected {
			return opts[i].Selected
		}
		if natural {
			return false
		}
		return opts[i].Count > opts[j].Count
	})
	seen := map[string]bool{}
	for i := range opts {
		// Ids follow the value, not its place, so focus stays on the
		// checkbox just ticked when the lists are redrawn.
		id := idPrefix + name + "-" + slug(opts[i].Param)
		if seen[id] {
			id += "-" + strconv.Itoa(i)
		}
		seen[id] = true
		opts[i].ID = id
		if opts[i].Selected {
			fv.Selected++
		}
	}
	if len(opts) == 0 {
		return false
	}
	// Selected values always show; "More" starts after them and the first few.
	cut := max(facetShown, fv.Selected)
	if len(opts) > cut+2 {
		fv.Options, fv.More = opts[:cut], opts[cut:]
	} else {
		fv.Options = opts
	}
	return true
}

// references serves GET /references: search, facets with counts, sort, a
// page of results and, for the program team, bulk actions. Every filter is
// in the URL, so a view can be bookmarked and shared.
func (h *Handler) references(w http.ResponseWriter, r *http.Request) {
	pq := h.parseReferenceQuery(r.URL.Query())
	ix := h.opts.Index
	names := make([]string, len(listFacets))
	for i, f := range listFacets {
		names[i] = f.facet()
	}
	pq.q.CountFacets = names
	pq.q.Suggest = true
	u := userFrom(r.Context())
	// ?for_request=N: the team looks for a reference to ask for request N;
	// every link of the list keeps it.
	forRequest, _ := strconv.ParseInt(r.URL.Query().Get("for_request"), 10, 64)
	if forRequest > 0 && u.Can(vouch.PermManageProgram) {
		pq.params.Set("for_request", strconv.FormatInt(forRequest, 10))
	} else {
		forRequest = 0
	}
	pq.q.Requestable = vouch.OnlyRequestable(u) // a seller's list and counts hold only what they may request
	res := ix.Search(pq.q)
	if pq.q.Requestable {
		// And each row only what they may see of it, whatever columns show.
		sight, err := h.opts.Fulfillment.SightFor(r.Context(), u)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		res.Hits = sight.Hits(res.Hits)
	}

	team := u.Can(vouch.PermManageProgram)
	// The reader's usual columns need no cols= (the search form sends the
	// chooser's boxes with every search): links stay short, and a shared
	// link shows each reader their own usual columns.
	usualCols := true
	for _, c := range listColumns {
		if pq.chosen && pq.show[c.Key] != defaultColumn(c, team) {
			usualCols = false
		}
		if !pq.chosen {
			pq.show[c.Key] = defaultColumn(c, team)
		}
	}
	if usualCols {
		pq.chosen = false
		pq.params.Del("cols")
	}
	data := &referencesPage{ForRequest: forRequest,
		Query: pq.q.Text, Sort: pq.order.Value, Sorts: listOrders,
		Total: res.Total, Facets: facetViews(pq, res.Facets),
		Empty: ix.Len() == 0, Filtered: pq.q.Text != "" || len(pq.selected) > 0,
		CanManage: team, Statuses: vouch.Statuses, ExportQuery: pq.params.Encode(),
	}
	data.Show, data.ColsChosen = pq.show, pq.chosen
	data.Heads, data.Columns = columnHeads(pq)
	for _, f := range data.Facets {
		data.Selected += f.Selected
	}
	data.Suggestions = referenceSuggestions(pq, res)
	for _, f := range listFacets {
		for _, raw := range pq.unknown[f.Name] {
			data.Notices = append(data.Notices, fmt.Sprintf("No %s is called “%s”, so no reference can match it. Untick it to widen the search.",
				strings.ToLower(f.Label), raw))
		}
	}
	data.Notices = append(data.Notices, pq.notices...)
	for _, hit := range res.Hits {
		data.Rows = append(data.Rows, referenceRow{Hit: hit,
			Industry: h.opts.Catalog.ValueName(hit.Account.IndustryID), Region: h.opts.Catalog.ValueName(hit.Account.RegionID)})
		data.PageIDs = append(data.PageIDs, hit.Reference.ID)
	}
	if len(data.Rows) > 0 {
		data.From, data.To = pq.q.Offset+1, pq.q.Offset+len(data.Rows)
	}
	if pq.q.Offset > 0 {
		data.PrevURL = referencesURL(pq.params, max(pq.q.Offset-referencesPageSize, 0))
		data.FirstURL = referencesURL(pq.params, 0)
	}
	if pq.q.Offset+referencesPageSize < res.Total {
		data.NextURL = referencesURL(pq.params, pq.q.Offset+referencesPageSize)
	}
	data.ListURL = referencesURL(pq.params, pq.q.Offset)
	usual := url.Values{}
	for k, v := range pq.params {
		if k != "cols" {
			usual[k] = v
		}
	}
	data.DefaultCols = referencesURL(usual, 0)
	if data.CanManage {
		users, err := h.activeUsers(r, 0)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data.Users = users
	}
	h.render(w, r, http.StatusOK, "references", &page{Title: "References", Nav: "references", Data: data})
}

// referencesURL is the list with params at offset.
func referencesURL(params url.Values, offset int) string {
	v := url.Values{}
	for k, vals := range params {
		v[k] = vals
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	if len(v) == 0 {
		return "/references"
	}
	return "/references?" + v.Encode()
}

// activeUsers lists the users who can be picked as an owner: every enabled
// user, and keep, the current owner, even when disabled.
func (h *Handler) activeUsers(r *http.Request, keep int64) ([]*vouch.User, error) {
	users, err := h.db.ListUsers(r.Context())
	if err != nil {
		return nil, err
	}
	out := users[:0]
	for _, u := range users {
		if !u.Disabled || u.ID == keep {
			out = append(out, u)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}
