package scorecard

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Opportunity is one influenced deal of the export: won ones are counted in
// revenue influenced, open ones in pipeline influenced.
type Opportunity struct {
	Metric vouch.MetricID
	vouch.MetricRow
}

// Opportunities lists the influenced deals behind a selection: the won
// ones of revenue influenced, then the open ones of pipeline influenced.
func (s *Service) Opportunities(sel Selection) []Opportunity {
	var out []Opportunity
	for _, id := range []vouch.MetricID{vouch.MetricRevenueInfluenced, vouch.MetricPipelineInfluenced} {
		for _, r := range s.mx.Rows(id, sel.Query, 0) {
			out = append(out, Opportunity{Metric: id, MetricRow: r})
		}
	}
	return out
}

// FiguresHeader is the header of the figures table. value and previous
// are numbers (empty where there is no figure, never 0); shown is the
// value as the page and the PDF write it ("75.0%", "USD 480,000", "—").
var FiguresHeader = []string{"metric", "label", "value", "previous", "unit", "currency", "deals", "previous_deals", "shown"}

// OpportunitiesHeader is the header of the influenced opportunities table.
var OpportunitiesHeader = []string{"counted_in", "opportunity_id", "opportunity", "date", "amount", "currency", "note"}

// cell is one value of an export: a number or text (empty for none).
type cell struct {
	text   string
	num    float64
	number bool
}

func num(f float64) cell { return cell{num: f, number: true} }
func str(s string) cell  { return cell{text: s} }
func optional(f *float64) cell {
	if f == nil {
		return cell{}
	}
	return num(*f)
}
func intCell(n int) cell { return num(float64(n)) }

func (c cell) String() string {
	if c.number {
		return strconv.FormatFloat(c.num, 'f', -1, 64)
	}
	return c.text
}

// heading is the lines above each table: what, the period, the filters.
func heading(c *Card, what string) [][]cell {
	prev := c.Query.Previous()
	return [][]cell{
		{str(what), str(c.Name)},
		{str("Period"), str(c.Query.From.String()), str(c.Query.To.String())},
		{str("Previous period"), str(prev.From.String()), str(prev.To.String())},
		{str("Filters"), str(c.FiltersText())},
	}
}

// figureRows is every tile: one row per metric, one per currency for money.
func figureRows(c *Card) [][]cell {
	var rows [][]cell
	for _, def := range vouch.Metrics {
		t := c.Scorecard.Tiles[def.ID]
		if t == nil {
			continue
		}
		if def.Unit == vouch.UnitMoney {
			curs := currencies(t.Money, t.Previous.Money)
			if len(curs) == 0 {
				rows = append(rows, []cell{str(string(def.ID)), str(def.Label), {}, {}, str(def.Unit), {}, {}, {}, str("—")})
			}
			for _, cur := range curs {
				row := []cell{str(string(def.ID)), str(def.Label), {}, {}, str(def.Unit), str(cur), {}, {}, str("—")}
				if m := t.Money[cur]; m != nil {
					row[2], row[6], row[8] = num(m.Amount), intCell(m.Deals), str(vouch.FormatMoney(cur, m.Amount))
				}
				if m := t.Previous.Money[cur]; m != nil {
					row[3], row[7] = num(m.Amount), intCell(m.Deals)
				}
				rows = append(rows, row)
			}
			continue
		}
		rows = append(rows, []cell{str(string(def.ID)), str(def.Label), optional(t.Value), optional(t.Previous.Value), str(def.Unit), {}, {}, {},
			str(exportValue(def.ID, t.MetricValue))})
	}
	wr := c.Scorecard.WinRate
	var low, high *float64
	if wr.CI95 != nil {
		low, high = &wr.CI95[0], &wr.CI95[1]
	}
	lift := func(v *float64) cell {
		return str(exportValue(vouch.MetricWinRateLift, vouch.MetricValue{Metric: vouch.MetricWinRateLift, Value: v}))
	}
	rows = append(rows,
		[]cell{str("win_rate_lift_ci95_low"), str("Win-rate lift, 95% confidence interval, low"), optional(low), {}, str(vouch.UnitFraction), {}, {}, {}, lift(low)},
		[]cell{str("win_rate_lift_ci95_high"), str("Win-rate lift, 95% confidence interval, high"), optional(high), {}, str(vouch.UnitFraction), {}, {}, {}, lift(high)},
		[]cell{str("win_rate_stage_lift"), str("Win-rate lift within the same stage at request"), optional(wr.StageLift), {}, str(vouch.UnitFraction), {}, {}, {},
			lift(wr.StageLift)})
	return rows
}

func currencies(maps ...map[string]*vouch.Money) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range maps {
		for c := range m {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	sort.Strings(out)
	return out
}

func opportunityRows(opps []Opportunity) [][]cell {
	rows := make([][]cell, 0, len(opps))
	for _, o := range opps {
		counted := "revenue influenced (won)"
		if o.Metric == vouch.MetricPipelineInfluenced {
			counted = "pipeline influenced (open)"
		}
		rows = append(rows, []cell{str(counted), num(float64(o.ID)), str(o.Label), str(o.Date.String()), num(o.Amount), str(o.Currency), str(o.Note)})
	}
	return rows
}

func header(h []string) []cell {
	out := make([]cell, len(h))
	for i, s := range h {
		out[i] = str(s)
	}
	return out
}

// WriteCSV writes the figures and the influenced opportunities as one CSV:
// the period and filters on top, then the figures table, a blank line, and
// the opportunities table under its own heading.
func WriteCSV(w io.Writer, c *Card, opps []Opportunity) error {
	cw := csv.NewWriter(w)
	var lines [][]cell
	lines = append(lines, heading(c, "Scorecard")...)
	lines = append(lines, nil, header(FiguresHeader))
	lines = append(lines, figureRows(c)...)
	lines = append(lines, nil, []cell{str("Influenced opportunities")}, header(OpportunitiesHeader))
	lines = append(lines, opportunityRows(opps)...)
	for _, l := range lines {
		rec := make([]string, len(l))
		for i, c := range l {
			rec[i] = c.String()
		}
		if len(rec) == 0 {
			rec = []string{""}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Sheet names of the XLSX export.
const (
	SheetFigures       = "Scorecard"
	SheetOpportunities = "Influenced opportunities"
)

// WriteXLSX writes the figures on one sheet and the influenced
// opportunities on a second, each with the period and filters on top.
func WriteXLSX(w io.Writer, c *Card, opps []Opportunity) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetFigures); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetOpportunities); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	write := func(sheet string, lines [][]cell, headerRow int) error {
		for r, l := range lines {
			for col, v := range l {
				ref, err := excelize.CoordinatesToCellName(col+1, r+1)
				if err != nil {
					return err
				}
				if v.number {
					err = f.SetCellFloat(sheet, ref, v.num, -1, 64)
				} else if v.text != "" {
					err = f.SetCellStr(sheet, ref, v.text)
				}
				if err != nil {
					return err
				}
			}
		}
		first, _ := excelize.CoordinatesToCellName(1, headerRow)
		last, _ := excelize.CoordinatesToCellName(len(lines[headerRow-1]), headerRow)
		if err := f.SetCellStyle(sheet, first, last, bold); err != nil {
			return err
		}
		return f.SetColWidth(sheet, "A", "C", 28)
	}
	figs := append(heading(c, "Scorecard"), nil, header(FiguresHeader))
	figs = append(figs, figureRows(c)...)
	if err := write(SheetFigures, figs, 6); err != nil {
		return fmt.Errorf("scorecard sheet: %w", err)
	}
	ops := append(heading(c, "Influenced opportunities"), nil, header(OpportunitiesHeader))
	ops = append(ops, opportunityRows(opps)...)
	if err := write(SheetOpportunities, ops, 6); err != nil {
		return fmt.Errorf("opportunities sheet: %w", err)
	}
	return f.Write(w)
}
