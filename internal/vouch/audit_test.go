package vouch

import (
	"fmt"
	"testing"
)

// TestDiffAgreesWithPrinting checks the direct comparisons of Diff decide as
// comparing the printed values did, so an audit entry lists the same fields.
func TestDiffAgreesWithPrinting(t *testing.T) {
	n := 3
	for _, c := range []struct{ before, after any }{
		{"", ""}, {"", "Ada"}, {"Ada", "ada"}, {int64(0), int64(0)}, {int64(0), int64(7)},
		{[]int64(nil), []int64{}}, {[]int64{}, []int64{4, 5}}, {[]int64{4, 5}, []int64{4, 5}}, {[]int64{4, 5}, []int64{5, 4}},
		{nil, nil}, {nil, 3}, {&n, &n}, {"7", int64(7)}, {int64(7), 7}, {TaxProduct, "product"}, {true, "true"},
	} {
		want := 0
		if fmt.Sprint(c.before) != fmt.Sprint(c.after) {
			want = 1
		}
		if got := len(Diff(nil, "f", c.before, c.after)); got != want {
			t.Errorf("Diff(%#v, %#v) lists %d changes, want %d", c.before, c.after, got, want)
		}
	}
}
