package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/vouchhq/vouch/internal/refindex"
)

// searchSuggestion is a search that would find something, offered when the
// list found nothing: the same view without one of its filters.
type searchSuggestion struct {
	Label string // "Remove Region: EMEA"
	Count int
	URL   string
}

// referenceSuggestions turns the index's suggestions into links: each is
// this view's URL without the facet (or the text) it drops, named the way
// the facets name their values.
func referenceSuggestions(pq parsedQuery, res refindex.Result) []searchSuggestion {
	var out []searchSuggestion
	for _, s := range res.Suggestions {
		params := url.Values{}
		for k, v := range pq.params {
			params[k] = v
		}
		var label string
		if s.Facet == "" {
			params.Del("q")
			label = fmt.Sprintf("Remove the search “%s”", pq.q.Text)
		} else {
			var f listFacet
			for _, lf := range listFacets {
				if lf.facet() == s.Facet {
					f = lf
				}
			}
			if f.Name == "" {
				continue
			}
			params.Del(f.Name)
			var names []string
			for _, v := range res.Facets[s.Facet] {
				if v.Selected {
					_, name := facetLabel(s.Facet, v)
					names = append(names, name)
				}
			}
			names = append(names, pq.unknown[f.Name]...)
			label = fmt.Sprintf("Remove %s: %s", f.Label, strings.Join(names, " or "))
		}
		out = append(out, searchSuggestion{Label: label, Count: s.Total, URL: referencesURL(params, 0)})
	}
	return out
}
