package vouch

import (
	"math"
	"testing"
)

func TestPercentile(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		p    float64
		want float64
		ok   bool
	}{
		{nil, 0.5, 0, false},
		{[]float64{4}, 0.5, 4, true},
		{[]float64{4}, 0.9, 4, true},
		{[]float64{3, 1, 2}, 0.5, 2, true},
		{[]float64{1, 2, 3, 4}, 0.5, 2.5, true},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1, true},
		{[]float64{0, 10}, 0.9, 9, true},
		{[]float64{5, 5, 5}, 0.9, 5, true},
	} {
		got, ok := Percentile(append([]float64(nil), c.xs...), c.p)
		if ok != c.ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Percentile(%v, %v) = %v, %v; want %v, %v", c.xs, c.p, got, ok, c.want, c.ok)
		}
	}
}

func TestWilsonInterval(t *testing.T) {
	// Newcombe (1998), Statistics in Medicine 17:857–872, table I.
	for _, c := range []struct {
		k, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		lo, hi := WilsonInterval(c.k, c.n)
		if math.Abs(lo-c.lo) > 1e-4 || math.Abs(hi-c.hi) > 1e-4 {
			t.Errorf("Wilson(%d/%d) = [%.4f, %.4f]; want [%.4f, %.4f]", c.k, c.n, lo, hi, c.lo, c.hi)
		}
	}
}

func TestDifferenceCI95(t *testing.T) {
	// Newcombe (1998), Statistics in Medicine 17:873–890, table II, method 10.
	for _, c := range []struct {
		k1, n1, k2, n2 int
		lo, hi         float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{6, 7, 2, 7, 0.0582, 0.8062},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000},
	} {
		d, lo, hi, ok := DifferenceCI95(c.k1, c.n1, c.k2, c.n2)
		want := float64(c.k1)/float64(c.n1) - float64(c.k2)/float64(c.n2)
		if !ok || math.Abs(d-want) > 1e-12 || math.Abs(lo-c.lo) > 1e-4 || math.Abs(hi-c.hi) > 1e-4 {
			t.Errorf("%d/%d − %d/%d = %.4f [%.4f, %.4f]; want %.4f [%.4f, %.4f]", c.k1, c.n1, c.k2, c.n2, d, lo, hi, want, c.lo, c.hi)
		}
	}
	if _, _, _, ok := DifferenceCI95(1, 0, 1, 2); ok {
		t.Error("no trials on one side gave an interval")
	}
}

func TestInfluencedBy(t *testing.T) {
	d := func(s string) Date { x, _ := ParseDate(s); return x }
	cutoff := d("2026-11-20")
	for _, c := range []struct {
		name    string
		touches []Date
		want    bool
	}{
		{"none", nil, false},
		{"before", []Date{d("2026-11-01")}, true},
		{"on the close date", []Date{d("2026-11-20")}, true},
		{"after only", []Date{d("2026-11-21")}, false},
		{"several, one before", []Date{d("2026-12-01"), d("2026-10-01"), d("2026-10-02")}, true},
		{"no date", []Date{{}}, false},
	} {
		if got := InfluencedBy(cutoff, c.touches); got != c.want {
			t.Errorf("%s: %v; want %v", c.name, got, c.want)
		}
	}
}

func TestTopShare(t *testing.T) {
	for _, c := range []struct {
		counts []int
		share  float64
		top    int
		ok     bool
	}{
		{nil, 0, 0, false},
		{[]int{0, 0}, 0, 0, false},
		{[]int{5}, 1, 1, true},
		{[]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0.1, 1, true},
		{[]int{10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 11.0 / 20, 2, true}, // 10% of 11 rounds up to 2
		{[]int{3, 0, 1}, 0.75, 1, true},
	} {
		share, top, ok := TopShare(c.counts, 0.1)
		if ok != c.ok || top != c.top || math.Abs(share-c.share) > 1e-12 {
			t.Errorf("TopShare(%v) = %v, %d, %v; want %v, %d, %v", c.counts, share, top, ok, c.share, c.top, c.ok)
		}
	}
}

func TestWeightedLift(t *testing.T) {
	if _, ok := WeightedLift(nil, nil, nil); ok {
		t.Error("no stages gave a lift")
	}
	got, ok := WeightedLift([]float64{0.2, 0.4}, []int{10, 20}, []int{10, 20})
	// weights 5 and 10
	if want := (5*0.2 + 10*0.4) / 15; !ok || math.Abs(got-want) > 1e-12 {
		t.Errorf("WeightedLift = %v; want %v", got, want)
	}
}
