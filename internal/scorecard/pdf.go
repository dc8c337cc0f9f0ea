package scorecard

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The scorecard on paper: one landscape page with the period, the filters,
// every tile (value, previous period, change) and the charts; and the same
// as one PNG image for mail. Both write figures the way the page does:
// money with vouch.FormatMoney, fractions as percentages, "—" for no data.

// ExportOptions says what the PDF and PNG print around the figures.
type ExportOptions struct {
	// Title heads the page; "Reference program scorecard" when empty.
	Title string
	// Period names the query's period ("November 2026", "FY2027 Q1"); the
	// query's days when empty.
	Period string
	// Filters are the filters in force, for people ("Industry: Healthcare");
	// none: "All segments".
	Filters []string
	// Generated is when it was made, printed in the footer (zero: left out).
	Generated time.Time
	// Zone is the time zone Generated is written in (nil: UTC).
	Zone *time.Location
}

func (o ExportOptions) title() string {
	if strings.TrimSpace(o.Title) == "" {
		return "Reference program scorecard"
	}
	return o.Title
}

func (o ExportOptions) period(q vouch.MetricQuery) string {
	if o.Period != "" {
		return o.Period
	}
	return exportPeriod(q)
}

func (o ExportOptions) filters() string {
	if len(o.Filters) == 0 {
		return "All segments"
	}
	return strings.Join(o.Filters, " · ")
}

// exportPeriod names a query's days for people: "November 2026" for a
// calendar month, "1 Oct 2026 – 31 Dec 2026" otherwise.
func exportPeriod(q vouch.MetricQuery) string {
	if q.From.IsZero() || q.To.IsZero() {
		return "—"
	}
	f, t := q.From.Time(), q.To.Time()
	if f.Day() == 1 && t.AddDate(0, 0, 1).Day() == 1 && f.Year() == t.Year() && f.Month() == t.Month() {
		return f.Format("January 2006")
	}
	return f.Format("2 Jan 2006") + " – " + t.Format("2 Jan 2006")
}

// memberMetric are the team members' own metrics: goals, not the program's scorecard.
var memberMetric = map[vouch.MetricID]bool{vouch.MetricReferencesRecruited: true, vouch.MetricContentCreated: true,
	vouch.MetricRequestsFulfilledBy: true, vouch.MetricRequesterSatisfaction: true}

// exportTileIDs are the program's tiles present in sc, in the scorecard's order.
func exportTileIDs(sc *vouch.Scorecard) []vouch.MetricID {
	var ids []vouch.MetricID
	for _, d := range vouch.Metrics {
		if sc.Tiles[d.ID] != nil && !memberMetric[d.ID] {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

// ExportTile is one tile written for people, as the PDF prints it.
type ExportTile struct {
	ID                                         vouch.MetricID
	Label, Definition, Value, Previous, Change string
}

// ExportTiles are the program's tiles of sc, in the scorecard's order,
// written for people.
func ExportTiles(sc *vouch.Scorecard) []ExportTile {
	var out []ExportTile
	for _, id := range exportTileIDs(sc) {
		d, t := vouch.Metric(id), sc.Tiles[id]
		out = append(out, ExportTile{ID: id, Label: d.Label, Definition: d.Definition, Value: exportValue(id, t.MetricValue),
			Previous: exportValue(id, t.Previous), Change: exportChange(id, t)})
	}
	return out
}

// exportValue writes a metric's figure for people; "—" when there is none.
func exportValue(id vouch.MetricID, v vouch.MetricValue) string {
	d := vouch.Metric(id)
	if d == nil {
		return "—"
	}
	if d.Unit == vouch.UnitMoney {
		return exportMoney(v)
	}
	if v.Value == nil || math.IsNaN(*v.Value) || math.IsInf(*v.Value, 0) {
		return "—"
	}
	x := *v.Value
	switch d.Unit {
	case vouch.UnitFraction:
		if id == vouch.MetricWinRateLift {
			return exportSigned(x*100, "%.1f") + " pts"
		}
		return fmt.Sprintf("%.1f%%", x*100)
	case vouch.UnitDays:
		return fmt.Sprintf("%.1f days", x)
	case vouch.UnitRating:
		return fmt.Sprintf("%.1f / 5", x)
	default:
		return vouch.FormatMoney("", math.Round(x))
	}
}

// exportChange writes the change from the previous period; "—" when either
// side has no figure (or money in several currencies).
func exportChange(id vouch.MetricID, t *vouch.Tile) string {
	d := vouch.Metric(id)
	if d == nil || t == nil {
		return "—"
	}
	if d.Unit == vouch.UnitMoney {
		cur, now, prev := MoneyChange(t)
		if now == nil || prev == nil {
			return "—"
		}
		diff := *now - *prev
		if diff >= 0 {
			return "+" + vouch.FormatMoney(cur, diff)
		}
		return "-" + vouch.FormatMoney(cur, -diff)
	}
	if t.Value == nil || t.Previous.Value == nil {
		return "—"
	}
	diff := *t.Value - *t.Previous.Value
	if math.IsNaN(diff) || math.IsInf(diff, 0) {
		return "—"
	}
	switch d.Unit {
	case vouch.UnitFraction:
		return exportSigned(diff*100, "%.1f") + " pts"
	case vouch.UnitDays:
		return exportSigned(diff, "%.1f") + " days"
	case vouch.UnitRating:
		return exportSigned(diff, "%.1f")
	default:
		r := math.Round(diff)
		if r >= 0 {
			return "+" + vouch.FormatMoney("", r)
		}
		return "-" + vouch.FormatMoney("", -r)
	}
}

func exportSigned(x float64, format string) string {
	s := fmt.Sprintf(format, x)
	if x >= 0 && !strings.HasPrefix(s, "-") {
		return "+" + s
	}
	if s == "-0.0" {
		return "+0.0"
	}
	return s
}

// exportMoney writes a money figure: the converted total when a rate table
// made one, else each currency's amount.
func exportMoney(v vouch.MetricValue) string {
	if v.Converted != nil {
		return vouch.FormatMoney(v.Converted.Currency, v.Converted.Amount)
	}
	if len(v.Money) == 0 {
		return "—"
	}
	var parts []string
	for _, cur := range exportCurrencies(v.Money) {
		if m := v.Money[cur]; m != nil {
			parts = append(parts, vouch.FormatMoney(cur, m.Amount))
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

func exportCurrencies(m map[string]*vouch.Money) []string {
	out := make([]string, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Page geometry of the PDF, in millimetres (A4 landscape).
const (
	pdfWidth   = 297.0
	pdfHeight  = 210.0
	pdfMargin  = 10.0
	pdfColumns = 6
	pdfGap     = 2.5
)

// Chart sizes, in pixels, of the charts drawn into the PDF.
const (
	pdfChartW = 900
	pdfChartH = 440
)

// PDF writes sc as a one-page landscape PDF: title, period, filters, every
// tile with its previous figure and change, and the trend and segment charts.
func PDF(sc *vouch.Scorecard, opts ExportOptions) ([]byte, error) {
	if sc == nil {
		return nil, fmt.Errorf("no scorecard to write")
	}
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(opts.title(), true)
	pdf.SetCreator("Vouch", true)
	pdf.AddPage()
	tr := pdf.UnicodeTranslatorFromDescriptor("")

	// Header.
	pdf.SetTextColor(17, 24, 39)
	pdf.SetFont("Helvetica", "B", 16)
	pdf.SetXY(pdfMargin, pdfMargin)
	pdf.CellFormat(pdfWidth-2*pdfMargin, 8, tr(opts.title()), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.SetTextColor(55, 65, 81)
	line := opts.period(sc.Query)
	if !sc.Previous.From.IsZero() {
		line += "   ·   compared with " + exportPeriod(sc.Previous)
	}
	pdf.CellFormat(pdfWidth-2*pdfMargin, 5.5, tr(line), "", 1, "L", false, 0, "")
	pdf.CellFormat(pdfWidth-2*pdfMargin, 5.5, tr("Filters: "+opts.filters()), "", 1, "L", false, 0, "")

	// Tiles.
	ids := exportTileIDs(sc)
	top := pdf.GetY() + 2
	tileW := (pdfWidth - 2*pdfMargin - pdfGap*(pdfColumns-1)) / pdfColumns
	rows := (len(ids) + pdfColumns - 1) / pdfColumns
	tileH := 17.0
	if rows > 5 {
		tileH = math.Max(12, (pdfHeight*0.55-top)/float64(rows)-pdfGap)
	}
	for i, id := range ids {
		t := sc.Tiles[id]
		x := pdfMargin + float64(i%pdfColumns)*(tileW+pdfGap)
		y := top + float64(i/pdfColumns)*(tileH+pdfGap)
		pdfTile(pdf, tr, x, y, tileW, tileH, id, t)
	}

	// Charts.
	chartTop := top + float64(rows)*(tileH+pdfGap) + 1
	chartH := pdfHeight - pdfMargin - 5 - chartTop
	chartW := (pdfWidth - 2*pdfMargin - pdfGap) / 2
	if chartH > chartW*pdfChartH/pdfChartW {
		chartH = chartW * pdfChartH / pdfChartW
	}
	if chartH > 20 {
		bars := BarsRevenue
		if mainCurrency(revenueMaps(sc.RevenueBySegment)...) == "" {
			bars = BarsActive
		}
		charts := []func() ([]byte, error){
			func() ([]byte, error) { return TrendChart(sc, PNG, pdfChartW, pdfChartH) },
			func() ([]byte, error) { return SegmentChart(sc, bars, PNG, pdfChartW, pdfChartH) },
		}
		for i, draw := range charts {
			x := pdfMargin + float64(i)*(chartW+pdfGap)
			img, err := draw()
			if err != nil {
				return nil, err
			}
			name := fmt.Sprintf("chart%d", i)
			pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
			pdf.ImageOptions(name, x, chartTop, chartW, chartH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		}
	}

	// Footer.
	pdf.SetFont("Helvetica", "", 7)
	pdf.SetTextColor(107, 114, 128)
	pdf.SetXY(pdfMargin, pdfHeight-pdfMargin-3)
	foot := "Definitions of every figure: docs/metrics.md. \"—\" means no data for the period."
	if !opts.Generated.IsZero() {
		zone := opts.Zone
		if zone == nil {
			zone = time.UTC
		}
		foot = "Made " + opts.Generated.In(zone).Format("2 Jan 2006 15:04 MST") + ".   " + foot
	}
	pdf.CellFormat(pdfWidth-2*pdfMargin, 3, tr(foot), "", 0, "L", false, 0, "")

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func revenueMaps(rows []vouch.SegmentFigure) []map[string]*vouch.Money {
	var out []map[string]*vouch.Money
	for _, r := range rows {
		out = append(out, r.Money)
	}
	return out
}

// pdfTile draws one tile: label, value, previous and change.
func pdfTile(pdf *fpdf.Fpdf, tr func(string) string, x, y, w, h float64, id vouch.MetricID, t *vouch.Tile) {
	d := vouch.Metric(id)
	pdf.SetDrawColor(209, 213, 219)
	pdf.SetFillColor(249, 250, 251)
	pdf.Rect(x, y, w, h, "FD")
	pad := 1.8
	inner := w - 2*pad
	pdf.SetTextColor(75, 85, 99)
	pdf.SetFont("Helvetica", "", 7)
	pdf.SetXY(x+pad, y+1.2)
	pdf.CellFormat(inner, 3.2, tr(pdfFit(pdf, tr, d.Label, inner)), "", 0, "L", false, 0, "")
	value := exportValue(id, t.MetricValue)
	size := 11.0
	pdf.SetFont("Helvetica", "B", size)
	for size > 6 && pdf.GetStringWidth(tr(value)) > inner {
		size -= 0.5
		pdf.SetFont("Helvetica", "B", size)
	}
	pdf.SetTextColor(17, 24, 39)
	pdf.SetXY(x+pad, y+h*0.30)
	pdf.CellFormat(inner, h*0.32, tr(value), "", 0, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 6.2)
	pdf.SetTextColor(75, 85, 99)
	pdf.SetXY(x+pad, y+h-4.2)
	sub := "Before: " + exportValue(id, t.Previous) + "   Change: " + exportChange(id, t)
	pdf.CellFormat(inner, 3, tr(pdfFit(pdf, tr, sub, inner)), "", 0, "L", false, 0, "")
}

// fit shortens s with an ellipsis until it fits width in the current font.
func pdfFit(pdf *fpdf.Fpdf, tr func(string) string, s string, width float64) string {
	if pdf.GetStringWidth(tr(s)) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && pdf.GetStringWidth(tr(string(r)+"…")) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
