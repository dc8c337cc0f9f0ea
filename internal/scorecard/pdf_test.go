package scorecard

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil/pdftext"

	"github.com/vouchhq/vouch/internal/vouch"
)

func fptr(f float64) *float64 { return &f }

// filledScorecard is a scorecard with realistic figures for every tile: a
// quarter of a large program, in two currencies.
func filledScorecard() *vouch.Scorecard {
	q := vouch.MetricQuery{From: vouch.NewDate(2026, 7, 1), To: vouch.NewDate(2026, 9, 30)}
	sc := &vouch.Scorecard{Query: q, Previous: q.Previous(), Tiles: map[vouch.MetricID]*vouch.Tile{}}
	for i, d := range vouch.Metrics {
		var now, prev vouch.MetricValue
		now.Metric, prev.Metric = d.ID, d.ID
		switch d.Unit {
		case vouch.UnitMoney:
			now.Money = map[string]*vouch.Money{"USD": {Currency: "USD", Amount: 480000, Deals: 6}, "EUR": {Currency: "EUR", Amount: 12500.5, Deals: 1}}
			prev.Money = map[string]*vouch.Money{"USD": {Currency: "USD", Amount: 350000, Deals: 4}}
		case vouch.UnitFraction:
			now.Value, prev.Value = fptr(0.75), fptr(0.6)
		case vouch.UnitDays:
			now.Value, prev.Value = fptr(12.5), fptr(14)
		case vouch.UnitRating:
			now.Value, prev.Value = fptr(4.3), fptr(4.1)
		default:
			now.Value, prev.Value = fptr(float64(1200+i*37)), fptr(float64(1100+i*30))
		}
		sc.Tiles[d.ID] = &vouch.Tile{MetricValue: now, Previous: prev}
	}
	// No data last period for one tile, and none this period for another.
	sc.Tiles[vouch.MetricAdvocateExperience].Previous.Value = nil
	sc.Tiles[vouch.MetricWinRateLift].Value = fptr(0.2)
	sc.Tiles[vouch.MetricContentHelpfulness].Value = nil
	for m := 0; m < 12; m++ {
		month := time.Date(2025, time.Month(10+m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		sc.Trend = append(sc.Trend, vouch.MonthFigure{Month: month, Requests: 300 + m*11, Fulfilled: 250 + m*9, Activities: 400 + m*13,
			Revenue: map[string]*vouch.Money{"USD": {Currency: "USD", Amount: float64(100000 + m*5000), Deals: 2}}})
	}
	for i, name := range []string{"Enterprise", "Mid-market", "SMB", ""} {
		sc.RevenueBySegment = append(sc.RevenueBySegment, vouch.SegmentFigure{ValueID: int64(i + 1), Name: name, Count: 3,
			Money: map[string]*vouch.Money{"USD": {Currency: "USD", Amount: float64(200000 - i*40000), Deals: 3}}})
		sc.ActiveBySegment = append(sc.ActiveBySegment, vouch.SegmentFigure{ValueID: int64(i + 1), Name: name, Count: 4000 - i*700})
	}
	return sc
}

func TestPDFIsOneLandscapePageWithTheTileValues(t *testing.T) {
	sc := filledScorecard()
	b, err := PDF(sc, ExportOptions{Period: "2026-Q3", Filters: []string{"Industry: Healthcare", "Region: EMEA"},
		Generated: time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	text, pages := pdftext.Text(t, b)
	if pages != 1 {
		t.Errorf("the PDF has %d pages, want one", pages)
	}
	// A4 landscape: 297 × 210 mm, in points.
	if !bytes.Contains(b, []byte("/MediaBox [0 0 841.89 595.28]")) {
		t.Errorf("the page is not A4 landscape")
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Reference program scorecard", "2026-Q3", "Industry: Healthcare · Region: EMEA",
		"Requests received", "1,200", // the first count tile
		"EUR 12,500.50, USD 480,000", // money per currency, never added
		"75.0%", "+15.0 pts",         // a rate and its change
		"+20.0 pts", // the lift
		"12.5 days", // days
		"4.3 / 5",   // a rating
		"Change: —", // no previous figure
		"Revenue influenced", "Win rate with references",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, flat)
		}
	}
	// Every tile's label is on the page.
	for _, id := range exportTileIDs(sc) {
		if lbl := vouch.Metric(id).Label; !strings.Contains(flat, strings.Fields(lbl)[0]) {
			t.Errorf("tile %s missing", lbl)
		}
	}
}

func TestPDFOfAnEmptyPeriodShowsDashes(t *testing.T) {
	q := vouch.MetricQuery{From: vouch.NewDate(2026, 11, 1), To: vouch.NewDate(2026, 11, 30)}
	sc := &vouch.Scorecard{Query: q, Previous: q.Previous(), Tiles: map[vouch.MetricID]*vouch.Tile{}}
	for _, d := range vouch.Metrics {
		sc.Tiles[d.ID] = &vouch.Tile{MetricValue: vouch.MetricValue{Metric: d.ID}, Previous: vouch.MetricValue{Metric: d.ID}}
	}
	b, err := PDF(sc, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := pdftext.Text(t, b)
	flat := strings.Join(strings.Fields(text), " ")
	if !strings.Contains(flat, "November 2026") || !strings.Contains(flat, "All segments") {
		t.Errorf("period or filters missing: %s", flat)
	}
	if strings.Contains(flat, "NaN") || strings.Contains(flat, "0.0%") {
		t.Errorf("an empty period shows a number: %s", flat)
	}
	if n := strings.Count(flat, "—"); n < len(vouch.Metrics) {
		t.Errorf("%d dashes for %d empty tiles", n, len(vouch.Metrics))
	}
}

func TestPNGDecodesAtItsSize(t *testing.T) {
	for name, sc := range map[string]*vouch.Scorecard{"filled": filledScorecard(), "empty": {Tiles: map[vouch.MetricID]*vouch.Tile{
		vouch.MetricRequestsReceived: {}}}} {
		b, err := PNGImage(sc, ExportOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: the PNG does not decode: %v", name, err)
		}
		if s := img.Bounds().Size(); s.X != PNGWidth || s.Y != PNGHeight {
			t.Errorf("%s: %v, want %d × %d", name, s, PNGWidth, PNGHeight)
		}
	}
}

func TestExportFigures(t *testing.T) {
	tile := func(now, prev *float64) *vouch.Tile {
		return &vouch.Tile{MetricValue: vouch.MetricValue{Value: now}, Previous: vouch.MetricValue{Value: prev}}
	}
	for _, c := range []struct {
		id           vouch.MetricID
		t            *vouch.Tile
		value, delta string
	}{
		{vouch.MetricRequestsReceived, tile(fptr(1234), fptr(1300)), "1,234", "-66"},
		{vouch.MetricFulfillmentRate, tile(fptr(0.5), fptr(0.25)), "50.0%", "+25.0 pts"},
		{vouch.MetricFulfillmentRate, tile(nil, fptr(0.25)), "—", "—"},
		{vouch.MetricFulfilMedianDays, tile(fptr(3), fptr(4.5)), "3.0 days", "-1.5 days"},
		{vouch.MetricWinRateLift, tile(fptr(-0.05), nil), "-5.0 pts", "—"},
		{vouch.MetricRevenueInfluenced, &vouch.Tile{}, "—", "—"},
		{vouch.MetricRevenueInfluenced, &vouch.Tile{
			MetricValue: vouch.MetricValue{Money: map[string]*vouch.Money{"USD": {Amount: 1500}}},
			Previous:    vouch.MetricValue{Money: map[string]*vouch.Money{"USD": {Amount: 2000.25}}}}, "USD 1,500", "-USD 500.25"},
	} {
		if got := exportValue(c.id, c.t.MetricValue); got != c.value {
			t.Errorf("%s value %q, want %q", c.id, got, c.value)
		}
		if got := exportChange(c.id, c.t); got != c.delta {
			t.Errorf("%s change %q, want %q", c.id, got, c.delta)
		}
	}
}

// BenchmarkPDF writes the PDF of a full scorecard (every tile, twelve months of trend).
func BenchmarkPDF(b *testing.B) {
	sc := filledScorecard()
	for i := 0; i < b.N; i++ {
		if _, err := PDF(sc, ExportOptions{Filters: []string{"Industry: Healthcare"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPNG draws the image of a full scorecard.
func BenchmarkPNG(b *testing.B) {
	sc := filledScorecard()
	for i := 0; i < b.N; i++ {
		if _, err := PNGImage(sc, ExportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
