package contentsheet

import (
	"fmt"
	"strings"

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

var columnByKey = func() map[string]string {
	m := map[string]string{}
	for _, c := range Columns {
		m[refsheet.HeaderKey(c.Key)] = c.Key
		m[refsheet.HeaderKey(c.Header)] = c.Key
	}
	return m
}()

// Layout is a content list, for refsheet.Read and mapping files.
var Layout = refsheet.Layout{AutoMap: AutoMap, Check: Check, ParseColumn: ParseColumn, Requires: "title and type"}

// AutoMap maps headers to columns by name, ignoring case, spaces and
// punctuation, and by common synonyms ("Link" → url, "Customer" → accounts).
func AutoMap(headers []string) refsheet.Mapping {
	m := make(refsheet.Mapping, len(headers))
	for i, h := range headers {
		k := refsheet.HeaderKey(h)
		if c, ok := columnByKey[k]; ok {
			m[i] = c
		} else {
			m[i] = synonyms[k]
		}
	}
	return m
}

// ParseColumn reads a column as a mapping file names it: a key
// ("published_on"), a header ("Publish Date"), or "" to ignore the header.
func ParseColumn(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if c, ok := columnByKey[refsheet.HeaderKey(s)]; ok {
		return c, nil
	}
	keys := make([]string, len(Columns))
	for i, c := range Columns {
		keys[i] = c.Key
	}
	return "", fmt.Errorf("%q is not a column of a content list; the columns are %s", s, strings.Join(keys, ", "))
}

// Check reports what makes a mapping unusable: no title or type column,
// or two headers feeding one column.
func Check(m refsheet.Mapping, headers []string) error {
	cols, err := m.Columns(headers)
	if err != nil {
		return err
	}
	var missing []string
	for _, k := range []string{"title", "type"} {
		if _, ok := cols[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return vouch.Errorf(vouch.EINVALID, "No column for %s, which every content item needs. The headers found are %s; map one of them to %s.",
			strings.Join(missing, " and "), refsheet.QuoteList(headers), strings.Join(missing, " and "))
	}
	return nil
}

// FieldName is the field a column key fills, as the template heads it.
func FieldName(key string) string {
	for _, c := range Columns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}
