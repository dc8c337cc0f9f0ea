package vouch

import (
	"net/url"
	"strings"
	"time"
)

// Account is a customer company whose people act as references.
type Account struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Domain        string    `json:"domain"` // website host, e.g. "example.com"
	IndustryID    int64     `json:"industry_id,omitempty"`
	SegmentID     int64     `json:"segment_id,omitempty"`
	RegionID      int64     `json:"region_id,omitempty"`
	CountryID     int64     `json:"country_id,omitempty"`
	SizeID        int64     `json:"company_size_id,omitempty"`
	CRMID         string    `json:"crm_id"`
	OwnerID       int64     `json:"owner_id,omitempty"`
	CSM           string    `json:"csm"`    // customer success manager's name
	Health        string    `json:"health"` // "", good, fair, poor
	NPS           *int      `json:"nps"`    // -100…100
	CustomerSince Date      `json:"customer_since"`
	ProductIDs    []int64   `json:"product_ids"` // products owned
	Notes         string    `json:"notes"`
	Version       int       `json:"version"` // optimistic concurrency: bumped by every update
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
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
