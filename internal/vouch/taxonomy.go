package vouch

import (
	"strings"
	"time"
)

// TaxonomyKind names one admin-editable picklist.
type TaxonomyKind string

// The picklists used across references, content, requests and goals.
const (
	TaxIndustry     TaxonomyKind = "industry"
	TaxRegion       TaxonomyKind = "region"
	TaxCountry      TaxonomyKind = "country"
	TaxSegment      TaxonomyKind = "segment"
	TaxCompanySize  TaxonomyKind = "company_size"
	TaxProduct      TaxonomyKind = "product"
	TaxUseCase      TaxonomyKind = "use_case"
	TaxCompetitor   TaxonomyKind = "competitor"
	TaxActivityType TaxonomyKind = "activity_type"
	TaxContentType  TaxonomyKind = "content_type"
)

// TaxonomyKinds lists every picklist in display order.
var TaxonomyKinds = []TaxonomyKind{TaxIndustry, TaxRegion, TaxCountry, TaxSegment, TaxCompanySize,
	TaxProduct, TaxUseCase, TaxCompetitor, TaxActivityType, TaxContentType}

// Valid reports whether k is a known picklist.
func (k TaxonomyKind) Valid() bool {
	for _, x := range TaxonomyKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the picklist's plural name for people.
func (k TaxonomyKind) Label() string {
	switch k {
	case TaxIndustry:
		return "Industries"
	case TaxRegion:
		return "Regions"
	case TaxCountry:
		return "Countries"
	case TaxSegment:
		return "Segments"
	case TaxCompanySize:
		return "Company sizes"
	case TaxProduct:
		return "Products"
	case TaxUseCase:
		return "Use cases"
	case TaxCompetitor:
		return "Competitors"
	case TaxActivityType:
		return "Activity types"
	case TaxContentType:
		return "Content types"
	}
	return string(k)
}

// TaxonomyValue is one entry of a picklist. A value in use is retired, never deleted,
// so old records keep their meaning.
type TaxonomyValue struct {
	ID        int64        `json:"id"`
	Kind      TaxonomyKind `json:"kind"`
	Name      string       `json:"name"`
	Position  int          `json:"position"`
	Retired   bool         `json:"retired"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// Validate checks the value before it is stored.
func (t *TaxonomyValue) Validate() error {
	var v Validation
	t.Name = strings.Join(strings.Fields(t.Name), " ")
	if !t.Kind.Valid() {
		v.Add("kind", "is not a known picklist")
	}
	if t.Name == "" {
		v.Add("name", "is required")
	} else if len(t.Name) > 100 {
		v.Add("name", "must be at most 100 characters")
	}
	return v.Err()
}

// TaxonomyUpdate holds the fields of a value to change; nil means unchanged.
type TaxonomyUpdate struct {
	Name     *string
	Position *int
	Retired  *bool
}

// DefaultTaxonomies are the values a new installation starts with.
var DefaultTaxonomies = map[TaxonomyKind][]string{
	TaxIndustry: {"Financial Services", "Healthcare", "Life Sciences", "Manufacturing", "Retail",
		"Technology", "Telecommunications", "Public Sector", "Education", "Energy & Utilities",
		"Media & Entertainment", "Transportation & Logistics", "Professional Services", "Insurance"},
	TaxRegion: {"North America", "Latin America", "EMEA", "APAC"},
	TaxCountry: {"United States", "Canada", "Mexico", "Brazil", "United Kingdom", "Ireland", "Germany",
		"France", "Netherlands", "Spain", "Italy", "Sweden", "Switzerland", "South Africa",
		"United Arab Emirates", "India", "Singapore", "Japan", "Australia", "New Zealand"},
	TaxSegment:     {"Enterprise", "Mid-Market", "SMB", "Public Sector"},
	TaxCompanySize: {"1–50", "51–200", "201–1,000", "1,001–5,000", "5,001–10,000", "10,001+"},
	TaxProduct:     {"Analytics", "Automation", "Data Platform", "Security", "Integrations", "Mobile"},
	TaxUseCase: {"Cost reduction", "Customer experience", "Digital transformation", "Compliance",
		"Cloud migration", "Revenue growth", "Operational efficiency"},
	TaxCompetitor: {"Acme Corp", "Globex", "Initech", "Umbrella", "Homegrown / spreadsheets"},
	TaxActivityType: {"Call", "Site visit", "Case study", "Press", "Analyst", "Speaking", "RFP",
		"Logo", "Quote", "Review", "Video"},
	TaxContentType: {"Case study", "Video", "Quote", "Slide deck", "Press release", "Review",
		"ROI study", "Logo permission", "Webinar", "Blog post"},
}
