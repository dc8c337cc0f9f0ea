package vouch

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// currencyCodes are the ISO 4217 codes of the currencies in use. A deal or
// an ARR figure in any other code is refused, so a typo ("UDS") does not
// become a currency of its own that the scorecard shows apart.
const currencyCodes = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
	"CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD " +
	"HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD " +
	"MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG " +
	"QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD " +
	"TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL"

// ValidCurrency says whether c is an ISO 4217 code in use, in capitals.
func ValidCurrency(c string) bool {
	return len(c) == 3 && strings.Contains(" "+currencyCodes+" ", " "+c+" ")
}

// currencySymbols are the signs CRM exports put before or after amounts.
// "$" alone is the US dollar, as Salesforce and HubSpot write it for a
// USD org; other dollars come with their letters (CA$, A$) or a code.
var currencySymbols = []struct{ sign, code string }{
	{"US$", "USD"}, {"CA$", "CAD"}, {"C$", "CAD"}, {"A$", "AUD"}, {"AU$", "AUD"}, {"NZ$", "NZD"},
	{"HK$", "HKD"}, {"S$", "SGD"}, {"R$", "BRL"}, {"MX$", "MXN"},
	{"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"}, {"₩", "KRW"},
	{"₪", "ILS"}, {"₺", "TRY"}, {"zł", "PLN"}, {"kr", ""}, {"Fr.", "CHF"}, {"CHF", "CHF"},
}

// ParseAmount reads an amount as CRM exports and people write it:
// "USD 12,500.00", "$1,234.56", "1.234,56 €", "12 500,00 EUR", "12500",
// "1'234.50" or "(1,000.00)" for a negative one. It gives the amount in
// hundredths and the currency the text names ("" when it names none), or,
// when the text is not an amount, the reason in words for an error message.
//
// Which of "," and "." is the decimal mark is read from the text: when both
// appear the last one is; when one appears once, followed by exactly three
// digits, it groups thousands ("1,234" and "1.234" are both 1234), since
// amounts with three decimals hardly occur in deals while grouped
// thousands are everywhere. More than two decimals are rounded to cents.
func ParseAmount(s string) (cents int64, currency, problem string) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, "", "is empty"
	}
	neg := false
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		neg, t = true, strings.TrimSpace(t[1:len(t)-1])
	}
	t, currency, problem = cutCurrency(t)
	if problem != "" {
		return 0, "", problem
	}
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−") {
		if neg {
			return 0, "", "is not an amount like 12,500.00"
		}
		neg = true
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "-"), "−"))
		// "-$1,200" has its sign before the currency.
		if currency == "" {
			if t, currency, problem = cutCurrency(t); problem != "" {
				return 0, "", problem
			}
		}
	} else if strings.HasPrefix(t, "+") {
		t = strings.TrimSpace(t[1:])
	}
	digits, ok := normalizeNumber(t)
	if !ok {
		return 0, "", "is not an amount like 12,500.00"
	}
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil || math.IsInf(f, 0) || math.Abs(f) >= 1e15 {
		return 0, "", "is not an amount like 12,500.00"
	}
	cents = int64(math.Round(f * 100))
	if neg {
		cents = -cents
	}
	return cents, currency, ""
}

// cutCurrency takes a currency code or sign off either end of t.
func cutCurrency(t string) (rest, currency, problem string) {
	// A three-letter code, before or after, with or without a space.
	if len(t) > 3 {
		if code := strings.ToUpper(t[:3]); isLetters(t[:3]) && (len(t) == 3 || !unicode.IsLetter(rune(t[3]))) {
			if !ValidCurrency(code) {
				return "", "", "names the currency " + strconv.Quote(t[:3]) + ", which is not an ISO 4217 code such as USD or EUR"
			}
			return strings.TrimSpace(t[3:]), code, ""
		}
		if end := t[len(t)-3:]; isLetters(end) && !unicode.IsLetter(rune(t[len(t)-4])) {
			code := strings.ToUpper(end)
			if !ValidCurrency(code) {
				return "", "", "names the currency " + strconv.Quote(end) + ", which is not an ISO 4217 code such as USD or EUR"
			}
			return strings.TrimSpace(t[:len(t)-3]), code, ""
		}
	}
	for _, cs := range currencySymbols {
		if strings.HasPrefix(t, cs.sign) {
			return strings.TrimSpace(t[len(cs.sign):]), cs.code, ""
		}
		if strings.HasSuffix(t, cs.sign) {
			return strings.TrimSpace(t[:len(t)-len(cs.sign)]), cs.code, ""
		}
	}
	return t, "", ""
}

func isLetters(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// normalizeNumber turns "1.234,56" or "1 234.56" into "1234.56".
func normalizeNumber(t string) (string, bool) {
	var b strings.Builder
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',':
			b.WriteRune(r)
		case r == ' ', r == '\u00a0', r == '\u202f', r == '\'', r == '’':
			// thousands groups
		default:
			return "", false
		}
	}
	n := b.String()
	if n == "" || strings.Trim(n, ".,") == "" {
		return "", false
	}
	lastDot, lastComma := strings.LastIndex(n, "."), strings.LastIndex(n, ",")
	decimal := byte(0)
	switch {
	case lastDot >= 0 && lastComma >= 0:
		decimal = n[max(lastDot, lastComma)]
	case lastDot >= 0 || lastComma >= 0:
		sep := byte('.')
		if lastComma >= 0 {
			sep = ','
		}
		at := max(lastDot, lastComma)
		whole := strings.Trim(n[:at], "0")
		if strings.Count(n, string(sep)) == 1 && (len(n)-at-1 != 3 || whole == "") {
			decimal = sep
		}
	}
	var out strings.Builder
	seenDecimal := false
	for i := 0; i < len(n); i++ {
		c := n[i]
		switch c {
		case decimal:
			if seenDecimal || i != strings.LastIndexByte(n, decimal) {
				return "", false
			}
			seenDecimal = true
			out.WriteByte('.')
		case '.', ',':
			if seenDecimal {
				return "", false // a group mark after the decimal mark
			}
		default:
			out.WriteByte(c)
		}
	}
	return out.String(), true
}
