package crmsheet

import (
	"github.com/vouchhq/vouch/internal/refsheet"
)

// AccountColumns is the layout of a CRM export of customer accounts.
var AccountColumns = []refsheet.Column{
	{Key: "crm_id", Header: "Account ID"},
	{Key: "name", Header: "Account Name"},
	{Key: "domain", Header: "Website"},
	{Key: "owner", Header: "Account Owner"},
	{Key: "csm", Header: "CSM"},
	{Key: "health", Header: "Health"},
	{Key: "nps", Header: "NPS"},
	{Key: "arr", Header: "Annual Recurring Revenue"},
	{Key: "arr_currency", Header: "ARR Currency"},
	{Key: "renewal_date", Header: "Renewal Date"},
	{Key: "customer_since", Header: "Customer Since"},
	{Key: "industry", Header: "Industry"},
	{Key: "segment", Header: "Segment"},
	{Key: "region", Header: "Region"},
	{Key: "country", Header: "Country"},
	{Key: "company_size", Header: "Company Size"},
}

// accountSynonyms are the headers of Salesforce account reports and
// HubSpot company exports (normalised by refsheet.HeaderKey).
var accountSynonyms = map[string]string{
	"accountid": "crm_id", "recordid": "crm_id", "companyid": "crm_id", "id": "crm_id", "account18charid": "crm_id",
	"crmid": "crm_id", "accountcrmid": "crm_id",
	"accountname": "name", "name": "name", "companyname": "name", "company": "name", "account": "name", "customer": "name",
	"customername": "name",
	"website":      "domain", "domain": "domain", "companydomainname": "domain", "accountwebsite": "domain", "companywebsite": "domain",
	"url":          "domain",
	"accountowner": "owner", "companyowner": "owner", "owner": "owner", "owneremail": "owner", "accountowneremail": "owner",
	"companyowneremail": "owner", "accountmanager": "owner",
	"csm": "csm", "customersuccessmanager": "csm", "csmname": "csm", "customersuccessowner": "csm",
	"health": "health", "healthscore": "health", "accounthealth": "health", "customerhealth": "health", "healthstatus": "health",
	"nps": "nps", "npsscore": "nps", "netpromoterscore": "nps",
	"arr": "arr", "annualrecurringrevenue": "arr", "annualrecurringrevenuearr": "arr", "recurringrevenue": "arr",
	"currentarr": "arr", "arramount": "arr",
	"arrcurrency": "arr_currency", "currency": "arr_currency", "accountcurrency": "arr_currency", "currencyisocode": "arr_currency",
	"annualrecurringrevenuecurrency": "arr_currency", "currencycode": "arr_currency",
	"renewaldate": "renewal_date", "nextrenewaldate": "renewal_date", "contractenddate": "renewal_date",
	"contractrenewaldate": "renewal_date", "renewal": "renewal_date", "subscriptionenddate": "renewal_date",
	"customersince": "customer_since", "customersincedate": "customer_since", "becameacustomerdate": "customer_since",
	"firstclosedwondate": "customer_since", "customerstartdate": "customer_since",
	"vertical": "industry", "sector": "industry",
	"marketsegment": "segment", "customersegment": "segment",
	"salesregion": "region", "territory": "region", "geo": "region", "theater": "region",
	"billingcountry": "country", "countryregion": "country",
	"size": "company_size", "employees": "company_size", "numberofemployees": "company_size", "employeecount": "company_size",
}

var accounts = refsheet.NewColumnSet(refsheet.ColumnSet{
	Sheet: "a CRM account export", Record: "account", Columns: AccountColumns, Synonyms: accountSynonyms, Required: AccountRequired})

// AccountRequired are the columns every account row needs.
var AccountRequired = []string{"name"}

// Accounts is the layout of a CRM export of accounts, for refsheet.Read and mapping files.
var Accounts = accounts.Layout()

// AccountField is the field a column key fills, as the layout heads it.
func AccountField(key string) string { return accounts.FieldName(key) }
