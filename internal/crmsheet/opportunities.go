package crmsheet

import (
	"github.com/vouchhq/vouch/internal/deals"
	"github.com/vouchhq/vouch/internal/refsheet"
)

// OpportunityColumns is the layout of a CRM export of deals; each key is
// the deals.Field the column fills.
var OpportunityColumns = []refsheet.Column{
	{Key: string(deals.FieldCRMID), Header: "Opportunity ID"},
	{Key: string(deals.FieldName), Header: "Opportunity Name"},
	{Key: string(deals.FieldAccountName), Header: "Account Name"},
	{Key: string(deals.FieldAccountCRMID), Header: "Account ID"},
	{Key: string(deals.FieldAccountDomain), Header: "Website"},
	{Key: string(deals.FieldAmount), Header: "Amount"},
	{Key: string(deals.FieldCurrency), Header: "Currency"},
	{Key: string(deals.FieldStage), Header: "Stage"},
	{Key: string(deals.FieldCloseDate), Header: "Close Date"},
	{Key: string(deals.FieldCreatedOn), Header: "Created Date"},
	{Key: string(deals.FieldOwner), Header: "Owner"},
	{Key: string(deals.FieldIndustry), Header: "Industry"},
	{Key: string(deals.FieldRegion), Header: "Region"},
	{Key: string(deals.FieldCountry), Header: "Country"},
	{Key: string(deals.FieldSegment), Header: "Segment"},
	{Key: string(deals.FieldSize), Header: "Company Size"},
	{Key: string(deals.FieldProduct), Header: "Product"},
	{Key: string(deals.FieldCompetitor), Header: "Competitor"},
}

// opportunitySynonyms are the headers of Salesforce opportunity reports and
// HubSpot deal exports (normalised by refsheet.HeaderKey).
var opportunitySynonyms = map[string]string{
	"opportunityid": "crm_id", "recordid": "crm_id", "dealid": "crm_id", "id": "crm_id", "oppid": "crm_id",
	"opportunityrecordid": "crm_id", "opportunity18charid": "crm_id", "opportunitycrmid": "crm_id", "crmid": "crm_id",
	"name": "name", "dealname": "name", "opportunity": "name", "deal": "name", "opportunitytitle": "name",
	"accountname": "account_name", "associatedcompany": "account_name", "company": "account_name", "companyname": "account_name",
	"account": "account_name", "prospect": "account_name", "customer": "account_name", "associatedcompanyname": "account_name",
	"accountid": "account_crm_id", "associatedcompanyid": "account_crm_id", "companyid": "account_crm_id",
	"accountcrmid": "account_crm_id", "associatedcompanyids": "account_crm_id", "account18charid": "account_crm_id",
	"website": "account_domain", "domain": "account_domain", "companydomainname": "account_domain", "accountwebsite": "account_domain",
	"companywebsite": "account_domain", "accountdomain": "account_domain",
	"amount": "amount", "dealamount": "amount", "opportunityamount": "amount", "value": "amount", "dealvalue": "amount",
	"amountinhomecurrency": "amount", "totalamount": "amount",
	"amountcurrency": "currency", "currency": "currency", "opportunitycurrency": "currency", "dealcurrency": "currency",
	"currencycode": "currency", "currencyisocode": "currency", "dealcurrencycode": "currency",
	"stage": "stage", "dealstage": "stage", "opportunitystage": "stage", "stagename": "stage", "pipelinestage": "stage",
	"closedate": "close_date", "expectedclosedate": "close_date", "closeddate": "close_date", "dateclosed": "close_date",
	"createddate": "created_on", "createdate": "created_on", "createdon": "created_on", "datecreated": "created_on",
	"opportunitycreateddate": "created_on",
	"owner":                  "owner_email", "opportunityowner": "owner_email", "dealowner": "owner_email", "owneremail": "owner_email",
	"opportunityowneremail": "owner_email", "dealowneremail": "owner_email", "ownername": "owner_email",
	"ownerfullname": "owner_email", "salesrep": "owner_email", "accountexecutive": "owner_email", "ae": "owner_email",
	"vertical": "industry", "sector": "industry", "accountindustry": "industry",
	"salesregion": "region", "territory": "region", "geo": "region", "theater": "region",
	"billingcountry": "country", "countryregion": "country", "accountcountry": "country",
	"marketsegment": "segment", "customersegment": "segment", "accountsegment": "segment",
	"size": "company_size", "employees": "company_size", "numberofemployees": "company_size", "employeecount": "company_size",
	"primaryproduct": "product", "productname": "product", "products": "product", "productinterest": "product",
	"primarycompetitor": "competitor", "maincompetitor": "competitor", "competitors": "competitor",
}

var opportunities = refsheet.NewColumnSet(refsheet.ColumnSet{
	Sheet: "a CRM opportunity export", Record: "opportunity", Columns: OpportunityColumns, Synonyms: opportunitySynonyms, Required: OpportunityRequired})

// OpportunityRequired are the columns every deal row needs.
var OpportunityRequired = []string{"crm_id", "name"}

// Opportunities is the layout of a CRM export of deals, for refsheet.Read and mapping files.
var Opportunities = opportunities.Layout()

// OpportunityField is the field a column key fills, as the layout heads it.
func OpportunityField(key string) string { return opportunities.FieldName(key) }
