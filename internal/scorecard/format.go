package scorecard

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// None is what a figure shows when there is nothing to compute it from.
const None = "—"

// FormatValue writes a figure of a unit for people: "12", "75%",
// "4.5 days", "4.2 / 5", "120 points"; None for no figure. Money is
// written per currency with FormatMoney.
func FormatValue(unit string, v *float64) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return None
	}
	x := *v
	switch unit {
	case vouch.UnitFraction:
		return trimZero(fmt.Sprintf("%.1f", x*100)) + "%"
	case vouch.UnitDays:
		if x == 1 {
			return "1 day"
		}
		return trimZero(fmt.Sprintf("%.1f", x)) + " days"
	case vouch.UnitRating:
		return fmt.Sprintf("%.1f / 5", x)
	case vouch.UnitPoints:
		return group(x) + " points"
	case vouch.UnitMoney:
		return vouch.FormatMoney("", x)
	}
	if x == math.Trunc(x) {
		return group(x)
	}
	return trimZero(fmt.Sprintf("%.1f", x))
}

// FormatLift writes a difference of rates in percentage points: "+20 pts".
func FormatLift(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return None
	}
	return signed(*v*100) + " pts"
}

func trimZero(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

func group(x float64) string {
	return vouch.FormatMoney("", math.Round(x))
}

func signed(x float64) string {
	s := trimZero(fmt.Sprintf("%.1f", math.Abs(x)))
	switch {
	case s == "0":
		return "±0"
	case x < 0:
		return "−" + s
	}
	return "+" + s
}

// Change is how a figure moved from the previous period, for the tile's
// arrow: Arrow and Word say the direction (never colour alone), Sense says
// whether that is good for the metric, Text says by how much.
type Change struct {
	Arrow string // ▲ ▼ or →; "" when there is nothing to compare
	Word  string // "up", "down", "no change"
	Text  string // "+3 from 9", "+5 pts from 70%"
	Sense string // "good", "bad", "same" or "" (nothing to compare)
}

// ChangeOf compares a figure with the previous period's. unit is the
// metric's; for money, pass one currency's amounts and set currency.
func ChangeOf(def *vouch.MetricDef, cur, prev *float64, currency string) Change {
	if def == nil || cur == nil || prev == nil || math.IsNaN(*cur) || math.IsNaN(*prev) {
		if prev == nil && cur != nil {
			return Change{Text: "No figure for the previous period"}
		}
		return Change{}
	}
	d := *cur - *prev
	var by, from string
	switch def.Unit {
	case vouch.UnitFraction:
		by, from = signed(d*100)+" pts", FormatValue(def.Unit, prev)
	case vouch.UnitMoney:
		by = signed0(d, currency)
		from = vouch.FormatMoney(currency, *prev)
	default:
		if d == math.Trunc(d) {
			by = signedInt(d)
		} else {
			by = signed(d)
		}
		from = FormatValue(def.Unit, prev)
	}
	c := Change{Text: by + " from " + from}
	const eps = 1e-9
	switch {
	case math.Abs(d) < eps:
		c.Arrow, c.Word, c.Sense, c.Text = "→", "no change", "same", "No change from "+from
	case d > 0:
		c.Arrow, c.Word = "▲", "up"
		c.Sense = sense(def.HigherIsBetter)
	default:
		c.Arrow, c.Word = "▼", "down"
		c.Sense = sense(!def.HigherIsBetter)
	}
	return c
}

func sense(good bool) string {
	if good {
		return "good"
	}
	return "bad"
}

func signedInt(d float64) string {
	s := group(math.Abs(d))
	if d < 0 {
		return "−" + s
	}
	return "+" + s
}

func signed0(d float64, currency string) string {
	s := vouch.FormatMoney(currency, math.Abs(d))
	if d < 0 {
		return "−" + s
	}
	return "+" + s
}

// RateText writes a win rate with its counts: "75% (9 won, 3 lost)".
func RateText(r vouch.Ratio) string {
	return FormatValue(vouch.UnitFraction, r.Rate) + " (" + strconv.Itoa(r.Won) + " won, " + strconv.Itoa(r.Lost) + " lost)"
}

// NotEnoughData is the sentence shown for a win-rate figure without
// enough closed deals on both sides.
var NotEnoughData = fmt.Sprintf("Not enough data (fewer than %d closed deals with/without references)", vouch.MinClosedDeals)

// AskAcceptanceWarning is the sentence shown when the ask acceptance rate
// is below vouch.AskAcceptanceFloor.
const AskAcceptanceWarning = "Below 50%: customers may be over-asked or matches poor"

// MoneyChange is the one amount a money tile's change compares, the same
// on the page, in the files and in mail: the total in the report currency
// when a rate table converted it, else the amount of the currency with the
// most money, against the same currency in the previous period. Nothing at
// all before is a change from 0; only other currencies before is no
// comparison (prev nil). now is nil when the period has no money.
func MoneyChange(t *vouch.Tile) (currency string, now, prev *float64) {
	if t == nil {
		return "", nil, nil
	}
	zero := 0.0
	if c := t.Converted; c != nil {
		a := c.Amount
		switch p := t.Previous.Converted; {
		case p != nil && p.Currency == c.Currency:
			b := p.Amount
			prev = &b
		case len(t.Previous.Money) == 0:
			prev = &zero
		}
		return c.Currency, &a, prev
	}
	currency, now = LargestAmount(t.Money)
	if now == nil {
		return "", nil, nil
	}
	if m := t.Previous.Money[currency]; m != nil {
		b := m.Amount
		prev = &b
	} else if len(t.Previous.Money) == 0 {
		prev = &zero
	}
	return currency, now, prev
}

// LargestAmount is the currency with the most money in m and its amount
// (the alphabetically first of equal ones); nil for no money.
func LargestAmount(m map[string]*vouch.Money) (string, *float64) {
	var best string
	for c, v := range m {
		if v != nil && (best == "" || v.Amount > m[best].Amount || (v.Amount == m[best].Amount && c < best)) {
			best = c
		}
	}
	if best == "" {
		return "", nil
	}
	a := m[best].Amount
	return best, &a
}
