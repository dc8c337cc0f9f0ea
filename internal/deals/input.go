package deals

import (
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Field names an input's fields, as the API's body and problems name them.
type Field string

// The fields of an input.
const (
	FieldCRMID         Field = "crm_id"
	FieldName          Field = "name"
	FieldProspect      Field = "prospect"
	FieldAmount        Field = "amount"
	FieldCurrency      Field = "currency"
	FieldStage         Field = "stage"
	FieldStatus        Field = "status"
	FieldCloseDate     Field = "close_date"
	FieldCreatedOn     Field = "created_on"
	FieldOwner         Field = "owner_email"
	FieldAccountCRMID  Field = "account_crm_id"
	FieldAccountDomain Field = "account_domain"
	FieldAccountName   Field = "account_name"
	FieldIndustry      Field = "industry"
	FieldRegion        Field = "region"
	FieldCountry       Field = "country"
	FieldSegment       Field = "segment"
	FieldSize          Field = "company_size"
	FieldProduct       Field = "product"
	FieldCompetitor    Field = "competitor"
)

// picklistFields are the fields that name a picklist value.
var picklistFields = []struct {
	field Field
	kind  vouch.TaxonomyKind
	to    func(*vouch.Opportunity) *int64
}{
	{FieldIndustry, vouch.TaxIndustry, func(o *vouch.Opportunity) *int64 { return &o.IndustryID }},
	{FieldRegion, vouch.TaxRegion, func(o *vouch.Opportunity) *int64 { return &o.RegionID }},
	{FieldCountry, vouch.TaxCountry, func(o *vouch.Opportunity) *int64 { return &o.CountryID }},
	{FieldSegment, vouch.TaxSegment, func(o *vouch.Opportunity) *int64 { return &o.SegmentID }},
	{FieldSize, vouch.TaxCompanySize, func(o *vouch.Opportunity) *int64 { return &o.SizeID }},
	{FieldProduct, vouch.TaxProduct, func(o *vouch.Opportunity) *int64 { return &o.ProductID }},
	{FieldCompetitor, vouch.TaxCompetitor, func(o *vouch.Opportunity) *int64 { return &o.CompetitorID }},
}

// Input is an opportunity as a CRM export or a CRM sync gives it: text as
// written, picklist values by name, the owner by email, the account by CRM
// id, website or name. Only the fields in Given are set; the others keep
// what is stored. A given field that is empty clears an optional field.
type Input struct {
	Given  map[Field]bool
	Values map[Field]string
}

// Set gives a field its value.
func (in *Input) Set(f Field, value string) {
	if in.Given == nil {
		in.Given, in.Values = map[Field]bool{}, map[Field]string{}
	}
	in.Given[f], in.Values[f] = true, strings.TrimSpace(value)
}

// Get is a field's value ("" when not given).
func (in *Input) Get(f Field) string { return in.Values[f] }

// Problem is what is wrong with one field of an input, for the caller to
// place: the importer under its row and column, the API under "items[3].amount".
type Problem struct {
	Field  Field
	Value  string // the text given
	Reason string
	// Picklist and Missing name a value missing from a picklist, which
	// adding it fixes (refsheet.Options.AddMissing).
	Picklist, Missing string
}

func (p Problem) String() string {
	if p.Value == "" {
		return fmt.Sprintf("%s: %s", p.Field, p.Reason)
	}
	return fmt.Sprintf("%s: '%s' %s", p.Field, p.Value, p.Reason)
}

// Options change how inputs are read.
type Options struct {
	DateOrder  refsheet.DateOrder // how slashed dates are written ("": month first)
	XLSX       bool               // dates may be Excel serial numbers
	AddMissing bool               // add unknown picklist values instead of refusing them
}

// checker reads inputs into opportunities against what the store holds.
type checker struct {
	settings vouch.ProgramSettings
	values   *refsheet.Picklists
	users    map[string]int64   // email → user id
	names    map[string][]int64 // a user's name, as nameKey → the users with it
	accounts *vouch.AccountIndex
	opts     Options
}

func newChecker(snap *store.Snapshot, settings vouch.ProgramSettings, opts Options) *checker {
	c := &checker{settings: settings, values: refsheet.NewPicklists(snap.Values), users: map[string]int64{},
		names: map[string][]int64{}, accounts: vouch.NewAccountIndex(snap.Accounts), opts: opts}
	for id, email := range snap.Users {
		c.users[vouch.NormalizeEmail(email)] = id
	}
	for id, name := range snap.UserNames {
		k := nameKey(name)
		c.names[k] = append(c.names[k], id)
	}
	return c
}

// check sets the fields in gives on o (a copy of the stored opportunity, or
// a new one) and returns the problems.
func (c *checker) check(in Input, o *vouch.Opportunity) []Problem {
	var ps []Problem
	fail := func(f Field, reason string) { ps = append(ps, Problem{Field: f, Value: in.Get(f), Reason: reason}) }
	given := func(f Field) bool { return in.Given[f] }
	if given(FieldName) {
		o.Name = in.Get(FieldName)
		if o.Name == "" {
			fail(FieldName, "is empty; every opportunity needs its name")
		} else if len(o.Name) > 200 {
			fail(FieldName, "is longer than 200 characters")
		}
	}
	if given(FieldProspect) {
		o.Prospect = in.Get(FieldProspect)
	}
	currency := ""
	if given(FieldCurrency) {
		if s := strings.ToUpper(in.Get(FieldCurrency)); s != "" {
			if !vouch.ValidCurrency(s) {
				fail(FieldCurrency, "is not a currency code (ISO 4217) like USD, EUR or GBP")
			} else {
				currency = s
			}
		}
	}
	if given(FieldAmount) {
		if s := in.Get(FieldAmount); s == "" {
			o.AmountCents = 0
		} else if cents, cur, problem := vouch.ParseAmount(s); problem != "" {
			fail(FieldAmount, problem)
		} else if cents < 0 {
			fail(FieldAmount, "is negative; a deal's amount is 0 or more")
		} else if cur != "" && currency != "" && cur != currency {
			fail(FieldAmount, fmt.Sprintf("is in %s, but the currency given is %s", cur, currency))
		} else {
			o.AmountCents = cents
			if cur != "" {
				currency = cur
			}
		}
	}
	if currency != "" {
		o.Currency = currency
	}
	if given(FieldStage) {
		o.Stage = strings.Join(strings.Fields(in.Get(FieldStage)), " ")
		if len(o.Stage) > 100 {
			fail(FieldStage, "is longer than 100 characters")
		}
		// A new stage with no status: the stage's, open at any stage
		// the program does not list.
		o.Status = ""
	}
	if given(FieldStatus) && in.Get(FieldStatus) != "" {
		st := vouch.OpportunityStatus(strings.ToLower(in.Get(FieldStatus)))
		switch st {
		case vouch.OpportunityOpen, vouch.OpportunityWon, vouch.OpportunityLost:
			o.Status = st
		default:
			fail(FieldStatus, "is not open, won or lost")
		}
	}
	// A listed stage decides the status: one the input gives that
	// contradicts it is a problem; one carried from the stored deal gives way.
	st, problem := c.settings.DealStatus(o.Stage, o.Status)
	if problem != "" && given(FieldStatus) {
		fail(FieldStatus, problem)
	}
	o.Status = st
	for _, d := range []struct {
		f  Field
		to *vouch.Date
	}{{FieldCloseDate, &o.CloseDate}, {FieldCreatedOn, &o.CreatedOn}} {
		if !given(d.f) {
			continue
		}
		if s := in.Get(d.f); s == "" {
			*d.to = vouch.Date{}
		} else if day, reason := refsheet.ParseDateIn(s, c.opts.XLSX, c.opts.DateOrder); reason != "" {
			fail(d.f, reason)
		} else {
			*d.to = day
		}
	}
	if given(FieldOwner) {
		o.OwnerID = 0
		if s := in.Get(FieldOwner); s != "" && !strings.Contains(s, "@") {
			// Report exports name the owner ("Opportunity Owner: Jane Doe").
			switch same := c.names[nameKey(s)]; len(same) {
			case 1:
				o.OwnerID = same[0]
			case 0:
				fail(FieldOwner, "no Vouch user has this name or email; invite the seller first, or leave the owner out")
			default:
				fail(FieldOwner, fmt.Sprintf("%d Vouch users have this name; give the owner's email instead", len(same)))
			}
		} else if s != "" {
			if email, reason := refsheet.ParseEmail(s); reason != "" {
				fail(FieldOwner, reason)
			} else if id := c.users[email]; id == 0 {
				fail(FieldOwner, "no Vouch user has this email; invite the seller first, or leave the owner out")
			} else {
				o.OwnerID = id
			}
		}
	}
	if given(FieldAccountCRMID) || given(FieldAccountDomain) || given(FieldAccountName) {
		a, _, field, problem := c.accounts.Match(in.Get(FieldAccountCRMID), in.Get(FieldAccountDomain), in.Get(FieldAccountName))
		switch {
		case problem != "":
			f := FieldAccountDomain
			if field == "name" {
				f = FieldAccountName
			}
			fail(f, problem)
		case a != nil:
			o.AccountID, o.Prospect = a.ID, a.Name
		default:
			// Not one of the program's accounts: a new-business deal, its
			// prospect named as the CRM names it.
			o.AccountID = 0
			if name := in.Get(FieldAccountName); name != "" {
				o.Prospect = name
			}
		}
	}
	for _, pf := range picklistFields {
		if !given(pf.field) {
			continue
		}
		to := pf.to(o)
		s := in.Get(pf.field)
		if s == "" {
			*to = 0
			continue
		}
		id, reason := c.values.Find(pf.kind, s, c.opts.AddMissing)
		switch {
		case reason != "":
			p := Problem{Field: pf.field, Value: s, Reason: reason}
			if strings.HasPrefix(reason, "not a known ") || strings.HasPrefix(reason, "did you mean") {
				p.Picklist, p.Missing = refsheet.KindName(pf.kind), s
			}
			ps = append(ps, p)
		case c.values.Retired(id) != nil && id != *to:
			fail(pf.field, vouch.RetiredValue(c.values.Retired(id)))
		default:
			*to = id
		}
	}
	if len(o.Prospect) > 200 {
		fail(FieldProspect, "is longer than 200 characters")
	}
	if o.ID == 0 && o.Name == "" && !given(FieldName) {
		fail(FieldName, "is missing; a new opportunity needs its name")
	}
	return ps
}

func nameKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
