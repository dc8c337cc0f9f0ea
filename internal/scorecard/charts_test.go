package scorecard

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	chart "github.com/wcharczuk/go-chart/v2"

	"github.com/vouchhq/vouch/internal/vouch"
)

func chartCard() *vouch.Scorecard {
	q := vouch.MetricQuery{From: vouch.NewDate(2026, 7, 1), To: vouch.NewDate(2026, 9, 30)}
	return &vouch.Scorecard{Query: q,
		Trend: []vouch.MonthFigure{
			{Month: "2026-07", Requests: 4, Fulfilled: 2, Revenue: map[string]*vouch.Money{"USD": {Currency: "USD", Amount: 120000, Deals: 2}}},
			{Month: "2026-08", Requests: 6, Fulfilled: 5},
			{Month: "2026-09", Requests: 3, Fulfilled: 3, Revenue: map[string]*vouch.Money{"USD": {Currency: "USD", Amount: 360000, Deals: 4}, "EUR": {Currency: "EUR", Amount: 1000, Deals: 1}}},
		},
		ActiveBySegment:  []vouch.SegmentFigure{{ValueID: 1, Name: `Enterprise <script>alert("x")</script> & Co`, Count: 7}, {Name: "", Count: 2}},
		RevenueBySegment: []vouch.SegmentFigure{{ValueID: 1, Name: "Enterprise", Money: map[string]*vouch.Money{"USD": {Currency: "USD", Amount: 480000, Deals: 6}}}},
	}
}

// wellFormed parses an SVG as XML: unescaped names would break it.
func wellFormed(t *testing.T, svg []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well formed: %v\n%s", err, svg)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			if v.Name.Local == "script" {
				t.Fatalf("SVG has a script element")
			}
			inText = v.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(v))
			}
		case xml.EndElement:
			inText = false
		}
	}
	return strings.Join(texts, "|")
}

func TestChartsDrawTitlesAxesAndEscapedNames(t *testing.T) {
	sc := chartCard()
	svg, err := TrendChart(sc, SVG, 720, 300)
	if err != nil {
		t.Fatal(err)
	}
	texts := wellFormed(t, svg)
	for _, want := range []string{"Requests and revenue influenced by month, 1 Jul 2026 – 30 Sep 2026", "Requests (count)", "Revenue influenced (USD)", "Month", "Jul 26", "Sep 26", "Requests received"} {
		if !strings.Contains(texts, want) {
			t.Errorf("trend chart lacks %q: %s", want, texts)
		}
	}
	bars, err := SegmentChart(sc, BarsActive, SVG, 720, 300)
	if err != nil {
		t.Fatal(err)
	}
	texts = strings.ReplaceAll(wellFormed(t, bars), "|", "")
	for _, want := range []string{"Active references by segment", `<script>alert("x")</script>`, "& Co", "Not set", "References (count)"} {
		if !strings.Contains(texts, want) {
			t.Errorf("segment chart lacks %q: %s", want, texts)
		}
	}
	if bytes.Contains(bars, []byte("<script")) {
		t.Errorf("a taxonomy name reached the SVG unescaped")
	}
	// Pages allow no inline style: the look is in presentation attributes.
	for _, svg := range [][]byte{svg, bars} {
		if bytes.Contains(svg, []byte("style=")) || !bytes.Contains(svg, []byte(`fill="rgba(`)) {
			t.Errorf("the SVG draws with style attributes")
		}
	}
	rev, err := SegmentChart(sc, BarsRevenue, SVG, 720, 300)
	if err != nil {
		t.Fatal(err)
	}
	if texts := wellFormed(t, rev); !strings.Contains(texts, "Amount (USD)") {
		t.Errorf("revenue chart lacks its unit: %s", texts)
	}
	for _, which := range []string{BarsActive, BarsRevenue} {
		p, err := SegmentChart(sc, which, PNG, 720, 300)
		if err != nil {
			t.Fatal(err)
		}
		if img, err := png.Decode(bytes.NewReader(p)); err != nil || img.Bounds().Dx() != 720 {
			t.Fatalf("PNG %s: %v", which, err)
		}
	}
}

func TestChartsOfAnEmptyPeriod(t *testing.T) {
	sc := &vouch.Scorecard{Query: vouch.MetricQuery{From: vouch.NewDate(2026, 11, 1), To: vouch.NewDate(2026, 11, 30)}}
	for _, f := range []Format{SVG, PNG} {
		if _, err := TrendChart(sc, f, 600, 260); err != nil {
			t.Errorf("empty trend %s: %v", f, err)
		}
		for _, which := range []string{BarsActive, BarsRevenue, BarsPipeline} {
			if _, err := SegmentChart(sc, which, f, 600, 260); err != nil {
				t.Errorf("empty %s %s: %v", which, f, err)
			}
		}
	}
	svg, _ := TrendChart(sc, SVG, 600, 260)
	if texts := wellFormed(t, svg); !strings.Contains(texts, "Dec 25") || !strings.Contains(texts, "Nov 26") {
		t.Errorf("a month's trend shows the twelve months ending with it: %s", texts)
	}
}

// TestMeasuringSVGMeasuresAsGoChartDoes: the renderer the pages use
// measures every label as go-chart's own SVG renderer would (so the charts
// are laid out the same), at every size, rotated or not, after a style reset.
func TestMeasuringSVGMeasuresAsGoChartDoes(t *testing.T) {
	f, err := chart.GetDefaultFont()
	if err != nil {
		t.Fatal(err)
	}
	theirs, _ := chart.SVG(900, 360)
	ours, _ := newMeasuringSVG(900, 360)
	for _, r := range []chart.Renderer{theirs, ours} {
		r.SetDPI(96)
		r.SetFont(f)
	}
	for _, size := range []float64{8, 9.5, 12, 18} {
		for _, theta := range []*float64{nil, ptrTo(math.Pi / 4), ptrTo(-math.Pi / 2)} {
			for _, text := range []string{"", "2026-07", "Requests received", "USD 1,250,000", "Größe · Ünits"} {
				for _, r := range []chart.Renderer{theirs, ours} {
					r.ResetStyle()
					r.SetFontSize(size)
					if theta != nil {
						r.SetTextRotation(*theta)
					} else {
						r.ClearTextRotation()
					}
				}
				if a, b := theirs.MeasureText(text), ours.MeasureText(text); a != b {
					t.Errorf("%q at %v pt, rotated %v: go-chart measures %+v, ours %+v", text, size, theta, a, b)
				}
			}
		}
	}
}

func ptrTo(f float64) *float64 { return &f }

// BenchmarkSVGCharts draws the page's two charts as SVG.
func BenchmarkSVGCharts(b *testing.B) {
	sc := filledScorecard()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := TrendChart(sc, SVG, 900, 360); err != nil {
			b.Fatal(err)
		}
		if _, err := SegmentChart(sc, BarsRevenue, SVG, 900, 360); err != nil {
			b.Fatal(err)
		}
	}
}
