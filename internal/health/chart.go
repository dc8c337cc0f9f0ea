package health

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The scorecard's palette: one accent, a quiet second colour, grey text.
var (
	accent = drawing.ColorFromHex("2f5fb3")
	second = drawing.ColorFromHex("7aa0d8")
	ink    = drawing.ColorFromHex("333333")
)

// TrendChart draws the assessments over time as SVG: the average stage of
// the rated elements (solid), and one element's stage when element is set
// (dashed), against the assessment's date; the y axis is the stage, 1
// (underdeveloped) to 4 (advanced).
func TrendChart(as []*vouch.HealthAssessment, element vouch.HealthElement, w, h int) ([]byte, error) {
	n := len(as)
	xs, avg := make([]float64, n), make([]float64, n)
	var one []float64
	var ticks []chart.Tick
	every := 1 + (n-1)/8 // at most eight date labels
	for i, a := range as {
		xs[i], avg[i] = float64(i), a.Average()
		if element != "" {
			one = append(one, float64(a.Rating(element).Stage))
		}
		label := ""
		if i%every == 0 {
			label = a.AssessedOn.Time().Format("2 Jan 06")
		}
		ticks = append(ticks, chart.Tick{Value: float64(i), Label: label})
	}
	if n <= 1 {
		// One assessment (or none) still needs a run of x for the axis.
		if n == 0 {
			xs, avg = []float64{0}, []float64{0}
			ticks = append(ticks, chart.Tick{Value: 0, Label: ""})
		}
		ticks = append(ticks, chart.Tick{Value: 0.5, Label: ""})
	}
	var stageTicks []chart.Tick
	for _, st := range vouch.HealthStages {
		stageTicks = append(stageTicks, chart.Tick{Value: float64(st), Label: fmt.Sprintf("%d %s", st, st.Label())})
	}
	dot := func(c drawing.Color) chart.Style {
		return chart.Style{StrokeColor: c, StrokeWidth: 2, DotColor: c, DotWidth: 3}
	}
	series := []chart.Series{chart.ContinuousSeries{Name: "Average stage of the rated elements", XValues: xs, YValues: avg, Style: dot(accent)}}
	title := "Program health by assessment"
	if element != "" && n > 0 {
		st := dot(second)
		st.StrokeDashArray = []float64{5, 3}
		series = append(series, chart.ContinuousSeries{Name: html.EscapeString(element.Label()), XValues: xs, YValues: one, Style: st})
		title += ": average and " + element.Label()
	}
	if n > 0 {
		title += fmt.Sprintf(", %s – %s", as[0].AssessedOn.Time().Format("2 Jan 2006"), as[n-1].AssessedOn.Time().Format("2 Jan 2006"))
	}
	graph := chart.Chart{
		Width: w, Height: h,
		Background: chart.Style{Padding: chart.Box{Top: 58, Left: 10, Right: 20, Bottom: 10}},
		XAxis: chart.XAxis{Name: "Assessment date", Ticks: ticks,
			Range: &chart.ContinuousRange{Min: 0, Max: max(float64(n-1), 0.5)}},
		YAxis:  chart.YAxis{Name: "Stage (1–4)", Ticks: stageTicks, Range: &chart.ContinuousRange{Min: 1, Max: 4}},
		Series: series,
	}
	graph.Elements = []chart.Renderable{chart.LegendThin(&graph), chartTitle(html.EscapeString(title))}
	var buf bytes.Buffer
	if err := graph.Render(chart.SVG, &buf); err != nil {
		return nil, fmt.Errorf("health trend chart: %w", err)
	}
	return presentation(buf.Bytes()), nil
}

var styleAttr = regexp.MustCompile(`style="([^"]*)"`)

// presentation makes the SVG fit for a page whose Content-Security-Policy
// allows no inline styles, as the scorecard's charts do: go-chart writes
// each element's look as a style attribute, which such a page ignores, so
// the declarations become SVG presentation attributes.
func presentation(b []byte) []byte {
	return styleAttr.ReplaceAllFunc(b, func(m []byte) []byte {
		var out []string
		for _, d := range strings.Split(string(styleAttr.FindSubmatch(m)[1]), ";") {
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

// chartTitle draws the title at the top left (go-chart's own would inherit
// the rotation of the last axis name drawn).
func chartTitle(s string) chart.Renderable {
	return func(r chart.Renderer, _ chart.Box, defaults chart.Style) {
		r.ClearTextRotation()
		r.SetFont(defaults.GetFont())
		r.SetFontColor(ink)
		r.SetFontSize(12)
		r.Text(s, 10, 18)
	}
}
