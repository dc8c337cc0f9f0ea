package refsheet_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/refsheet"
)

func TestAutoMap(t *testing.T) {
	for _, tc := range []struct {
		header, column string
	}{
		// Canonical headers and keys, in any case and punctuation.
		{"Account", "account"}, {"ACCOUNT CRM ID", "account_crm_id"}, {"account_domain", "account_domain"},
		{"Time Zone", "time_zone"}, {"Go-Live", "go_live"}, {"Use Cases", "use_cases"}, {" crm id ", "crm_id"},
		{"Competitors Replaced", "competitors_replaced"}, {"Resting Until", "resting_until"},
		// Synonyms.
		{"Company", "account"}, {"Customer", "account"}, {"Customer Name", "account"}, {"Account Name", "account"},
		{"Organization", "account"}, {"Email Address", "email"}, {"E-mail", "email"}, {"Full Name", "name"},
		{"Contact", "name"}, {"Contact Name", "name"}, {"Reference Name", "name"}, {"Job Title", "title"},
		{"Position", "title"}, {"Vertical", "industry"}, {"Sector", "industry"}, {"Geo", "region"},
		{"Territory", "region"}, {"Salesforce ID", "crm_id"}, {"Contact ID", "crm_id"}, {"CRM ID", "crm_id"},
		{"Products Used", "products"}, {"TZ", "time_zone"}, {"Website", "account_domain"}, {"Employees", "company_size"},
		{"First Name", "first_name"}, {"Last Name", "last_name"}, {"Account ID", "account_crm_id"},
		// One column per activity type, yes or no.
		{"Case Study (Y/N)", "activity:Case Study"}, {"Activity: Site visit", "activity:Site visit"}, {"Press?", "activity:Press"},
		// Unknown.
		{"Internal Notes", ""}, {"", ""}, {"ID", ""},
	} {
		if got := refsheet.AutoMap([]string{tc.header})[0]; got != tc.column {
			t.Errorf("AutoMap(%q) = %q, want %q", tc.header, got, tc.column)
		}
	}
}

func TestMapping(t *testing.T) {
	headers := []string{"Client", "Person", "Mail", "Notes", "Email Address"}
	overrides, err := refsheet.ReadMappingFile(strings.NewReader(`{"Client": "account", "person": "Name", "Notes": "", "Mail": "email", "Email Address": ""}`))
	if err != nil {
		t.Fatal(err)
	}
	m := refsheet.AutoMap(headers)
	if err := m.Check(headers); err == nil || err.Error() != "The headers \"Mail\" and \"Email Address\" both map to the column email; ignore one of them in a mapping." {
		t.Errorf("auto mapping: %v", err)
	}
	if err := m.Override(headers, overrides); err != nil {
		t.Fatal(err)
	}
	if want := (refsheet.Mapping{"account", "name", "email", "", ""}); !slices.Equal(m, want) {
		t.Errorf("mapping %q, want %q", m, want)
	}
	if err := m.Check(headers); err != nil {
		t.Error(err)
	}
	if got := m.Unmapped(headers); !slices.Equal(got, []string{"Notes", "Email Address"}) {
		t.Errorf("unmapped %q", got)
	}

	for _, tc := range []struct {
		file, want string
	}{
		{`{"Client": "acount"}`, `mapping file, header "Client": "acount" is not a column; the columns are account, account_crm_id, account_domain, industry, segment, region, country, company_size, name, title, seniority, email, phone, time_zone, languages, products, use_cases, competitors_replaced, activities, deployment, go_live, story, owner, last_verified, status, status_reason, resting_until, capacity, crm_id, first_name, last_name and activity:<type>`},
		{`["account"]`, `the mapping file is not a JSON object of header to column, like {"Client": "account"}: json: cannot unmarshal array into Go value of type map[string]string`},
		{`{"Call?": "activity:"}`, `mapping file, header "Call?": "activity:" names no activity type; write it like "activity:Case study"`},
	} {
		_, err := refsheet.ReadMappingFile(strings.NewReader(tc.file))
		if err == nil || err.Error() != tc.want {
			t.Errorf("mapping file %s:\n got %v\nwant %s", tc.file, err, tc.want)
		}
	}
	err = refsheet.AutoMap(headers).Override(headers, map[string]string{"Customer": "account"})
	if err == nil || err.Error() != `The mapping names the header "Customer", but the sheet has no such header; its headers are 'Client', 'Person', 'Mail', 'Notes', 'Email Address'.` {
		t.Errorf("override of a missing header: %v", err)
	}
	m = refsheet.AutoMap([]string{"First Name", "Last Name", "Company"})
	if err := m.Check([]string{"First Name", "Last Name", "Company"}); err != nil {
		t.Errorf("first and last name make a name: %v", err)
	}
}
