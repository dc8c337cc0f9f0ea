package activitysheet

import (
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
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

var columnByKey = func() map[string]string {
	m := map[string]string{}
	for _, c := range Columns {
		m[refsheet.HeaderKey(c.Key)] = c.Key
		m[refsheet.HeaderKey(c.Header)] = c.Key
	}
	return m
}()

// Required are the columns every row needs.
var Required = []string{"reference", "activity_type", "occurred_on"}

// Layout is a sheet of past activities, for refsheet.Read and mapping files.
var Layout = refsheet.Layout{AutoMap: AutoMap, Check: Check, ParseColumn: ParseColumn, Requires: "reference, activity type and date"}

// AutoMap maps headers to columns by name, ignoring case, spaces and
// punctuation, and by common synonyms ("Email" → reference, "Deal" → opportunity).
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
// ("occurred_on"), a header ("Date"), or "" to ignore the header.
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
	return "", fmt.Errorf("%q is not a column of an activity sheet; the columns are %s", s, strings.Join(keys, ", "))
}

// Check reports what makes a mapping unusable: a required column missing,
// or two headers feeding one column.
func Check(m refsheet.Mapping, headers []string) error {
	cols, err := m.Columns(headers)
	if err != nil {
		return err
	}
	var missing []string
	for _, k := range Required {
		if _, ok := cols[k]; !ok {
			missing = append(missing, FieldName(k))
		}
	}
	if len(missing) > 0 {
		list := strings.Join(missing, " and ")
		return vouch.Errorf(vouch.EINVALID, "No column for %s, which every activity needs. The headers found are %s; map one of them to %s.",
			list, refsheet.QuoteList(headers), list)
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
