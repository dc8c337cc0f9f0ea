package contentindex

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// FitQuery asks which content fits a request or an opportunity.
type FitQuery struct {
	Criteria vouch.Criteria
	// Manage and IncludeExpired are the reader's sight, as in Query; content
	// for a request is approved content only, whoever reads.
	ExternalOnly bool
	Limit        int // 0 = 5
}

// Fit is one item that fits, with the criteria it meets and misses: the
// points of the met ones are its Points, as for reference matches.
type Fit struct {
	Hit
	Points   int
	Criteria []vouch.Criterion
}

// ContentFor ranks the approved items that meet at least one of the
// request's criteria by the points of reference matching, best first, and
// returns the best Limit with how many fit in all. Seniority is a
// reference's criterion only: content has none.
func (ix *Index) ContentFor(q FitQuery) (fits []Fit, total int) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	today := ix.clock.Today()
	type ask struct {
		name  string
		value string
		kind  vouch.TaxonomyKind
		id    int64
	}
	c := q.Criteria
	var asks []ask
	for _, a := range []ask{
		{name: vouch.CritIndustry, kind: vouch.TaxIndustry, id: c.IndustryID},
		{name: vouch.CritRegion, kind: vouch.TaxRegion, id: c.RegionID},
		{name: vouch.CritProduct, kind: vouch.TaxProduct, id: c.ProductID},
		{name: vouch.CritCountry, kind: vouch.TaxCountry, id: c.CountryID},
		{name: vouch.CritSize, kind: vouch.TaxCompanySize, id: c.SizeID},
		{name: vouch.CritUseCase, kind: vouch.TaxUseCase, id: c.UseCaseID},
		{name: vouch.CritCompetitor, kind: vouch.TaxCompetitor, id: c.CompetitorID},
	} {
		if a.id != 0 {
			a.value = ix.cat.ValueName(a.id)
			asks = append(asks, a)
		}
	}
	lang := strings.TrimSpace(c.Language)
	if lang != "" {
		asks = append(asks, ask{name: vouch.CritLanguage, value: lang})
	}
	if len(asks) == 0 {
		return nil, 0
	}
	slices.SortStableFunc(asks, func(a, b ask) int { return cmp.Compare(vouch.CriterionPoints[b.name], vouch.CriterionPoints[a.name]) })
	for _, e := range ix.slots {
		if e == nil {
			continue
		}
		st := e.item.EffectiveState(today)
		if !st.Approved() || (q.ExternalOnly && !vouch.ContentShareable(st)) {
			continue
		}
		f := Fit{Hit: ix.hit(e, 0, today)}
		for _, a := range asks {
			met := false
			if a.name == vouch.CritLanguage {
				met = strings.EqualFold(e.item.Language, a.value)
			} else {
				met = slices.Contains(e.item.TagIDs(a.kind), a.id)
			}
			if met {
				f.Points += vouch.CriterionPoints[a.name]
			}
			f.Criteria = append(f.Criteria, vouch.Criterion{Name: a.name, Value: a.value, Points: vouch.CriterionPoints[a.name], Met: met})
		}
		if f.Points > 0 {
			fits = append(fits, f)
		}
	}
	slices.SortFunc(fits, func(a, b Fit) int {
		return cmp.Or(cmp.Compare(b.Points, a.Points), cmp.Compare(b.Stats.AverageRating, a.Stats.AverageRating),
			cmp.Compare(b.Stats.Uses, a.Stats.Uses), strings.Compare(published(b.Item), published(a.Item)))
	})
	total = len(fits)
	limit := q.Limit
	if limit == 0 {
		limit = 5
	}
	if limit > 0 && len(fits) > limit {
		fits = fits[:limit]
	}
	return fits, total
}
