package analytics

import (
	"math"
	"slices"

	"github.com/vouchhq/vouch/internal/vouch"
)

// A query is answered by passes over the rows of the groups its metrics
// need; each pass reads every row of its kind once.
type group uint8

const (
	gRequests group = 1 << iota
	gAsks
	gRefs // references and their activities
	gDeals
	gContent
	gFeedback
	gAll = gRequests | gAsks | gRefs | gDeals | gContent | gFeedback
)

// groupOf is the pass a metric is computed in.
func groupOf(id vouch.MetricID) group {
	switch id {
	case vouch.MetricRequestsReceived, vouch.MetricRequestsFulfilled, vouch.MetricFulfillmentRate, vouch.MetricFulfilMedianDays,
		vouch.MetricFulfilP90Days, vouch.MetricRequestsOverdue, vouch.MetricRequestsFulfilledBy:
		return gRequests
	case vouch.MetricAskAcceptance:
		return gAsks
	case vouch.MetricActiveReferences, vouch.MetricReferencesAdded, vouch.MetricReferencesRetired, vouch.MetricReferencesStale,
		vouch.MetricReferencesAtCapacity, vouch.MetricConcentration, vouch.MetricPointsAwarded, vouch.MetricThankYousOutstanding,
		vouch.MetricReferencesRecruited:
		return gRefs
	case vouch.MetricRevenueInfluenced, vouch.MetricPipelineInfluenced, vouch.MetricDealsInfluenced, vouch.MetricWinRateWith,
		vouch.MetricWinRateWithout, vouch.MetricWinRateLift, vouch.MetricDealSizeWith, vouch.MetricDealSizeWithout,
		vouch.MetricDaysToCloseWith, vouch.MetricDaysToCloseWithout:
		return gDeals
	case vouch.MetricContentUses, vouch.MetricContentHelpfulness, vouch.MetricContentCreated:
		return gContent
	case vouch.MetricSellerSatisfaction, vouch.MetricAdvocateExperience, vouch.MetricRequesterSatisfaction:
		return gFeedback
	}
	return 0
}

// idSet is a filter list as a lookup by id; nil selects everything.
type idSet []bool

func newIDSet(ids []int64) idSet {
	if len(ids) == 0 {
		return nil
	}
	n := 0
	for _, id := range ids {
		if id > 0 && id <= maxID {
			n = max(n, int(id)+1)
		}
	}
	s := make(idSet, max(n, 1))
	for _, id := range ids {
		if id > 0 && id <= maxID {
			s[id] = true
		}
	}
	return s
}

func (s idSet) has(id int32) bool { return s == nil || (id > 0 && int(id) < len(s) && s[id]) }

// calc is one query being answered.
type calc struct {
	d     *data
	ps    vouch.ProgramSettings
	q     vouch.MetricQuery
	from  int32
	to    int32
	asOf  int32 // the period's end, or today while the period runs
	empty bool  // To before From: nothing is in the period

	ind, reg, cty, prod, seg, size, typ, own idSet
	segFilter                                bool // any of the six segment filters is set

	oppOK []bool  // by deal id: passes the segment filters (nil: no segment filter)
	inf   []int32 // by deal id: first influence day under the activity type filter (nil: the derived one)
}

func newCalc(d *data, ps vouch.ProgramSettings, q vouch.MetricQuery, today vouch.Date) *calc {
	f := q.Filter
	c := &calc{d: d, ps: ps, q: q, from: dayNum(q.From), to: dayNum(q.To),
		ind: newIDSet(f.IndustryIDs), reg: newIDSet(f.RegionIDs), cty: newIDSet(f.CountryIDs), prod: newIDSet(f.ProductIDs),
		seg: newIDSet(f.SegmentIDs), size: newIDSet(f.SizeIDs), typ: newIDSet(f.ActivityTypeIDs), own: newIDSet(f.OwnerIDs)}
	if q.From.IsZero() {
		c.from = math.MinInt32
	}
	c.empty = c.to < c.from
	c.asOf = c.to
	if t := dayNum(today); !today.IsZero() && t < c.asOf {
		c.asOf = t
	}
	c.segFilter = c.ind != nil || c.reg != nil || c.cty != nil || c.prod != nil || c.seg != nil || c.size != nil
	return c
}

func (c *calc) in(day int32) bool { return day != noDay && day >= c.from && day <= c.to }

// dealOK reports whether deal id exists and passes the segment filters.
func (c *calc) dealOK(id int32) bool {
	if id <= 0 || int(id) >= len(c.d.opps) || c.d.opps[id].status == oppGone {
		return false
	}
	if !c.segFilter {
		return true
	}
	if c.oppOK == nil {
		c.oppOK = make([]bool, len(c.d.opps))
		for i := range c.d.opps {
			o := &c.d.opps[i]
			c.oppOK[i] = o.status != oppGone && c.ind.has(o.industry) && c.reg.has(o.region) && c.cty.has(o.country) &&
				c.prod.has(o.product) && c.seg.has(o.segment) && c.size.has(o.size)
		}
	}
	return c.oppOK[id]
}

// rowDealOK is the segment filter for a row tied to a deal (0: none): with
// a segment filter set, a row without a deal is left out.
func (c *calc) rowDealOK(id int32) bool {
	if !c.segFilter {
		return true
	}
	return c.dealOK(id)
}

// refOK reports whether reference id exists and its account passes the segment filters.
func (c *calc) refOK(id int32) bool {
	if id <= 0 || int(id) >= len(c.d.refs) || !c.d.refs[id].live {
		return false
	}
	r := &c.d.refs[id]
	if !(c.ind.has(r.industry) && c.reg.has(r.region) && c.cty.has(r.country) && c.seg.has(r.segment) && c.size.has(r.size)) {
		return false
	}
	if c.prod != nil {
		for _, p := range c.d.refProds[id] {
			if c.prod.has(p) {
				return true
			}
		}
		return false
	}
	return true
}

// firstInf is deal id's first influence day: with an activity type filter,
// only done activities of those types count (content uses do not).
func (c *calc) firstInf(id int) int32 {
	if c.typ == nil {
		return c.d.opps[id].firstInf
	}
	if c.inf == nil {
		c.inf = make([]int32, len(c.d.opps))
		for i := range c.inf {
			c.inf[i] = noDay
		}
		for i := range c.d.acts {
			a := &c.d.acts[i]
			if a.flags&actDone != 0 && a.flags&actLive != 0 && a.opp > 0 && int(a.opp) < len(c.inf) && c.typ.has(a.typ) && a.day < c.inf[a.opp] {
				c.inf[a.opp] = a.day
			}
		}
	}
	return c.inf[id]
}

// statusAt is a reference's status at the end of day, from its history: a
// rest that has ended counts as active. ok is false before its first event.
func statusAt(evs []statusEvent, day int32) (vouch.Status, bool) {
	var last *statusEvent
	for i := range evs {
		if evs[i].day > day {
			break
		}
		last = &evs[i]
	}
	if last == nil {
		return "", false
	}
	st := refStatuses[last.to]
	if st == vouch.StatusResting && last.until != noDay && last.until <= day {
		return vouch.StatusActive, true
	}
	return st, true
}

// firstActive is the day a reference first became active (noDay: never).
func firstActive(evs []statusEvent) int32 {
	for _, e := range evs {
		if refStatuses[e.to] == vouch.StatusActive {
			return e.day
		}
	}
	return noDay
}

// result holds a query's figures.
type result struct {
	vals     map[vouch.MetricID]vouch.MetricValue
	win      vouch.WinRate
	revenue  map[string]*vouch.Money
	pipeline map[string]*vouch.Money
	// by the deal's (revenue, pipeline) or the reference account's segment
	revBySeg    map[int32]map[string]*vouch.Money
	pipeBySeg   map[int32]map[string]*vouch.Money
	activeBySeg map[int32]int
}

func ptr(f float64) *float64 { return &f }

// count is a count metric. A count of nothing is nil ("—", there is
// nothing to show); N still says 0.
func count(id vouch.MetricID, n int) vouch.MetricValue {
	v := vouch.MetricValue{Metric: id, N: n}
	if n > 0 {
		v.Value = ptr(float64(n))
	}
	return v
}

// fraction is num/den, nil when den is 0.
func fraction(id vouch.MetricID, num, den int) vouch.MetricValue {
	v := vouch.MetricValue{Metric: id, N: den}
	if den > 0 {
		v.Value = ptr(float64(num) / float64(den))
	}
	return v
}

func average(id vouch.MetricID, sum, n int) vouch.MetricValue { return fraction(id, sum, n) }

func percentile(id vouch.MetricID, xs []float64, p float64) vouch.MetricValue {
	v := vouch.MetricValue{Metric: id, N: len(xs)}
	if x, ok := vouch.Percentile(append([]float64(nil), xs...), p); ok {
		v.Value = ptr(x)
	}
	return v
}

// compute answers the groups of metrics in q.
func (c *calc) compute(groups group) *result {
	r := &result{vals: map[vouch.MetricID]vouch.MetricValue{}}
	if groups&gRequests != 0 {
		c.requests(r)
	}
	if groups&gAsks != 0 {
		c.asks(r)
	}
	if groups&gRefs != 0 {
		c.references(r)
	}
	if groups&gDeals != 0 {
		c.deals(r)
	}
	if groups&gContent != 0 {
		c.content(r)
	}
	if groups&gFeedback != 0 {
		c.feedback(r)
	}
	return r
}

func (c *calc) requests(r *result) {
	received, fulfilled, closed, overdue, fulfilledBy := 0, 0, 0, 0, 0
	var days []float64
	completed := indexOf(reqStates, vouch.RequestCompleted)
	for i := range c.d.reqs {
		q := &c.d.reqs[i]
		if q.state == 0 || c.empty || !c.rowDealOK(q.opp) || !c.typ.has(q.typ) {
			continue
		}
		if c.own.has(q.assignee) && q.state == completed && c.in(q.closed) {
			fulfilledBy++
		}
		if !c.own.has(q.requester) {
			continue
		}
		if c.in(q.created) {
			received++
		}
		if c.in(q.closed) {
			closed++
			if q.state == completed {
				fulfilled++
				days = append(days, float64(q.closed-q.created))
			}
		}
		if q.created <= c.asOf && (q.closed == noDay || q.closed > c.asOf) && q.due != noDay && q.due < c.asOf {
			overdue++
		}
	}
	r.vals[vouch.MetricRequestsReceived] = count(vouch.MetricRequestsReceived, received)
	r.vals[vouch.MetricRequestsFulfilled] = count(vouch.MetricRequestsFulfilled, fulfilled)
	r.vals[vouch.MetricFulfillmentRate] = fraction(vouch.MetricFulfillmentRate, fulfilled, closed)
	r.vals[vouch.MetricFulfilMedianDays] = percentile(vouch.MetricFulfilMedianDays, days, 0.5)
	r.vals[vouch.MetricFulfilP90Days] = percentile(vouch.MetricFulfilP90Days, days, 0.9)
	r.vals[vouch.MetricRequestsOverdue] = count(vouch.MetricRequestsOverdue, overdue)
	r.vals[vouch.MetricRequestsFulfilledBy] = count(vouch.MetricRequestsFulfilledBy, fulfilledBy)
}

// askRequest is the request of an ask, nil when it is gone or filtered out.
func (c *calc) askRequest(a *ask, byAssignee bool) *req {
	if a.state == 0 || a.request <= 0 || int(a.request) >= len(c.d.reqs) {
		return nil
	}
	q := &c.d.reqs[a.request]
	if q.state == 0 || !c.rowDealOK(q.opp) || !c.typ.has(q.typ) {
		return nil
	}
	if byAssignee {
		if !c.own.has(q.assignee) {
			return nil
		}
	} else if !c.own.has(q.requester) {
		return nil
	}
	return q
}

func (c *calc) asks(r *result) {
	answered, accepted := 0, 0
	declined := indexOf(askStates, vouch.AskDeclined)
	for i := range c.d.asks {
		a := &c.d.asks[i]
		if a.state == 0 || !c.in(a.answered) || c.askRequest(a, false) == nil {
			continue
		}
		answered++
		if a.state != declined {
			accepted++
		}
	}
	r.vals[vouch.MetricAskAcceptance] = fraction(vouch.MetricAskAcceptance, accepted, answered)
}

func (c *calc) references(r *result) {
	d := c.d
	perRef := make([]int32, len(d.refs)) // done activities in the period
	window := make([]int32, len(d.refs)) // activities in the capacity window ending asOf
	windowFrom := c.asOf - vouch.CapacityWindowDays + 1
	points, thanks := 0, 0
	for i := range d.acts {
		a := &d.acts[i]
		if a.flags&actLive == 0 || a.ref <= 0 || int(a.ref) >= len(d.refs) {
			continue
		}
		if a.day >= windowFrom && a.day <= c.asOf {
			window[a.ref]++
		}
		if a.flags&actDone == 0 || !c.typ.has(a.typ) || !c.refOK(a.ref) || !c.own.has(d.refs[a.ref].owner) {
			continue
		}
		if c.in(a.day) {
			perRef[a.ref]++
			points += int(a.points)
		}
		if a.flags&actThanks != 0 && a.day <= c.asOf && (a.sent == noDay || a.sent > c.asOf) {
			thanks++
		}
	}
	active, added, retired, stale, atCap := 0, 0, 0, 0, 0
	r.activeBySeg = map[int32]int{}
	var counts []int
	totalActs := 0
	for i := range d.refs {
		f := &d.refs[i]
		if !f.live || !c.refOK(int32(i)) || !c.own.has(f.owner) {
			continue
		}
		if n := perRef[i]; n > 0 {
			counts = append(counts, int(n))
			totalActs += int(n)
		}
		if c.empty {
			continue
		}
		evs := d.events[i]
		if c.in(firstActive(evs)) {
			added++
		}
		for _, e := range evs {
			if st := refStatuses[e.to]; c.in(e.day) && (st == vouch.StatusRetired || st == vouch.StatusDoNotContact) {
				retired++
				break
			}
		}
		if st, ok := statusAt(evs, c.asOf); ok && st == vouch.StatusActive {
			active++
			r.activeBySeg[f.segment]++
			if !(f.verified != noDay && f.verified <= c.asOf && f.verified >= c.asOf-vouch.StaleAfterDays) {
				stale++
			}
			limit := f.capLimit
			if limit < 0 {
				limit = int32(c.ps.CapacityDefault)
			}
			if window[i] >= limit-1 {
				atCap++
			}
		}
	}
	if c.empty {
		counts = nil
	}
	r.vals[vouch.MetricActiveReferences] = count(vouch.MetricActiveReferences, active)
	r.vals[vouch.MetricReferencesAdded] = count(vouch.MetricReferencesAdded, added)
	r.vals[vouch.MetricReferencesRecruited] = count(vouch.MetricReferencesRecruited, added)
	r.vals[vouch.MetricReferencesRetired] = count(vouch.MetricReferencesRetired, retired)
	r.vals[vouch.MetricReferencesStale] = count(vouch.MetricReferencesStale, stale)
	r.vals[vouch.MetricReferencesAtCapacity] = count(vouch.MetricReferencesAtCapacity, atCap)
	conc := vouch.MetricValue{Metric: vouch.MetricConcentration}
	if share, _, ok := vouch.TopShare(counts, 0.1); ok {
		conc.Value, conc.N = ptr(share), totalActs
	}
	r.vals[vouch.MetricConcentration] = conc
	r.vals[vouch.MetricPointsAwarded] = count(vouch.MetricPointsAwarded, points)
	r.vals[vouch.MetricThankYousOutstanding] = count(vouch.MetricThankYousOutstanding, thanks)
	if c.empty {
		for _, id := range []vouch.MetricID{vouch.MetricPointsAwarded, vouch.MetricThankYousOutstanding} {
			r.vals[id] = vouch.MetricValue{Metric: id}
		}
	}
}

// moneyAdd adds cents of currency cur to m as one deal.
func moneyAdd(m map[string]*vouch.Money, cur string, cents int64) {
	x := m[cur]
	if x == nil {
		x = &vouch.Money{Currency: cur}
		m[cur] = x
	}
	x.Amount += float64(cents) / 100
	x.Deals++
}

// convert is the total of m in the report currency, nil unless every
// currency has a rate (or m is empty).
func convert(ps vouch.ProgramSettings, m map[string]*vouch.Money) *vouch.Money {
	if len(m) == 0 || ps.ReportCurrency == "" {
		return nil
	}
	out := &vouch.Money{Currency: ps.ReportCurrency}
	for cur, x := range m {
		rate, ok := ps.Converts(cur)
		if !ok {
			return nil
		}
		out.Amount += x.Amount * rate
		out.Deals += x.Deals
	}
	out.Amount = math.Round(out.Amount*100) / 100
	return out
}

// moneyValue is a money metric: per currency, converted when rates allow;
// Value is the converted total, or the amount when only one currency is
// present; nil when no deal counts or currencies cannot be added.
func moneyValue(id vouch.MetricID, ps vouch.ProgramSettings, m map[string]*vouch.Money) vouch.MetricValue {
	v := vouch.MetricValue{Metric: id}
	if len(m) == 0 {
		return v
	}
	v.Money = m
	for _, x := range m {
		v.N += x.Deals
	}
	v.Converted = convert(ps, m)
	switch {
	case v.Converted != nil:
		v.Value = ptr(v.Converted.Amount)
	case len(m) == 1:
		for _, x := range m {
			v.Value = ptr(x.Amount)
		}
	}
	return v
}

// averageMoney is a per-currency average of m's sums (Amount ÷ Deals).
func averageMoney(id vouch.MetricID, ps vouch.ProgramSettings, m map[string]*vouch.Money) vouch.MetricValue {
	v := vouch.MetricValue{Metric: id}
	if len(m) == 0 {
		return v
	}
	total := convert(ps, m)
	avg := map[string]*vouch.Money{}
	for cur, x := range m {
		avg[cur] = &vouch.Money{Currency: cur, Amount: math.Round(x.Amount/float64(x.Deals)*100) / 100, Deals: x.Deals}
		v.N += x.Deals
	}
	v.Money = avg
	if total != nil {
		v.Converted = &vouch.Money{Currency: total.Currency, Amount: math.Round(total.Amount/float64(total.Deals)*100) / 100, Deals: total.Deals}
		v.Value = ptr(v.Converted.Amount)
	} else if len(avg) == 1 {
		for _, x := range avg {
			v.Value = ptr(x.Amount)
		}
	}
	return v
}

// ratio is won out of won + lost, its rate nil below MinClosedDeals.
func ratio(won, lost int) vouch.Ratio {
	r := vouch.Ratio{Won: won, Lost: lost}
	if won+lost >= vouch.MinClosedDeals {
		r.Rate = ptr(float64(won) / float64(won+lost))
	}
	return r
}

type stageCount struct{ withWon, withLost, withoutWon, withoutLost int }

func (c *calc) deals(r *result) {
	d := c.d
	r.revenue, r.pipeline = map[string]*vouch.Money{}, map[string]*vouch.Money{}
	r.revBySeg, r.pipeBySeg = map[int32]map[string]*vouch.Money{}, map[int32]map[string]*vouch.Money{}
	sizeWith, sizeWithout := map[string]*vouch.Money{}, map[string]*vouch.Money{}
	var daysWith, daysWithout []float64
	wWon, wLost, oWon, oLost := 0, 0, 0, 0
	stages := map[uint16]*stageCount{}
	for i := range d.opps {
		o := &d.opps[i]
		if o.status == oppGone || c.empty || !c.dealOK(int32(i)) || !c.own.has(o.owner) {
			continue
		}
		inf := c.firstInf(i)
		cur := d.currencies[o.cur]
		closed := o.status != oppOpen
		if closed && c.in(o.close) {
			influenced := inf <= o.close
			won := o.status == oppWon
			var sc *stageCount
			if o.first != 0 {
				if sc = stages[o.first]; sc == nil {
					sc = &stageCount{}
					stages[o.first] = sc
				}
			}
			switch {
			case influenced && won:
				wWon++
				moneyAdd(r.revenue, cur, o.amount)
				bySeg(r.revBySeg, o.segment, cur, o.amount)
				moneyAdd(sizeWith, cur, o.amount)
				if o.created != noDay {
					daysWith = append(daysWith, float64(o.close-o.created))
				}
				if sc != nil {
					sc.withWon++
				}
			case influenced:
				wLost++
				if sc != nil {
					sc.withLost++
				}
			case won:
				oWon++
				moneyAdd(sizeWithout, cur, o.amount)
				if o.created != noDay {
					daysWithout = append(daysWithout, float64(o.close-o.created))
				}
				if sc != nil {
					sc.withoutWon++
				}
			default:
				oLost++
				if sc != nil {
					sc.withoutLost++
				}
			}
		}
		openAtEnd := o.status == oppOpen || (o.close != noDay && o.close > c.asOf)
		if openAtEnd && (o.created == noDay || o.created <= c.asOf) && inf <= c.asOf {
			moneyAdd(r.pipeline, cur, o.amount)
			bySeg(r.pipeBySeg, o.segment, cur, o.amount)
		}
	}
	ps := c.ps
	r.vals[vouch.MetricRevenueInfluenced] = moneyValue(vouch.MetricRevenueInfluenced, ps, r.revenue)
	r.vals[vouch.MetricPipelineInfluenced] = moneyValue(vouch.MetricPipelineInfluenced, ps, r.pipeline)
	deals := vouch.MetricValue{Metric: vouch.MetricDealsInfluenced}
	if !c.empty {
		deals = count(vouch.MetricDealsInfluenced, wWon)
	}
	r.vals[vouch.MetricDealsInfluenced] = deals
	r.vals[vouch.MetricDealSizeWith] = averageMoney(vouch.MetricDealSizeWith, ps, sizeWith)
	r.vals[vouch.MetricDealSizeWithout] = averageMoney(vouch.MetricDealSizeWithout, ps, sizeWithout)
	r.vals[vouch.MetricDaysToCloseWith] = percentile(vouch.MetricDaysToCloseWith, daysWith, 0.5)
	r.vals[vouch.MetricDaysToCloseWithout] = percentile(vouch.MetricDaysToCloseWithout, daysWithout, 0.5)

	w := vouch.WinRate{With: ratio(wWon, wLost), Without: ratio(oWon, oLost), ByStage: []vouch.StageWinRate{}}
	if w.With.Rate != nil && w.Without.Rate != nil {
		diff, lo, hi, _ := vouch.DifferenceCI95(wWon, wWon+wLost, oWon, oWon+oLost)
		w.Lift, w.CI95 = ptr(diff), &[2]float64{lo, hi}
	}
	var lifts []float64
	var n1, n2 []int
	for st, sc := range stages {
		s := vouch.StageWinRate{Stage: d.stages[st], With: ratio(sc.withWon, sc.withLost), Without: ratio(sc.withoutWon, sc.withoutLost)}
		if s.With.Rate != nil && s.Without.Rate != nil {
			s.Lift = ptr(*s.With.Rate - *s.Without.Rate)
			lifts = append(lifts, *s.Lift)
			n1, n2 = append(n1, sc.withWon+sc.withLost), append(n2, sc.withoutWon+sc.withoutLost)
		}
		w.ByStage = append(w.ByStage, s)
	}
	slices.SortFunc(w.ByStage, func(a, b vouch.StageWinRate) int {
		na, nb := a.With.Won+a.With.Lost+a.Without.Won+a.Without.Lost, b.With.Won+b.With.Lost+b.Without.Won+b.Without.Lost
		if na != nb {
			return nb - na
		}
		if a.Stage < b.Stage {
			return -1
		}
		if a.Stage > b.Stage {
			return 1
		}
		return 0
	})
	if l, ok := vouch.WeightedLift(lifts, n1, n2); ok {
		w.StageLift = ptr(l)
	}
	r.win = w
	r.vals[vouch.MetricWinRateWith] = vouch.MetricValue{Metric: vouch.MetricWinRateWith, Value: w.With.Rate, N: wWon + wLost}
	r.vals[vouch.MetricWinRateWithout] = vouch.MetricValue{Metric: vouch.MetricWinRateWithout, Value: w.Without.Rate, N: oWon + oLost}
	r.vals[vouch.MetricWinRateLift] = vouch.MetricValue{Metric: vouch.MetricWinRateLift, Value: w.Lift, N: wWon + wLost + oWon + oLost}
}

func bySeg(m map[int32]map[string]*vouch.Money, seg int32, cur string, cents int64) {
	if m[seg] == nil {
		m[seg] = map[string]*vouch.Money{}
	}
	moneyAdd(m[seg], cur, cents)
}

func (c *calc) content(r *result) {
	d := c.d
	uses, ratings, sum, created := 0, 0, 0, 0
	if !c.empty {
		for i := range d.uses {
			u := &d.uses[i]
			if u.live && c.in(u.day) && c.rowDealOK(u.opp) && c.own.has(u.user) {
				uses++
			}
		}
		for i := range d.ratings {
			x := &d.ratings[i]
			if x.rating != 0 && c.in(x.day) && c.rowDealOK(x.opp) && c.own.has(x.user) {
				ratings++
				sum += int(x.rating)
			}
		}
		for i := range d.contents {
			x := &d.contents[i]
			if x.live && c.in(x.created) && c.own.has(x.owner) {
				created++
			}
		}
	}
	r.vals[vouch.MetricContentUses] = count(vouch.MetricContentUses, uses)
	r.vals[vouch.MetricContentHelpfulness] = average(vouch.MetricContentHelpfulness, sum, ratings)
	r.vals[vouch.MetricContentCreated] = count(vouch.MetricContentCreated, created)
	if c.empty {
		for _, id := range []vouch.MetricID{vouch.MetricContentUses, vouch.MetricContentCreated} {
			r.vals[id] = vouch.MetricValue{Metric: id}
		}
	}
}

func (c *calc) feedback(r *result) {
	d := c.d
	var sN, sSum, aN, aSum, rN, rSum int
	for i := range d.fbs {
		f := &d.fbs[i]
		if f.rating == 0 || !c.in(f.day) || f.ask <= 0 || int(f.ask) >= len(d.asks) {
			continue
		}
		a := &d.asks[f.ask]
		if c.askRequest(a, false) != nil {
			if f.seller {
				sN, sSum = sN+1, sSum+int(f.rating)
			} else {
				aN, aSum = aN+1, aSum+int(f.rating)
			}
		}
		if f.seller && c.askRequest(a, true) != nil {
			rN, rSum = rN+1, rSum+int(f.rating)
		}
	}
	r.vals[vouch.MetricSellerSatisfaction] = average(vouch.MetricSellerSatisfaction, sSum, sN)
	r.vals[vouch.MetricAdvocateExperience] = average(vouch.MetricAdvocateExperience, aSum, aN)
	r.vals[vouch.MetricRequesterSatisfaction] = average(vouch.MetricRequesterSatisfaction, rSum, rN)
}
