package vouch

import (
	"strconv"
	"strings"
	"time"
)

// OpportunityStatus is where a deal stands.
type OpportunityStatus string

// Deal outcomes.
const (
	OpportunityOpen OpportunityStatus = "open"
	OpportunityWon  OpportunityStatus = "won"
	OpportunityLost OpportunityStatus = "lost"
)

// Opportunity is a deal from the CRM that a reference is requested for.
type Opportunity struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Prospect string `json:"prospect"` // the prospect's company name
	// AccountID is the account the deal is with, when it is one of the
	// program's accounts (an expansion or renewal deal of a customer).
	AccountID    int64             `json:"account_id,omitempty"`
	AmountCents  int64             `json:"amount_cents"` // hundredths of Currency
	Currency     string            `json:"currency"`     // ISO 4217, e.g. USD
	Stage        string            `json:"stage"`
	CloseDate    Date              `json:"close_date"`
	Status       OpportunityStatus `json:"status"`
	OwnerID      int64             `json:"owner_id,omitempty"` // the seller
	IndustryID   int64             `json:"industry_id,omitempty"`
	RegionID     int64             `json:"region_id,omitempty"`
	ProductID    int64             `json:"product_id,omitempty"`
	CompetitorID int64             `json:"competitor_id,omitempty"`
	SegmentID    int64             `json:"segment_id,omitempty"`
	CountryID    int64             `json:"country_id,omitempty"`
	SizeID       int64             `json:"company_size_id,omitempty"`
	// CreatedOn is the day the deal was created in the CRM (zero: unknown).
	CreatedOn Date      `json:"created_on"`
	CRMID     string    `json:"crm_id"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate normalises and checks the opportunity.
func (o *Opportunity) Validate() error {
	var v Validation
	o.Name = strings.Join(strings.Fields(o.Name), " ")
	o.Prospect = strings.Join(strings.Fields(o.Prospect), " ")
	o.Stage = strings.TrimSpace(o.Stage)
	o.CRMID = strings.TrimSpace(o.CRMID)
	o.Currency = strings.ToUpper(strings.TrimSpace(o.Currency))
	if o.Currency == "" {
		o.Currency = "USD"
	}
	if o.Status == "" {
		o.Status = OpportunityOpen
	}
	o.Status = OpportunityStatus(strings.ToLower(string(o.Status)))
	if o.Name == "" {
		v.Add("name", "is required")
	} else if len(o.Name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	if len(o.Prospect) > 200 {
		v.Add("prospect", "must be at most 200 characters")
	}
	if o.AmountCents < 0 {
		v.Add("amount", "must not be negative")
	}
	if !ValidCurrency(o.Currency) {
		v.Add("currency", "is not a currency code (ISO 4217) like USD, EUR or GBP")
	}
	switch o.Status {
	case OpportunityOpen, OpportunityWon, OpportunityLost:
	default:
		v.Add("status", "must be open, won or lost")
	}
	return v.Err()
}

// OpportunityFilter selects opportunities; zero fields select all.
type OpportunityFilter struct {
	OwnerID int64
	Status  OpportunityStatus
	Text    string // in the name or prospect, case-insensitive
	// The deal's values (taxonomy value ids) and account; 0 matches any.
	IndustryID, RegionID, ProductID, SegmentID, SizeID int64
	AccountID                                          int64
	Offset                                             int
	Limit                                              int // 0 = 50
}

// Amount is the deal's amount in units of its currency.
func (o *Opportunity) Amount() float64 { return float64(o.AmountCents) / 100 }

// Closed reports whether the deal is won or lost.
func (o *Opportunity) Closed() bool { return o.Status == OpportunityWon || o.Status == OpportunityLost }

// OpportunityFilterKinds are the picklists the opportunities list filters
// by, each with its parameter name: the coverage matrix's dimensions.
var OpportunityFilterKinds = []struct {
	Param string
	Kind  TaxonomyKind
}{{"industry", TaxIndustry}, {"region", TaxRegion}, {"product", TaxProduct}, {"segment", TaxSegment},
	{"company_size", TaxCompanySize}}

// ParseOpportunityFilter reads the opportunities list's filters as typed in
// a URL (the page's and the API's alike): status (open, won, lost; "" any),
// q (words in the name or prospect), a value by name of each of
// OpportunityFilterKinds (retired values too: a deal keeps them), and
// account (an account id). values gives a picklist's values. Every bad
// parameter is a validation error naming it.
func ParseOpportunityFilter(get func(string) string, values func(TaxonomyKind) []*TaxonomyValue) (OpportunityFilter, error) {
	var v Validation
	f := OpportunityFilter{Text: strings.TrimSpace(get("q"))}
	if s := strings.ToLower(strings.TrimSpace(get("status"))); s != "" {
		f.Status = OpportunityStatus(s)
		if f.Status != OpportunityOpen && f.Status != OpportunityWon && f.Status != OpportunityLost {
			v.Add("status", "must be open, won or lost")
		}
	}
	for _, k := range OpportunityFilterKinds {
		name := strings.TrimSpace(get(k.Param))
		if name == "" {
			continue
		}
		vals := values(k.Kind)
		found := FindValue(vals, name)
		if found == nil {
			v.Add(k.Param, UnknownValue(name, vals))
			continue
		}
		switch k.Kind {
		case TaxIndustry:
			f.IndustryID = found.ID
		case TaxRegion:
			f.RegionID = found.ID
		case TaxProduct:
			f.ProductID = found.ID
		case TaxSegment:
			f.SegmentID = found.ID
		case TaxCompanySize:
			f.SizeID = found.ID
		}
	}
	if s := strings.TrimSpace(get("account")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add("account", "must be an account's id, a whole number")
		}
		f.AccountID = id
	}
	return f, v.Err()
}
