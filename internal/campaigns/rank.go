// Package campaigns holds the rules of recruiting campaigns that need the
// read models: which customers to ask to become references for a gap in
// coverage, ranked, with the reasons shown.
package campaigns

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Target is what a campaign recruits for: a value of a coverage dimension
// (industry, region, product, segment, size) and an activity type.
type Target struct {
	Dimension      string
	ValueID        int64
	ActivityTypeID int64
	// Goal: the campaign recruits for a goal, and Filter is its filter:
	// accounts carrying one of each dimension's values it names (every
	// customer when it names none).
	Goal   bool
	Filter vouch.MetricFilter
}

// Candidate is an account worth asking, with its score and why.
type Candidate struct {
	Account *vouch.Account
	Score   int
	Reasons []string
	// Former says the account had references, none active now.
	Former bool
}

// Scores of the ranking. Health and NPS weigh most: a happy customer says
// yes and says it well; tenure shows the product is live long enough to
// speak to; more products owned means more to speak about.
const (
	pointsHealthGood = 30
	pointsHealthFair = 10
	pointsHealthPoor = -30
	pointsPromoter   = 25 // NPS ≥ 50
	pointsPassive    = 5  // NPS 0–49
	pointsDetractor  = -25
	pointsPerYear    = 5 // of tenure, up to maxTenureYears
	maxTenureYears   = 5
	pointsNew        = -10 // a customer for under 6 months
	pointsPerProduct = 5   // up to maxProducts
	maxProducts      = 3
	pointsFormer     = 5 // had a reference before: knows the program
	// pointsRecentWin: a deal won in the last RecentWinDays — the
	// customer just chose us again and the buying story is fresh.
	pointsRecentWin = 15
)

// RecentWinDays is how far back a won deal counts as a recent win.
const RecentWinDays = 180

// inSegment reports whether a carries the target's value, or passes a
// goal's filter.
func inSegment(a *vouch.Account, t Target) bool {
	if t.Goal {
		return inFilter(a, &t.Filter)
	}
	switch t.Dimension {
	case "industry":
		return a.IndustryID == t.ValueID
	case "region":
		return a.RegionID == t.ValueID
	case "segment":
		return a.SegmentID == t.ValueID
	case "size":
		return a.SizeID == t.ValueID
	case "product":
		return slices.Contains(a.ProductIDs, t.ValueID)
	}
	return false
}

// inFilter reports whether a carries one of the values of each dimension
// of f that names any; the activity types and owners of a goal's filter
// say what counts towards it, not who may be asked.
func inFilter(a *vouch.Account, f *vouch.MetricFilter) bool {
	one := func(ids []int64, id int64) bool { return len(ids) == 0 || slices.Contains(ids, id) }
	if !one(f.IndustryIDs, a.IndustryID) || !one(f.RegionIDs, a.RegionID) || !one(f.CountryIDs, a.CountryID) ||
		!one(f.SegmentIDs, a.SegmentID) || !one(f.SizeIDs, a.SizeID) {
		return false
	}
	if len(f.ProductIDs) == 0 {
		return true
	}
	for _, p := range a.ProductIDs {
		if slices.Contains(f.ProductIDs, p) {
			return true
		}
	}
	return false
}

// score rates a as a candidate on day today, with the reasons.
func score(a *vouch.Account, today vouch.Date) (int, []string) {
	s := 0
	var why []string
	switch a.Health {
	case "good":
		s += pointsHealthGood
		why = append(why, "Health good")
	case "fair":
		s += pointsHealthFair
		why = append(why, "Health fair")
	case "poor":
		s += pointsHealthPoor
		why = append(why, "Health poor")
	}
	if a.NPS != nil {
		switch n := *a.NPS; {
		case n >= 50:
			s += pointsPromoter
			why = append(why, fmt.Sprintf("NPS %d (promoter)", n))
		case n >= 0:
			s += pointsPassive
			why = append(why, fmt.Sprintf("NPS %d", n))
		default:
			s += pointsDetractor
			why = append(why, fmt.Sprintf("NPS %d (detractor)", n))
		}
	}
	if !a.CustomerSince.IsZero() && !a.CustomerSince.After(today) {
		days := a.CustomerSince.DaysUntil(today)
		switch years := days / 365; {
		case days < 183:
			s += pointsNew
			why = append(why, "Customer for under 6 months")
		case years >= 1:
			s += pointsPerYear * min(years, maxTenureYears)
			if years == 1 {
				why = append(why, "Customer for a year")
			} else {
				why = append(why, fmt.Sprintf("Customer for %d years", years))
			}
		}
	}
	if n := len(a.ProductIDs); n > 0 {
		s += pointsPerProduct * min(n, maxProducts)
		if n == 1 {
			why = append(why, "Uses 1 product")
		} else {
			why = append(why, fmt.Sprintf("Uses %d products", n))
		}
	}
	return s, why
}

// Rank lists the customers in the target's segment with no active
// reference, best first (score, then name), at most limit (0: all). It
// reads the account list and the reference index, both in memory, and
// wins: each account's latest deal won in the last RecentWinDays
// (analytics.Model.RecentWins; nil: none known).
func Rank(accts *refindex.Accounts, ix *refindex.Index, wins map[int64]analytics.Win, t Target, today vouch.Date, limit int) []Candidate {
	refs := ix.AccountReferences()
	var out []Candidate
	accts.Each(func(a *vouch.Account) {
		if !inSegment(a, t) {
			return
		}
		c := refs[a.ID]
		if c.Active > 0 {
			return
		}
		s, why := score(a, today)
		cand := Candidate{Account: a, Score: s, Reasons: why, Former: c.Total > 0}
		if w, ok := wins[a.ID]; ok {
			cand.Score += pointsRecentWin
			cand.Reasons = append(cand.Reasons, fmt.Sprintf("Won %s, %s, %s", w.Name, vouch.FormatCents(w.Currency, w.AmountCents), w.ClosedOn))
		}
		if cand.Former {
			cand.Score += pointsFormer
			cand.Reasons = append(cand.Reasons, "Had a reference before")
		}
		out = append(out, cand)
	})
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Account.Name, b.Account.Name), cmp.Compare(a.Account.ID, b.Account.ID))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Held is a candidate held back from outreach, and why.
type Held struct {
	Candidate Candidate
	Reason    string
}
