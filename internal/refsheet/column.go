package refsheet

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Column is one field of the canonical spreadsheet layout.
type Column struct {
	Key    string // the column's name in mapping files, e.g. "account_crm_id"
	Header string // the header an export writes, e.g. "Account CRM ID"
}

// Columns is the canonical layout, in export order. Export writes exactly
// these, so an export re-imports without a mapping.
var Columns = []Column{
	{"account", "Account"},
	{"account_crm_id", "Account CRM ID"},
	{"account_domain", "Account Domain"},
	{"industry", "Industry"},
	{"segment", "Segment"},
	{"region", "Region"},
	{"country", "Country"},
	{"company_size", "Company Size"},
	{"name", "Name"},
	{"title", "Title"},
	{"seniority", "Seniority"},
	{"email", "Email"},
	{"phone", "Phone"},
	{"time_zone", "Time Zone"},
	{"languages", "Languages"},
	{"products", "Products"},
	{"use_cases", "Use Cases"},
	{"competitors_replaced", "Competitors Replaced"},
	{"activities", "Activities"},
	{"deployment", "Deployment"},
	{"go_live", "Go-Live"},
	{"story", "Story"},
	{"owner", "Owner"},
	{"last_verified", "Last Verified"},
	{"status", "Status"},
	{"status_reason", "Status Reason"},
	{"resting_until", "Resting Until"},
	{"capacity", "Capacity"},
	{"crm_id", "CRM ID"},
}

// Columns that only imports know: CRM exports often split a person's name.
const (
	colFirstName = "first_name"
	colLastName  = "last_name"
)

// activityPrefix starts a column key that holds yes/no for one activity
// type, e.g. "activity:Case study" for a column "Case study (Y/N)".
const activityPrefix = "activity:"

// synonyms maps normalised headers (see headerKey) to column keys. A
// header that normalises to a column's key or export header needs no entry.
var synonyms = map[string]string{
	// account
	"accountname": "account", "company": "account", "companyname": "account", "customer": "account",
	"customername": "account", "organization": "account", "organisation": "account", "organizationname": "account",
	"organisationname": "account", "org": "account", "client": "account", "clientname": "account",
	"accountid": "account_crm_id", "companyid": "account_crm_id", "customerid": "account_crm_id",
	"crmaccountid": "account_crm_id", "salesforceaccountid": "account_crm_id", "sfdcaccountid": "account_crm_id",
	"accountexternalid": "account_crm_id",
	"domain":            "account_domain", "website": "account_domain", "companywebsite": "account_domain",
	"companydomain": "account_domain", "accountwebsite": "account_domain", "url": "account_domain", "web": "account_domain",
	"vertical": "industry", "sector": "industry", "industryvertical": "industry",
	"marketsegment": "segment", "customersegment": "segment",
	"geo": "region", "geography": "region", "territory": "region", "salesregion": "region", "theater": "region",
	"hqcountry": "country", "countryregion": "country",
	"size": "company_size", "employees": "company_size", "employeecount": "company_size",
	"numberofemployees": "company_size", "headcount": "company_size", "sizeband": "company_size",
	// person
	"fullname": "name", "contact": "name", "contactname": "name", "referencename": "name", "reference": "name",
	"person": "name", "advocate": "name", "advocatename": "name", "customercontact": "name",
	"firstname": colFirstName, "givenname": colFirstName, "first": colFirstName,
	"lastname": colLastName, "surname": colLastName, "familyname": colLastName, "last": colLastName,
	"jobtitle": "title", "position": "title", "role": "title", "jobrole": "title", "designation": "title",
	"level": "seniority", "senioritylevel": "seniority", "joblevel": "seniority",
	"emailaddress": "email", "mail": "email", "contactemail": "email", "workemail": "email",
	"businessemail": "email", "emailid": "email",
	"phonenumber": "phone", "telephone": "phone", "tel": "phone", "mobile": "phone", "mobilephone": "phone",
	"workphone": "phone", "contactphone": "phone",
	"tz": "time_zone", "timezone": "time_zone",
	"language": "languages", "spokenlanguages": "languages", "languagesspoken": "languages",
	"product": "products", "productsused": "products", "productsowned": "products", "productused": "products",
	"usecase": "use_cases", "usecases": "use_cases",
	"competitorreplaced": "competitors_replaced", "competitor": "competitors_replaced",
	"competitors": "competitors_replaced", "replaced": "competitors_replaced",
	"displacedcompetitor": "competitors_replaced", "previoussolution": "competitors_replaced",
	"activity": "activities", "agreedactivities": "activities", "activitytypes": "activities",
	"referenceactivities": "activities", "referencetypes": "activities", "willingto": "activities",
	"availablefor":   "activities",
	"deploymenttype": "deployment", "deploymentmodel": "deployment", "hosting": "deployment",
	"golivedate": "go_live", "livedate": "go_live", "livesince": "go_live", "implementationdate": "go_live",
	"customerstory": "story", "successstory": "story", "referencestory": "story", "summary": "story",
	"owneremail": "owner", "referenceowner": "owner", "relationshipowner": "owner", "managedby": "owner",
	"lastverifiedon": "last_verified", "lastverifieddate": "last_verified", "verifiedon": "last_verified",
	"lastconfirmed":   "last_verified",
	"referencestatus": "status",
	"reason":          "status_reason",
	"restuntil":       "resting_until", "unavailableuntil": "resting_until", "pauseduntil": "resting_until",
	"capacityoverride": "capacity", "maxactivities": "capacity", "activitiesper90days": "capacity",
	"contactid": "crm_id", "salesforceid": "crm_id", "sfdcid": "crm_id", "crmcontactid": "crm_id",
	"salesforcecontactid": "crm_id", "contactcrmid": "crm_id", "referenceid": "crm_id", "externalid": "crm_id",
}

// columnByKey finds a canonical column or an import-only one by its key or
// export header, in any case and spacing.
var columnByKey = func() map[string]string {
	m := map[string]string{}
	for _, c := range Columns {
		m[headerKey(c.Key)] = c.Key
		m[headerKey(c.Header)] = c.Key
	}
	m[headerKey(colFirstName)] = colFirstName
	m[headerKey(colLastName)] = colLastName
	return m
}()

// headerKey reduces a header to lower-case letters and digits, so "E-mail
// Address", "email_address" and " EMAIL ADDRESS" are one header.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Mapping says which column each spreadsheet header feeds: Mapping[i] is the
// column key of the sheet's i-th header, or "" when that column is ignored.
type Mapping []string

// AutoMap maps headers to columns by name, ignoring case, spaces and
// punctuation, and by common synonyms ("Company" → account, "E-mail" →
// email). A header for one activity type, "Activity: Call" or "Call (Y/N)",
// maps to a yes/no column for that type. Headers it does not know map to "".
func AutoMap(headers []string) Mapping {
	m := make(Mapping, len(headers))
	for i, h := range headers {
		m[i] = autoColumn(h)
	}
	return m
}

func autoColumn(h string) string {
	k := headerKey(h)
	if c, ok := columnByKey[k]; ok {
		return c
	}
	if c, ok := synonyms[k]; ok {
		return c
	}
	if t := activityHeader(h); t != "" {
		return activityPrefix + t
	}
	return ""
}

// activityHeader returns the activity type named by a yes/no header such as
// "Activity: Case study", "Agreed: Call" or "Site visit (Y/N)", else "".
func activityHeader(h string) string {
	h = strings.TrimSpace(h)
	lower := strings.ToLower(h)
	for _, p := range []string{"activity:", "agreed:", "activity -", "agreed -"} {
		if strings.HasPrefix(lower, p) {
			return strings.TrimSpace(h[len(p):])
		}
	}
	for _, s := range []string{"(y/n)", "(yes/no)", "?"} {
		if strings.HasSuffix(lower, s) && len(h) > len(s) {
			return strings.TrimSpace(h[:len(h)-len(s)])
		}
	}
	return ""
}

// ParseColumn reads a column as a mapping file names it: a key ("crm_id"), an
// export header ("CRM ID"), "activity:<type>", or "" to ignore the header.
func ParseColumn(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if strings.HasPrefix(strings.ToLower(s), activityPrefix) {
		t := strings.TrimSpace(s[len(activityPrefix):])
		if t == "" {
			return "", fmt.Errorf("%q names no activity type; write it like \"activity:Case study\"", s)
		}
		return activityPrefix + t, nil
	}
	if c, ok := columnByKey[headerKey(s)]; ok {
		return c, nil
	}
	return "", fmt.Errorf("%q is not a column; the columns are %s, first_name, last_name and activity:<type>", s, columnKeys())
}

func columnKeys() string {
	keys := make([]string, len(Columns))
	for i, c := range Columns {
		keys[i] = c.Key
	}
	return strings.Join(keys, ", ")
}

// ReadMappingFile reads a mapping file of a references sheet: a JSON
// object from spreadsheet header to column, e.g. {"Client": "account", "Notes": ""}.
func ReadMappingFile(r io.Reader) (map[string]string, error) { return References.ReadMapping(r) }

// Override changes the columns of the headers named in overrides (header →
// column key, "" to ignore). Headers are compared as AutoMap compares them;
// naming a header the sheet does not have is an error, since it is most
// likely a typo that would silently leave the column unmapped.
func (m Mapping) Override(headers []string, overrides map[string]string) error {
	names := make([]string, 0, len(overrides))
	for h := range overrides {
		names = append(names, h)
	}
	sort.Strings(names)
	for _, h := range names {
		found := false
		for i, sh := range headers {
			if strings.TrimSpace(sh) == strings.TrimSpace(h) || (headerKey(sh) != "" && headerKey(sh) == headerKey(h)) {
				m[i] = overrides[h]
				found = true
			}
		}
		if !found {
			return vouch.Errorf(vouch.EINVALID, "The mapping names the header %q, but the sheet has no such header; its headers are %s.", h, quoteList(headers))
		}
	}
	return nil
}

// Check reports what makes a mapping unusable: a required column with no
// header, or two headers feeding one column.
func (m Mapping) Check(headers []string) error {
	first, err := m.Columns(headers)
	if err != nil {
		return err
	}
	_, hasName := first["name"]
	_, hasFirst := first[colFirstName]
	_, hasLast := first[colLastName]
	var missing []string
	if _, ok := first["account"]; !ok {
		missing = append(missing, "account")
	}
	if splitName := hasFirst && hasLast; !hasName && !splitName {
		missing = append(missing, "name")
	}
	if len(missing) > 0 {
		return vouch.Errorf(vouch.EINVALID, "No column for %s, which every reference needs. The headers found are %s; map one of them to %s.",
			strings.Join(missing, " and "), quoteList(headers), strings.Join(missing, " and "))
	}
	return nil
}

// Columns returns the sheet index of each mapped column (by lower-case
// key), or an error naming two headers that feed one column.
func (m Mapping) Columns(headers []string) (map[string]int, error) {
	first := map[string]int{}
	for i, c := range m {
		if c == "" {
			continue
		}
		key := strings.ToLower(c)
		if j, ok := first[key]; ok {
			return nil, vouch.Errorf(vouch.EINVALID, "The headers %q and %q both map to the column %s; ignore one of them in a mapping.",
				headers[j], headers[i], c)
		}
		first[key] = i
	}
	return first, nil
}

// Unmapped lists the non-empty headers the mapping ignores.
func (m Mapping) Unmapped(headers []string) []string {
	var out []string
	for i, c := range m {
		if c == "" && strings.TrimSpace(headers[i]) != "" {
			out = append(out, headers[i])
		}
	}
	return out
}

func quoteList(items []string) string {
	if len(items) == 0 {
		return "(none)"
	}
	q := make([]string, 0, len(items))
	for _, s := range items {
		if strings.TrimSpace(s) != "" {
			q = append(q, "'"+s+"'")
		}
	}
	if len(q) == 0 {
		return "(none)"
	}
	return strings.Join(q, ", ")
}
