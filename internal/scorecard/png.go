package scorecard

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"time"

	"github.com/golang/freetype/truetype"
	"github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The scorecard as one image, for mail (shown inline) and the PNG export:
// the title, period and filters, the key tiles and the monthly trend.

// PNG image size, in pixels.
const (
	PNGWidth  = 1200
	PNGHeight = 880
)

// pngTiles are the tiles the image shows, four to a row.
var pngTiles = []vouch.MetricID{
	vouch.MetricRequestsReceived, vouch.MetricRequestsFulfilled, vouch.MetricFulfillmentRate, vouch.MetricFulfilMedianDays,
	vouch.MetricRevenueInfluenced, vouch.MetricPipelineInfluenced, vouch.MetricDealsInfluenced, vouch.MetricWinRateLift,
	vouch.MetricWinRateWith, vouch.MetricWinRateWithout, vouch.MetricActiveReferences, vouch.MetricAskAcceptance,
}

var (
	inkDark  = color.RGBA{17, 24, 39, 255}
	inkMuted = color.RGBA{75, 85, 99, 255}
	tileFill = color.RGBA{249, 250, 251, 255}
	tileLine = color.RGBA{209, 213, 219, 255}
)

// PNG draws sc as one image of PNGWidth × PNGHeight pixels.
func PNG(sc *vouch.Scorecard, opts ExportOptions) ([]byte, error) {
	if sc == nil {
		return nil, fmt.Errorf("no scorecard to draw")
	}
	f, err := chart.GetDefaultFont()
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, PNGWidth, PNGHeight))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	const margin = 24
	text(img, f, 28, inkDark, margin, 50, opts.title(), PNGWidth-2*margin)
	line := opts.period(sc.Query)
	if !sc.Previous.From.IsZero() {
		line += "   ·   compared with " + exportPeriod(sc.Previous)
	}
	text(img, f, 18, inkMuted, margin, 82, line, PNGWidth-2*margin)
	text(img, f, 16, inkMuted, margin, 108, "Filters: "+opts.filters(), PNGWidth-2*margin)

	const cols, gap, tileH = 4, 14, 104
	tileW := (PNGWidth - 2*margin - gap*(cols-1)) / cols
	top := 128
	n := 0
	for _, id := range pngTiles {
		t := sc.Tiles[id]
		if t == nil {
			continue
		}
		x := margin + (n%cols)*(tileW+gap)
		y := top + (n/cols)*(tileH+gap)
		box(img, image.Rect(x, y, x+tileW, y+tileH), tileFill, tileLine)
		text(img, f, 15, inkMuted, x+12, y+24, vouch.Metric(id).Label, tileW-24)
		value := exportValue(id, t.MetricValue)
		size := 30.0
		for size > 14 && measure(f, size, value) > tileW-24 {
			size -= 2
		}
		text(img, f, size, inkDark, x+12, y+64, value, tileW-24)
		text(img, f, 13, inkMuted, x+12, y+92, "Before: "+exportValue(id, t.Previous)+"   Change: "+exportChange(id, t), tileW-24)
		n++
	}
	rows := (n + cols - 1) / cols
	chartTop := top + rows*(tileH+gap) + 4
	chartH := PNGHeight - chartTop - margin
	if chartH > 120 {
		trend, err := trendPNG(sc, PNGWidth-2*margin, chartH)
		if err != nil {
			return nil, err
		}
		ci, err := png.Decode(bytes.NewReader(trend))
		if err != nil {
			return nil, err
		}
		draw.Draw(img, image.Rect(margin, chartTop, margin+ci.Bounds().Dx(), chartTop+ci.Bounds().Dy()), ci, ci.Bounds().Min, draw.Over)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// face is the chart font at size pixels.
func face(f *truetype.Font, size float64) font.Face {
	return truetype.NewFace(f, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingFull})
}

func measure(f *truetype.Font, size float64, s string) int {
	return font.MeasureString(face(f, size), s).Ceil()
}

// text writes s with its baseline at (x, y), cut with an ellipsis to width.
func text(img draw.Image, f *truetype.Font, size float64, c color.Color, x, y int, s string, width int) {
	fc := face(f, size)
	if font.MeasureString(fc, s).Ceil() > width {
		r := []rune(s)
		for len(r) > 1 && font.MeasureString(fc, string(r)+"…").Ceil() > width {
			r = r[:len(r)-1]
		}
		s = string(r) + "…"
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: fc, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func box(img draw.Image, r image.Rectangle, fill, line color.Color) {
	draw.Draw(img, r, image.NewUniform(line), image.Point{}, draw.Src)
	draw.Draw(img, r.Inset(1), image.NewUniform(fill), image.Point{}, draw.Src)
}

// noData is a chart-sized image that says there is nothing to draw.
func noData(title string, w, h int) ([]byte, error) {
	f, err := chart.GetDefaultFont()
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	box(img, img.Bounds(), color.White, tileLine)
	text(img, f, 18, inkDark, 16, 32, title, w-32)
	text(img, f, 16, inkMuted, 16, h/2, "No data for this period.", w-32)
	var buf bytes.Buffer
	err = png.Encode(&buf, img)
	return buf.Bytes(), err
}

// trendPNG draws the monthly trend: requests received and fulfilled and
// reference activities, month by month. (A stand-in for the scorecard's
// own chart until both are merged.)
func trendPNG(sc *vouch.Scorecard, w, h int) ([]byte, error) {
	title := "Requests and activities by month, " + exportPeriod(sc.Query)
	if len(sc.Trend) == 0 {
		return noData(title, w, h)
	}
	xs := make([]float64, len(sc.Trend))
	received, fulfilled, activities := make([]float64, len(xs)), make([]float64, len(xs)), make([]float64, len(xs))
	ticks := make([]chart.Tick, len(xs))
	top := 1.0
	for i, m := range sc.Trend {
		xs[i] = float64(i)
		received[i], fulfilled[i], activities[i] = float64(m.Requests), float64(m.Fulfilled), float64(m.Activities)
		top = math.Max(top, math.Max(received[i], math.Max(fulfilled[i], activities[i])))
		label := m.Month
		if t, err := time.Parse("2006-01", m.Month); err == nil {
			label = t.Format("Jan 06")
		}
		ticks[i] = chart.Tick{Value: float64(i), Label: label}
	}
	maxX := float64(len(xs) - 1)
	if maxX < 1 {
		maxX = 1
	}
	c := chart.Chart{
		Width: w, Height: h - chartTitleH,
		Background: chart.Style{Padding: chart.Box{Top: 30, Left: 10, Right: 20, Bottom: 10}},
		XAxis:      chart.XAxis{Name: "Month", Ticks: ticks, Range: &chart.ContinuousRange{Min: 0, Max: maxX}},
		YAxis: chart.YAxis{Name: "Count", Range: &chart.ContinuousRange{Min: 0, Max: math.Ceil(top * 1.1)},
			ValueFormatter: func(v any) string { return fmt.Sprintf("%.0f", v) }},
		Series: []chart.Series{
			chart.ContinuousSeries{Name: "Requests received", XValues: xs, YValues: received,
				Style: chart.Style{StrokeColor: drawing.Color{R: 37, G: 99, B: 235, A: 255}, StrokeWidth: 2.5}},
			chart.ContinuousSeries{Name: "Requests fulfilled", XValues: xs, YValues: fulfilled,
				Style: chart.Style{StrokeColor: drawing.Color{R: 22, G: 163, B: 74, A: 255}, StrokeWidth: 2.5}},
			chart.ContinuousSeries{Name: "Reference activities", XValues: xs, YValues: activities,
				Style: chart.Style{StrokeColor: drawing.Color{R: 217, G: 119, B: 6, A: 255}, StrokeWidth: 2.5}},
		},
	}
	c.Elements = []chart.Renderable{chart.LegendThin(&c)}
	var buf bytes.Buffer
	if err := c.Render(chart.PNG, &buf); err != nil {
		return nil, fmt.Errorf("drawing the trend chart: %w", err)
	}
	return titled(buf.Bytes(), title, w, h)
}

// segmentsPNG draws revenue influenced by segment in the main currency, or
// active references by segment when no revenue was influenced.
func segmentsPNG(sc *vouch.Scorecard, w, h int) ([]byte, error) {
	var bars []chart.Value
	title := ""
	if cur := mainCurrency(sc.RevenueBySegment); cur != "" {
		title = "Revenue influenced by segment (" + cur + "), " + exportPeriod(sc.Query)
		for _, s := range sc.RevenueBySegment {
			if m := s.Money[cur]; m != nil && m.Amount > 0 {
				bars = append(bars, chart.Value{Label: segmentName(s), Value: m.Amount})
			}
		}
	} else {
		title = "Active references by segment, end of " + exportPeriod(sc.Query)
		for _, s := range sc.ActiveBySegment {
			if s.Count > 0 {
				bars = append(bars, chart.Value{Label: segmentName(s), Value: float64(s.Count)})
			}
		}
	}
	if len(bars) == 0 {
		return noData(title, w, h)
	}
	if len(bars) > 8 {
		bars = bars[:8]
	}
	top := 0.0
	for _, b := range bars {
		top = math.Max(top, b.Value)
	}
	bc := chart.BarChart{
		Width: w, Height: h - chartTitleH,
		Background: chart.Style{Padding: chart.Box{Top: 40, Left: 10, Right: 10, Bottom: 10}},
		BarWidth:   max(20, (w-160)/len(bars)/2),
		XAxis:      chart.Style{FontSize: 9},
		YAxis: chart.YAxis{Range: &chart.ContinuousRange{Min: 0, Max: top * 1.1},
			ValueFormatter: func(v any) string {
				if f, ok := v.(float64); ok {
					return vouch.FormatMoney("", math.Round(f))
				}
				return ""
			}},
		Bars: bars,
	}
	var buf bytes.Buffer
	if err := bc.Render(chart.PNG, &buf); err != nil {
		return nil, fmt.Errorf("drawing the segment chart: %w", err)
	}
	return titled(buf.Bytes(), title, w, h)
}

// chartTitleH is the height of the line above a chart that names it.
const chartTitleH = 30

// titled puts title on a line above the chart image, w × h in all.
func titled(chartPNG []byte, title string, w, h int) ([]byte, error) {
	f, err := chart.GetDefaultFont()
	if err != nil {
		return nil, err
	}
	ci, err := png.Decode(bytes.NewReader(chartPNG))
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	text(img, f, 17, inkDark, 8, 21, title, w-16)
	draw.Draw(img, image.Rect(0, chartTitleH, w, h), ci, ci.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	err = png.Encode(&buf, img)
	return buf.Bytes(), err
}

func segmentName(s vouch.SegmentFigure) string {
	if s.Name == "" {
		return "Not set"
	}
	return s.Name
}

// mainCurrency is the currency with the largest total across segments.
func mainCurrency(segs []vouch.SegmentFigure) string {
	totals := map[string]float64{}
	for _, s := range segs {
		for cur, m := range s.Money {
			if m != nil {
				totals[cur] += m.Amount
			}
		}
	}
	best, bestAmount := "", 0.0
	for _, cur := range exportCurrencies(moneyKeys(totals)) {
		if totals[cur] > bestAmount {
			best, bestAmount = cur, totals[cur]
		}
	}
	return best
}

func moneyKeys(m map[string]float64) map[string]*vouch.Money {
	out := make(map[string]*vouch.Money, len(m))
	for k := range m {
		out[k] = nil
	}
	return out
}
