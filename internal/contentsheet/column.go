package contentsheet

import (
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Columns is the layout of a content list, in the order the template has them.
var Columns = []refsheet.Column{
	{Key: "title", Header: "Title"},
	{Key: "type", Header: "Type"},
	{Key: "summary", Header: "Summary"},
	{Key: "body", Header: "Body"},
	{Key: "url", Header: "URL"},
	{Key: "accounts", Header: "Accounts"},
	{Key: "references", Header: "References"},
	{Key: "industry", Header: "Industry"},
	{Key: "region", Header: "Region"},
	{Key: "country", Header: "Country"},
	{Key: "segment", Header: "Segment"},
	{Key: "company_size", Header: "Company Size"},
	{Key: "products", Header: "Products"},
	{Key: "use_cases", Header: "Use Cases"},
	{Key: "competitors", Header: "Competitors"},
	{Key: "language", Header: "Language"},
	{Key: "published_on", Header: "Publish Date"},
	{Key: "owner", Header: "Owner"},
	{Key: "state", Header: "Approval State"},
	{Key: "approved_by", Header: "Approved By"},
	{Key: "approval_method", Header: "Approval Method"},
	{Key: "approved_on", Header: "Approved On"},
	{Key: "expires_on", Header: "Expiry Date"},
}

// tagColumns are the columns of picklist tags, each holding values separated by ";".
var tagColumns = []struct {
	key  string
	kind vouch.TaxonomyKind
}{{"industry", vouch.TaxIndustry}, {"region", vouch.TaxRegion}, {"country", vouch.TaxCountry},
	{"segment", vouch.TaxSegment}, {"company_size", vouch.TaxCompanySize}, {"products", vouch.TaxProduct},
	{"use_cases", vouch.TaxUseCase}, {"competitors", vouch.TaxCompetitor}}

// synonyms maps normalised headers (refsheet.HeaderKey) to column keys.
var synonyms = map[string]string{
	"name": "title", "contentname": "title", "contenttitle": "title", "headline": "title", "assetname": "title",
	"contenttype": "type", "kind": "type", "format": "type", "assettype": "type", "category": "type",
	"description": "summary", "abstract": "summary", "teaser": "summary",
	"quote": "body", "text": "body", "testimonial": "body", "bodytext": "body", "content": "body", "quotetext": "body",
	"link": "url", "weblink": "url", "address": "url", "location": "url", "website": "url", "videourl": "url", "web": "url",
	"account": "accounts", "company": "accounts", "companies": "accounts", "customer": "accounts", "customers": "accounts",
	"accountsfeatured": "accounts", "featuredaccounts": "accounts", "customername": "accounts",
	"reference": "references", "referencesfeatured": "references", "featuredreferences": "references",
	"contact": "references", "contacts": "references", "referenceemails": "references", "email": "references",
	"industries": "industry", "vertical": "industry", "regions": "region", "geo": "region", "countries": "country",
	"segments": "segment", "size": "company_size", "companysizes": "company_size",
	"product": "products", "usecase": "use_cases", "competitor": "competitors", "competitorsreplaced": "competitors",
	"lang": "language", "languages": "language",
	"published": "published_on", "publishedon": "published_on", "publishdate": "published_on", "publicationdate": "published_on",
	"date":       "published_on",
	"owneremail": "owner", "contentowner": "owner",
	"status": "state", "approval": "state", "approvalstatus": "state", "consent": "state",
	"approver": "approved_by", "approvedby": "approved_by",
	"method": "approval_method", "howapproved": "approval_method", "approvedvia": "approval_method",
	"approvaldate": "approved_on", "approveddate": "approved_on", "dateapproved": "approved_on",
	"expires": "expires_on", "expiry": "expires_on", "expireson": "expires_on", "expirationdate": "expires_on",
	"consentexpires": "expires_on", "consentexpiry": "expires_on", "validuntil": "expires_on",
}

// Required are the columns every row needs.
var Required = []string{"title", "type"}

// columns is what the import knows of the sheet's columns.
var columns = refsheet.NewColumnSet(refsheet.ColumnSet{
	Sheet: "a content list", Record: "content item", Columns: Columns, Synonyms: synonyms, Required: Required})

// Layout is the sheet's layout, for refsheet.Read and mapping files.
var Layout = columns.Layout()

// AutoMap maps headers to columns by name, ignoring case, spaces and
// punctuation, and by common synonyms.
func AutoMap(headers []string) refsheet.Mapping { return columns.AutoMap(headers) }

// ParseColumn reads a column as a mapping file names it: a key, a header,
// or "" to ignore the header.
func ParseColumn(s string) (string, error) { return columns.ParseColumn(s) }

// Check reports what makes a mapping unusable: a required column missing,
// or two headers feeding one column.
func Check(m refsheet.Mapping, headers []string) error { return columns.Check(m, headers) }

// FieldName is the field a column key fills, as the template heads it.
func FieldName(key string) string { return columns.FieldName(key) }
