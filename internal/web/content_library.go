package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// libraryPageSize is how many items one library page shows.
const libraryPageSize = 24

// libraryFacet is a picklist facet of the library: its URL parameter,
// heading and the picklist it counts.
type libraryFacet struct {
	Name, Label string
	Kind        vouch.TaxonomyKind
}

// libraryFacets are the library's picklist facets, in order: the content
// type, then the same tags as references.
var libraryFacets = []libraryFacet{
	{"type", "Content type", vouch.TaxContentType},
	{"industry", "Industry", vouch.TaxIndustry}, {"region", "Region", vouch.TaxRegion},
	{"country", "Country", vouch.TaxCountry}, {"segment", "Segment", vouch.TaxSegment},
	{"company_size", "Company size", vouch.TaxCompanySize}, {"product", "Product", vouch.TaxProduct},
	{"use_case", "Use case", vouch.TaxUseCase}, {"competitor", "Competitor replaced", vouch.TaxCompetitor},
}

// librarySorts are the sort menu's choices, in the index's names.
var librarySorts = []struct{ Value, Label string }{
	{contentindex.SortRelevance, "Best match"},
	{contentindex.SortNewest, "Newest first"},
	{contentindex.SortTitle, "Title, A–Z"},
	{contentindex.SortMostUsed, "Most used"},
	{contentindex.SortBestRated, "Best rated"},
	{contentindex.SortExpiring, "Consent ending soonest"},
}

// libraryCard is one item in the library.
type libraryCard struct {
	contentindex.Hit
	Type     string
	Expiring bool // approved, and consent ends within 30 days
}

// libraryPage is what content_library.html shows.
type libraryPage struct {
	Query        string
	Sort         string
	Sorts        []struct{ Value, Label string }
	View         string // "cards" or "table"
	CardsURL     string
	TableURL     string
	Facets       []*facetView
	Selected     int
	Notices      []string
	Cards        []libraryCard
	Total        int
	Empty        bool // nothing in the library the reader may see, before any filter
	Filtered     bool
	From, To     int
	PrevURL      string
	NextURL      string
	FirstURL     string
	CanManage    bool
	CanUse       bool
	ShowExpired  bool   // a seller asked to see expired items too
	ExpiredURL   string // this view with "Show expired" toggled
	ExpiredCount int    // expired items hidden from this view (sellers)
}

// parsedLibrary is a library URL understood.
type parsedLibrary struct {
	q        contentindex.Query
	params   url.Values
	selected int
	unknown  map[string][]string
	view     string
	notices  []string
}

// parseLibraryQuery reads the library's URL: q, one parameter per facet
// (values by name, repeated for several), state (the team's), expired=1,
// sort, view and offset. A facet value that names nothing matches nothing
// and is reported.
func (h *Handler) parseLibraryQuery(v url.Values, manage bool) parsedLibrary {
	pl := parsedLibrary{params: url.Values{}, unknown: map[string][]string{}}
	pl.q.Text = strings.TrimSpace(v.Get("q"))
	if pl.q.Text != "" {
		pl.params.Set("q", pl.q.Text)
	}
	pl.q.Filters = map[vouch.TaxonomyKind][]int64{}
	for _, f := range libraryFacets {
		seen := map[string]bool{}
		for _, raw := range v[f.Name] {
			raw = strings.TrimSpace(raw)
			if raw == "" || seen[strings.ToLower(raw)] {
				continue
			}
			seen[strings.ToLower(raw)] = true
			id := h.opts.Catalog.ValueID(f.Kind, raw)
			if id == 0 {
				pl.unknown[f.Name] = append(pl.unknown[f.Name], raw)
				id = -1
			}
			pl.q.Filters[f.Kind] = append(pl.q.Filters[f.Kind], id)
			pl.params.Add(f.Name, raw)
			pl.selected++
		}
	}
	if manage {
		for _, raw := range v["state"] {
			s, ok := vouch.ParseContentState(raw)
			if !ok {
				pl.notices = append(pl.notices, fmt.Sprintf("There is no state “%s”, so it is left out.", raw))
				continue
			}
			if !slices.Contains(pl.q.States, s) {
				pl.q.States = append(pl.q.States, s)
				pl.params.Add("state", string(s))
				pl.selected++
			}
		}
	} else if on(v.Get("expired")) {
		pl.q.IncludeExpired = true
		pl.params.Set("expired", "1")
	}
	pl.q.Sort = contentindex.SortRelevance
	if s := v.Get("sort"); s != "" {
		if slices.Contains(contentindex.Sorts, s) {
			pl.q.Sort = s
			if s != contentindex.SortRelevance {
				pl.params.Set("sort", s)
			}
		} else {
			pl.notices = append(pl.notices, fmt.Sprintf("The library cannot be sorted by “%s”, so it is in its usual order.", s))
		}
	}
	pl.view = "cards"
	if v.Get("view") == "table" {
		pl.view = "table"
		pl.params.Set("view", "table")
	}
	if n, err := strconv.Atoi(v.Get("offset")); err == nil && n > 0 {
		pl.q.Offset = min(n, 10_000_000)
	}
	pl.q.Limit = libraryPageSize
	pl.q.Manage = manage
	return pl
}

// on reads a checkbox-like parameter.
func on(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "on", "yes", "true":
		return true
	}
	return false
}

// libraryURL is the library with params, changed by set (a key to "" removes it), at offset.
func libraryURL(params url.Values, offset int, set ...string) string {
	v := url.Values{}
	for k, vals := range params {
		v[k] = vals
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			v.Del(set[i])
		} else {
			v.Set(set[i], set[i+1])
		}
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	if len(v) == 0 {
		return "/content"
	}
	return "/content?" + v.Encode()
}

// library serves GET /content: the content library's search, with facets
// and counts, cards or a table. Sellers and viewers see approved items, and
// expired ones (marked) only when they ask; the team sees every state.
func (h *Handler) library(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	manage := u.Can(vouch.PermManageContent)
	pl := h.parseLibraryQuery(r.URL.Query(), manage)
	ix := h.opts.Library
	res := ix.Search(pl.q)
	today := h.clock.Today()
	d := &libraryPage{Query: pl.q.Text, Sort: pl.q.Sort, Sorts: librarySorts, View: pl.view, Total: res.Total,
		CanManage: manage, CanUse: u.Can(vouch.PermUseContent), ShowExpired: pl.q.IncludeExpired,
		Filtered: pl.q.Text != "" || pl.selected > 0, Selected: pl.selected}
	d.CardsURL = libraryURL(pl.params, pl.q.Offset, "view", "")
	d.TableURL = libraryURL(pl.params, pl.q.Offset, "view", "table")
	if !manage {
		if pl.q.IncludeExpired {
			d.ExpiredURL = libraryURL(pl.params, 0, "expired", "")
		} else {
			d.ExpiredURL = libraryURL(pl.params, 0, "expired", "1")
			// How many expired items the same search would add, so the
			// toggle says what it hides.
			all := pl.q
			all.IncludeExpired, all.States, all.Limit, all.Offset = true, []vouch.ContentState{vouch.ContentExpired}, 1, 0
			d.ExpiredCount = ix.Search(all).Total
		}
	}
	for _, f := range libraryFacets {
		fv := &facetView{Name: f.Name, Label: f.Label}
		var opts []facetOption
		for _, c := range res.Facets[f.Kind] {
			chosen := slices.Contains(pl.q.Filters[f.Kind], c.ID)
			if c.Count == 0 && !chosen {
				continue
			}
			opts = append(opts, facetOption{Param: c.Name, Label: c.Name, Count: c.Count, Selected: chosen})
		}
		if fv.finish(f.Name, "cf-", f.Kind == vouch.TaxCompanySize, opts, pl.unknown[f.Name]) {
			d.Facets = append(d.Facets, fv)
		}
		for _, raw := range pl.unknown[f.Name] {
			d.Notices = append(d.Notices, fmt.Sprintf("No %s is called “%s”, so nothing can match it. Untick it to widen the search.",
				strings.ToLower(f.Label), raw))
		}
	}
	if manage {
		fv := &facetView{Name: "state", Label: "State"}
		var opts []facetOption
		for _, s := range res.States {
			opts = append(opts, facetOption{Param: string(s.State), Label: s.State.Label(), Count: s.Count,
				Selected: slices.Contains(pl.q.States, s.State)})
		}
		if fv.finish("state", "cf-", true, opts, nil) {
			d.Facets = append([]*facetView{fv}, d.Facets...)
		}
	}
	d.Notices = append(d.Notices, pl.notices...)
	for _, hit := range res.Items {
		d.Cards = append(d.Cards, libraryCard{Hit: hit, Type: h.opts.Catalog.ValueName(hit.Item.TypeID),
			Expiring: hit.Item.ExpiresWithin(today, 30)})
	}
	if len(d.Cards) > 0 {
		d.From, d.To = pl.q.Offset+1, pl.q.Offset+len(d.Cards)
	}
	if pl.q.Offset > 0 {
		d.PrevURL = libraryURL(pl.params, max(pl.q.Offset-libraryPageSize, 0))
		d.FirstURL = libraryURL(pl.params, 0)
	}
	if pl.q.Offset+libraryPageSize < res.Total {
		d.NextURL = libraryURL(pl.params, pl.q.Offset+libraryPageSize)
	}
	if res.Total == 0 && !d.Filtered {
		d.Empty = ix.Search(contentindex.Query{Manage: manage, IncludeExpired: true, Limit: 1}).Total == 0
	}
	h.render(w, r, http.StatusOK, "content_library", &page{Title: "Content library", Nav: "content", Data: d})
}
