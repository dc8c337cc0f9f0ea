package vouch

import "time"

// The program's measures: every metric the scorecard, goals, exports and the
// API show is named here once, with its label, unit and one-line
// definition. docs/metrics.md gives each one's exact formula; the metrics
// engine (internal/analytics) computes them.

// MetricID names a metric. The names are stored in goals and used in
// URLs and exports, so they never change once released.
type MetricID string

// The metrics of the program.
const (
	// Requests: counted by the day a request was received (created) or
	// fulfilled (completed), in the program's time zone.
	MetricRequestsReceived  MetricID = "requests_received"
	MetricRequestsFulfilled MetricID = "requests_fulfilled"
	MetricFulfillmentRate   MetricID = "fulfillment_rate"    // fraction
	MetricFulfilMedianDays  MetricID = "time_to_fulfil_p50"  // days
	MetricFulfilP90Days     MetricID = "time_to_fulfil_p90"  // days
	MetricRequestsOverdue   MetricID = "requests_overdue"    // open past their due date at the period's end
	MetricAskAcceptance     MetricID = "ask_acceptance_rate" // fraction; below AskAcceptanceFloor is flagged

	// References.
	MetricActiveReferences     MetricID = "active_references" // at the period's end
	MetricReferencesAdded      MetricID = "references_added"
	MetricReferencesRetired    MetricID = "references_retired"
	MetricReferencesStale      MetricID = "references_stale"       // active, not verified in StaleAfterDays at the period's end
	MetricReferencesAtCapacity MetricID = "references_at_capacity" // active, at or within one of their limit at the period's end
	MetricConcentration        MetricID = "activity_concentration" // fraction of activities done by the busiest 10%

	// Revenue. Money metrics are per currency (MetricValue.Money).
	MetricRevenueInfluenced  MetricID = "revenue_influenced"
	MetricPipelineInfluenced MetricID = "pipeline_influenced"
	MetricDealsInfluenced    MetricID = "deals_influenced" // won deals counted in revenue influenced
	MetricWinRateWith        MetricID = "win_rate_with_references"
	MetricWinRateWithout     MetricID = "win_rate_without_references"
	MetricWinRateLift        MetricID = "win_rate_lift"
	MetricDealSizeWith       MetricID = "deal_size_with_references" // average won amount, per currency
	MetricDealSizeWithout    MetricID = "deal_size_without_references"
	MetricDaysToCloseWith    MetricID = "days_to_close_with_references" // median, won deals
	MetricDaysToCloseWithout MetricID = "days_to_close_without_references"

	// Content, satisfaction, thanks.
	MetricContentUses          MetricID = "content_uses"
	MetricContentHelpfulness   MetricID = "content_helpfulness" // average rating 1–5
	MetricSellerSatisfaction   MetricID = "seller_satisfaction" // average seller feedback rating 1–5
	MetricAdvocateExperience   MetricID = "advocate_experience" // average advocate feedback rating 1–5
	MetricPointsAwarded        MetricID = "points_awarded"
	MetricThankYousOutstanding MetricID = "thank_yous_outstanding" // at the period's end

	// Team members' own deliverables (the filter's OwnerIDs name the member).
	MetricReferencesRecruited   MetricID = "references_recruited"   // references the member owns that became active
	MetricContentCreated        MetricID = "content_created"        // content items the member owns, created
	MetricRequestsFulfilledBy   MetricID = "requests_fulfilled_by"  // requests assigned to the member, completed
	MetricRequesterSatisfaction MetricID = "requester_satisfaction" // seller rating of the member's requests

	// Nominations (the filter's OwnerIDs name the nominator). Who recruited
	// an accepted nomination owns its reference: references_recruited.
	MetricNominationsSubmitted MetricID = "nominations_submitted"
	MetricNominationsQualified MetricID = "nominations_qualified"
	MetricNominationsAccepted  MetricID = "nominations_accepted"

	// Recruiting campaigns and drives (issue 12).
	MetricCampaignContactsReached MetricID = "campaign_contacts_reached"
	MetricCampaignNominations     MetricID = "campaign_nominations"
	MetricCampaignRecruits        MetricID = "campaign_recruits"
	MetricDriveItemsDone          MetricID = "drive_items_done"
)

// Units of metrics.
const (
	UnitCount    = "count"
	UnitFraction = "fraction" // 0–1, shown as a percentage
	UnitDays     = "days"
	UnitMoney    = "money"  // per currency
	UnitRating   = "rating" // 1–5
	UnitPoints   = "points"
)

// AskAcceptanceFloor is the ask acceptance rate below which the scorecard
// flags over-asked customers or poor matching.
const AskAcceptanceFloor = 0.5

// MinClosedDeals is how many closed deals each side of a win-rate
// comparison needs before Vouch shows a figure ("not enough data" below).
const MinClosedDeals = 10

// MetricDef describes one metric.
type MetricDef struct {
	ID    MetricID
	Label string
	Unit  string
	// HigherIsBetter says which way a change is good (for the arrow's colour).
	HigherIsBetter bool
	// Definition is one sentence for the tile's tooltip and the API; the
	// exact formula is in docs/metrics.md under the anchor #<ID>.
	Definition string
	// Goal says a program or team member goal may track it.
	Goal bool
}

// Metrics lists every metric, in the scorecard's order.
var Metrics = []MetricDef{
	{MetricRequestsReceived, "Requests received", UnitCount, true, "Reference requests created in the period.", true},
	{MetricRequestsFulfilled, "Requests fulfilled", UnitCount, true, "Requests completed in the period.", true},
	{MetricFulfillmentRate, "Fulfillment rate", UnitFraction, true, "Of the requests closed in the period, the share completed.", true},
	{MetricFulfilMedianDays, "Median time to fulfil", UnitDays, false, "Median days from request to completion, requests completed in the period.", true},
	{MetricFulfilP90Days, "Time to fulfil, 90th percentile", UnitDays, false, "90th-percentile days from request to completion, requests completed in the period.", true},
	{MetricRequestsOverdue, "Overdue requests", UnitCount, false, "Open requests past their due date at the end of the period.", false},
	{MetricAskAcceptance, "Ask acceptance rate", UnitFraction, true, "Of the asks answered in the period, the share accepted.", true},
	{MetricActiveReferences, "Active references", UnitCount, true, "References active at the end of the period.", true},
	{MetricReferencesAdded, "References added", UnitCount, true, "References that became active in the period.", true},
	{MetricReferencesRetired, "References retired", UnitCount, false, "References retired or marked do-not-contact in the period.", false},
	{MetricReferencesStale, "Stale references", UnitCount, false, "Active references not verified in the 12 months before the period's end.", false},
	{MetricReferencesAtCapacity, "At or near capacity", UnitCount, false, "Active references with at most one free slot at the period's end.", false},
	{MetricConcentration, "Concentration", UnitFraction, false, "Share of the period's activities done by the busiest 10% of references.", false},
	{MetricRevenueInfluenced, "Revenue influenced", UnitMoney, true, "Won amounts of deals closed in the period with a reference activity or content use on or before the close date.", true},
	{MetricPipelineInfluenced, "Pipeline influenced", UnitMoney, true, "Amounts of deals open at the period's end with a reference activity or content use by then.", true},
	{MetricDealsInfluenced, "Deals influenced", UnitCount, true, "Won deals closed in the period that were influenced.", true},
	{MetricWinRateWith, "Win rate with references", UnitFraction, true, "Won ÷ (won + lost) of influenced deals closed in the period.", true},
	{MetricWinRateWithout, "Win rate without references", UnitFraction, true, "Won ÷ (won + lost) of deals closed in the period that were not influenced.", false},
	{MetricWinRateLift, "Win-rate lift", UnitFraction, true, "Win rate with references minus win rate without, with a 95% confidence interval.", true},
	{MetricDealSizeWith, "Deal size with references", UnitMoney, true, "Average amount of influenced deals won in the period.", false},
	{MetricDealSizeWithout, "Deal size without references", UnitMoney, true, "Average amount of deals won in the period that were not influenced.", false},
	{MetricDaysToCloseWith, "Days to close with references", UnitDays, false, "Median days from created to close of influenced deals won in the period.", false},
	{MetricDaysToCloseWithout, "Days to close without references", UnitDays, false, "Median days from created to close of other deals won in the period.", false},
	{MetricContentUses, "Content uses", UnitCount, true, "Times content was used by sellers or opened by buyers in the period.", true},
	{MetricContentHelpfulness, "Content helpfulness", UnitRating, true, "Average seller rating (1–5) of content, ratings given in the period.", true},
	{MetricSellerSatisfaction, "Seller satisfaction", UnitRating, true, "Average seller feedback rating (1–5) given in the period.", true},
	{MetricAdvocateExperience, "Advocate experience", UnitRating, true, "Average advocate feedback rating (1–5) given in the period.", true},
	{MetricPointsAwarded, "Points awarded", UnitPoints, true, "Points earned by advocates for activities done in the period.", false},
	{MetricThankYousOutstanding, "Thank-yous outstanding", UnitCount, false, "Done activities with a thank-you chosen and not yet sent, at the period's end.", false},
	{MetricReferencesRecruited, "References recruited", UnitCount, true, "References owned by the team member that became active in the period.", true},
	{MetricContentCreated, "Content items created", UnitCount, true, "Content items owned by the team member created in the period.", true},
	{MetricRequestsFulfilledBy, "Requests fulfilled (by assignee)", UnitCount, true, "Requests assigned to the team member completed in the period.", true},
	{MetricRequesterSatisfaction, "Requester satisfaction", UnitRating, true, "Average seller rating (1–5) of requests assigned to the team member, given in the period.", true},
	{MetricNominationsSubmitted, "Nominations submitted", UnitCount, true, "Customer contacts nominated as references in the period, by users or volunteers.", true},
	{MetricNominationsQualified, "Nominations qualified", UnitCount, true, "Nominations first qualified against the checklist in the period.", true},
	{MetricNominationsAccepted, "Nominations accepted", UnitCount, true, "Nominations accepted in the period: a reference created or re-activated from each.", true},
	{MetricCampaignContactsReached, "Campaign contacts reached", UnitCount, true, "Contacts at candidate accounts a recruiting campaign reached in the period (the outreach mail sent, or moved to contacted).", true},
	{MetricCampaignNominations, "Campaign nominations", UnitCount, true, "Nominations made from a recruiting campaign's outreach in the period.", true},
	{MetricCampaignRecruits, "Campaign recruits", UnitCount, true, "Nominations from a recruiting campaign accepted in the period: the references the campaigns recruited.", true},
	{MetricDriveItemsDone, "Drive items done", UnitCount, true, "Items of review-site and content drives done in the period (a review posted, with its address).", true},
}

// Metric returns the definition of id, or nil for an unknown metric.
func Metric(id MetricID) *MetricDef {
	for i := range Metrics {
		if Metrics[i].ID == id {
			return &Metrics[i]
		}
	}
	return nil
}

// MetricFilter narrows a metric to a segment of the business. Each list
// selects rows with any of its values; empty lists select all. Which
// row's field a filter reads (the opportunity's industry, the reference's
// account's industry …) is stated per metric in docs/metrics.md.
type MetricFilter struct {
	IndustryIDs     []int64 `json:"industry_ids,omitempty"`
	RegionIDs       []int64 `json:"region_ids,omitempty"`
	CountryIDs      []int64 `json:"country_ids,omitempty"`
	ProductIDs      []int64 `json:"product_ids,omitempty"`
	SegmentIDs      []int64 `json:"segment_ids,omitempty"`
	SizeIDs         []int64 `json:"size_ids,omitempty"`
	ActivityTypeIDs []int64 `json:"activity_type_ids,omitempty"`
	OwnerIDs        []int64 `json:"owner_ids,omitempty"`
}

// IsZero reports whether f selects everything.
func (f MetricFilter) IsZero() bool {
	return len(f.IndustryIDs)+len(f.RegionIDs)+len(f.CountryIDs)+len(f.ProductIDs)+len(f.SegmentIDs)+
		len(f.SizeIDs)+len(f.ActivityTypeIDs)+len(f.OwnerIDs) == 0
}

// MetricQuery is a metric's filters over a run of whole days, From to To
// inclusive, in the program's time zone.
type MetricQuery struct {
	Filter MetricFilter `json:"filter"`
	From   Date         `json:"from"`
	To     Date         `json:"to"`
}

// Previous is the query over the run of days of the same length just
// before q (for a calendar month, quarter or year: the previous one).
func (q MetricQuery) Previous() MetricQuery {
	p := q
	days := q.From.DaysUntil(q.To) + 1
	if isWholeMonths(q.From, q.To) {
		months := monthsBetween(q.From, q.To)
		p.To = q.From.AddDays(-1)
		p.From = NewDate(q.From.t.Year(), q.From.t.Month()-time.Month(months), 1)
		return p
	}
	p.To = q.From.AddDays(-1)
	p.From = p.To.AddDays(-days + 1)
	return p
}

// isWholeMonths reports whether from is a month's first day and to a
// month's last.
func isWholeMonths(from, to Date) bool {
	return !from.IsZero() && !to.IsZero() && from.t.Day() == 1 && to.AddDays(1).t.Day() == 1 && !to.Before(from)
}

// monthsBetween is the number of calendar months from from's month to to's, inclusive.
func monthsBetween(from, to Date) int {
	return (to.t.Year()-from.t.Year())*12 + int(to.t.Month()) - int(from.t.Month()) + 1
}

// MetricValue is one metric's figure. Value is nil when there is nothing
// to compute it from (an empty period, fewer than MinClosedDeals closed
// deals): pages show "—", never 0% or NaN. Money metrics carry Money
// instead, one figure per currency (never added across currencies unless
// a rate table converted them, Converted).
type MetricValue struct {
	Metric MetricID          `json:"metric"`
	Value  *float64          `json:"value"`
	N      int               `json:"n"` // how many rows it was computed from
	Money  map[string]*Money `json:"money,omitempty"`
	// Converted is the money total in the report currency when a rate
	// table is configured; nil otherwise.
	Converted *Money `json:"converted,omitempty"`
}

// Money is an amount in one currency with the number of deals it sums.
type Money struct {
	Currency string  `json:"currency"`
	Amount   float64 `json:"amount"` // in units of the currency (cents as hundredths)
	Deals    int     `json:"deals"`
}

// Ratio is won out of won + lost: a win rate with its counts. Rate is nil
// below MinClosedDeals closed deals.
type Ratio struct {
	Won  int      `json:"won"`
	Lost int      `json:"lost"`
	Rate *float64 `json:"rate"`
}

// WinRate compares closed deals with and without references. Lift and
// CI95 are nil when either side has too few closed deals.
type WinRate struct {
	With    Ratio       `json:"with_references"`
	Without Ratio       `json:"without_references"`
	Lift    *float64    `json:"lift"`
	CI95    *[2]float64 `json:"ci95"`
	// ByStage compares like with like: deals grouped by their stage when
	// the reference was first requested (or content first used), against
	// deals without references that stood at that stage. StageLift is the
	// weighted lift over the stages with enough data on both sides.
	ByStage   []StageWinRate `json:"by_stage"`
	StageLift *float64       `json:"stage_lift"`
}

// StageWinRate is the comparison within one stage at request.
type StageWinRate struct {
	Stage   string   `json:"stage"`
	With    Ratio    `json:"with_references"`
	Without Ratio    `json:"without_references"`
	Lift    *float64 `json:"lift"`
}

// SegmentFigure is one row of a breakdown by a dimension's value (active
// references by segment, revenue influenced by industry …). ValueID 0 is
// "not set".
type SegmentFigure struct {
	ValueID int64             `json:"value_id"`
	Name    string            `json:"name"`
	Count   int               `json:"count"`
	Money   map[string]*Money `json:"money,omitempty"`
}

// MonthFigure is one month of a trend.
type MonthFigure struct {
	Month      string            `json:"month"` // 2026-11
	Requests   int               `json:"requests_received"`
	Fulfilled  int               `json:"requests_fulfilled"`
	Revenue    map[string]*Money `json:"revenue_influenced,omitempty"`
	Activities int               `json:"activities"`
}

// Tile is a metric in the period and in the period before, for the
// scorecard's change arrows.
type Tile struct {
	MetricValue
	Previous MetricValue `json:"previous"`
}

// Scorecard is every figure of the one-page scorecard for one query.
type Scorecard struct {
	Query    MetricQuery `json:"query"`
	Previous MetricQuery `json:"previous_query"`
	// Tiles holds every metric of Metrics that applies to the whole
	// program (not the team member ones), keyed by id.
	Tiles map[MetricID]*Tile `json:"tiles"`
	// RevenueInfluenced and PipelineInfluenced by currency: the API's
	// "revenue_influenced": {"USD": {"won_amount": …, "deals": …}} is
	// drawn from these.
	RevenueInfluenced  map[string]*Money `json:"-"`
	PipelineInfluenced map[string]*Money `json:"-"`
	WinRate            WinRate           `json:"win_rate"`
	// Breakdowns by the segment taxonomy (and industry for revenue).
	ActiveBySegment   []SegmentFigure `json:"active_references_by_segment"`
	RevenueBySegment  []SegmentFigure `json:"revenue_influenced_by_segment"`
	PipelineBySegment []SegmentFigure `json:"pipeline_influenced_by_segment"`
	// Trend is one row per calendar month of the query's period, or of the
	// twelve months ending with it when the period is shorter than three months.
	Trend []MonthFigure `json:"trend"`
	// Goals is the progress of the program goals whose period overlaps the query's.
	Goals []GoalProgress `json:"goals"`
}

// GoalPace is how a goal's progress compares with linear pacing.
type GoalPace string

// Paces.
const (
	PaceOnTrack GoalPace = "on_track"
	PaceAtRisk  GoalPace = "at_risk"
	PaceBehind  GoalPace = "behind"
	PaceMet     GoalPace = "met"
	PaceMissed  GoalPace = "missed" // the period is over short of the target
)

// GoalProgress is a goal's live figure against its target.
type GoalProgress struct {
	GoalID    int64    `json:"goal_id"`
	Kind      GoalKind `json:"kind"`
	Name      string   `json:"name"`
	Objective string   `json:"objective"`
	Metric    MetricID `json:"metric"`
	Target    float64  `json:"target"`
	Current   *float64 `json:"current"`
	// Expected is where linear pacing says the figure should be today.
	Expected float64  `json:"expected"`
	Pace     GoalPace `json:"pace"`
	// Forecast is the figure at the period's end at the current rate; nil
	// for metrics that are not counts.
	Forecast *float64 `json:"forecast"`
	OwnerID  int64    `json:"owner_id,omitempty"`
	From     Date     `json:"from"`
	To       Date     `json:"to"`
}

// MetricRow is one row behind a figure (a deal, a request, a reference …),
// for "show the rows" links and the influenced-opportunities export.
type MetricRow struct {
	Kind     EntityKind `json:"kind"`
	ID       int64      `json:"id"`
	Label    string     `json:"label"`
	Date     Date       `json:"date"`
	Amount   float64    `json:"amount,omitempty"`
	Currency string     `json:"currency,omitempty"`
	Note     string     `json:"note,omitempty"` // e.g. "won", "stage at request: Proposal"
}
