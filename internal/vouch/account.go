package vouch

import (
	"net/url"
	"strings"
	"time"
)

// Account is a customer company whose people act as references.
type Account struct {
	ID            int64   `json:"id"`
	Name          string  `json:"name"`
	Domain        string  `json:"domain"` // website host, e.g. "example.com"
	IndustryID    int64   `json:"industry_id,omitempty"`
	SegmentID     int64   `json:"segment_id,omitempty"`
	RegionID      int64   `json:"region_id,omitempty"`
	CountryID     int64   `json:"country_id,omitempty"`
	SizeID        int64   `json:"company_size_id,omitempty"`
	CRMID         string  `json:"crm_id"`
	OwnerID       int64   `json:"owner_id,omitempty"`
	CSM           string  `json:"csm"`    // customer success manager's name
	Health        string  `json:"health"` // "", good, fair, poor
	NPS           *int    `json:"nps"`    // -100…100
	CustomerSince Date    `json:"customer_since"`
	ProductIDs    []int64 `json:"product_ids"` // products owned
	// ARRCents is the account's annual recurring revenue in hundredths of
	// ARRCurrency. No currency is "ARR not known", and then ARRCents is 0.
	ARRCents    int64     `json:"arr_cents"`
	ARRCurrency string    `json:"arr_currency"` // ISO 4217, e.g. USD; "" no ARR
	RenewalDate Date      `json:"renewal_date"` // the next renewal; zero unknown
	Notes       string    `json:"notes"`
	Version     int       `json:"version"` // optimistic concurrency: bumped by every update
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// AccountHealth values, best first.
var AccountHealth = []string{"good", "fair", "poor"}

// Normalize writes the account's typed fields in their stored form (spaces
// trimmed, the domain bare, health in lower case). It checks nothing; the
// store applies it to every save, so names and CRM ids compare alike.
func (a *Account) Normalize() {
	a.Name = strings.Join(strings.Fields(a.Name), " ")
	a.Domain = NormalizeDomain(a.Domain)
	a.CRMID = strings.TrimSpace(a.CRMID)
	a.CSM = strings.TrimSpace(a.CSM)
	a.Health = strings.ToLower(strings.TrimSpace(a.Health))
	a.ARRCurrency = strings.ToUpper(strings.TrimSpace(a.ARRCurrency))
}

// HasARR reports whether the account's ARR is known.
func (a *Account) HasARR() bool { return a.ARRCurrency != "" }

// ARR is the account's ARR for people ("USD 1,200,000"), "" when not known.
func (a *Account) ARR() string {
	if !a.HasARR() {
		return ""
	}
	return FormatCents(a.ARRCurrency, a.ARRCents)
}

// ReadARR reads an ARR as people type it and CRM exports write it: text is
// an amount with or without its currency ("USD 1,200,000", "1.200.000 €",
// "1200000"), given the currency named apart ("" none). Blank text is "no
// ARR" (cents 0, currency ""), whatever the currency given. When neither
// names a currency, currency is "" and the caller decides: keep the one the
// account had, or let Validate ask for one. A problem comes with the field
// it is about.
func ReadARR(text, given string) (cents int64, currency, field, problem string) {
	if strings.TrimSpace(text) == "" {
		return 0, "", "", ""
	}
	cents, named, problem := ParseAmount(text)
	if problem != "" {
		return 0, "", "arr", problem
	}
	given = strings.ToUpper(strings.TrimSpace(given))
	switch {
	case named == "":
		currency = given
	case given != "" && given != named:
		return 0, "", "arr", "is in " + named + " but the currency given is " + given
	default:
		currency = named
	}
	return cents, currency, "", ""
}

// Validate normalises and checks the account. The services and the import
// plan run it once per save; the store does not repeat it.
func (a *Account) Validate() error {
	var v Validation
	a.Normalize()
	if a.Name == "" {
		v.Add("name", "is required")
	} else if len(a.Name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	if a.Domain != "" && (!strings.Contains(a.Domain, ".") || strings.ContainsAny(a.Domain, " /@")) {
		v.Add("domain", "must be a website like example.com")
	}
	if a.Health != "" && !oneOf(a.Health, AccountHealth) {
		v.Add("health", "must be good, fair or poor")
	}
	if a.NPS != nil && (*a.NPS < -100 || *a.NPS > 100) {
		v.Add("nps", "must be between -100 and 100")
	}
	if len(a.Notes) > 10000 {
		v.Add("notes", "must be at most 10,000 characters")
	}
	if a.ARRCents < 0 {
		v.Add("arr", "must not be negative")
	}
	if a.ARRCurrency != "" && !ValidCurrency(a.ARRCurrency) {
		v.Add("arr_currency", "must be an ISO 4217 code such as USD or EUR")
	} else if a.ARRCurrency == "" && a.ARRCents != 0 {
		v.Add("arr_currency", "is required with an ARR: a code such as USD or EUR")
	}
	return v.Err()
}

// NormalizeDomain turns "https://www.Example.com/about" into "example.com".
func NormalizeDomain(s string) string {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return ""
	}
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			s = u.Host
		}
	}
	s = strings.TrimPrefix(s, "www.")
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return s
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// AccountFilter selects accounts; zero values match everything.
type AccountFilter struct {
	Query   string // name or domain contains, case-insensitive
	AfterID int64
	Limit   int
}

// AccountInput is one save of an account as an edge read it: every field
// optional (nil is "leave as it is"), picklist values and the owner by name
// as given, dates as typed. The references service resolves and checks it
// in one pass.
type AccountInput struct {
	Version *int // the version read; required to update, refused to create

	Name          *string
	Domain        *string
	CRMID         *string
	CSM           *string
	Health        *string
	Notes         *string
	NPS           **int
	CustomerSince *string
	RenewalDate   *string // "2006-01-02"; "" is no date

	// ARR is the annual recurring revenue as typed, with or without its
	// currency ("USD 1,200,000", "1.200.000 €"); "" is no ARR. ARRCurrency
	// is the currency given apart: it must agree with one the text names,
	// and alone it changes the currency of the ARR the account has. When
	// neither names one, the account's currency is kept.
	ARR         *string
	ARRCurrency *string

	// The single-valued picklists by name: industry, segment, region,
	// country, company_size ("" is no value).
	Values   map[string]string
	Products *[]string

	OwnerID    *int64  // 0 is nobody
	OwnerEmail *string // "" is nobody

	// Unreadable holds the fields the edge could not read, reported
	// together with the service's own problems.
	Unreadable map[string]string
}

// AccountPicklists are the account's single-valued picklist fields and their kinds.
var AccountPicklists = []struct {
	Field string
	Kind  TaxonomyKind
}{
	{"industry", TaxIndustry}, {"segment", TaxSegment}, {"region", TaxRegion},
	{"country", TaxCountry}, {"company_size", TaxCompanySize},
}

// PicklistID points at the field of a that holds the value of the picklist field.
func (a *Account) PicklistID(field string) *int64 {
	switch field {
	case "industry":
		return &a.IndustryID
	case "segment":
		return &a.SegmentID
	case "region":
		return &a.RegionID
	case "country":
		return &a.CountryID
	case "company_size":
		return &a.SizeID
	}
	return nil
}
