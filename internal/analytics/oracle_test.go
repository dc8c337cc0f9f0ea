package analytics_test

import (
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The oracle: every scorecard figure computed again, straight from the
// tables with plain SQL (and a little arithmetic in Go where SQL has no
// portable median), following docs/metrics.md word for word.

type oracle struct {
	f        *fixture
	q        vouch.MetricQuery
	from, to string // the period
	asOf     string // the period's end, or today while it runs
	ps       vouch.ProgramSettings
}

func newOracle(f *fixture, q vouch.MetricQuery) *oracle {
	o := &oracle{f: f, q: q, from: q.From.String(), to: q.To.String(), ps: f.cat.ProgramSettings()}
	asOf := q.To
	if today := f.db.Today(); today.Before(asOf) {
		asOf = today
	}
	o.asOf = asOf.String()
	return o
}

func dayOf(col string) string { return "substr(CAST(" + col + " AS TEXT), 1, 10)" }

func inList(col string, ids []int64) string {
	if len(ids) == 0 {
		return ""
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return " AND " + col + " IN (" + strings.Join(s, ",") + ")"
}

func (o *oracle) segFilter() bool {
	f := o.q.Filter
	return len(f.IndustryIDs)+len(f.RegionIDs)+len(f.CountryIDs)+len(f.ProductIDs)+len(f.SegmentIDs)+len(f.SizeIDs) > 0
}

// deal is the segment filter on a deal aliased a.
func (o *oracle) deal(a string) string {
	f := o.q.Filter
	return inList(a+".industry_id", f.IndustryIDs) + inList(a+".region_id", f.RegionIDs) + inList(a+".country_id", f.CountryIDs) +
		inList(a+".product_id", f.ProductIDs) + inList(a+".segment_id", f.SegmentIDs) + inList(a+".size_id", f.SizeIDs)
}

// rowDeal is the segment filter on a row whose deal id is col.
func (o *oracle) rowDeal(col string) string {
	if !o.segFilter() {
		return ""
	}
	return " AND EXISTS (SELECT 1 FROM opportunities fo WHERE fo.id = " + col + o.deal("fo") + ")"
}

// ref is the segment filter on a reference aliased r (its account's fields).
func (o *oracle) ref(r string) string {
	f := o.q.Filter
	s := ""
	if o.segFilter() {
		s = " AND EXISTS (SELECT 1 FROM accounts fa WHERE fa.id = " + r + ".account_id" + inList("fa.industry_id", f.IndustryIDs) +
			inList("fa.region_id", f.RegionIDs) + inList("fa.country_id", f.CountryIDs) + inList("fa.segment_id", f.SegmentIDs) +
			inList("fa.size_id", f.SizeIDs) + ")"
	}
	if len(f.ProductIDs) > 0 {
		s += " AND EXISTS (SELECT 1 FROM account_products fp WHERE fp.account_id = " + r + ".account_id" + inList("fp.value_id", f.ProductIDs) + ")"
	}
	return s + inList(r+".owner_id", f.OwnerIDs)
}

// influenced is "deal d had a done activity or a content use on or before cut".
func (o *oracle) influenced(d, cut string) string {
	s := "(EXISTS (SELECT 1 FROM activities ia WHERE ia.opportunity_id = " + d + ".id AND ia.state = 'done' AND ia.occurred_on <= " + cut +
		inList("ia.type_id", o.q.Filter.ActivityTypeIDs) + ")"
	if len(o.q.Filter.ActivityTypeIDs) == 0 {
		s += " OR EXISTS (SELECT 1 FROM content_uses iu WHERE iu.opportunity_id = " + d + ".id AND " + dayOf("iu.at") + " <= " + cut + ")"
	}
	return s + ")"
}

func (o *oracle) lit(s string) string { return "'" + s + "'" }

func (o *oracle) scalar(t *testing.T, q string) *float64 {
	t.Helper()
	var v sql.NullFloat64
	if err := o.f.raw.QueryRow(q).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

func (o *oracle) count(t *testing.T, q string) int {
	t.Helper()
	v := o.scalar(t, q)
	if v == nil {
		return 0
	}
	return int(*v)
}

func (o *oracle) floats(t *testing.T, q string) []float64 {
	t.Helper()
	rows, err := o.f.raw.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []float64
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		out = append(out, float64(days(t, a, b)))
	}
	return out
}

func days(t *testing.T, from, to string) int {
	a, err := time.Parse("2006-01-02", from[:10])
	if err != nil {
		t.Fatal(err)
	}
	b, err := time.Parse("2006-01-02", to[:10])
	if err != nil {
		t.Fatal(err)
	}
	return int(math.Round(b.Sub(a).Hours() / 24))
}

// Independent arithmetic.
func nz(n int) *float64 {
	if n == 0 {
		return nil
	}
	v := float64(n)
	return &v
}

func frac(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	v := float64(a) / float64(b)
	return &v
}

func pct(xs []float64, p float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := p * float64(len(s)-1)
	i := int(pos)
	v := s[i]
	if i+1 < len(s) {
		v += (s[i+1] - s[i]) * (pos - float64(i))
	}
	return &v
}

type money map[string][2]float64 // currency → amount, deals

func (o *oracle) money(t *testing.T, q string) money {
	t.Helper()
	rows, err := o.f.raw.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	out := money{}
	for rows.Next() {
		var cur string
		var sum, n float64
		if err := rows.Scan(&cur, &sum, &n); err != nil {
			t.Fatal(err)
		}
		out[cur] = [2]float64{sum / 100, n}
	}
	return out
}

// expected is the oracle's scorecard.
type expected struct {
	vals                map[vouch.MetricID]*float64
	revenue, pipeline   money
	sizeWith, sizeWout  money
	win                 [4]int // with won, with lost, without won, without lost
	activeBySeg         map[int64]int
	revBySeg, pipeBySeg map[int64]money
	stages              map[string][4]int
	actsDone            int
	busyRefs            int // references with a done activity in the period
}

func (o *oracle) compute(t *testing.T) *expected {
	t.Helper()
	e := &expected{vals: map[vouch.MetricID]*float64{}}
	f := o.q.Filter
	F, T, A := o.lit(o.from), o.lit(o.to), o.lit(o.asOf)
	period := func(col string) string { return " AND " + col + " >= " + F + " AND " + col + " <= " + T }

	// Requests, read through the request's deal, type and requester.
	req := " FROM requests r WHERE 1=1" + o.rowDeal("r.opportunity_id") + inList("r.activity_type_id", f.ActivityTypeIDs)
	byRequester := req + inList("r.requester_id", f.OwnerIDs)
	closedDay := dayOf("r.closed_at")
	e.vals[vouch.MetricRequestsReceived] = nz(o.count(t, "SELECT COUNT(*)"+byRequester+period(dayOf("r.created_at"))))
	completed := o.count(t, "SELECT COUNT(*)"+byRequester+" AND r.state = 'completed'"+period(closedDay))
	closed := o.count(t, "SELECT COUNT(*)"+byRequester+" AND r.state IN ('completed','declined','cancelled','unfulfilled')"+period(closedDay))
	e.vals[vouch.MetricRequestsFulfilled] = nz(completed)
	e.vals[vouch.MetricFulfillmentRate] = frac(completed, closed)
	durations := o.floats(t, "SELECT "+dayOf("r.created_at")+", "+closedDay+byRequester+" AND r.state = 'completed'"+period(closedDay))
	e.vals[vouch.MetricFulfilMedianDays] = pct(durations, 0.5)
	e.vals[vouch.MetricFulfilP90Days] = pct(durations, 0.9)
	e.vals[vouch.MetricRequestsOverdue] = nz(o.count(t, "SELECT COUNT(*)"+byRequester+" AND "+dayOf("r.created_at")+" <= "+A+
		" AND (r.state NOT IN ('completed','declined','cancelled','unfulfilled') OR "+closedDay+" > "+A+") AND r.due_date <> '' AND r.due_date < "+A))
	e.vals[vouch.MetricRequestsFulfilledBy] = nz(o.count(t, "SELECT COUNT(*)"+req+inList("r.assignee_id", f.OwnerIDs)+
		" AND r.state = 'completed'"+period(closedDay)))

	// Asks answered in the period.
	askFrom := " FROM asks k JOIN requests r ON r.id = k.request_id WHERE k.answered_at IS NOT NULL" + o.rowDeal("r.opportunity_id") +
		inList("r.activity_type_id", f.ActivityTypeIDs) + inList("r.requester_id", f.OwnerIDs) + period(dayOf("k.answered_at"))
	e.vals[vouch.MetricAskAcceptance] = frac(o.count(t, "SELECT COUNT(*)"+askFrom+" AND k.state <> 'declined'"), o.count(t, "SELECT COUNT(*)"+askFrom))

	// References: status at a day is the last event on or before it.
	statusAt := func(day string) string {
		last := "(SELECT %s FROM ref_status_events e WHERE e.ref_id = x.id AND " + dayOf("e.at") + " <= " + day + " ORDER BY e.at DESC, e.id DESC LIMIT 1)"
		return "(" + fmt.Sprintf(last, "e.to_status") + " = 'active' OR (" + fmt.Sprintf(last, "e.to_status") + " = 'resting' AND " +
			fmt.Sprintf(last, "e.until") + " <> '' AND " + fmt.Sprintf(last, "e.until") + " <= " + day + "))"
	}
	refs := " FROM refs x WHERE 1=1" + o.ref("x")
	active := refs + " AND " + statusAt(A)
	e.vals[vouch.MetricActiveReferences] = nz(o.count(t, "SELECT COUNT(*)"+active))
	firstActive := "(SELECT MIN(" + dayOf("e.at") + ") FROM ref_status_events e WHERE e.ref_id = x.id AND e.to_status = 'active')"
	e.vals[vouch.MetricReferencesAdded] = nz(o.count(t, "SELECT COUNT(*)"+refs+period(firstActive)))
	e.vals[vouch.MetricReferencesRecruited] = e.vals[vouch.MetricReferencesAdded]
	e.vals[vouch.MetricReferencesRetired] = nz(o.count(t, "SELECT COUNT(*)"+refs+" AND EXISTS (SELECT 1 FROM ref_status_events e WHERE e.ref_id = x.id"+
		" AND e.to_status IN ('retired','do_not_contact')"+period(dayOf("e.at"))+")"))
	asOf, _ := vouch.ParseDate(o.asOf)
	yearBefore := o.lit(asOf.AddDays(-vouch.StaleAfterDays).String())
	e.vals[vouch.MetricReferencesStale] = nz(o.count(t, "SELECT COUNT(*)"+active+" AND NOT (x.last_verified <> '' AND x.last_verified <= "+A+
		" AND x.last_verified >= "+yearBefore+")"))
	windowFrom := o.lit(asOf.AddDays(-vouch.CapacityWindowDays + 1).String())
	e.vals[vouch.MetricReferencesAtCapacity] = nz(o.count(t, "SELECT COUNT(*)"+active+" AND (SELECT COUNT(*) FROM activities w WHERE w.ref_id = x.id"+
		" AND w.occurred_on >= "+windowFrom+" AND w.occurred_on <= "+A+") >= "+fmt.Sprintf("COALESCE(x.capacity_override, %d) - 1", o.ps.CapacityDefault)))
	e.activeBySeg = map[int64]int{}
	rows, err := o.f.raw.Query("SELECT COALESCE(a.segment_id, 0), COUNT(*) FROM refs x JOIN accounts a ON a.id = x.account_id WHERE 1=1" + o.ref("x") +
		" AND " + statusAt(A) + " GROUP BY COALESCE(a.segment_id, 0)")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seg int64
		var n int
		if err := rows.Scan(&seg, &n); err != nil {
			t.Fatal(err)
		}
		e.activeBySeg[seg] = n
	}
	rows.Close()

	// Activities done in the period, read through their reference.
	acts := " FROM activities y JOIN refs x ON x.id = y.ref_id WHERE y.state = 'done'" + o.ref("x") + inList("y.type_id", f.ActivityTypeIDs)
	rows, err = o.f.raw.Query("SELECT COUNT(*)" + acts + period("y.occurred_on") + " GROUP BY y.ref_id")
	if err != nil {
		t.Fatal(err)
	}
	var perRef []int
	total := 0
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		perRef = append(perRef, n)
		total += n
	}
	rows.Close()
	e.actsDone = total
	e.busyRefs = len(perRef)
	if total > 0 {
		sort.Sort(sort.Reverse(sort.IntSlice(perRef)))
		top := (len(perRef) + 9) / 10
		sum := 0
		for _, n := range perRef[:top] {
			sum += n
		}
		e.vals[vouch.MetricConcentration] = frac(sum, total)
	} else {
		e.vals[vouch.MetricConcentration] = nil
	}
	e.vals[vouch.MetricPointsAwarded] = nz(o.count(t, "SELECT COALESCE(SUM(y.points), 0)"+acts+period("y.occurred_on")))
	e.vals[vouch.MetricThankYousOutstanding] = nz(o.count(t, "SELECT COUNT(*)"+acts+" AND y.thank_you NOT IN ('', 'none') AND y.occurred_on <= "+A+
		" AND (y.thank_you_sent_on = '' OR y.thank_you_sent_on > "+A+")"))

	// Deals.
	deals := " FROM opportunities d WHERE 1=1" + o.deal("d") + inList("d.owner_id", f.OwnerIDs)
	closedIn := " AND d.status IN ('won','lost')" + period("d.close_date")
	wonInf := deals + " AND d.status = 'won'" + period("d.close_date") + " AND " + o.influenced("d", "d.close_date")
	e.revenue = o.money(t, "SELECT d.currency, SUM(d.amount), COUNT(*)"+wonInf+" GROUP BY d.currency")
	openAtEnd := " AND (d.status = 'open' OR (d.close_date <> '' AND d.close_date > " + A + ")) AND (d.created_on = '' OR d.created_on <= " + A + ")"
	e.pipeline = o.money(t, "SELECT d.currency, SUM(d.amount), COUNT(*)"+deals+openAtEnd+" AND "+o.influenced("d", A)+" GROUP BY d.currency")
	e.vals[vouch.MetricDealsInfluenced] = nz(o.count(t, "SELECT COUNT(*)"+wonInf))
	e.win[0] = o.count(t, "SELECT COUNT(*)"+deals+closedIn+" AND d.status = 'won' AND "+o.influenced("d", "d.close_date"))
	e.win[1] = o.count(t, "SELECT COUNT(*)"+deals+closedIn+" AND d.status = 'lost' AND "+o.influenced("d", "d.close_date"))
	e.win[2] = o.count(t, "SELECT COUNT(*)"+deals+closedIn+" AND d.status = 'won' AND NOT "+o.influenced("d", "d.close_date"))
	e.win[3] = o.count(t, "SELECT COUNT(*)"+deals+closedIn+" AND d.status = 'lost' AND NOT "+o.influenced("d", "d.close_date"))
	e.sizeWith = o.money(t, "SELECT d.currency, SUM(d.amount), COUNT(*)"+wonInf+" GROUP BY d.currency")
	e.sizeWout = o.money(t, "SELECT d.currency, SUM(d.amount), COUNT(*)"+deals+" AND d.status = 'won'"+period("d.close_date")+
		" AND NOT "+o.influenced("d", "d.close_date")+" GROUP BY d.currency")
	e.vals[vouch.MetricDaysToCloseWith] = pct(o.floats(t, "SELECT d.created_on, d.close_date"+wonInf+" AND d.created_on <> ''"), 0.5)
	e.vals[vouch.MetricDaysToCloseWithout] = pct(o.floats(t, "SELECT d.created_on, d.close_date"+deals+" AND d.status = 'won'"+period("d.close_date")+
		" AND NOT "+o.influenced("d", "d.close_date")+" AND d.created_on <> ''"), 0.5)
	e.revBySeg = map[int64]money{}
	rows, err = o.f.raw.Query("SELECT COALESCE(d.segment_id, 0), d.currency, SUM(d.amount), COUNT(*)" + wonInf + " GROUP BY COALESCE(d.segment_id, 0), d.currency")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seg int64
		var cur string
		var sum, n float64
		if err := rows.Scan(&seg, &cur, &sum, &n); err != nil {
			t.Fatal(err)
		}
		if e.revBySeg[seg] == nil {
			e.revBySeg[seg] = money{}
		}
		e.revBySeg[seg][cur] = [2]float64{sum / 100, n}
	}
	rows.Close()
	e.pipeBySeg = map[int64]money{}
	rows, err = o.f.raw.Query("SELECT COALESCE(d.segment_id, 0), d.currency, SUM(d.amount), COUNT(*)" + deals + openAtEnd + " AND " +
		o.influenced("d", A) + " GROUP BY COALESCE(d.segment_id, 0), d.currency")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seg int64
		var cur string
		var sum, n float64
		if err := rows.Scan(&seg, &cur, &sum, &n); err != nil {
			t.Fatal(err)
		}
		if e.pipeBySeg[seg] == nil {
			e.pipeBySeg[seg] = money{}
		}
		e.pipeBySeg[seg][cur] = [2]float64{sum / 100, n}
	}
	rows.Close()
	e.stages = o.stages(t, deals+closedIn)

	// Content and feedback.
	e.vals[vouch.MetricContentUses] = nz(o.count(t, "SELECT COUNT(*) FROM content_uses u WHERE 1=1"+o.rowDeal("u.opportunity_id")+
		inList("u.user_id", f.OwnerIDs)+period(dayOf("u.at"))))
	e.vals[vouch.MetricContentHelpfulness] = o.scalar(t, "SELECT AVG(CAST(g.rating AS REAL)) FROM content_ratings g WHERE 1=1"+o.rowDeal("g.opportunity_id")+
		inList("g.user_id", f.OwnerIDs)+period(dayOf("g.at")))
	e.vals[vouch.MetricContentCreated] = nz(o.count(t, "SELECT COUNT(*) FROM content_items c WHERE 1=1"+inList("c.owner_id", f.OwnerIDs)+period(dayOf("c.created_at"))))
	fb := " FROM feedback b JOIN asks k ON k.id = b.ask_id JOIN requests r ON r.id = k.request_id WHERE 1=1" + o.rowDeal("r.opportunity_id") +
		inList("r.activity_type_id", f.ActivityTypeIDs) + period(dayOf("b.created_at"))
	e.vals[vouch.MetricSellerSatisfaction] = o.scalar(t, "SELECT AVG(CAST(b.rating AS REAL))"+fb+inList("r.requester_id", f.OwnerIDs)+" AND b.source = 'seller'")
	e.vals[vouch.MetricAdvocateExperience] = o.scalar(t, "SELECT AVG(CAST(b.rating AS REAL))"+fb+inList("r.requester_id", f.OwnerIDs)+" AND b.source = 'advocate'")
	e.vals[vouch.MetricRequesterSatisfaction] = o.scalar(t, "SELECT AVG(CAST(b.rating AS REAL))"+fb+inList("r.assignee_id", f.OwnerIDs)+" AND b.source = 'seller'")
	return e
}

// stages counts the closed deals of the period by their stage at first
// request: the earliest request, activity or content use with a stage.
func (o *oracle) stages(t *testing.T, closedDeals string) map[string][4]int {
	t.Helper()
	rows, err := o.f.raw.Query(`SELECT opp, day, k, id, stage FROM (
		SELECT opportunity_id AS opp, ` + dayOf("created_at") + ` AS day, 0 AS k, id, opp_stage AS stage FROM requests WHERE opp_stage <> ''
		UNION ALL SELECT opportunity_id, occurred_on, 1, id, opp_stage FROM activities WHERE opp_stage <> '' AND opportunity_id IS NOT NULL
		UNION ALL SELECT opportunity_id, ` + dayOf("at") + `, 2, id, opp_stage FROM content_uses WHERE opp_stage <> '' AND opportunity_id IS NOT NULL
	) s ORDER BY opp, day, k, id`)
	if err != nil {
		t.Fatal(err)
	}
	first := map[int64]string{}
	for rows.Next() {
		var opp, k, id int64
		var day, stage string
		if err := rows.Scan(&opp, &day, &k, &id, &stage); err != nil {
			t.Fatal(err)
		}
		if _, ok := first[opp]; !ok {
			first[opp] = stage
		}
	}
	rows.Close()
	out := map[string][4]int{}
	rows, err = o.f.raw.Query("SELECT d.id, d.status, CASE WHEN " + o.influenced("d", "d.close_date") + " THEN 1 ELSE 0 END" + closedDeals)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status string
		var inf int
		if err := rows.Scan(&id, &status, &inf); err != nil {
			t.Fatal(err)
		}
		st, ok := first[id]
		if !ok {
			continue
		}
		c := out[st]
		i := 2 * (1 - inf)
		if status == "lost" {
			i++
		}
		c[i]++
		out[st] = c
	}
	return out
}

func ptrTo(v float64) *float64 { return &v }

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-6
}

func show(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.6g", *v)
}

func sameMoney(got map[string]*vouch.Money, want money, average bool) bool {
	if len(got) != len(want) {
		return false
	}
	for cur, w := range want {
		g := got[cur]
		if g == nil || g.Deals != int(w[1]) {
			return false
		}
		amount := w[0]
		if average {
			amount = math.Round(w[0]/w[1]*100) / 100
		}
		if math.Abs(g.Amount-amount) > 0.005 {
			return false
		}
	}
	return true
}

func showMoney(m map[string]*vouch.Money) string {
	var s []string
	for cur, x := range m {
		s = append(s, fmt.Sprintf("%s %.2f (%d)", cur, x.Amount, x.Deals))
	}
	sort.Strings(s)
	return "{" + strings.Join(s, ", ") + "}"
}

// wilson is the Wilson score interval of k successes in n at 95%, written
// out again from its textbook form.
func wilson(k, n int) (lo, hi float64) {
	const z = 1.959963984540054
	p, nn := float64(k)/float64(n), float64(n)
	centre := (2*nn*p + z*z) / (2 * (nn + z*z))
	half := z * math.Sqrt(z*z+4*nn*p*(1-p)) / (2 * (nn + z*z))
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

// newcombe is the lift's 95% interval by docs/metrics.md: Newcombe's
// hybrid score method over the two Wilson intervals.
func newcombe(wWon, wLost, oWon, oLost int) [2]float64 {
	p1, p2 := float64(wWon)/float64(wWon+wLost), float64(oWon)/float64(oWon+oLost)
	l1, u1 := wilson(wWon, wWon+wLost)
	l2, u2 := wilson(oWon, oWon+oLost)
	return [2]float64{p1 - p2 - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2)), p1 - p2 + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))}
}

// stageLift is the weighted lift over the stages with enough closed deals
// on both sides, stage s weighing n1·n2 ÷ (n1 + n2); nil when none has.
func stageLift(stages map[string][4]int) *float64 {
	var sum, weight float64
	for _, c := range stages {
		with, without := ratioRate(c[0], c[1]), ratioRate(c[2], c[3])
		if with == nil || without == nil {
			continue
		}
		n1, n2 := float64(c[0]+c[1]), float64(c[2]+c[3])
		sum += n1 * n2 / (n1 + n2) * (*with - *without)
		weight += n1 * n2 / (n1 + n2)
	}
	if weight == 0 {
		return nil
	}
	v := sum / weight
	return &v
}

func ratioRate(won, lost int) *float64 {
	if won+lost < vouch.MinClosedDeals {
		return nil
	}
	return frac(won, won+lost)
}

// TestEveryFigureMatchesPlainSQL writes a year of a program through the
// store and compares every scorecard figure, for several periods and
// filters, with the same figure computed by plain SQL.
func TestEveryFigureMatchesPlainSQL(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.randomData(t)
		f.subscribe(t)
		v := func(kind vouch.TaxonomyKind, name string) []int64 { return []int64{f.value(t, kind, name)} }
		filters := map[string]vouch.MetricFilter{
			"everything":          {},
			"Enterprise":          {SegmentIDs: v(vouch.TaxSegment, "Enterprise")},
			"Healthcare, Sally":   {IndustryIDs: v(vouch.TaxIndustry, "Healthcare"), OwnerIDs: []int64{f.sellers[0].ID}},
			"calls":               {ActivityTypeIDs: v(vouch.TaxActivityType, "Call")},
			"Analytics in EMEA":   {ProductIDs: v(vouch.TaxProduct, "Analytics"), RegionIDs: v(vouch.TaxRegion, "EMEA")},
			"Germany, large":      {CountryIDs: v(vouch.TaxCountry, "Germany"), SizeIDs: v(vouch.TaxCompanySize, "1,000+")},
			"Tom's (team member)": {OwnerIDs: []int64{f.team[0].ID}},
		}
		periods := map[string][2]vouch.Date{
			"2026":             {vouch.NewDate(2026, 1, 1), vouch.NewDate(2026, 12, 31)},
			"Q2 2026":          {vouch.NewDate(2026, 4, 1), vouch.NewDate(2026, 6, 30)},
			"November 2026":    {vouch.NewDate(2026, 11, 1), vouch.NewDate(2026, 11, 30)},
			"45 days":          {vouch.NewDate(2026, 5, 10), vouch.NewDate(2026, 6, 23)},
			"empty, long ago":  {vouch.NewDate(2020, 1, 1), vouch.NewDate(2020, 1, 31)},
			"first half, open": {vouch.NewDate(2026, 1, 1), vouch.NewDate(2026, 6, 30)},
		}
		compared := 0
		nonEmpty := map[vouch.MetricID]bool{}
		seen := map[string]bool{} // the figures beside the tiles that were more than — somewhere
		for fname, filter := range filters {
			for pname, p := range periods {
				q := vouch.MetricQuery{Filter: filter, From: p[0], To: p[1]}
				want := newOracle(f, q).compute(t)
				sc := f.model.Scorecard(q)
				where := pname + ", " + fname
				for id, w := range want.vals {
					var got vouch.MetricValue
					if tile, ok := sc.Tiles[id]; ok {
						got = tile.MetricValue
					} else {
						got = f.model.Metric(id, q)
					}
					if !near(got.Value, w) {
						t.Errorf("%s: %s = %s, plain SQL says %s", where, id, show(got.Value), show(w))
					}
					if w != nil {
						nonEmpty[id] = true
					}
					compared++
				}
				if !sameMoney(sc.RevenueInfluenced, want.revenue, false) {
					t.Errorf("%s: revenue influenced %s, plain SQL says %v", where, showMoney(sc.RevenueInfluenced), want.revenue)
				}
				if !sameMoney(sc.PipelineInfluenced, want.pipeline, false) {
					t.Errorf("%s: pipeline influenced %s, plain SQL says %v", where, showMoney(sc.PipelineInfluenced), want.pipeline)
				}
				if !sameMoney(sc.Tiles[vouch.MetricDealSizeWith].Money, want.sizeWith, true) || !sameMoney(sc.Tiles[vouch.MetricDealSizeWithout].Money, want.sizeWout, true) {
					t.Errorf("%s: deal sizes %s / %s, plain SQL says %v / %v", where, showMoney(sc.Tiles[vouch.MetricDealSizeWith].Money),
						showMoney(sc.Tiles[vouch.MetricDealSizeWithout].Money), want.sizeWith, want.sizeWout)
				}
				w := sc.WinRate
				if got := [4]int{w.With.Won, w.With.Lost, w.Without.Won, w.Without.Lost}; got != want.win {
					t.Errorf("%s: win rate counts %v, plain SQL says %v", where, got, want.win)
				}
				if !near(w.With.Rate, ratioRate(want.win[0], want.win[1])) || !near(w.Without.Rate, ratioRate(want.win[2], want.win[3])) ||
					!near(sc.Tiles[vouch.MetricWinRateWith].Value, ratioRate(want.win[0], want.win[1])) {
					t.Errorf("%s: win rates %s / %s", where, show(w.With.Rate), show(w.Without.Rate))
				}
				withRate, withoutRate := ratioRate(want.win[0], want.win[1]), ratioRate(want.win[2], want.win[3])
				if withRate != nil && withoutRate != nil {
					if w.Lift == nil || math.Abs(*w.Lift-(*withRate-*withoutRate)) > 1e-9 || w.CI95 == nil || w.CI95[0] > *w.Lift || w.CI95[1] < *w.Lift {
						t.Errorf("%s: lift %s ci %v, want %.4f inside its interval", where, show(w.Lift), w.CI95, *withRate-*withoutRate)
					}
					if ci := newcombe(want.win[0], want.win[1], want.win[2], want.win[3]); w.CI95 != nil &&
						(math.Abs(w.CI95[0]-ci[0]) > 1e-9 || math.Abs(w.CI95[1]-ci[1]) > 1e-9) {
						t.Errorf("%s: lift interval %v, Newcombe's method gives %v", where, *w.CI95, ci)
					}
				} else if w.Lift != nil || w.CI95 != nil {
					t.Errorf("%s: a lift %s with too few closed deals (%v)", where, show(w.Lift), want.win)
				}
				var wantLift *float64
				if withRate != nil && withoutRate != nil {
					wantLift = ptrTo(*withRate - *withoutRate)
				}
				if !near(sc.Tiles[vouch.MetricWinRateWithout].Value, withoutRate) || !near(sc.Tiles[vouch.MetricWinRateLift].Value, wantLift) {
					t.Errorf("%s: win rate tiles without %s, lift %s; plain SQL says %s, %s", where, show(sc.Tiles[vouch.MetricWinRateWithout].Value),
						show(sc.Tiles[vouch.MetricWinRateLift].Value), show(withoutRate), show(wantLift))
				}
				seen["lift"] = seen["lift"] || w.CI95 != nil
				seen["stage lift"] = seen["stage lift"] || w.StageLift != nil
				seen["pipeline by segment"] = seen["pipeline by segment"] || len(want.pipeBySeg) > 0
				if !near(w.StageLift, stageLift(want.stages)) {
					t.Errorf("%s: lift within the same stage %s, plain SQL says %s", where, show(w.StageLift), show(stageLift(want.stages)))
				}
				for _, s := range w.ByStage {
					c := want.stages[s.Stage]
					var lift *float64
					if a, b := ratioRate(c[0], c[1]), ratioRate(c[2], c[3]); a != nil && b != nil {
						lift = ptrTo(*a - *b)
					}
					if !near(s.Lift, lift) || !near(s.With.Rate, ratioRate(c[0], c[1])) || !near(s.Without.Rate, ratioRate(c[2], c[3])) {
						t.Errorf("%s: stage %s lift %s, plain SQL says %s", where, s.Stage, show(s.Lift), show(lift))
					}
				}
				gotStages := map[string][4]int{}
				for _, s := range w.ByStage {
					gotStages[s.Stage] = [4]int{s.With.Won, s.With.Lost, s.Without.Won, s.Without.Lost}
				}
				if fmt.Sprint(gotStages) != fmt.Sprint(want.stages) {
					t.Errorf("%s: by stage at request %v, plain SQL says %v", where, gotStages, want.stages)
				}
				gotActive := map[int64]int{}
				for _, s := range sc.ActiveBySegment {
					gotActive[s.ValueID] = s.Count
				}
				if fmt.Sprint(gotActive) != fmt.Sprint(want.activeBySeg) {
					t.Errorf("%s: active by segment %v, plain SQL says %v", where, gotActive, want.activeBySeg)
				}
				for _, s := range sc.RevenueBySegment {
					if !sameMoney(s.Money, want.revBySeg[s.ValueID], false) {
						t.Errorf("%s: revenue in segment %s %s, plain SQL says %v", where, s.Name, showMoney(s.Money), want.revBySeg[s.ValueID])
					}
				}
				if len(sc.RevenueBySegment) != len(want.revBySeg) {
					t.Errorf("%s: revenue in %d segments, plain SQL says %d", where, len(sc.RevenueBySegment), len(want.revBySeg))
				}
				for _, s := range sc.PipelineBySegment {
					if !sameMoney(s.Money, want.pipeBySeg[s.ValueID], false) {
						t.Errorf("%s: pipeline in segment %s %s, plain SQL says %v", where, s.Name, showMoney(s.Money), want.pipeBySeg[s.ValueID])
					}
				}
				if len(sc.PipelineBySegment) != len(want.pipeBySeg) {
					t.Errorf("%s: pipeline in %d segments, plain SQL says %d", where, len(sc.PipelineBySegment), len(want.pipeBySeg))
				}
				if !sameMoney(sc.Tiles[vouch.MetricRevenueInfluenced].Money, want.revenue, false) ||
					!sameMoney(sc.Tiles[vouch.MetricPipelineInfluenced].Money, want.pipeline, false) {
					t.Errorf("%s: money tiles %s / %s, plain SQL says %v / %v", where, showMoney(sc.Tiles[vouch.MetricRevenueInfluenced].Money),
						showMoney(sc.Tiles[vouch.MetricPipelineInfluenced].Money), want.revenue, want.pipeline)
				}
				// Each tile's change arrow compares with the previous period,
				// computed by plain SQL over that period.
				prev := newOracle(f, q.Previous()).compute(t)
				for id, tile := range sc.Tiles {
					seen["previous"] = seen["previous"] || tile.Previous.Value != nil
					if pw, ok := prev.vals[id]; ok && !near(tile.Previous.Value, pw) {
						t.Errorf("%s: %s in the previous period %s = %s, plain SQL says %s", where, id, q.Previous().From,
							show(tile.Previous.Value), show(pw))
					}
				}
				if !sameMoney(sc.Tiles[vouch.MetricRevenueInfluenced].Previous.Money, prev.revenue, false) ||
					!sameMoney(sc.Tiles[vouch.MetricPipelineInfluenced].Previous.Money, prev.pipeline, false) {
					t.Errorf("%s: money tiles of the previous period %s / %s, plain SQL says %v / %v", where,
						showMoney(sc.Tiles[vouch.MetricRevenueInfluenced].Previous.Money), showMoney(sc.Tiles[vouch.MetricPipelineInfluenced].Previous.Money),
						prev.revenue, prev.pipeline)
				}
				// Every figure's rows are the rows it was computed from.
				// Concentration and points list the references that did the
				// activities, busiest first.
				for _, d := range vouch.Metrics {
					v := f.model.Metric(d.ID, q)
					rows := f.model.Rows(d.ID, q, 0)
					switch d.ID {
					case vouch.MetricConcentration, vouch.MetricPointsAwarded:
						if len(rows) != want.busyRefs {
							t.Errorf("%s: %d rows behind %s, plain SQL counts %d references with activities", where, len(rows), d.ID, want.busyRefs)
						}
						prev, sum := math.MaxInt, 0
						for _, r := range rows {
							var n int
							if _, err := fmt.Sscanf(r.Note, "%d", &n); err != nil {
								t.Fatalf("%s: a row behind %s notes %q, not a number first", where, d.ID, r.Note)
							}
							if n > prev {
								t.Errorf("%s: the rows behind %s are not busiest first: %q after %d", where, d.ID, r.Note, prev)
							}
							prev, sum = n, sum+n
						}
						if sum != v.N {
							t.Errorf("%s: the rows behind %s add up to %d, the figure counts %d", where, d.ID, sum, v.N)
						}
					default:
						if len(rows) != v.N {
							t.Errorf("%s: %d rows behind %s, computed from %d", where, len(rows), d.ID, v.N)
						}
					}
				}
				// The rows behind a figure are as many as it counts.
				if n := len(f.model.Rows(vouch.MetricDealsInfluenced, q, 0)); !near(nz(n), want.vals[vouch.MetricDealsInfluenced]) {
					t.Errorf("%s: %d rows behind deals influenced, plain SQL counts %s", where, n, show(want.vals[vouch.MetricDealsInfluenced]))
				}
				if n := len(f.model.Rows(vouch.MetricRequestsReceived, q, 0)); !near(nz(n), want.vals[vouch.MetricRequestsReceived]) {
					t.Errorf("%s: %d rows behind requests received, plain SQL counts %s", where, n, show(want.vals[vouch.MetricRequestsReceived]))
				}
				if (pname == "2026" || pname == "November 2026") && (fname == "everything" || fname == "Enterprise" || fname == "calls") {
					if len(sc.Trend) != 12 {
						t.Errorf("%s: trend of %d months, want 12", where, len(sc.Trend))
					}
					for _, m := range sc.Trend {
						from, _ := vouch.ParseDate(m.Month + "-01")
						mq := vouch.MetricQuery{Filter: filter, From: from, To: from.AddDays(40).AddDays(-from.AddDays(40).Time().Day())}
						mw := newOracle(f, mq).compute(t)
						if !near(nz(m.Requests), mw.vals[vouch.MetricRequestsReceived]) || !near(nz(m.Fulfilled), mw.vals[vouch.MetricRequestsFulfilled]) ||
							m.Activities != mw.actsDone || !sameMoney(m.Revenue, mw.revenue, false) {
							t.Errorf("%s: trend %s = %d received, %d fulfilled, %d activities, revenue %s; plain SQL says %s, %s, %d, %v", where, m.Month,
								m.Requests, m.Fulfilled, m.Activities, showMoney(m.Revenue), show(mw.vals[vouch.MetricRequestsReceived]),
								show(mw.vals[vouch.MetricRequestsFulfilled]), mw.actsDone, mw.revenue)
						}
					}
				}
				if pname == "empty, long ago" {
					for id, tile := range sc.Tiles {
						if tile.Value != nil {
							t.Errorf("an empty period shows %s for %s, want —", show(tile.Value), id)
						}
					}
				}
			}
		}
		// The data is rich enough that every figure was non-empty somewhere.
		for id := range newOracle(f, vouch.MetricQuery{From: vouch.NewDate(2026, 1, 1), To: vouch.NewDate(2026, 12, 31)}).compute(t).vals {
			if !nonEmpty[id] {
				t.Errorf("%s was never more than — in the generated data", id)
			}
		}
		for _, what := range []string{"lift", "stage lift", "pipeline by segment", "previous"} {
			if !seen[what] {
				t.Errorf("the %s was never more than — in the generated data", what)
			}
		}
		t.Logf("%d figures compared", compared)
	})
}
