package refindex_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// matchFixture is a database with references to match, and the index over it.
type matchFixture struct {
	t   *testing.T
	db  *store.DB
	ix  *refindex.Index
	ids map[string]int64 // first name → reference id
}

func newMatchFixture(t *testing.T, db *store.DB) *matchFixture {
	_, _, ix := testutil.ReadModels(t, db)
	return &matchFixture{t: t, db: db, ix: ix, ids: map[string]int64{}}
}

func (f *matchFixture) value(kind vouch.TaxonomyKind, name string) int64 {
	id := f.ix.Catalog().ValueID(kind, name)
	if id == 0 {
		f.t.Fatalf("no %s %q", kind, name)
	}
	return id
}

// account creates an account in an industry and region.
func (f *matchFixture) account(name, industry, region string) *vouch.Account {
	a := &vouch.Account{Name: name, IndustryID: f.value(vouch.TaxIndustry, industry), RegionID: f.value(vouch.TaxRegion, region)}
	if err := f.db.CreateAccount(ctx, a); err != nil {
		f.t.Fatal(err)
	}
	return a
}

// reference creates r at a: active, agreed to calls and verified today unless r says otherwise.
func (f *matchFixture) reference(a *vouch.Account, r vouch.Reference) *vouch.Reference {
	r.AccountID = a.ID
	if r.Status == "" {
		r.Status = vouch.StatusActive
	}
	if r.Activities == nil {
		r.Activities = []vouch.AgreedActivity{{TypeID: f.value(vouch.TaxActivityType, "Call")}}
	}
	if r.LastVerified.IsZero() {
		r.LastVerified = f.db.Today()
	}
	if err := f.db.CreateReference(ctx, &r); err != nil {
		f.t.Fatal(err)
	}
	f.ids[strings.Fields(r.Name)[0]] = r.ID
	return &r
}

// activity logs a call days ago.
func (f *matchFixture) activity(ref string, daysAgo int) {
	if err := f.db.LogActivity(ctx, &vouch.Activity{ReferenceID: f.ids[ref], TypeID: f.value(vouch.TaxActivityType, "Call"),
		OccurredOn: f.db.Today().AddDays(-daysAgo)}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *matchFixture) match(q refindex.MatchQuery) refindex.MatchResult {
	if q.ActivityTypeID == 0 {
		q.ActivityTypeID = f.value(vouch.TaxActivityType, "Call")
	}
	if q.DueDate.IsZero() {
		q.DueDate = f.db.Today().AddDays(14)
	}
	return f.ix.Match(q)
}

// matched lists the first names of the matches, best first.
func matched(res refindex.MatchResult) string {
	var out []string
	for _, m := range res.Items {
		out = append(out, strings.Fields(m.Reference.Name)[0])
	}
	return strings.Join(out, ",")
}

func reasonsOf(m refindex.Match) string {
	var out []string
	for _, r := range m.Reasons {
		out = append(out, fmt.Sprintf("%s %+d", r.Label, r.Points))
	}
	return strings.Join(out, "; ")
}

// checkScores fails unless every match's reasons add up to its score and
// the matches come best first.
func checkScores(t *testing.T, res refindex.MatchResult) {
	t.Helper()
	for i, m := range res.Items {
		sum := 0
		for _, r := range m.Reasons {
			sum += r.Points
		}
		if sum != m.Score {
			t.Errorf("%s: reasons (%s) add up to %d, score is %d", m.Reference.Name, reasonsOf(m), sum, m.Score)
		}
		if i > 0 && m.Score > res.Items[i-1].Score {
			t.Errorf("%s (%d) ranks below %s (%d)", m.Reference.Name, m.Score, res.Items[i-1].Reference.Name, res.Items[i-1].Score)
		}
	}
}

// TestMatchHardRules: each rule alone keeps a reference out, next to one
// that passes them all.
func TestMatchHardRules(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newMatchFixture(t, db)
		a := f.account("Acme Hospitals", "Healthcare", "EMEA")
		today := f.db.Today()
		f.reference(a, vouch.Reference{Name: "Ada Active"})
		f.reference(a, vouch.Reference{Name: "Nina Nominated", Status: vouch.StatusNominated})
		f.reference(a, vouch.Reference{Name: "Quinn Qualifying", Status: vouch.StatusQualifying})
		f.reference(a, vouch.Reference{Name: "Rita Resting", Status: vouch.StatusResting, RestingUntil: today.AddDays(10)})
		f.reference(a, vouch.Reference{Name: "Rob Rested", Status: vouch.StatusResting, RestingUntil: today})
		f.reference(a, vouch.Reference{Name: "Tom Retired", Status: vouch.StatusRetired, StatusReason: "Left"})
		f.reference(a, vouch.Reference{Name: "Dora DoNotContact", Status: vouch.StatusDoNotContact, StatusReason: "Asked us"})
		f.reference(a, vouch.Reference{Name: "Cass CaseStudyOnly",
			Activities: []vouch.AgreedActivity{{TypeID: f.value(vouch.TaxActivityType, "Case study")}}})
		// Three calls (the default capacity) 10, 20 and 30 days ago: full
		// until the oldest leaves the 90-day window in 60 days.
		f.reference(a, vouch.Reference{Name: "Fay Full"})
		for _, d := range []int{10, 20, 30} {
			f.activity("Fay", d)
		}
		zero := 0
		f.reference(a, vouch.Reference{Name: "Zed Zero", CapacityOverride: &zero})

		all := f.match(refindex.MatchQuery{DueDate: today.AddDays(30), Limit: -1})
		if got := matched(all); got != "Ada,Rob" {
			t.Fatalf("candidates %q, want Ada,Rob", got)
		}
		if all.Eligible != 2 {
			t.Errorf("eligible %d, want 2", all.Eligible)
		}
		has := func(res refindex.MatchResult, name string) bool {
			return slices.Contains(strings.Split(matched(res), ","), name)
		}
		rules := []struct {
			rule, who string
		}{
			{"nominated is not active", "Nina"},
			{"qualifying is not active", "Quinn"},
			{"resting until a day after today", "Rita"},
			{"retired", "Tom"},
			{"do not contact", "Dora"},
			{"not agreed to the activity type", "Cass"},
			{"at capacity on every day until the due date", "Fay"},
			{"a capacity of zero", "Zed"},
		}
		for _, r := range rules {
			t.Run(r.rule, func(t *testing.T) {
				if has(all, r.who) {
					t.Errorf("%s is a candidate", r.who)
				}
			})
		}
		t.Run("a rest that ended counts as active", func(t *testing.T) {
			if !has(all, "Rob") {
				t.Error("Rob, whose rest ends today, is not a candidate")
			}
			// On the day Rita's rest ends, she is one too.
			later := f.match(refindex.MatchQuery{Today: today.AddDays(10), DueDate: today.AddDays(30), Limit: -1})
			if !has(later, "Rita") {
				t.Errorf("on the day her rest ends Rita is not a candidate: %q", matched(later))
			}
		})
		t.Run("a slot that frees before the due date", func(t *testing.T) {
			for due, want := range map[int]bool{59: false, 60: true, 90: true} {
				res := f.match(refindex.MatchQuery{DueDate: today.AddDays(due), Limit: -1})
				if has(res, "Fay") != want {
					t.Errorf("due in %d days: Fay a candidate = %v, want %v", due, !want, want)
				}
			}
		})
		t.Run("excluded ids", func(t *testing.T) {
			res := f.match(refindex.MatchQuery{DueDate: today.AddDays(30), Exclude: map[int64]bool{f.ids["Ada"]: true}})
			if got := matched(res); got != "Rob" {
				t.Errorf("excluding Ada gives %q, want Rob", got)
			}
			if res.Eligible != 1 {
				t.Errorf("eligible %d with one excluded, want 1", res.Eligible)
			}
		})
		t.Run("any activity type", func(t *testing.T) {
			res := f.ix.Match(refindex.MatchQuery{DueDate: today.AddDays(30), Limit: -1})
			if got := matched(res); got != "Ada,Cass,Rob" {
				t.Errorf("without an activity type: %q", got)
			}
		})
	})
}

// TestMatchScoresAndReasons: criteria met earn their points, adjustments
// show, and the reasons add up to the score.
func TestMatchScoresAndReasons(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newMatchFixture(t, db)
		analytics := f.value(vouch.TaxProduct, "Analytics")
		emeaHealth := f.account("Acme Hospitals", "Healthcare", "EMEA")
		usHealth := f.account("Mercy Clinics", "Healthcare", "North America")
		emeaBank := f.account("Globe Bank", "Financial Services", "EMEA")
		f.reference(emeaHealth, vouch.Reference{Name: "Maya Okafor", ProductIDs: []int64{analytics},
			Languages: []string{"German", "English"}, Seniority: "executive"})
		f.reference(emeaHealth, vouch.Reference{Name: "Jonas Lindqvist", ProductIDs: []int64{analytics},
			LastVerified: vouch.NewDate(2020, 3, 14)})
		f.reference(usHealth, vouch.Reference{Name: "Priya Raman", ProductIDs: []int64{analytics}})
		f.reference(emeaBank, vouch.Reference{Name: "Diego Alvarez"})
		f.activity("Jonas", 3)
		f.activity("Jonas", 40)

		res := f.match(refindex.MatchQuery{Criteria: vouch.Criteria{
			IndustryID: f.value(vouch.TaxIndustry, "Healthcare"), ProductID: analytics, Language: "german", Seniority: "Executive"}})
		checkScores(t, res)
		if res.MeetAll != 1 || res.Summary() != "1 meets every criterion; the others follow, best first." {
			t.Errorf("meet all %d, summary %q; want Maya alone", res.MeetAll, res.Summary())
		}
		if got := matched(res); got != "Maya,Priya,Jonas,Diego" {
			t.Fatalf("matches %q, want Maya (every criterion) first and everyone eligible after (criteria are points, not filters)", got)
		}
		want := "industry: Healthcare +40; product: Analytics +20; language: german +10; seniority: executive +10; under-used this quarter +5"
		if got := reasonsOf(res.Items[0]); got != want {
			t.Errorf("Maya's reasons:\n got %s\nwant %s", got, want)
		}
		if res.Items[0].Score != 85 || res.Items[0].Hit.Score != 85 {
			t.Errorf("Maya scores %d (hit %d), want 85", res.Items[0].Score, res.Items[0].Hit.Score)
		}

		res = f.match(refindex.MatchQuery{Criteria: vouch.Criteria{IndustryID: f.value(vouch.TaxIndustry, "Healthcare"), ProductID: analytics}})
		checkScores(t, res)
		if got := matched(res); got != "Maya,Priya,Jonas,Diego" {
			t.Errorf("order %q, want Maya,Priya,Jonas (Jonas is used and stale), then Diego (neither criterion)", got)
		}
		jonas := res.Items[2]
		want = "industry: Healthcare +40; product: Analytics +20; 2 activities in the last 90 days -10; not verified since 14 Mar 2020 -5"
		if got := reasonsOf(jonas); got != want {
			t.Errorf("Jonas's reasons:\n got %s\nwant %s", got, want)
		}
		if jonas.Capacity.Used != 2 || !jonas.Stale || jonas.Status != vouch.StatusActive {
			t.Errorf("Jonas's hit: capacity %+v, stale %v, status %s", jonas.Capacity, jonas.Stale, jonas.Status)
		}

		// Without criteria everyone eligible is a candidate, ranked by the adjustments alone.
		res = f.match(refindex.MatchQuery{Limit: 2})
		checkScores(t, res)
		if res.Eligible != 4 || len(res.Items) != 2 {
			t.Errorf("eligible %d, %d items; want 4 and a limit of 2", res.Eligible, len(res.Items))
		}
		if res.Items[0].Score != 5 {
			t.Errorf("best without criteria scores %d (%s), want 5", res.Items[0].Score, reasonsOf(res.Items[0]))
		}
	})
}

// TestMatchCriteriaArePoints: a request for Insurance + Mobile lists every
// reference that passes the hard rules, best first by points, each with
// the criteria it meets and misses; no criterion filters anyone out.
func TestMatchCriteriaArePoints(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newMatchFixture(t, db)
		insurance, mobile := f.value(vouch.TaxIndustry, "Insurance"), f.value(vouch.TaxProduct, "Mobile")
		analytics := f.value(vouch.TaxProduct, "Analytics")
		insurer := f.account("Shield Mutual", "Insurance", "EMEA")
		bank := f.account("Globe Bank", "Financial Services", "EMEA")
		clinic := f.account("Mercy Clinics", "Healthcare", "North America")
		f.reference(insurer, vouch.Reference{Name: "Ines Insurer", ProductIDs: []int64{analytics}})
		f.reference(bank, vouch.Reference{Name: "Milo Mobile", ProductIDs: []int64{mobile}})
		f.reference(clinic, vouch.Reference{Name: "Nora Neither"})
		f.reference(clinic, vouch.Reference{Name: "Rex Retired", Status: vouch.StatusRetired, StatusReason: "Left the company"})
		f.reference(insurer, vouch.Reference{Name: "Ida Idle", ProductIDs: []int64{mobile}})
		f.activity("Ida", 5) // the only one meeting both, used lately

		q := refindex.MatchQuery{Criteria: vouch.Criteria{IndustryID: insurance, ProductID: mobile}, Limit: -1}
		res := f.match(q)
		checkScores(t, res)
		if res.Eligible != 4 || len(res.Items) != 4 {
			t.Fatalf("eligible %d, listed %d; want every eligible reference (4) listed", res.Eligible, len(res.Items))
		}
		if got := matched(res); got != "Ida,Ines,Milo,Nora" {
			t.Errorf("order %q, want Ida (both, 55), Ines (industry, 45), Milo (product, 25), Nora (neither, 5)", got)
		}
		if res.MeetAll != 1 || res.Criteria != 2 || res.Ineligible != 1 {
			t.Errorf("meet all %d, criteria %d, ineligible %d; want 1, 2, 1", res.MeetAll, res.Criteria, res.Ineligible)
		}
		criteria := func(m refindex.Match) string {
			var out []string
			for _, c := range m.Criteria {
				out = append(out, c.String())
			}
			return strings.Join(out, " · ")
		}
		want := map[string]struct{ criteria, reasons string }{
			"Ida":  {"✓ industry: Insurance · ✓ product: Mobile", "industry: Insurance +40; product: Mobile +20; 1 activity in the last 90 days -5"},
			"Ines": {"✓ industry: Insurance · ✗ product: Mobile", "industry: Insurance +40; under-used this quarter +5"},
			"Milo": {"✗ industry: Insurance · ✓ product: Mobile", "product: Mobile +20; under-used this quarter +5"},
			"Nora": {"✗ industry: Insurance · ✗ product: Mobile", "under-used this quarter +5"},
		}
		for _, m := range res.Items {
			name := strings.Fields(m.Reference.Name)[0]
			if got := criteria(m); got != want[name].criteria {
				t.Errorf("%s's criteria: %q, want %q", name, got, want[name].criteria)
			}
			if got := reasonsOf(m); got != want[name].reasons {
				t.Errorf("%s's reasons: %q, want %q", name, got, want[name].reasons)
			}
		}
		if got := res.Items[0].Fatigue; !slices.Equal(got, []string{"1 activity in the last 90 days"}) {
			t.Errorf("Ida's fatigue %q", got)
		}
		if adj := res.Items[1].Adjustments(); len(adj) != 1 || adj[0].Label != "under-used this quarter" {
			t.Errorf("Ines's adjustments %+v, want only under-used", adj)
		}

		// Nobody meets every criterion: still everyone is listed, and the summary says so.
		res = f.match(refindex.MatchQuery{Criteria: vouch.Criteria{IndustryID: insurance, ProductID: mobile, Language: "Klingon"}})
		if res.MeetAll != 0 || res.Summary() != "No reference meets every criterion; best first." || len(res.Items) != 4 {
			t.Errorf("nobody speaks Klingon: meet all %d, summary %q, %d listed", res.MeetAll, res.Summary(), len(res.Items))
		}
		// Without criteria there is nothing to summarize.
		if res := f.match(refindex.MatchQuery{}); res.Summary() != "" || res.Criteria != 0 {
			t.Errorf("no criteria: summary %q", res.Summary())
		}
		// Nobody eligible at all.
		res = f.match(refindex.MatchQuery{ActivityTypeID: f.value(vouch.TaxActivityType, "Press"), Criteria: vouch.Criteria{IndustryID: insurance}})
		if len(res.Items) != 0 || res.Eligible != 0 || res.Summary() != "" || res.Ineligible != 5 {
			t.Errorf("nobody agreed to press: %+v", res)
		}
	})
}

// TestMatchPages: pages of the ranked list cut it without gaps or repeats,
// and the total is every eligible reference.
func TestMatchPages(t *testing.T) {
	today := vouch.NewDate(2026, 3, 1)
	var recs []store.ReferenceRecord
	for i := range 47 {
		var acts []vouch.Date
		for range i % 3 { // scores spread by use, ties broken by name
			acts = append(acts, today.AddDays(-10-i))
		}
		recs = append(recs, record(int64(i+1), fmt.Sprintf("R%02d", i), acts, vouch.Date{}, nil, today))
	}
	ix := refindex.New(nil, nil, nil)
	ix.Replace(taxonomy(), 3, recs)
	q := refindex.MatchQuery{ActivityTypeID: 1, Criteria: vouch.Criteria{IndustryID: 2}, Today: today, DueDate: today.AddDays(10), Limit: -1}
	all := ix.Match(q)
	if len(all.Items) != 47 || all.Eligible != 47 {
		t.Fatalf("%d listed of %d eligible, want 47", len(all.Items), all.Eligible)
	}
	for _, c := range []struct{ offset, limit, want int }{{0, 20, 20}, {20, 20, 20}, {40, 20, 7}, {47, 20, 0}, {60, 20, 0}, {5, 1, 1}} {
		q.Offset, q.Limit = c.offset, c.limit
		page := ix.Match(q)
		if page.Eligible != 47 || len(page.Items) != c.want {
			t.Errorf("offset %d limit %d: %d items of %d, want %d of 47", c.offset, c.limit, len(page.Items), page.Eligible, c.want)
			continue
		}
		for i, m := range page.Items {
			if m.Reference.ID != all.Items[c.offset+i].Reference.ID {
				t.Errorf("offset %d: item %d is %s, the full list has %s", c.offset, i, m.Reference.Name, all.Items[c.offset+i].Reference.Name)
			}
		}
	}
}

// TestMatchIneligible: the references failing a hard rule are listed on
// demand with every rule they fail, in words; Judge says the same of one.
func TestMatchIneligible(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newMatchFixture(t, db)
		today := f.db.Today()
		a := f.account("Shield Mutual", "Insurance", "EMEA")
		f.reference(a, vouch.Reference{Name: "Ada Active"})
		f.reference(a, vouch.Reference{Name: "Dora DoNotContact", Status: vouch.StatusDoNotContact, StatusReason: "asked not to be contacted during renewal"})
		f.reference(a, vouch.Reference{Name: "Tom Retired", Status: vouch.StatusRetired})
		f.reference(a, vouch.Reference{Name: "Rita Resting", Status: vouch.StatusResting, RestingUntil: today.AddDays(40)})
		f.reference(a, vouch.Reference{Name: "Nina Nominated", Status: vouch.StatusNominated})
		f.reference(a, vouch.Reference{Name: "Cass CaseStudyOnly", Activities: []vouch.AgreedActivity{{TypeID: f.value(vouch.TaxActivityType, "Case study")}}})
		f.reference(a, vouch.Reference{Name: "Fay Full"})
		for _, d := range []int{10, 20, 30} {
			f.activity("Fay", d)
		}
		zero := 0
		f.reference(a, vouch.Reference{Name: "Zed Zero", CapacityOverride: &zero})
		f.reference(a, vouch.Reference{Name: "Xan Excluded"})
		f.reference(a, vouch.Reference{Name: "Tess Twice", Status: vouch.StatusRetired,
			Activities: []vouch.AgreedActivity{{TypeID: f.value(vouch.TaxActivityType, "Press")}}})

		q := refindex.MatchQuery{Criteria: vouch.Criteria{IndustryID: f.value(vouch.TaxIndustry, "Insurance")},
			Exclude: map[int64]bool{f.ids["Xan"]: true}, Limit: -1}
		if q.ActivityTypeID == 0 {
			q.ActivityTypeID = f.value(vouch.TaxActivityType, "Call")
		}
		q.DueDate = today.AddDays(14)
		res := f.ix.Ineligible(q)
		free := today.AddDays(60) // Fay's call 30 days ago leaves her 90 days then
		want := map[string]string{
			"Dora": "do not contact (“asked not to be contacted during renewal”)",
			"Tom":  "retired",
			"Rita": "resting until " + vouch.ShortDate(today.AddDays(40), today),
			"Nina": "nominated, not active yet",
			"Cass": "not agreed to a call",
			"Fay":  "at capacity until " + vouch.ShortDate(free, today),
			"Zed":  "takes no activities (capacity 0)",
			"Xan":  "already asked for this opportunity",
			"Tess": "retired; not agreed to a call",
		}
		if res.Total != len(want) || len(res.Items) != len(want) {
			t.Fatalf("%d ineligible (%d listed), want %d", res.Total, len(res.Items), len(want))
		}
		for _, it := range res.Items {
			name := strings.Fields(it.Reference.Name)[0]
			var texts []string
			for _, fl := range it.Failures {
				texts = append(texts, fl.Text)
			}
			if got := strings.Join(texts, "; "); got != want[name] {
				t.Errorf("%s fails %q, want %q", name, got, want[name])
			}
			if len(it.Criteria) != 1 || !it.Criteria[0].Met {
				t.Errorf("%s's criteria %+v, want industry met", name, it.Criteria)
			}
		}
		q.Offset, q.Limit = 5, 3
		if page := f.ix.Ineligible(q); page.Total != len(want) || len(page.Items) != 3 || page.Items[0].Reference.ID != res.Items[5].Reference.ID {
			t.Errorf("page 5+3: total %d, %d items", page.Total, len(page.Items))
		}

		// Judge: one reference, the same words.
		q.Offset, q.Limit = 0, 0
		m, failures, ok := f.ix.Judge(q, f.ids["Dora"])
		if !ok || len(failures) != 1 || failures[0].Rule != vouch.RuleStatus || m.Reference.Name != "Dora DoNotContact" {
			t.Errorf("judging Dora: %v %+v", ok, failures)
		}
		m, failures, ok = f.ix.Judge(q, f.ids["Ada"])
		if !ok || len(failures) != 0 || m.Score != 45 || len(m.Criteria) != 1 || !m.Criteria[0].Met {
			t.Errorf("judging Ada: %v %+v score %d criteria %+v", ok, failures, m.Score, m.Criteria)
		}
		if _, _, ok := f.ix.Judge(q, 999999); ok {
			t.Error("judged an unknown reference")
		}
	})
}

// TestMatchSpreadsLoad: of two identical references, the one used more
// recently ranks lower.
func TestMatchSpreadsLoad(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newMatchFixture(t, db)
		a := f.account("Acme Hospitals", "Healthcare", "EMEA")
		crit := vouch.Criteria{IndustryID: f.value(vouch.TaxIndustry, "Healthcare")}
		f.reference(a, vouch.Reference{Name: "Ann Berg"})
		f.reference(a, vouch.Reference{Name: "Bea Berg"})
		if got := matched(f.match(refindex.MatchQuery{Criteria: crit})); got != "Ann,Bea" {
			t.Fatalf("unused twins rank %q, want by name", got)
		}
		// Ann did a call last week: Bea, unused, goes first.
		f.activity("Ann", 7)
		res := f.match(refindex.MatchQuery{Criteria: crit})
		checkScores(t, res)
		if got := matched(res); got != "Bea,Ann" {
			t.Errorf("after Ann's call: %q, want Bea,Ann", got)
		}
		// Both used once in the window (same score): the one used longer ago goes first.
		f.activity("Bea", 80)
		res = f.match(refindex.MatchQuery{Criteria: crit})
		if res.Items[0].Score != res.Items[1].Score {
			t.Fatalf("scores differ: %d, %d", res.Items[0].Score, res.Items[1].Score)
		}
		if got := matched(res); got != "Bea,Ann" {
			t.Errorf("both used once: %q, want Bea (80 days ago) before Ann (7 days ago)", got)
		}
	})
}

// TestMatchTiesGoToTheLessUsed: with equal scores, fewer recent activities
// rank first, then the name.
func TestMatchTiesGoToTheLessUsed(t *testing.T) {
	today := vouch.NewDate(2026, 3, 1)
	ix := refindex.New(nil, nil, nil)
	ix.Replace(taxonomy(), 3, []store.ReferenceRecord{
		// −10 for two activities.
		record(1, "Ann", []vouch.Date{today.AddDays(-50), today.AddDays(-60)}, vouch.Date{}, nil, today),
		// −5 for one activity, −5 for an ask 40 days ago: the same score, less used.
		record(2, "Bea", []vouch.Date{today.AddDays(-70)}, today.AddDays(-40), nil, today),
		record(3, "Cid", []vouch.Date{today.AddDays(-70)}, today.AddDays(-40), nil, today),
	})
	res := ix.Match(refindex.MatchQuery{ActivityTypeID: 1, Today: today, DueDate: today})
	checkScores(t, res)
	if len(res.Items) != 3 || res.Items[0].Score != res.Items[2].Score {
		t.Fatalf("want three equal scores: %+v", res.Items)
	}
	if got := matched(res); got != "Bea,Cid,Ann" {
		t.Errorf("order %q, want Bea,Cid (one activity each, by name) before Ann (two)", got)
	}
}

// TestMatchReadsAsksFromTheDatabase: an ask made through the store shows
// as "asked N days ago" once the index has the reference again, and after a
// full load.
func TestMatchReadsAsksFromTheDatabase(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newMatchFixture(t, db)
		a := f.account("Acme Hospitals", "Healthcare", "EMEA")
		f.reference(a, vouch.Reference{Name: "Ann Berg"})
		f.reference(a, vouch.Reference{Name: "Bea Berg"})
		seller := &vouch.User{Email: "seller@example.com", Name: "Sam Seller", Role: vouch.RoleSeller}
		if err := db.CreateUser(ctx, seller, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		call := f.value(vouch.TaxActivityType, "Call")
		ask := func(ref string, daysAgo int) {
			t.Helper()
			clock := db.Clock
			db.Clock = vouch.NewClock(func() time.Time { return clock.Now().AddDate(0, 0, -daysAgo) })
			defer func() { db.Clock = clock }()
			opp := &vouch.Opportunity{Name: fmt.Sprintf("Deal for %s", ref), OwnerID: seller.ID}
			if err := db.CreateOpportunity(ctx, opp); err != nil {
				t.Fatal(err)
			}
			req := &vouch.Request{RequesterID: seller.ID, OpportunityID: opp.ID, ActivityTypeID: call,
				DueDate: clock.Today().AddDays(30)}
			if err := db.CreateRequest(ctx, req, vouch.Outgoing{}); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateAsk(ctx, &vouch.Ask{RequestID: req.ID, ReferenceID: f.ids[ref], State: vouch.AskAwaitingApproval},
				vouch.NewLink{}, vouch.Outgoing{}); err != nil {
				t.Fatal(err)
			}
		}
		ask("Ann", 40)
		ask("Ann", 9) // the latest ask counts
		check := func(when string) {
			t.Helper()
			res := f.match(refindex.MatchQuery{})
			checkScores(t, res)
			if got := matched(res); got != "Bea,Ann" {
				t.Errorf("%s: %q, want Bea before Ann (asked lately)", when, got)
			}
			if len(res.Items) == 2 {
				if got, want := reasonsOf(res.Items[1]), "asked 9 days ago -15; under-used this quarter +5"; got != want {
					t.Errorf("%s: Ann's reasons %q, want %q", when, got, want)
				}
			}
		}
		check("after the asks")
		if err := f.ix.Load(ctx); err != nil {
			t.Fatal(err)
		}
		check("after a full load")
	})
}

// taxonomy is a small set of values for indexes filled with Replace.
func taxonomy() []*vouch.TaxonomyValue {
	return []*vouch.TaxonomyValue{{ID: 1, Kind: vouch.TaxActivityType, Name: "Call"}, {ID: 2, Kind: vouch.TaxIndustry, Name: "Healthcare"}}
}

func record(id int64, name string, acts []vouch.Date, asked vouch.Date, capacity *int, today vouch.Date) store.ReferenceRecord {
	return store.ReferenceRecord{
		Reference: &vouch.Reference{ID: id, AccountID: 1, Name: name, Status: vouch.StatusActive, LastVerified: today,
			Activities: []vouch.AgreedActivity{{TypeID: 1}}, CapacityOverride: capacity},
		Account:    &vouch.Account{ID: 1, Name: "Acme", IndustryID: 2},
		Activities: acts, LastAsked: asked,
	}
}

// TestMatchRecentlyAsked: a reference asked lately loses points, more the
// more recent the ask.
func TestMatchRecentlyAsked(t *testing.T) {
	today := vouch.NewDate(2026, 3, 1)
	ix := refindex.New(nil, nil, nil)
	ix.Replace(taxonomy(), 3, []store.ReferenceRecord{
		record(1, "Ann", nil, today.AddDays(-9), nil, today),
		record(2, "Bea", nil, today.AddDays(-40), nil, today),
		record(3, "Cid", nil, today.AddDays(-120), nil, today),
		record(4, "Dan", nil, vouch.Date{}, nil, today),
		record(5, "Eve", nil, today, nil, today),
	})
	res := ix.Match(refindex.MatchQuery{ActivityTypeID: 1, Criteria: vouch.Criteria{IndustryID: 2}, Today: today, DueDate: today})
	checkScores(t, res)
	if got := matched(res); got != "Cid,Dan,Bea,Ann,Eve" {
		t.Errorf("order %q, want Cid,Dan (not asked lately), Bea (40 days ago), Ann (9), Eve (today)", got)
	}
	want := map[string]string{
		"Ann": "industry: Healthcare +40; asked 9 days ago -15; under-used this quarter +5",
		"Bea": "industry: Healthcare +40; asked 40 days ago -5; under-used this quarter +5",
		"Cid": "industry: Healthcare +40; under-used this quarter +5",
		"Eve": "industry: Healthcare +40; asked today -15; under-used this quarter +5",
	}
	for _, m := range res.Items {
		if w, ok := want[m.Reference.Name]; ok && reasonsOf(m) != w {
			t.Errorf("%s: %s, want %s", m.Reference.Name, reasonsOf(m), w)
		}
	}
}

// TestMatchBookedAhead: activities booked after today fill capacity and
// count as use.
func TestMatchBookedAhead(t *testing.T) {
	today := vouch.NewDate(2026, 3, 1)
	ix := refindex.New(nil, nil, nil)
	ix.Replace(taxonomy(), 2, []store.ReferenceRecord{
		record(1, "Ann", []vouch.Date{today.AddDays(5)}, vouch.Date{}, nil, today),
		record(2, "Bea", []vouch.Date{today.AddDays(3), today.AddDays(20)}, vouch.Date{}, nil, today),
	})
	res := ix.Match(refindex.MatchQuery{ActivityTypeID: 1, Today: today, DueDate: today.AddDays(30)})
	checkScores(t, res)
	if got := matched(res); got != "Ann" {
		t.Fatalf("matches %q, want Ann (Bea's two booked calls fill her 90 days)", got)
	}
	if got := reasonsOf(res.Items[0]); got != "1 activity booked ahead -5" {
		t.Errorf("Ann's reasons: %s", got)
	}
	// Once Bea's first booked call leaves its window, she can be booked again.
	res = ix.Match(refindex.MatchQuery{ActivityTypeID: 1, Today: today, DueDate: today.AddDays(93), Limit: -1})
	if got := matched(res); got != "Ann,Bea" {
		t.Errorf("due in 93 days: %q, want Ann,Bea", got)
	}
}

// TestMatchCapacityAgreesWithCanBook: on random activity days, limits and
// due dates, a reference is a candidate exactly when vouch.CanBook allows
// some day from today to the due date.
func TestMatchCapacityAgreesWithCanBook(t *testing.T) {
	today := vouch.NewDate(2026, 3, 1)
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 40 {
		var recs []store.ReferenceRecord
		for i := range 60 {
			n := rng.IntN(9)
			acts := make([]vouch.Date, n)
			spread := 20 + rng.IntN(200) // clustered or spread out
			for j := range acts {
				acts[j] = today.AddDays(rng.IntN(spread) - spread/2)
			}
			capacity := rng.IntN(6) // 0–5
			recs = append(recs, record(int64(i+1), fmt.Sprintf("R%03d", i), acts, vouch.Date{}, &capacity, today))
		}
		ix := refindex.New(nil, nil, nil)
		ix.Replace(taxonomy(), 3, recs)
		for _, due := range []int{-3, 0, 1, 15, 45, 89, 90, 150} {
			dueDate := today.AddDays(due)
			res := ix.Match(refindex.MatchQuery{ActivityTypeID: 1, Today: today, DueDate: dueDate, Limit: -1})
			got := map[int64]bool{}
			for _, m := range res.Items {
				got[m.Reference.ID] = true
			}
			for _, r := range recs {
				want := false
				last := dueDate
				if last.Before(today) {
					last = today
				}
				for d := today; !d.After(last); d = d.AddDays(1) {
					if vouch.CanBook(*r.Reference.CapacityOverride, r.Activities, d) {
						want = true
						break
					}
				}
				if got[r.Reference.ID] != want {
					t.Fatalf("trial %d, due in %d days, limit %d, activities %v: candidate = %v, CanBook says %v",
						trial, due, *r.Reference.CapacityOverride, r.Activities, got[r.Reference.ID], want)
				}
			}
			if res.Eligible != len(got) {
				t.Fatalf("eligible %d, returned %d", res.Eligible, len(got))
			}
		}
	}
}

// TestLargeMatchAgreesWithBruteForce checks the parallel scan of a large
// index: the candidates are exactly those passing the hard rules, checked
// one by one, those meeting the criterion first, and a page is its part of
// the full list.
func TestLargeMatchAgreesWithBruteForce(t *testing.T) {
	const n = 30_000
	ix, values := generated(n)
	today := wallDay()
	recs := demo.Records(1, n, values, []int64{1, 2, 3, 4, 5}, today)
	call := ix.Catalog().ValueID(vouch.TaxActivityType, "Call")
	healthcare := ix.Catalog().ValueID(vouch.TaxIndustry, "Healthcare")
	due := today.AddDays(5)
	want := map[int64]bool{}
	eligible := 0
	for _, r := range recs {
		ref := r.Reference
		if ref.EffectiveStatus(today) != vouch.StatusActive ||
			!slices.ContainsFunc(ref.Activities, func(a vouch.AgreedActivity) bool { return a.TypeID == call }) {
			continue
		}
		limit := 3
		if ref.CapacityOverride != nil {
			limit = *ref.CapacityOverride
		}
		free := false
		for d := today; !d.After(due) && !free; d = d.AddDays(1) {
			free = vouch.CanBook(limit, r.Activities, d)
		}
		if !free {
			continue
		}
		eligible++
		if r.Account.IndustryID == healthcare {
			want[ref.ID] = true
		}
	}
	q := refindex.MatchQuery{ActivityTypeID: call, Criteria: vouch.Criteria{IndustryID: healthcare}, DueDate: due, Limit: -1}
	all := ix.Match(q)
	if all.Eligible != eligible {
		t.Errorf("eligible %d, want %d", all.Eligible, eligible)
	}
	got := map[int64]bool{}
	for _, m := range all.Items {
		got[m.Reference.ID] = true
	}
	if len(got) != eligible || len(all.Items) != eligible {
		t.Fatalf("%d candidates (%d distinct), want every eligible one: %d", len(all.Items), len(got), eligible)
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("reference %d is missing", id)
		}
	}
	if all.MeetAll != len(want) {
		t.Errorf("%d meet the industry, want %d", all.MeetAll, len(want))
	}
	for i, m := range all.Items[:len(want)] { // those meeting the criterion come first
		if !m.Criteria[0].Met {
			t.Fatalf("item %d (%d) misses the industry but ranks above some that meet it", i, m.Reference.ID)
		}
	}
	checkScores(t, all)
	for _, offset := range []int{0, 20, 4000} {
		q.Offset, q.Limit = offset, 20
		page := ix.Match(q)
		for i, m := range page.Items {
			if m.Reference.ID != all.Items[offset+i].Reference.ID {
				t.Fatalf("item %d of the page at %d is %d, the full list has %d", i, offset, m.Reference.ID, all.Items[offset+i].Reference.ID)
			}
		}
	}
}

// TestMatchWhileWriting runs matches while references change (for -race).
func TestMatchWhileWriting(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	f := newMatchFixture(t, db)
	a := f.account("Acme Hospitals", "Healthcare", "EMEA")
	ann := f.reference(a, vouch.Reference{Name: "Ann Berg"})
	call := f.value(vouch.TaxActivityType, "Call")
	done := make(chan error)
	go func() {
		for i := range 20 {
			r := &vouch.Reference{AccountID: a.ID, Name: fmt.Sprintf("Person%d Berg", i), Status: vouch.StatusActive,
				Languages: []string{"German"}, Activities: []vouch.AgreedActivity{{TypeID: call}}}
			if err := db.CreateReference(ctx, r); err != nil {
				done <- err
				return
			}
			if err := db.LogActivity(ctx, &vouch.Activity{ReferenceID: ann.ID, TypeID: call, OccurredOn: f.db.Today().AddDays(-i)}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			res := f.match(refindex.MatchQuery{Criteria: vouch.Criteria{Language: "german"}, Limit: -1})
			// Ann, at capacity after her 20 calls, fails a rule.
			if len(res.Items) != 20 || res.MeetAll != 20 || res.Ineligible != 1 {
				t.Errorf("%d matched, %d German speakers, %d ineligible; want 20, 20, 1", len(res.Items), res.MeetAll, res.Ineligible)
			}
			return
		default:
			checkScores(t, f.match(refindex.MatchQuery{Criteria: vouch.Criteria{Language: "German"}}))
		}
	}
}
