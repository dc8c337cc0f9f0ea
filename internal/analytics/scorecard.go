package analytics

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// today is the day "at the period's end" stops at while a period runs.
func (m *Model) today() vouch.Date {
	if m.db != nil && m.db.Clock != nil {
		return m.db.Clock.Today()
	}
	return vouch.DateOf(time.Now())
}

func (m *Model) calc(q vouch.MetricQuery) *calc {
	return newCalc(m.d, m.programSettings(), q, m.today())
}

// Metric computes one metric over q.
func (m *Model) Metric(id vouch.MetricID, q vouch.MetricQuery) vouch.MetricValue {
	g := groupOf(id)
	if g == 0 {
		return vouch.MetricValue{Metric: id}
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.calc(q).compute(g).vals[id]
	if !ok {
		return vouch.MetricValue{Metric: id}
	}
	return v
}

// memberMetric reports whether id is a team member's own metric (not a tile).
func memberMetric(id vouch.MetricID) bool {
	switch id {
	case vouch.MetricReferencesRecruited, vouch.MetricContentCreated, vouch.MetricRequestsFulfilledBy, vouch.MetricRequesterSatisfaction:
		return true
	}
	return false
}

// Scorecard computes every figure of the scorecard over q and the period
// before it. Goals are left empty: the scorecard service adds them.
func (m *Model) Scorecard(q vouch.MetricQuery) *vouch.Scorecard {
	m.mu.RLock()
	defer m.mu.RUnlock()
	sc := &vouch.Scorecard{Query: q, Previous: q.Previous(), Tiles: map[vouch.MetricID]*vouch.Tile{}, Goals: []vouch.GoalProgress{}}
	c := m.calc(q)
	c.trend = newTrend(q)
	rs := c.computeAll(gAll, sc.Previous)
	cur, prev := rs[0], rs[1]
	for _, d := range vouch.Metrics {
		if memberMetric(d.ID) {
			continue
		}
		sc.Tiles[d.ID] = &vouch.Tile{MetricValue: cur.vals[d.ID], Previous: prev.vals[d.ID]}
	}
	sc.RevenueInfluenced, sc.PipelineInfluenced = cur.revenue, cur.pipeline
	sc.WinRate = cur.win
	sc.ActiveBySegment = m.segments(cur.activeBySeg, nil)
	sc.RevenueBySegment = m.segments(nil, cur.revBySeg)
	sc.PipelineBySegment = m.segments(nil, cur.pipeBySeg)
	sc.Trend = c.trend.out
	return sc
}

// segments turns counts or money by segment id into rows in the segment
// taxonomy's order, "Not set" last.
func (m *Model) segments(counts map[int32]int, money map[int32]map[string]*vouch.Money) []vouch.SegmentFigure {
	out := []vouch.SegmentFigure{}
	seen := map[int32]bool{}
	addRow := func(id int32, name string) {
		if seen[id] {
			return
		}
		f := vouch.SegmentFigure{ValueID: int64(id), Name: name}
		if counts != nil {
			f.Count = counts[id]
			if f.Count == 0 {
				return
			}
		} else {
			mm := money[id]
			if len(mm) == 0 {
				return
			}
			f.Money = mm
			for _, x := range mm {
				f.Count += x.Deals
			}
		}
		seen[id] = true
		out = append(out, f)
	}
	if m.cat != nil {
		for _, v := range m.cat.Values(vouch.TaxSegment, true) {
			addRow(int32(v.ID), v.Name)
		}
	}
	var rest []int32
	for id := range counts {
		rest = append(rest, id)
	}
	for id := range money {
		rest = append(rest, id)
	}
	slices.Sort(rest)
	for _, id := range rest {
		if id != 0 {
			name := ""
			if m.cat != nil {
				name = m.cat.ValueName(int64(id))
			}
			if name == "" {
				name = fmt.Sprintf("Segment %d", id)
			}
			addRow(id, name)
		}
	}
	addRow(0, "Not set")
	return out
}

// trendMonths are the calendar months of q's period, or the twelve months
// ending with its last when the period is shorter than three months.
func trendMonths(q vouch.MetricQuery) []vouch.Date {
	if q.To.IsZero() || q.To.Before(q.From) {
		return nil
	}
	end := q.To.Time()
	last := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	start := last.AddDate(0, -11, 0)
	if !q.From.IsZero() {
		f := q.From.Time()
		first := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC)
		months := (last.Year()-first.Year())*12 + int(last.Month()) - int(first.Month()) + 1
		if months >= 3 {
			start = first
		}
		if months > 36 {
			start = last.AddDate(0, -35, 0)
		}
	}
	var out []vouch.Date
	for t := start; !t.After(last); t = t.AddDate(0, 1, 0) {
		out = append(out, vouch.DateOf(t))
	}
	return out
}

// trendAcc collects the trend's months: requests received and fulfilled,
// revenue influenced and activities done per month, with the query's
// filters, in the scorecard's passes.
type trendAcc struct {
	bounds []int32 // first day of each month, and the day after the last
	out    []vouch.MonthFigure
}

func newTrend(q vouch.MetricQuery) *trendAcc {
	months := trendMonths(q)
	t := &trendAcc{out: make([]vouch.MonthFigure, len(months))}
	if len(months) == 0 {
		return t
	}
	t.bounds = make([]int32, len(months)+1)
	for i, mo := range months {
		t.bounds[i] = dayNum(mo)
		t.out[i].Month = mo.Time().Format("2006-01")
		t.out[i].Revenue = map[string]*vouch.Money{}
	}
	t.bounds[len(months)] = dayNum(vouch.DateOf(months[len(months)-1].Time().AddDate(0, 1, 0)))
	return t
}

// month is the index of the month day falls in, -1 outside the trend.
func (t *trendAcc) month(day int32) int {
	if len(t.bounds) == 0 || day == noDay || day < t.bounds[0] || day >= t.bounds[len(t.bounds)-1] {
		return -1
	}
	i, found := slices.BinarySearch(t.bounds, day)
	if found {
		return i
	}
	return i - 1
}

// Rows lists the rows behind a metric over q (at most limit; 0 = all),
// for "show the rows" links and exports.
func (m *Model) Rows(id vouch.MetricID, q vouch.MetricQuery, limit int) []vouch.MetricRow {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c := m.calc(q)
	var rows []vouch.MetricRow
	switch groupOf(id) {
	case gDeals:
		rows = c.dealRows(id)
	case gRequests:
		rows = c.requestRows(id)
	case gAsks:
		rows = c.askRows()
	case gRefs:
		rows = c.referenceRows(id)
	case gContent:
		rows = c.contentRows(id)
	case gFeedback:
		rows = c.feedbackRows(id)
	case gNominations:
		rows = c.nominationRows(id)
	}
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	if rows == nil {
		rows = []vouch.MetricRow{}
	}
	return rows
}

// byDateDesc orders rows newest first, then by id.
func byDateDesc(rows []vouch.MetricRow) {
	slices.SortStableFunc(rows, func(a, b vouch.MetricRow) int {
		if !a.Date.Time().Equal(b.Date.Time()) {
			if a.Date.After(b.Date) {
				return -1
			}
			return 1
		}
		return int(a.ID - b.ID)
	})
}

// byAmountDesc orders deal rows by amount, largest first, then newest.
func byAmountDesc(rows []vouch.MetricRow) {
	byDateDesc(rows)
	slices.SortStableFunc(rows, func(a, b vouch.MetricRow) int {
		if a.Currency != b.Currency {
			return strings.Compare(a.Currency, b.Currency)
		}
		switch {
		case a.Amount > b.Amount:
			return -1
		case a.Amount < b.Amount:
			return 1
		}
		return 0
	})
}

func (c *calc) dealRow(i int, note string) vouch.MetricRow {
	o := &c.d.opps[i]
	if o.first != 0 {
		if note != "" {
			note += " · "
		}
		note += "stage at request: " + c.d.stages[o.first]
	}
	return vouch.MetricRow{Kind: vouch.EntityOpportunity, ID: int64(i), Label: c.d.oppNames[i], Date: dateOf(o.close),
		Amount: float64(o.amount) / 100, Currency: c.d.currencies[o.cur], Note: note}
}

func (c *calc) dealRows(id vouch.MetricID) []vouch.MetricRow {
	var rows []vouch.MetricRow
	if c.empty {
		return nil
	}
	for i := range c.d.opps {
		o := &c.d.opps[i]
		if o.status == oppGone || !c.dealOK(int32(i)) || !c.own.has(o.owner) {
			continue
		}
		inf := c.firstInf(i)
		closedIn := o.status != oppOpen && c.in(o.close)
		influenced := inf <= o.close
		won := o.status == oppWon
		note := "lost"
		if won {
			note = "won"
		}
		switch id {
		case vouch.MetricRevenueInfluenced, vouch.MetricDealsInfluenced, vouch.MetricDealSizeWith, vouch.MetricDaysToCloseWith:
			if closedIn && won && influenced && (id != vouch.MetricDaysToCloseWith || o.created != noDay) {
				rows = append(rows, c.dealRow(i, note))
			}
		case vouch.MetricDealSizeWithout, vouch.MetricDaysToCloseWithout:
			if closedIn && won && !influenced && (id != vouch.MetricDaysToCloseWithout || o.created != noDay) {
				rows = append(rows, c.dealRow(i, note))
			}
		case vouch.MetricWinRateWith:
			if closedIn && influenced {
				rows = append(rows, c.dealRow(i, note))
			}
		case vouch.MetricWinRateWithout:
			if closedIn && !influenced {
				rows = append(rows, c.dealRow(i, note))
			}
		case vouch.MetricWinRateLift:
			if closedIn {
				if influenced {
					note += " · with references"
				} else {
					note += " · without references"
				}
				rows = append(rows, c.dealRow(i, note))
			}
		case vouch.MetricPipelineInfluenced:
			openAtEnd := o.status == oppOpen || (o.close != noDay && o.close > c.asOf)
			if openAtEnd && (o.created == noDay || o.created <= c.asOf) && inf <= c.asOf {
				rows = append(rows, c.dealRow(i, "open · "+c.d.stages[o.stage]))
			}
		}
	}
	if id == vouch.MetricRevenueInfluenced || id == vouch.MetricPipelineInfluenced || id == vouch.MetricDealSizeWith || id == vouch.MetricDealSizeWithout {
		byAmountDesc(rows)
	} else {
		byDateDesc(rows)
	}
	return rows
}

func (c *calc) requestRow(i int, day int32, note string) vouch.MetricRow {
	r := &c.d.reqs[i]
	label := fmt.Sprintf("Request #%d", i)
	if r.opp > 0 && int(r.opp) < len(c.d.oppNames) && c.d.oppNames[r.opp] != "" {
		label += " — " + c.d.oppNames[r.opp]
	}
	if note == "" {
		note = reqStates[r.state].Label()
	}
	return vouch.MetricRow{Kind: vouch.EntityRequest, ID: int64(i), Label: label, Date: dateOf(day), Note: note}
}

func (c *calc) requestRows(id vouch.MetricID) []vouch.MetricRow {
	var rows []vouch.MetricRow
	completed := indexOf(reqStates, vouch.RequestCompleted)
	for i := range c.d.reqs {
		q := &c.d.reqs[i]
		if q.state == 0 || c.empty || !c.rowDealOK(q.opp) || !c.typ.has(q.typ) {
			continue
		}
		if id == vouch.MetricRequestsFulfilledBy {
			if c.own.has(q.assignee) && q.state == completed && c.in(q.closed) {
				rows = append(rows, c.requestRow(i, q.closed, ""))
			}
			continue
		}
		if !c.own.has(q.requester) {
			continue
		}
		switch id {
		case vouch.MetricRequestsReceived:
			if c.in(q.created) {
				rows = append(rows, c.requestRow(i, q.created, ""))
			}
		case vouch.MetricRequestsFulfilled, vouch.MetricFulfilMedianDays, vouch.MetricFulfilP90Days:
			if q.state == completed && c.in(q.closed) {
				note := ""
				if id != vouch.MetricRequestsFulfilled {
					note = plural(int(q.closed-q.created), "day")
				}
				rows = append(rows, c.requestRow(i, q.closed, note))
			}
		case vouch.MetricFulfillmentRate:
			if c.in(q.closed) {
				rows = append(rows, c.requestRow(i, q.closed, ""))
			}
		case vouch.MetricRequestsOverdue:
			if q.created <= c.asOf && (q.closed == noDay || q.closed > c.asOf) && q.due != noDay && q.due < c.asOf {
				rows = append(rows, c.requestRow(i, q.due, "due "+dateOf(q.due).String()))
			}
		}
	}
	byDateDesc(rows)
	return rows
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func (c *calc) refName(id int32) string {
	if id > 0 && int(id) < len(c.d.refNames) {
		return c.d.refNames[id]
	}
	return ""
}

func (c *calc) askRows() []vouch.MetricRow {
	var rows []vouch.MetricRow
	for i := range c.d.asks {
		a := &c.d.asks[i]
		if a.state == 0 || !c.in(a.answered) || c.askRequest(a, false) == nil {
			continue
		}
		note := "accepted"
		if askStates[a.state] == vouch.AskDeclined {
			note = "declined"
		}
		rows = append(rows, vouch.MetricRow{Kind: vouch.EntityAsk, ID: int64(i), Label: c.refName(a.ref) + fmt.Sprintf(" — request #%d", a.request),
			Date: dateOf(a.answered), Note: note})
	}
	byDateDesc(rows)
	return rows
}

func (c *calc) referenceRows(id vouch.MetricID) []vouch.MetricRow {
	d := c.d
	if c.empty {
		return nil
	}
	var rows []vouch.MetricRow
	switch id {
	case vouch.MetricConcentration, vouch.MetricPointsAwarded:
		perRef := make([]int32, len(d.refs))
		pts := make([]int32, len(d.refs))
		for i := range d.acts {
			a := &d.acts[i]
			if a.flags&actLive == 0 || a.flags&actDone == 0 || !c.in(a.day) || !c.typ.has(a.typ) || !c.refActOK(a.ref) {
				continue
			}
			perRef[a.ref]++
			pts[a.ref] += a.points
		}
		for i, n := range perRef {
			if n > 0 {
				note := plural(int(n), "activity")
				note = strings.Replace(note, "activitys", "activities", 1)
				if id == vouch.MetricPointsAwarded {
					note = plural(int(pts[i]), "point")
				}
				// Busiest first: by activities for concentration, by points for points.
				key := float64(n)
				if id == vouch.MetricPointsAwarded {
					key = float64(pts[i])
				}
				rows = append(rows, vouch.MetricRow{Kind: vouch.EntityReference, ID: int64(i), Label: d.refNames[i], Note: note,
					Amount: key})
			}
		}
		slices.SortStableFunc(rows, func(a, b vouch.MetricRow) int {
			if a.Amount != b.Amount {
				if a.Amount > b.Amount {
					return -1
				}
				return 1
			}
			return int(a.ID - b.ID)
		})
		for i := range rows {
			rows[i].Amount = 0
		}
		return rows
	case vouch.MetricThankYousOutstanding:
		for i := range d.acts {
			a := &d.acts[i]
			if a.flags&actLive == 0 || a.flags&actDone == 0 || a.flags&actThanks == 0 || !c.typ.has(a.typ) || !c.refActOK(a.ref) {
				continue
			}
			if a.day <= c.asOf && (a.sent == noDay || a.sent > c.asOf) {
				rows = append(rows, vouch.MetricRow{Kind: vouch.EntityActivity, ID: int64(i), Label: d.refNames[a.ref], Date: dateOf(a.day),
					Note: "thank-you not sent"})
			}
		}
		byDateDesc(rows)
		return rows
	}
	window := make([]int32, len(d.refs))
	if id == vouch.MetricReferencesAtCapacity {
		from := c.asOf - vouch.CapacityWindowDays + 1
		for i := range d.acts {
			a := &d.acts[i]
			if a.flags&actLive != 0 && a.ref > 0 && int(a.ref) < len(window) && a.day >= from && a.day <= c.asOf {
				window[a.ref]++
			}
		}
	}
	for i := range d.refs {
		f := &d.refs[i]
		if !c.refActOK(int32(i)) {
			continue
		}
		evs := d.events[i]
		row := vouch.MetricRow{Kind: vouch.EntityReference, ID: int64(i), Label: d.refNames[i]}
		st, ok := statusAt(evs, c.asOf)
		active := ok && st == vouch.StatusActive
		switch id {
		case vouch.MetricActiveReferences:
			if active {
				row.Note = "active"
				rows = append(rows, row)
			}
		case vouch.MetricReferencesAdded, vouch.MetricReferencesRecruited:
			if day := firstActive(evs); c.in(day) {
				row.Date, row.Note = dateOf(day), "became active"
				rows = append(rows, row)
			}
		case vouch.MetricReferencesRetired:
			for _, e := range evs {
				if s := refStatuses[e.to]; c.in(e.day) && (s == vouch.StatusRetired || s == vouch.StatusDoNotContact) {
					row.Date, row.Note = dateOf(e.day), strings.ToLower(s.Label())
					rows = append(rows, row)
					break
				}
			}
		case vouch.MetricReferencesStale:
			if active && stale(f.verified, c.asOf) {
				row.Date, row.Note = dateOf(f.verified), "last verified "+dateOf(f.verified).String()
				if f.verified == noDay {
					row.Note = "never verified"
				}
				rows = append(rows, row)
			}
		case vouch.MetricReferencesAtCapacity:
			limit := f.capLimit
			if limit < 0 {
				limit = int32(c.ps.CapacityDefault)
			}
			if active && window[i] >= limit-1 {
				row.Note = fmt.Sprintf("%d of %d in 90 days", window[i], limit)
				rows = append(rows, row)
			}
		}
	}
	if id == vouch.MetricActiveReferences || id == vouch.MetricReferencesAtCapacity {
		slices.SortStableFunc(rows, func(a, b vouch.MetricRow) int { return strings.Compare(a.Label, b.Label) })
	} else {
		byDateDesc(rows)
	}
	return rows
}

func (c *calc) contentRows(id vouch.MetricID) []vouch.MetricRow {
	d := c.d
	var rows []vouch.MetricRow
	title := func(cid int32) string {
		if cid > 0 && int(cid) < len(d.titles) {
			return d.titles[cid]
		}
		return ""
	}
	switch id {
	case vouch.MetricContentUses:
		for i := range d.uses {
			u := &d.uses[i]
			if u.live && c.in(u.day) && c.rowDealOK(u.opp) && c.own.has(u.user) {
				rows = append(rows, vouch.MetricRow{Kind: vouch.EntityContent, ID: int64(u.content), Label: title(u.content), Date: dateOf(u.day)})
			}
		}
	case vouch.MetricContentHelpfulness:
		for i := range d.ratings {
			x := &d.ratings[i]
			if x.rating != 0 && c.in(x.day) && c.rowDealOK(x.opp) && c.own.has(x.user) {
				rows = append(rows, vouch.MetricRow{Kind: vouch.EntityContent, ID: int64(x.content), Label: title(x.content), Date: dateOf(x.day),
					Note: fmt.Sprintf("rated %d of 5", x.rating)})
			}
		}
	case vouch.MetricContentCreated:
		for i := range d.contents {
			x := &d.contents[i]
			if x.live && c.in(x.created) && c.own.has(x.owner) {
				rows = append(rows, vouch.MetricRow{Kind: vouch.EntityContent, ID: int64(i), Label: d.titles[i], Date: dateOf(x.created)})
			}
		}
	}
	byDateDesc(rows)
	return rows
}

func (c *calc) feedbackRows(id vouch.MetricID) []vouch.MetricRow {
	d := c.d
	var rows []vouch.MetricRow
	for i := range d.fbs {
		f := &d.fbs[i]
		if f.rating == 0 || !c.in(f.day) || f.ask <= 0 || int(f.ask) >= len(d.asks) {
			continue
		}
		a := &d.asks[f.ask]
		var q *req
		switch id {
		case vouch.MetricSellerSatisfaction:
			if f.seller {
				q = c.askRequest(a, false)
			}
		case vouch.MetricAdvocateExperience:
			if !f.seller {
				q = c.askRequest(a, false)
			}
		case vouch.MetricRequesterSatisfaction:
			if f.seller {
				q = c.askRequest(a, true)
			}
		}
		if q == nil {
			continue
		}
		rows = append(rows, vouch.MetricRow{Kind: vouch.EntityRequest, ID: int64(a.request),
			Label: fmt.Sprintf("Request #%d — %s", a.request, c.refName(a.ref)), Date: dateOf(f.day), Note: fmt.Sprintf("rated %d of 5", f.rating)})
	}
	byDateDesc(rows)
	return rows
}
