package activitysheet

import (
	"github.com/vouchhq/vouch/internal/refsheet"
)

// Columns is the layout of a sheet of past activities, in the order the template has them.
var Columns = []refsheet.Column{
	{Key: "reference", Header: "Reference"},
	{Key: "activity_type", Header: "Activity Type"},
	{Key: "occurred_on", Header: "Date"},
	{Key: "opportunity", Header: "Opportunity"},
	{Key: "opp_stage", Header: "Stage at Activity"},
	{Key: "notes", Header: "Notes"},
	{Key: "points", Header: "Points"},
	{Key: "thank_you", Header: "Thank-you"},
}

// synonyms maps normalised headers (refsheet.HeaderKey) to column keys.
var synonyms = map[string]string{
	"referenceemail": "reference", "email": "reference", "emailaddress": "reference", "contact": "reference",
	"contactemail": "reference", "advocate": "reference", "advocateemail": "reference", "referencecrmid": "reference",
	"contactid": "reference", "referenceid": "reference",
	"type": "activity_type", "activity": "activity_type", "kind": "activity_type", "referencetype": "activity_type",
	"day": "occurred_on", "activitydate": "occurred_on", "occurredon": "occurred_on", "when": "occurred_on", "dateofactivity": "occurred_on",
	"opportunityid": "opportunity", "opportunitycrmid": "opportunity", "opportunityname": "opportunity", "deal": "opportunity",
	"dealname": "opportunity", "dealid": "opportunity", "oppid": "opportunity", "opp": "opportunity",
	"stage": "opp_stage", "stageatrequest": "opp_stage", "opportunitystage": "opp_stage", "dealstage": "opp_stage",
	"note": "notes", "comment": "notes", "comments": "notes", "description": "notes",
	"pointsearned": "points", "thankyou": "thank_you", "thanks": "thank_you", "gift": "thank_you",
}

// Required are the columns every row needs.
var Required = []string{"reference", "activity_type", "occurred_on"}

// columns is what the import knows of the sheet's columns.
var columns = refsheet.NewColumnSet(refsheet.ColumnSet{
	Sheet: "an activity sheet", Record: "activity", Columns: Columns, Synonyms: synonyms, Required: Required})

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
