package vouch

import (
	"net/url"
	"reflect"
	"testing"
)

// TestParseOpportunityFilter: the list's filters as typed in a URL, values
// by name in any case (retired ones too), every bad one named.
func TestParseOpportunityFilter(t *testing.T) {
	vals := map[TaxonomyKind][]*TaxonomyValue{
		TaxIndustry:    {{ID: 1, Name: "Healthcare"}, {ID: 2, Name: "Retail", Retired: true}},
		TaxRegion:      {{ID: 11, Name: "EMEA"}},
		TaxProduct:     {{ID: 21, Name: "Analytics"}},
		TaxSegment:     {{ID: 31, Name: "Enterprise"}},
		TaxCompanySize: {{ID: 41, Name: "10,001+"}},
	}
	values := func(k TaxonomyKind) []*TaxonomyValue { return vals[k] }
	for _, c := range []struct {
		query  string
		want   OpportunityFilter
		fields []string
	}{
		{"", OpportunityFilter{}, nil},
		{"status=Open&industry=healthcare&q=+mercy+", OpportunityFilter{Status: OpportunityOpen, IndustryID: 1, Text: "mercy"}, nil},
		{"industry=retail&region=emea&product=Analytics&segment=enterprise&company_size=10,001%2B&account=7",
			OpportunityFilter{IndustryID: 2, RegionID: 11, ProductID: 21, SegmentID: 31, SizeID: 41, AccountID: 7}, nil},
		{"status=pending&industry=Helthcare&account=acme&company_size=huge", OpportunityFilter{}, []string{"status", "industry", "account", "company_size"}},
		{"account=-3", OpportunityFilter{}, []string{"account"}},
	} {
		q, _ := url.ParseQuery(c.query)
		got, err := ParseOpportunityFilter(q.Get, values)
		fields := ErrorFields(err)
		if len(c.fields) > 0 {
			if len(fields) != len(c.fields) {
				t.Errorf("%s: problems %v, want at %v", c.query, fields, c.fields)
			}
			for _, f := range c.fields {
				if fields[f] == "" {
					t.Errorf("%s: no problem at %s: %v", c.query, f, fields)
				}
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, %v; want %+v", c.query, got, err, c.want)
		}
	}
}
