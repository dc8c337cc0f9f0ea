package scorecard

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
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

// PNGImage draws sc as one image of PNGWidth × PNGHeight pixels.
func PNGImage(sc *vouch.Scorecard, opts ExportOptions) ([]byte, error) {
	if sc == nil {
		return nil, fmt.Errorf("no scorecard to draw")
	}
	f, err := chart.GetDefaultFont()
	if err != nil {
		return nil, err
	}
	pt := &painter{f: f, faces: map[float64]font.Face{}}
	img := image.NewRGBA(image.Rect(0, 0, PNGWidth, PNGHeight))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	const margin = 24
	pt.text(img, 28, inkDark, margin, 50, opts.title(), PNGWidth-2*margin)
	line := opts.period(sc.Query)
	if !sc.Previous.From.IsZero() {
		line += "   ·   compared with " + exportPeriod(sc.Previous)
	}
	pt.text(img, 18, inkMuted, margin, 82, line, PNGWidth-2*margin)
	pt.text(img, 16, inkMuted, margin, 108, "Filters: "+opts.filters(), PNGWidth-2*margin)

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
		pt.text(img, 15, inkMuted, x+12, y+24, vouch.Metric(id).Label, tileW-24)
		value := exportValue(id, t.MetricValue)
		size := 30.0
		for size > 14 && pt.measure(size, value) > tileW-24 {
			size -= 2
		}
		pt.text(img, size, inkDark, x+12, y+64, value, tileW-24)
		pt.text(img, 13, inkMuted, x+12, y+92, "Before: "+exportValue(id, t.Previous)+"   Change: "+exportChange(id, t), tileW-24)
		n++
	}
	rows := (n + cols - 1) / cols
	chartTop := top + rows*(tileH+gap) + 4
	chartH := PNGHeight - chartTop - margin
	if chartH > 120 {
		trend, err := TrendChart(sc, PNG, PNGWidth-2*margin, chartH)
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

// painter writes text in the chart font, one face per size (a face caches
// its glyphs, so it is made once per image, not per line).
type painter struct {
	f     *truetype.Font
	faces map[float64]font.Face
}

// face is the font at size pixels.
func (p *painter) face(size float64) font.Face {
	fc, ok := p.faces[size]
	if !ok {
		fc = truetype.NewFace(p.f, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingFull})
		p.faces[size] = fc
	}
	return fc
}

func (p *painter) measure(size float64, s string) int {
	return font.MeasureString(p.face(size), s).Ceil()
}

// text writes s with its baseline at (x, y), cut with an ellipsis to width.
func (p *painter) text(img draw.Image, size float64, c color.Color, x, y int, s string, width int) {
	fc := p.face(size)
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
