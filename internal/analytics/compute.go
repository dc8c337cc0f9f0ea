package analytics

import (
	"math"
	"slices"
	"strings"
	"sync"

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
	gNominations
	gAll = gRequests | gAsks | gRefs | gDeals | gContent | gFeedback | gNominations
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
	case vouch.MetricNominationsSubmitted, vouch.MetricNominationsQualified, vouch.MetricNominationsAccepted,
		vouch.MetricCampaignContactsReached, vouch.MetricCampaignNominations, vouch.MetricCampaignRecruits, vouch.MetricDriveItemsDone:
		return gNominations
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
	today vouch.Date

	// trend, when set, collects the scorecard's months in the same passes.
	trend *trendAcc

	ind, reg, cty, prod, seg, size, typ, own idSet
	segFilter                                bool // any of the six segment filters is set

	oppOK      []bool  // by deal id: passes the segment filters (nil: no segment filter)
	refPass    []bool  // by reference id: exists and passes the segment filters
	refOwnPass []bool  // and the owner filter
	inf        []int32 // by deal id: first influence day under the activity type filter (nil: the derived one)
}

func newCalc(d *data, ps vouch.ProgramSettings, q vouch.MetricQuery, today vouch.Date) *calc {
	f := q.Filter
	c := &calc{d: d, ps: ps, q: q, from: dayNum(q.From), to: dayNum(q.To), today: today,
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
		c.prepare()
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

// refActOK reports whether reference id exists, its account passes the
// segment filters and its owner the owner filter on the reference's owner.
func (c *calc) refActOK(id int32) bool {
	if id <= 0 || int(id) >= len(c.d.refs) {
		return false
	}
	if c.refOwnPass == nil {
		c.prepare()
	}
	return c.refOwnPass[id]
}

// prepare builds the per-query lookups the passes read: which deals and
// references pass the filters, and the first influence day under an
// activity type filter. The passes only read them, so they may run side by side.
func (c *calc) prepare() {
	d := c.d
	if c.segFilter && c.oppOK == nil {
		c.oppOK = make([]bool, len(d.opps))
		for i := range d.opps {
			o := &d.opps[i]
			c.oppOK[i] = o.status != oppGone && c.ind.has(o.industry) && c.reg.has(o.region) && c.cty.has(o.country) &&
				c.prod.has(o.product) && c.seg.has(o.segment) && c.size.has(o.size)
		}
	}
	if c.refPass == nil {
		c.refPass = make([]bool, len(d.refs))
		c.refOwnPass = make([]bool, len(d.refs))
		for i := range d.refs {
			c.refPass[i] = c.refSegOK(int32(i))
			c.refOwnPass[i] = c.refPass[i] && c.own.has(d.refs[i].owner)
		}
	}
	if c.typ != nil && c.inf == nil {
		c.inf = make([]int32, len(d.opps))
		for i := range c.inf {
			c.inf[i] = noDay
		}
		for i := range d.acts {
			a := &d.acts[i]
			if a.flags&actDone != 0 && a.flags&actLive != 0 && a.opp > 0 && int(a.opp) < len(c.inf) && c.typ.has(a.typ) && a.day < c.inf[a.opp] {
				c.inf[a.opp] = a.day
			}
		}
	}
}

func (c *calc) refSegOK(id int32) bool {
	r := &c.d.refs[id]
	if !r.live {
		return false
	}
	if !c.ind.has(r.industry) || !c.reg.has(r.region) || !c.cty.has(r.country) || !c.seg.has(r.segment) || !c.size.has(r.size) {
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
		c.prepare()
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

// span is one run of days a query counts over: the period, or the one
// before it, computed in the same pass.
type span struct {
	from, to int32
	asOf     int32 // the span's end, or today while it runs
	empty    bool  // to before from: nothing is in it
}

func (s *span) in(day int32) bool { return day != noDay && day >= s.from && day <= s.to }

func (c *calc) spanOf(q vouch.MetricQuery, today vouch.Date) span {
	s := span{from: dayNum(q.From), to: dayNum(q.To)}
	if q.From.IsZero() {
		s.from = math.MinInt32
	}
	s.empty = s.to < s.from
	s.asOf = s.to
	if t := dayNum(today); !today.IsZero() && t < s.asOf {
		s.asOf = t
	}
	return s
}

// compute answers the groups of metrics in q (and in each of more, the
// same filters over other runs of days), one pass over each kind of row.
func (c *calc) compute(groups group, more ...vouch.MetricQuery) *result {
	rs := c.computeAll(groups, more...)
	return rs[0]
}

func (c *calc) computeAll(groups group, more ...vouch.MetricQuery) []*result {
	spans := []span{{from: c.from, to: c.to, asOf: c.asOf, empty: c.empty}}
	for _, q := range more {
		spans = append(spans, c.spanOf(q, c.today))
	}
	// The lookups every pass reads are built first; then the passes run
	// side by side, each into results of its own, merged at the end.
	c.prepare()
	passes := []struct {
		g  group
		fn func([]span, []*result)
	}{{gRefs, c.references}, {gDeals, c.deals}, {gRequests, c.requests}, {gAsks, c.asks}, {gContent, c.content}, {gFeedback, c.feedback},
		{gNominations, c.nominations}}
	out := make([][]*result, len(passes))
	var wg sync.WaitGroup
	for i, p := range passes {
		if groups&p.g == 0 {
			continue
		}
		rs := make([]*result, len(spans))
		for k := range rs {
			rs[k] = &result{vals: map[vouch.MetricID]vouch.MetricValue{}}
		}
		out[i] = rs
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.fn(spans, rs)
		}()
	}
	wg.Wait()
	rs := make([]*result, len(spans))
	for k := range rs {
		r := &result{vals: map[vouch.MetricID]vouch.MetricValue{}}
		for _, part := range out {
			if part == nil {
				continue
			}
			x := part[k]
			for id, v := range x.vals {
				r.vals[id] = v
			}
			if x.revenue != nil {
				r.win, r.revenue, r.pipeline, r.revBySeg, r.pipeBySeg = x.win, x.revenue, x.pipeline, x.revBySeg, x.pipeBySeg
			}
			if x.activeBySeg != nil {
				r.activeBySeg = x.activeBySeg
			}
		}
		rs[k] = r
	}
	return rs
}

type reqAcc struct {
	received, fulfilled, closed, overdue, fulfilledBy int
	days                                              []float64
}

func (c *calc) requests(spans []span, rs []*result) {
	acc := make([]reqAcc, len(spans))
	completed := indexOf(reqStates, vouch.RequestCompleted)
	tr := c.trend
	for i := range c.d.reqs {
		q := &c.d.reqs[i]
		if q.state == 0 || !c.rowDealOK(q.opp) || !c.typ.has(q.typ) {
			continue
		}
		byAssignee := c.own.has(q.assignee)
		byRequester := c.own.has(q.requester)
		if byRequester && tr != nil {
			if k := tr.month(q.created); k >= 0 {
				tr.out[k].Requests++
			}
			if q.state == completed {
				if k := tr.month(q.closed); k >= 0 {
					tr.out[k].Fulfilled++
				}
			}
		}
		for k := range spans {
			s, a := &spans[k], &acc[k]
			if s.empty {
				continue
			}
			if byAssignee && q.state == completed && s.in(q.closed) {
				a.fulfilledBy++
			}
			if !byRequester {
				continue
			}
			if s.in(q.created) {
				a.received++
			}
			if s.in(q.closed) {
				a.closed++
				if q.state == completed {
					a.fulfilled++
					a.days = append(a.days, float64(q.closed-q.created))
				}
			}
			if q.created <= s.asOf && (q.closed == noDay || q.closed > s.asOf) && q.due != noDay && q.due < s.asOf {
				a.overdue++
			}
		}
	}
	for k, a := range acc {
		r := rs[k]
		r.vals[vouch.MetricRequestsReceived] = count(vouch.MetricRequestsReceived, a.received)
		r.vals[vouch.MetricRequestsFulfilled] = count(vouch.MetricRequestsFulfilled, a.fulfilled)
		r.vals[vouch.MetricFulfillmentRate] = fraction(vouch.MetricFulfillmentRate, a.fulfilled, a.closed)
		r.vals[vouch.MetricFulfilMedianDays] = percentile(vouch.MetricFulfilMedianDays, a.days, 0.5)
		r.vals[vouch.MetricFulfilP90Days] = percentile(vouch.MetricFulfilP90Days, a.days, 0.9)
		r.vals[vouch.MetricRequestsOverdue] = count(vouch.MetricRequestsOverdue, a.overdue)
		r.vals[vouch.MetricRequestsFulfilledBy] = count(vouch.MetricRequestsFulfilledBy, a.fulfilledBy)
	}
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

func (c *calc) asks(spans []span, rs []*result) {
	answered, accepted := make([]int, len(spans)), make([]int, len(spans))
	declined := indexOf(askStates, vouch.AskDeclined)
	for i := range c.d.asks {
		a := &c.d.asks[i]
		if a.state == 0 || a.answered == noDay {
			continue
		}
		var q *req
		for k := range spans {
			if !spans[k].in(a.answered) {
				continue
			}
			if q == nil {
				if q = c.askRequest(a, false); q == nil {
					break
				}
			}
			answered[k]++
			if a.state != declined {
				accepted[k]++
			}
		}
	}
	for k := range spans {
		rs[k].vals[vouch.MetricAskAcceptance] = fraction(vouch.MetricAskAcceptance, accepted[k], answered[k])
	}
}

type refAcc struct {
	perRef, window                    []int32
	windowFrom                        int32
	points, thanks                    int
	active, added, retired, stale, at int
	counts                            []int
	total                             int
}

func (c *calc) references(spans []span, rs []*result) {
	d := c.d
	acc := make([]refAcc, len(spans))
	for k := range acc {
		acc[k].perRef = make([]int32, len(d.refs))
		acc[k].window = make([]int32, len(d.refs))
		acc[k].windowFrom = spans[k].asOf - vouch.CapacityWindowDays + 1
	}
	tr := c.trend
	for i := range d.acts {
		a := &d.acts[i]
		if a.flags&actLive == 0 || a.ref <= 0 || int(a.ref) >= len(d.refs) {
			continue
		}
		for k := range acc {
			if a.day >= acc[k].windowFrom && a.day <= spans[k].asOf {
				acc[k].window[a.ref]++
			}
		}
		if a.flags&actDone == 0 || !c.typ.has(a.typ) || !c.refActOK(a.ref) {
			continue
		}
		if tr != nil {
			if k := tr.month(a.day); k >= 0 {
				tr.out[k].Activities++
			}
		}
		for k := range acc {
			s, x := &spans[k], &acc[k]
			if s.in(a.day) {
				x.perRef[a.ref]++
				x.points += int(a.points)
			}
			if a.flags&actThanks != 0 && a.day <= s.asOf && (a.sent == noDay || a.sent > s.asOf) {
				x.thanks++
			}
		}
	}
	for k := range rs {
		rs[k].activeBySeg = map[int32]int{}
	}
	for i := range d.refs {
		f := &d.refs[i]
		if !c.refActOK(int32(i)) {
			continue
		}
		evs := d.events[i]
		first := firstActive(evs)
		for k := range spans {
			s, x := &spans[k], &acc[k]
			if s.empty {
				continue
			}
			if n := x.perRef[i]; n > 0 {
				x.counts = append(x.counts, int(n))
				x.total += int(n)
			}
			if s.in(first) {
				x.added++
			}
			for _, e := range evs {
				if st := refStatuses[e.to]; s.in(e.day) && (st == vouch.StatusRetired || st == vouch.StatusDoNotContact) {
					x.retired++
					break
				}
			}
			if st, ok := statusAt(evs, s.asOf); ok && st == vouch.StatusActive {
				x.active++
				rs[k].activeBySeg[f.segment]++
				if stale(f.verified, s.asOf) {
					x.stale++
				}
				limit := f.capLimit
				if limit < 0 {
					limit = int32(c.ps.CapacityDefault)
				}
				if x.window[i] >= limit-1 {
					x.at++
				}
			}
		}
	}
	for k := range spans {
		r, x := rs[k], &acc[k]
		r.vals[vouch.MetricActiveReferences] = count(vouch.MetricActiveReferences, x.active)
		r.vals[vouch.MetricReferencesAdded] = count(vouch.MetricReferencesAdded, x.added)
		r.vals[vouch.MetricReferencesRecruited] = count(vouch.MetricReferencesRecruited, x.added)
		r.vals[vouch.MetricReferencesRetired] = count(vouch.MetricReferencesRetired, x.retired)
		r.vals[vouch.MetricReferencesStale] = count(vouch.MetricReferencesStale, x.stale)
		r.vals[vouch.MetricReferencesAtCapacity] = count(vouch.MetricReferencesAtCapacity, x.at)
		conc := vouch.MetricValue{Metric: vouch.MetricConcentration}
		if share, _, ok := vouch.TopShare(x.counts, 0.1); ok {
			conc.Value, conc.N = ptr(share), x.total
		}
		r.vals[vouch.MetricConcentration] = conc
		r.vals[vouch.MetricPointsAwarded] = count(vouch.MetricPointsAwarded, x.points)
		r.vals[vouch.MetricThankYousOutstanding] = count(vouch.MetricThankYousOutstanding, x.thanks)
		if spans[k].empty {
			r.vals[vouch.MetricThankYousOutstanding] = vouch.MetricValue{Metric: vouch.MetricThankYousOutstanding}
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

type dealAcc struct {
	sizeWith, sizeWithout    map[string]*vouch.Money
	daysWith, daysWithout    []float64
	wWon, wLost, oWon, oLost int
	stages                   map[uint16]*stageCount
}

func (c *calc) deals(spans []span, rs []*result) {
	d := c.d
	acc := make([]dealAcc, len(spans))
	for k := range acc {
		r := rs[k]
		r.revenue, r.pipeline = map[string]*vouch.Money{}, map[string]*vouch.Money{}
		r.revBySeg, r.pipeBySeg = map[int32]map[string]*vouch.Money{}, map[int32]map[string]*vouch.Money{}
		acc[k].sizeWith, acc[k].sizeWithout = map[string]*vouch.Money{}, map[string]*vouch.Money{}
		acc[k].stages = map[uint16]*stageCount{}
	}
	tr := c.trend
	for i := range d.opps {
		o := &d.opps[i]
		if o.status == oppGone || !c.dealOK(int32(i)) || !c.own.has(o.owner) {
			continue
		}
		inf := c.firstInf(i)
		cur := d.currencies[o.cur]
		closed := o.status != oppOpen
		influenced := inf <= o.close
		won := o.status == oppWon
		if tr != nil && won && influenced {
			if k := tr.month(o.close); k >= 0 {
				moneyAdd(tr.out[k].Revenue, cur, o.amount)
			}
		}
		for k := range spans {
			s, x, r := &spans[k], &acc[k], rs[k]
			if s.empty {
				continue
			}
			if closed && s.in(o.close) {
				var sc *stageCount
				if o.first != 0 {
					if sc = x.stages[o.first]; sc == nil {
						sc = &stageCount{}
						x.stages[o.first] = sc
					}
				}
				switch {
				case influenced && won:
					x.wWon++
					moneyAdd(r.revenue, cur, o.amount)
					bySeg(r.revBySeg, o.segment, cur, o.amount)
					moneyAdd(x.sizeWith, cur, o.amount)
					if o.created != noDay {
						x.daysWith = append(x.daysWith, float64(o.close-o.created))
					}
					if sc != nil {
						sc.withWon++
					}
				case influenced:
					x.wLost++
					if sc != nil {
						sc.withLost++
					}
				case won:
					x.oWon++
					moneyAdd(x.sizeWithout, cur, o.amount)
					if o.created != noDay {
						x.daysWithout = append(x.daysWithout, float64(o.close-o.created))
					}
					if sc != nil {
						sc.withoutWon++
					}
				default:
					x.oLost++
					if sc != nil {
						sc.withoutLost++
					}
				}
			}
			openAtEnd := o.status == oppOpen || (o.close != noDay && o.close > s.asOf)
			if openAtEnd && (o.created == noDay || o.created <= s.asOf) && inf <= s.asOf {
				moneyAdd(r.pipeline, cur, o.amount)
				bySeg(r.pipeBySeg, o.segment, cur, o.amount)
			}
		}
	}
	for k := range spans {
		c.dealFigures(rs[k], &acc[k], spans[k].empty)
	}
}

func (c *calc) dealFigures(r *result, x *dealAcc, empty bool) {
	d, ps := c.d, c.ps
	r.vals[vouch.MetricRevenueInfluenced] = moneyValue(vouch.MetricRevenueInfluenced, ps, r.revenue)
	r.vals[vouch.MetricPipelineInfluenced] = moneyValue(vouch.MetricPipelineInfluenced, ps, r.pipeline)
	r.vals[vouch.MetricDealsInfluenced] = count(vouch.MetricDealsInfluenced, x.wWon)
	r.vals[vouch.MetricDealSizeWith] = averageMoney(vouch.MetricDealSizeWith, ps, x.sizeWith)
	r.vals[vouch.MetricDealSizeWithout] = averageMoney(vouch.MetricDealSizeWithout, ps, x.sizeWithout)
	r.vals[vouch.MetricDaysToCloseWith] = percentile(vouch.MetricDaysToCloseWith, x.daysWith, 0.5)
	r.vals[vouch.MetricDaysToCloseWithout] = percentile(vouch.MetricDaysToCloseWithout, x.daysWithout, 0.5)
	wWon, wLost, oWon, oLost := x.wWon, x.wLost, x.oWon, x.oLost
	w := vouch.WinRate{With: ratio(wWon, wLost), Without: ratio(oWon, oLost), ByStage: []vouch.StageWinRate{}}
	if w.With.Rate != nil && w.Without.Rate != nil {
		diff, lo, hi, _ := vouch.DifferenceCI95(wWon, wWon+wLost, oWon, oWon+oLost)
		w.Lift, w.CI95 = ptr(diff), &[2]float64{lo, hi}
	}
	var lifts []float64
	var n1, n2 []int
	for st, sc := range x.stages {
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
		return strings.Compare(a.Stage, b.Stage)
	})
	// Lifts in stage order, so the weighted sum adds in the same order every time.
	lifts, n1, n2 = lifts[:0], n1[:0], n2[:0]
	for _, s := range w.ByStage {
		if s.Lift != nil {
			lifts = append(lifts, *s.Lift)
			n1, n2 = append(n1, s.With.Won+s.With.Lost), append(n2, s.Without.Won+s.Without.Lost)
		}
	}
	if l, ok := vouch.WeightedLift(lifts, n1, n2); ok {
		w.StageLift = ptr(l)
	}
	r.win = w
	r.vals[vouch.MetricWinRateWith] = vouch.MetricValue{Metric: vouch.MetricWinRateWith, Value: w.With.Rate, N: wWon + wLost}
	r.vals[vouch.MetricWinRateWithout] = vouch.MetricValue{Metric: vouch.MetricWinRateWithout, Value: w.Without.Rate, N: oWon + oLost}
	r.vals[vouch.MetricWinRateLift] = vouch.MetricValue{Metric: vouch.MetricWinRateLift, Value: w.Lift, N: wWon + wLost + oWon + oLost}
	_ = empty
}

func bySeg(m map[int32]map[string]*vouch.Money, seg int32, cur string, cents int64) {
	if m[seg] == nil {
		m[seg] = map[string]*vouch.Money{}
	}
	moneyAdd(m[seg], cur, cents)
}

func (c *calc) content(spans []span, rs []*result) {
	d := c.d
	n := len(spans)
	uses, ratings, sum, created := make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	for i := range d.uses {
		u := &d.uses[i]
		if !u.live || !c.rowDealOK(u.opp) || !c.own.has(u.user) {
			continue
		}
		for k := range spans {
			if spans[k].in(u.day) {
				uses[k]++
			}
		}
	}
	for i := range d.ratings {
		x := &d.ratings[i]
		if x.rating == 0 || !c.rowDealOK(x.opp) || !c.own.has(x.user) {
			continue
		}
		for k := range spans {
			if spans[k].in(x.day) {
				ratings[k]++
				sum[k] += int(x.rating)
			}
		}
	}
	for i := range d.contents {
		x := &d.contents[i]
		if !x.live || !c.own.has(x.owner) {
			continue
		}
		for k := range spans {
			if spans[k].in(x.created) {
				created[k]++
			}
		}
	}
	for k := range spans {
		r := rs[k]
		r.vals[vouch.MetricContentUses] = count(vouch.MetricContentUses, uses[k])
		r.vals[vouch.MetricContentHelpfulness] = average(vouch.MetricContentHelpfulness, sum[k], ratings[k])
		r.vals[vouch.MetricContentCreated] = count(vouch.MetricContentCreated, created[k])
	}
}

func (c *calc) feedback(spans []span, rs []*result) {
	d := c.d
	n := len(spans)
	sN, sSum, aN, aSum, rN, rSum := make([]int, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	for i := range d.fbs {
		f := &d.fbs[i]
		if f.rating == 0 || f.ask <= 0 || int(f.ask) >= len(d.asks) {
			continue
		}
		a := &d.asks[f.ask]
		var byRequester, byAssignee, looked bool
		for k := range spans {
			if !spans[k].in(f.day) {
				continue
			}
			if !looked {
				byRequester, byAssignee, looked = c.askRequest(a, false) != nil, f.seller && c.askRequest(a, true) != nil, true
			}
			if byRequester {
				if f.seller {
					sN[k], sSum[k] = sN[k]+1, sSum[k]+int(f.rating)
				} else {
					aN[k], aSum[k] = aN[k]+1, aSum[k]+int(f.rating)
				}
			}
			if byAssignee {
				rN[k], rSum[k] = rN[k]+1, rSum[k]+int(f.rating)
			}
		}
	}
	for k := range spans {
		r := rs[k]
		r.vals[vouch.MetricSellerSatisfaction] = average(vouch.MetricSellerSatisfaction, sSum[k], sN[k])
		r.vals[vouch.MetricAdvocateExperience] = average(vouch.MetricAdvocateExperience, aSum[k], aN[k])
		r.vals[vouch.MetricRequesterSatisfaction] = average(vouch.MetricRequesterSatisfaction, rSum[k], rN[k])
	}
}

// stale reports whether a reference last verified on verified is stale at
// the end of day asOf: not verified within the StaleAfterDays before it.
func stale(verified, asOf int32) bool {
	return verified == noDay || verified > asOf || verified < asOf-vouch.StaleAfterDays
}
