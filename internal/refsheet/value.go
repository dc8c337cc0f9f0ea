package refsheet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Cell readers. Each returns the value, or a reason for the person who
// typed the cell; the reason follows the quoted value in the report:
// "'Heathcare' — did you mean 'Healthcare'?".

// dateLayouts are the day formats people type, tried in order. Slashed
// dates are read the American way (month first), as Excel in the US
// writes them; ISO dates are unambiguous everywhere.
var dateLayouts = []string{
	"2006-01-02", "2006-1-2", "2006/01/02", "2006/1/2",
	"02.01.2006", "2.1.2006",
	"2 Jan 2006", "2 January 2006", "2-Jan-2006", "2 Jan, 2006",
	"Jan 2, 2006", "January 2, 2006", "Jan 2 2006", "January 2 2006",
	"1/2/2006",
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04",
}

// parseDate reads a day. Excel serial numbers are accepted from XLSX files,
// where a date cell's raw value is one.
func parseDate(s string, xlsx bool) (vouch.Date, string) {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return vouch.DateOf(t), ""
		}
	}
	if xlsx {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 2958466 {
			// Day 1 is 1900-01-01, and Excel counts a 29 February 1900 that
			// never was, so serials from March 1900 on count from 1899-12-30.
			return vouch.NewDate(1899, time.December, 30).AddDays(int(math.Floor(f))), ""
		}
	}
	if parts := strings.Split(s, "/"); len(parts) == 3 {
		if d, err := strconv.Atoi(parts[0]); err == nil && d > 12 && d <= 31 {
			return vouch.Date{}, "not a date: slashed dates are read as month/day/year; write it as YYYY-MM-DD, e.g. 2026-03-14"
		}
	}
	return vouch.Date{}, "not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"
}

// parseBool reads yes/no cells: Y, yes, true, 1, x mean yes.
func parseBool(s string) (bool, string) {
	switch strings.ToLower(s) {
	case "y", "yes", "true", "1", "x", "✓", "✔":
		return true, ""
	case "n", "no", "false", "0", "-":
		return false, ""
	}
	return false, "not yes or no; write Y or N"
}

// splitList splits a multi-valued cell on ";", or on "," when it has no ";".
func splitList(s string) []string {
	sep := ","
	if strings.Contains(s, ";") {
		sep = ";"
	}
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseCapacity reads a whole number of activities per 90 days; "default"
// means no override.
func parseCapacity(s string) (*int, string) {
	if strings.EqualFold(s, "default") {
		return nil, ""
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) {
		return nil, "not a whole number of activities per 90 days"
	}
	if f < 0 || f > 100 {
		return nil, "must be between 0 and 100 activities per 90 days"
	}
	n := int(f)
	return &n, ""
}

// plainNumber undoes a spreadsheet's scientific notation for long numbers
// typed into a phone or id cell: 4.9151123456E+12 → 4915112345600.
func plainNumber(s string, xlsx bool) string {
	if !xlsx || !strings.ContainsAny(s, "eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e18 {
		return s
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

var seniorityAliases = map[string]string{
	"exec": "executive", "c-level": "executive", "c-suite": "executive", "csuite": "executive", "vp": "executive",
	"svp": "executive", "evp": "executive", "dir": "director", "head": "director", "mgr": "manager",
	"ic": "practitioner", "individual contributor": "practitioner", "staff": "practitioner", "user": "practitioner",
}

func parseSeniority(s string) (string, string) {
	k := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if a, ok := seniorityAliases[k]; ok {
		k = a
	}
	for _, x := range vouch.Seniorities {
		if k == x {
			return x, ""
		}
	}
	return "", unknown(k, vouch.Seniorities, "not a seniority; use executive, director, manager or practitioner")
}

var deploymentAliases = map[string]string{
	"saas": "cloud", "public cloud": "cloud", "hosted": "cloud", "cloud": "cloud",
	"on-prem": "on-premises", "on prem": "on-premises", "onprem": "on-premises", "on-premise": "on-premises",
	"on premise": "on-premises", "on premises": "on-premises", "on-premises": "on-premises",
	"self-hosted": "on-premises", "self hosted": "on-premises", "hybrid": "hybrid",
}

func parseDeployment(s string) (string, string) {
	k := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if d, ok := deploymentAliases[k]; ok {
		return d, ""
	}
	return "", unknown(k, vouch.Deployments, "not a deployment; use cloud, on-premises or hybrid")
}

func parseStatus(s string) (vouch.Status, string) {
	if st, ok := vouch.ParseStatus(s); ok {
		return st, ""
	}
	labels := make([]string, len(vouch.Statuses))
	for i, st := range vouch.Statuses {
		labels[i] = st.Label()
	}
	return "", unknown(s, labels, "not a status; use "+strings.Join(labels[:len(labels)-1], ", ")+" or "+labels[len(labels)-1])
}

func parseTimeZone(s string) (string, string) {
	if strings.EqualFold(s, "utc") || strings.EqualFold(s, "gmt") {
		return "UTC", ""
	}
	if !vouch.KnownTimeZone(s) {
		return "", "not a time zone like Europe/Berlin or America/New_York"
	}
	return s, ""
}

func parseEmail(s string) (string, string) {
	// "Maya Okafor <maya@example.com>", as mail programs copy addresses.
	if i, j := strings.LastIndex(s, "<"), strings.LastIndex(s, ">"); i >= 0 && j > i {
		s = s[i+1 : j]
	}
	e := vouch.NormalizeEmail(strings.TrimPrefix(strings.TrimSpace(s), "mailto:"))
	if msg := vouch.ValidateEmail(e); msg != "" {
		return "", "not an email address like name@example.com"
	}
	return e, ""
}

// unknown is the reason for a value not among options: a suggestion when
// one option is close enough to be meant, else otherwise.
func unknown(s string, options []string, otherwise string) string {
	if best := closest(s, options); best != "" {
		return fmt.Sprintf("did you mean '%s'?", best)
	}
	return otherwise
}

// closest returns the option s most likely misspells, by the one matcher
// the API and the forms use too (vouch.ClosestName), or "".
func closest(s string, options []string) string {
	return vouch.ClosestName(s, options)
}

// valueKey is how taxonomy values are compared (vouch.ValueKey): case,
// spacing, dashes and thousands separators do not matter.
func valueKey(s string) string { return vouch.ValueKey(s) }

// valueAliases are other names people use for default picklist values; an
// alias applies only while its target value exists.
var valueAliases = map[vouch.TaxonomyKind]map[string]string{
	vouch.TaxCountry: {
		"usa": "United States", "us": "United States", "u.s.": "United States", "u.s.a.": "United States",
		"united states of america": "United States", "america": "United States",
		"uk": "United Kingdom", "u.k.": "United Kingdom", "great britain": "United Kingdom", "britain": "United Kingdom",
		"england": "United Kingdom", "uae": "United Arab Emirates", "deutschland": "Germany", "holland": "Netherlands",
		"the netherlands": "Netherlands",
	},
	vouch.TaxRegion: {
		"na": "North America", "nam": "North America", "noram": "North America", "amer": "North America",
		"latam": "Latin America", "lata": "Latin America", "south america": "Latin America",
		"europe": "EMEA", "eu": "EMEA", "asia pacific": "APAC", "asia-pacific": "APAC", "apj": "APAC",
	},
	vouch.TaxSegment: {
		"ent": "Enterprise", "midmarket": "Mid-Market", "mid market": "Mid-Market", "mm": "Mid-Market",
		"small business": "SMB", "public": "Public Sector",
	},
	vouch.TaxIndustry: {
		"finance": "Financial Services", "banking": "Financial Services", "fsi": "Financial Services",
		"health care": "Healthcare", "tech": "Technology", "telecom": "Telecommunications", "government": "Public Sector",
		"utilities": "Energy & Utilities", "energy": "Energy & Utilities", "media": "Media & Entertainment",
		"logistics": "Transportation & Logistics", "pharma": "Life Sciences",
	},
}

// picklists finds taxonomy values by name, and remembers the values an
// import adds (with negative ids until they are stored).
type picklists struct {
	known map[vouch.TaxonomyKind]map[string]int64 // cells found before, as typed: most cells repeat
	byKey map[vouch.TaxonomyKind]map[string]int64
	names map[vouch.TaxonomyKind][]string // for suggestions
	added []*vouch.TaxonomyValue          // values to create, ids -1, -2, …
	// retired values may stay on the records that have them, but are not newly given.
	retired map[int64]*vouch.TaxonomyValue
}

func newPicklists(values []*vouch.TaxonomyValue) *picklists {
	p := &picklists{byKey: map[vouch.TaxonomyKind]map[string]int64{}, names: map[vouch.TaxonomyKind][]string{},
		known: map[vouch.TaxonomyKind]map[string]int64{}, retired: map[int64]*vouch.TaxonomyValue{}}
	for _, v := range values {
		if v.Retired {
			p.retired[v.ID] = v
		}
		if p.byKey[v.Kind] == nil {
			p.byKey[v.Kind] = map[string]int64{}
		}
		p.byKey[v.Kind][valueKey(v.Name)] = v.ID
		if !v.Retired {
			p.names[v.Kind] = append(p.names[v.Kind], v.Name)
		}
	}
	return p
}

// find returns the id of the value of kind named s (0 and a reason when unknown).
// With add, an unknown value is added instead.
func (p *picklists) find(kind vouch.TaxonomyKind, s string, add bool) (int64, string) {
	if id, ok := p.known[kind][s]; ok {
		return id, ""
	}
	id, reason := p.lookup(kind, s, add)
	if reason == "" {
		if p.known[kind] == nil {
			p.known[kind] = map[string]int64{}
		}
		p.known[kind][s] = id
	}
	return id, reason
}

func (p *picklists) lookup(kind vouch.TaxonomyKind, s string, add bool) (int64, string) {
	k := valueKey(s)
	if id, ok := p.byKey[kind][k]; ok {
		return id, ""
	}
	if a, ok := valueAliases[kind][strings.ToLower(strings.Join(strings.Fields(s), " "))]; ok {
		if id, ok := p.byKey[kind][valueKey(a)]; ok {
			return id, ""
		}
	}
	noun := strings.ToLower(kindName(kind))
	if add {
		name := strings.Join(strings.Fields(s), " ")
		if len(name) > 100 {
			return 0, "too long for a " + noun + " (at most 100 characters)"
		}
		id := -int64(len(p.added) + 1)
		p.added = append(p.added, &vouch.TaxonomyValue{ID: id, Kind: kind, Name: name})
		if p.byKey[kind] == nil {
			p.byKey[kind] = map[string]int64{}
		}
		p.byKey[kind][k] = id
		return id, ""
	}
	return 0, unknown(s, p.names[kind], "not a known "+noun)
}
