package scorecard

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/font"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Format is how a chart is drawn: SVG for pages, PNG for mail and PDF.
type Format string

// Chart formats.
const (
	SVG Format = "svg"
	PNG Format = "png"
)

// The page's palette: one accent, a quiet second colour, grey text.
var (
	accent = drawing.ColorFromHex("2f5fb3")
	second = drawing.ColorFromHex("7aa0d8")
	money  = drawing.ColorFromHex("2e7d4f")
	ink    = drawing.ColorFromHex("333333")
)

// Which segment breakdown a bar chart draws.
const (
	BarsActive   = BreakdownActiveBySegment
	BarsRevenue  = BreakdownRevenueBySegment
	BarsPipeline = BreakdownPipelineBySegment
)

// TrendChart draws the trend by month: requests received and fulfilled
// (left axis, count) and revenue influenced (right axis, in the currency
// with the most of it), titled with the period's days.
func TrendChart(sc *vouch.Scorecard, format Format, w, h int) ([]byte, error) {
	return trendChart(sc, customName(sc.Query.From, sc.Query.To), format, w, h)
}

// SegmentChart draws one breakdown by segment as bars (which: BarsActive,
// BarsRevenue or BarsPipeline), titled with the period's days.
func SegmentChart(sc *vouch.Scorecard, which string, format Format, w, h int) ([]byte, error) {
	return segmentChart(sc, which, customName(sc.Query.From, sc.Query.To), format, w, h)
}

// TrendChart is the card's trend, titled with the period's name.
func (c *Card) TrendChart(format Format, w, h int) ([]byte, error) {
	return trendChart(c.Scorecard, c.Name, format, w, h)
}

// SegmentChart is one of the card's breakdowns, titled with the period's name.
func (c *Card) SegmentChart(which string, format Format, w, h int) ([]byte, error) {
	return segmentChart(c.Scorecard, which, c.Name, format, w, h)
}

// text is s as the renderer needs it: go-chart writes SVG text unescaped,
// and taxonomy names are the program's own words, so they are escaped here.
func text(format Format, s string) string {
	if format == SVG {
		return html.EscapeString(s)
	}
	return s
}

func renderer(format Format) chart.RendererProvider {
	if format == PNG {
		return chart.PNG
	}
	return newMeasuringSVG
}

// measuringSVG is go-chart's SVG renderer with its text measured by one
// font face per font and size for the whole chart. go-chart's own makes a
// new truetype face, with a fresh glyph cache of about a megabyte, for
// every label it measures: some 75 MB of garbage for each scorecard page's
// charts. The SVG written is the same.
type measuringSVG struct {
	chart.Renderer
	font  *truetype.Font
	size  float64
	dpi   float64
	theta *float64
	faces map[faceKey]font.Face
}

type faceKey struct {
	font      *truetype.Font
	size, dpi float64
}

func newMeasuringSVG(width, height int) (chart.Renderer, error) {
	r, err := chart.SVG(width, height)
	if err != nil {
		return nil, err
	}
	return &measuringSVG{Renderer: r, dpi: chart.DefaultDPI, faces: map[faceKey]font.Face{}}, nil
}

// The setters note what MeasureText needs and pass on to go-chart's renderer.
func (m *measuringSVG) SetDPI(dpi float64)       { m.dpi = dpi; m.Renderer.SetDPI(dpi) }
func (m *measuringSVG) SetFont(f *truetype.Font) { m.font = f; m.Renderer.SetFont(f) }
func (m *measuringSVG) SetFontSize(size float64) { m.size = size; m.Renderer.SetFontSize(size) }

// ResetStyle keeps the font and drops the size, as go-chart's does.
func (m *measuringSVG) ResetStyle() { m.size = 0; m.Renderer.ResetStyle() }

func (m *measuringSVG) SetTextRotation(radians float64) {
	m.theta = &radians
	m.Renderer.SetTextRotation(radians)
}

func (m *measuringSVG) ClearTextRotation() { m.theta = nil; m.Renderer.ClearTextRotation() }

// MeasureText is go-chart's vector MeasureText over a face kept per font and size.
func (m *measuringSVG) MeasureText(body string) chart.Box {
	if m.font == nil {
		return chart.Box{}
	}
	key := faceKey{font: m.font, size: m.size, dpi: m.dpi}
	face, ok := m.faces[key]
	if !ok {
		face = truetype.NewFace(m.font, &truetype.Options{DPI: m.dpi, Size: m.size})
		m.faces[key] = face
	}
	box := chart.Box{Right: (&font.Drawer{Face: face}).MeasureString(body).Ceil(), Bottom: int(drawing.PointsToPixels(m.dpi, m.size))}
	if m.theta == nil {
		return box
	}
	return box.Corners().Rotate(chart.RadiansToDegrees(*m.theta)).Box()
}

// niceMax is an axis top at least 1 and a little above max.
func niceMax(max float64) float64 {
	if max <= 0 || math.IsNaN(max) {
		return 1
	}
	step := math.Pow(10, math.Floor(math.Log10(max)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*step >= max {
			return f * step
		}
	}
	return 10 * step
}

// countMax is an axis top for counts: a multiple of 4, so its quarter
// ticks are whole numbers.
func countMax(max float64) float64 {
	m := niceMax(max)
	return math.Max(4, math.Ceil(m/4)*4)
}

// quarterTicks are ticks at 0, ¼, ½, ¾ and the whole of top.
func quarterTicks(top float64, format Format, label func(float64) string) []chart.Tick {
	ticks := make([]chart.Tick, 5)
	for i := range ticks {
		v := top * float64(i) / 4
		ticks[i] = chart.Tick{Value: v, Label: text(format, label(v))}
	}
	return ticks
}

func countTick(v float64) string { return fmt.Sprintf("%.0f", v) }

// mainCurrency is the currency holding the most money across figures (ties by name).
func mainCurrency(maps ...map[string]*vouch.Money) string {
	sum := map[string]float64{}
	for _, m := range maps {
		for c, v := range m {
			if v != nil {
				sum[c] += v.Amount
			}
		}
	}
	best, bestAmt := "", -1.0
	keys := make([]string, 0, len(sum))
	for c := range sum {
		keys = append(keys, c)
	}
	sort.Strings(keys)
	for _, c := range keys {
		if sum[c] > bestAmt {
			best, bestAmt = c, sum[c]
		}
	}
	return best
}

func amount(m map[string]*vouch.Money, cur string) float64 {
	if v := m[cur]; v != nil {
		return v.Amount
	}
	return 0
}

// moneyTick writes an axis figure short: 480k, 1.2M.
func moneyTick(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v/1e6), ".0") + "M"
	case a >= 1e3:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v/1e3), ".0") + "k"
	}
	return fmt.Sprintf("%.0f", v)
}

func trendChart(sc *vouch.Scorecard, period string, format Format, w, h int) ([]byte, error) {
	months := sc.Trend
	if len(months) == 0 {
		months = emptyTrend(sc.Query)
	}
	var revs []map[string]*vouch.Money
	for _, m := range months {
		revs = append(revs, m.Revenue)
	}
	cur := mainCurrency(revs...)
	n := len(months)
	xs := make([]float64, n)
	received, fulfilled, revenue := make([]float64, n), make([]float64, n), make([]float64, n)
	var ticks []chart.Tick
	maxCount, maxMoney := 0.0, 0.0
	every := 1 + (n-1)/12 // at most a dozen month labels
	for i, m := range months {
		xs[i] = float64(i)
		received[i], fulfilled[i] = float64(m.Requests), float64(m.Fulfilled)
		revenue[i] = amount(m.Revenue, cur)
		maxCount = math.Max(maxCount, math.Max(received[i], fulfilled[i]))
		maxMoney = math.Max(maxMoney, revenue[i])
		label := ""
		if i%every == 0 {
			label = monthLabel(m.Month)
		}
		ticks = append(ticks, chart.Tick{Value: float64(i), Label: text(format, label)})
	}
	if n == 1 {
		// A single month still needs a run of x for the axis.
		ticks = append(ticks, chart.Tick{Value: 0.5, Label: ""})
	}
	revName := "Revenue influenced"
	if cur != "" {
		revName += " (" + cur + ")"
	} else {
		revName += " (none)"
	}
	countAxis := countMax(maxCount)
	moneyAxis := niceMax(maxMoney)
	dot := func(c drawing.Color) chart.Style {
		return chart.Style{StrokeColor: c, StrokeWidth: 2, DotColor: c, DotWidth: 3}
	}
	graph := chart.Chart{
		Width: w, Height: h,
		Background: chart.Style{Padding: chart.Box{Top: 58, Left: 30, Right: 10, Bottom: 10}},
		XAxis: chart.XAxis{Name: text(format, "Month"), Ticks: ticks,
			Range: &chart.ContinuousRange{Min: 0, Max: math.Max(float64(n-1), 0.5)}},
		// The left axis counts requests; the right one is money.
		YAxisSecondary: chart.YAxis{Name: text(format, "Requests (count)"),
			// Ticks of its own would not be placed on the secondary axis's range.
			Range:          &chart.ContinuousRange{Min: 0, Max: countAxis},
			ValueFormatter: func(v any) string { return countTick(v.(float64)) }},
		YAxis: chart.YAxis{Name: text(format, revName),
			Range: &chart.ContinuousRange{Min: 0, Max: moneyAxis}, Ticks: quarterTicks(moneyAxis, format, moneyTick)},
		Series: []chart.Series{
			chart.ContinuousSeries{Name: text(format, "Requests received"), XValues: xs, YValues: received, Style: dot(accent), YAxis: chart.YAxisSecondary},
			chart.ContinuousSeries{Name: text(format, "Requests fulfilled"), XValues: xs, YValues: fulfilled, Style: dot(second), YAxis: chart.YAxisSecondary},
			chart.ContinuousSeries{Name: text(format, revName), XValues: xs, YValues: revenue,
				Style: chart.Style{StrokeColor: money, StrokeWidth: 2, StrokeDashArray: []float64{5, 3}, DotColor: money, DotWidth: 3}},
		},
	}
	graph.Elements = []chart.Renderable{chart.LegendThin(&graph), chartTitle(text(format, "Requests and revenue influenced by month, "+period))}
	var buf bytes.Buffer
	if err := graph.Render(renderer(format), &buf); err != nil {
		return nil, fmt.Errorf("trend chart: %w", err)
	}
	return finish(format, buf.Bytes()), nil
}

var styleAttr = regexp.MustCompile(`style="([^"]*)"`)

// finish makes an SVG fit for a page whose Content-Security-Policy allows
// no inline styles: go-chart writes each element's look as a style
// attribute, which such a page ignores (every shape turns black), so the
// declarations become SVG presentation attributes instead.
func finish(format Format, b []byte) []byte {
	if format != SVG {
		return b
	}
	return styleAttr.ReplaceAllFunc(b, func(m []byte) []byte {
		decls := strings.Split(string(styleAttr.FindSubmatch(m)[1]), ";")
		var out []string
		for _, d := range decls {
			k, v, ok := strings.Cut(d, ":")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if !ok || k == "" || strings.ContainsAny(k+v, `"<>`) {
				continue
			}
			out = append(out, k+`="`+v+`"`)
		}
		return []byte(strings.Join(out, " "))
	})
}

// chartTitle draws a chart's title at its top left. go-chart's own title would
// inherit the rotation of the last axis name drawn.
func chartTitle(s string) chart.Renderable {
	return func(r chart.Renderer, _ chart.Box, defaults chart.Style) {
		r.ClearTextRotation()
		r.SetFont(defaults.GetFont())
		r.SetFontColor(ink)
		r.SetFontSize(12)
		r.Text(s, 10, 18)
	}
}

// monthLabel writes "2026-11" as "Nov 26".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("Jan 06")
}

func segmentChart(sc *vouch.Scorecard, which, period string, format Format, w, h int) ([]byte, error) {
	var rows []vouch.SegmentFigure
	var title, axis string
	var cur string
	switch which {
	case BarsRevenue, BarsPipeline:
		rows = sc.RevenueBySegment
		title = "Revenue influenced by segment"
		if which == BarsPipeline {
			rows, title = sc.PipelineBySegment, "Pipeline influenced by segment"
		}
		var ms []map[string]*vouch.Money
		for _, r := range rows {
			ms = append(ms, r.Money)
		}
		cur = mainCurrency(ms...)
		axis = "Amount"
		if cur != "" {
			axis += " (" + cur + ")"
		}
	default:
		rows, title, axis = sc.ActiveBySegment, "Active references by segment", "References (count)"
	}
	var bars []chart.Value
	max := 0.0
	for _, r := range rows {
		v := float64(r.Count)
		if which != BarsActive {
			v = amount(r.Money, cur)
		}
		name := r.Name
		if name == "" {
			name = "Not set"
		}
		bars = append(bars, chart.Value{Label: text(format, name), Value: v, Style: chart.Style{FillColor: accent, StrokeColor: accent}})
		max = math.Max(max, v)
	}
	if len(bars) == 0 {
		bars = []chart.Value{{Label: text(format, "No data in this period"), Value: 0, Style: chart.Style{FillColor: accent, StrokeColor: accent}}}
	}
	top, label := countMax(max), countTick
	if which != BarsActive {
		top, label = niceMax(max), moneyTick
	}
	bw := (w - 120) / (2*len(bars) + 1)
	if bw > 60 {
		bw = 60
	}
	if bw < 8 {
		bw = 8
	}
	bc := chart.BarChart{
		Width: w, Height: h,
		Background: chart.Style{Padding: chart.Box{Top: 36, Left: 10, Right: 10, Bottom: 34}},
		BarWidth:   bw, BarSpacing: bw,
		Elements: []chart.Renderable{chartTitle(text(format, title+", "+period))},
		XAxis:    chart.Style{FontSize: 8, FontColor: ink},
		YAxis: chart.YAxis{Name: text(format, axis), Range: &chart.ContinuousRange{Min: 0, Max: top},
			Ticks: quarterTicks(top, format, label)},
		Bars: bars,
	}
	var buf bytes.Buffer
	if err := bc.Render(renderer(format), &buf); err != nil {
		return nil, fmt.Errorf("segment chart: %w", err)
	}
	return finish(format, buf.Bytes()), nil
}
