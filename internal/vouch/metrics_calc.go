package vouch

import (
	"math"
	"slices"
)

// The pure arithmetic of the metrics (docs/metrics.md): the metrics engine
// gathers the rows, these decide the figures.

// Percentile is the p-th percentile (0–1) of xs by linear interpolation
// between the closest ranks (rank = p·(n−1), as spreadsheets' PERCENTILE.INC
// computes it). ok is false when xs is empty. xs need not be sorted; it is
// sorted in place.
func Percentile(xs []float64, p float64) (v float64, ok bool) {
	if len(xs) == 0 {
		return 0, false
	}
	slices.Sort(xs)
	p = math.Max(0, math.Min(1, p))
	rank := p * float64(len(xs)-1)
	lo := int(math.Floor(rank))
	hi := int(math.Ceil(rank))
	return xs[lo] + (xs[hi]-xs[lo])*(rank-float64(lo)), true
}

// Median is the 50th percentile: the middle value, or the mean of the two
// middle values of an even count.
func Median(xs []float64) (float64, bool) { return Percentile(xs, 0.5) }

// z95 is the standard normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// WilsonInterval is the 95% Wilson score interval of the proportion k/n.
func WilsonInterval(k, n int) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	p := float64(k) / float64(n)
	nn := float64(n)
	z2 := z95 * z95
	denom := 1 + z2/nn
	center := (p + z2/(2*nn)) / denom
	half := z95 * math.Sqrt(p*(1-p)/nn+z2/(4*nn*nn)) / denom
	return math.Max(0, center-half), math.Min(1, center+half)
}

// DifferenceCI95 is the difference of proportions k1/n1 − k2/n2 with its
// 95% confidence interval by Newcombe's hybrid score method (method 10 of
// Newcombe 1998): each proportion's Wilson interval is combined by the
// square root of the summed squared distances. ok is false when either
// side has no trials.
func DifferenceCI95(k1, n1, k2, n2 int) (diff, lo, hi float64, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return 0, 0, 0, false
	}
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	l1, u1 := WilsonInterval(k1, n1)
	l2, u2 := WilsonInterval(k2, n2)
	diff = p1 - p2
	lo = diff - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	hi = diff + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return diff, lo, hi, true
}

// InfluencedBy reports whether a deal is influenced given the days of the
// completed reference activities and content uses tied to it: at least one
// on or before cutoff, which is the close date of a closed deal and the
// period's last day for an open one. Several count once; one after the
// cutoff does not count.
func InfluencedBy(cutoff Date, touches []Date) bool {
	for _, d := range touches {
		if !d.IsZero() && !d.After(cutoff) {
			return true
		}
	}
	return false
}

// TopShare is the share of the total of counts held by the busiest frac of
// them, their number rounded up (the busiest 10% of 11 references is 2).
// ok is false when the total is 0.
func TopShare(counts []int, frac float64) (share float64, top int, ok bool) {
	total := 0
	var nz []int
	for _, c := range counts {
		if c > 0 {
			total += c
			nz = append(nz, c)
		}
	}
	if total == 0 {
		return 0, 0, false
	}
	slices.SortFunc(nz, func(a, b int) int { return b - a })
	top = int(math.Ceil(frac * float64(len(nz))))
	top = max(1, min(top, len(nz)))
	sum := 0
	for _, c := range nz[:top] {
		sum += c
	}
	return float64(sum) / float64(total), top, true
}

// WeightedLift combines per-stage lifts into one: each stage weighted by
// n1·n2/(n1+n2) of its two sides' closed deals (the weight a difference of
// proportions gets in a stratified comparison). ok is false when no stage
// is given.
func WeightedLift(lifts []float64, n1, n2 []int) (float64, bool) {
	var sum, w float64
	for i, l := range lifts {
		if n1[i] <= 0 || n2[i] <= 0 {
			continue
		}
		wi := float64(n1[i]) * float64(n2[i]) / float64(n1[i]+n2[i])
		sum += wi * l
		w += wi
	}
	if w == 0 {
		return 0, false
	}
	return sum / w, true
}
