package vouch

import (
	"math"
	"strconv"
	"strings"
)

// FormatMoney writes an amount for people: "USD 250,000", or "EUR 1,234.56"
// when it has cents. Pages, exports and mail all write money this way.
func FormatMoney(currency string, amount float64) string {
	cents := int64(math.Round(amount * 100))
	neg := cents < 0
	if neg {
		cents = -cents
	}
	s := groupThousands(strconv.FormatInt(cents/100, 10))
	if c := cents % 100; c != 0 {
		s += "." + strconv.FormatInt(100+c, 10)[1:]
	}
	if neg {
		s = "-" + s
	}
	if currency == "" {
		return s
	}
	return currency + " " + s
}

// FormatCents is FormatMoney of an amount in hundredths.
func FormatCents(currency string, cents int64) string {
	return FormatMoney(currency, float64(cents)/100)
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
