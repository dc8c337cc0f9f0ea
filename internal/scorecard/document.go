package scorecard

import (
	"github.com/vouchhq/vouch/internal/vouch"
)

// Document is the scorecard as JSON: the API's answer and the CLI's json
// format. Rates are fractions; a figure there is not enough data for is null.
type Document struct {
	Period             PeriodDoc                        `json:"period"`
	PreviousPeriod     PeriodDoc                        `json:"previous_period"`
	Filters            map[string][]string              `json:"filters"`
	Tiles              map[vouch.MetricID]TileDoc       `json:"tiles"`
	RevenueInfluenced  map[string]WonMoney              `json:"revenue_influenced"`
	PipelineInfluenced map[string]OpenMoney             `json:"pipeline_influenced"`
	WinRate            vouch.WinRate                    `json:"win_rate"`
	Trend              []vouch.MonthFigure              `json:"trend"`
	Breakdowns         map[string][]vouch.SegmentFigure `json:"breakdowns"`
	Goals              []vouch.GoalProgress             `json:"goals"`
}

// PeriodDoc names a run of days.
type PeriodDoc struct {
	Kind  string     `json:"kind"`
	Name  string     `json:"name"`
	Param string     `json:"param,omitempty"`
	From  vouch.Date `json:"from"`
	To    vouch.Date `json:"to"`
}

// TileDoc is one metric in the period and the one before.
type TileDoc struct {
	Label          string                  `json:"label"`
	Unit           string                  `json:"unit"`
	HigherIsBetter bool                    `json:"higher_is_better"`
	Value          *float64                `json:"value"`
	Previous       *float64                `json:"previous"`
	N              int                     `json:"n"`
	Money          map[string]*vouch.Money `json:"money,omitempty"`
	PreviousMoney  map[string]*vouch.Money `json:"previous_money,omitempty"`
	Converted      *vouch.Money            `json:"converted,omitempty"`
}

// WonMoney is revenue influenced in one currency.
type WonMoney struct {
	WonAmount float64 `json:"won_amount"`
	Deals     int     `json:"deals"`
}

// OpenMoney is pipeline influenced in one currency.
type OpenMoney struct {
	OpenAmount float64 `json:"open_amount"`
	Deals      int     `json:"deals"`
}

// Breakdown names.
const (
	BreakdownActiveBySegment   = "active_references_by_segment"
	BreakdownRevenueBySegment  = "revenue_influenced_by_segment"
	BreakdownPipelineBySegment = "pipeline_influenced_by_segment"
)

// NewDocument is the card as JSON.
func NewDocument(c *Card) *Document {
	prev := c.Query.Previous()
	d := &Document{
		Period:            PeriodDoc{Kind: c.Kind, Name: c.Name, Param: c.Param, From: c.Query.From, To: c.Query.To},
		PreviousPeriod:    PeriodDoc{Kind: c.Kind, Name: c.PreviousName, From: prev.From, To: prev.To},
		Filters:           map[string][]string{},
		Tiles:             map[vouch.MetricID]TileDoc{},
		RevenueInfluenced: map[string]WonMoney{}, PipelineInfluenced: map[string]OpenMoney{},
		WinRate: c.Scorecard.WinRate,
		Trend:   nonNil(c.Scorecard.Trend),
		Breakdowns: map[string][]vouch.SegmentFigure{
			BreakdownActiveBySegment:   nonNil(c.Scorecard.ActiveBySegment),
			BreakdownRevenueBySegment:  nonNil(c.Scorecard.RevenueBySegment),
			BreakdownPipelineBySegment: nonNil(c.Scorecard.PipelineBySegment),
		},
		Goals: nonNil(c.Scorecard.Goals),
	}
	if d.WinRate.ByStage == nil {
		d.WinRate.ByStage = []vouch.StageWinRate{}
	}
	for _, f := range c.Filters {
		d.Filters[f.Param] = f.Names
	}
	for _, def := range vouch.Metrics {
		t := c.Scorecard.Tiles[def.ID]
		if t == nil {
			continue
		}
		d.Tiles[def.ID] = TileDoc{Label: def.Label, Unit: def.Unit, HigherIsBetter: def.HigherIsBetter,
			Value: t.Value, Previous: t.Previous.Value, N: t.N, Money: t.Money, PreviousMoney: t.Previous.Money, Converted: t.Converted}
	}
	for cur, m := range Revenue(c) {
		d.RevenueInfluenced[cur] = WonMoney{WonAmount: m.Amount, Deals: m.Deals}
	}
	for cur, m := range Pipeline(c) {
		d.PipelineInfluenced[cur] = OpenMoney{OpenAmount: m.Amount, Deals: m.Deals}
	}
	return d
}

// Revenue is revenue influenced per currency: the scorecard's own figures,
// or its tile's when the engine left them out.
func Revenue(c *Card) map[string]*vouch.Money {
	if c.Scorecard.RevenueInfluenced != nil {
		return c.Scorecard.RevenueInfluenced
	}
	if t := c.Scorecard.Tiles[vouch.MetricRevenueInfluenced]; t != nil {
		return t.Money
	}
	return nil
}

// Pipeline is pipeline influenced per currency, like Revenue.
func Pipeline(c *Card) map[string]*vouch.Money {
	if c.Scorecard.PipelineInfluenced != nil {
		return c.Scorecard.PipelineInfluenced
	}
	if t := c.Scorecard.Tiles[vouch.MetricPipelineInfluenced]; t != nil {
		return t.Money
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
