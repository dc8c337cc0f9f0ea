package vouch

import (
	"testing"
	"time"
)

func TestCheckNewState(t *testing.T) {
	today := NewDate(2026, time.March, 14)
	day := func(s string) Date { d, _ := ParseDate(s); return d }
	for _, tc := range []struct {
		name        string
		item        ContentItem
		months      int
		wantFields  []string
		wantExpires string
		wantOn      string
	}{
		{"a draft", ContentItem{}, 24, nil, "", ""},
		{"approved externally today, the default consent period", ContentItem{State: ContentApprovedExternal, ApprovedBy: "Dana Park", ApprovalMethod: "Mail"}, 24, nil, "2028-03-14", "2026-03-14"},
		{"approved last year, 12 months of the setting", ContentItem{State: ContentApprovedExternal, ApprovedBy: "Dana", ApprovalMethod: "document", ApprovedOn: day("2025-06-01")}, 12, nil, "2026-06-01", "2025-06-01"},
		{"approved internally with no customer named", ContentItem{State: ContentApprovedInternal, ApprovalMethod: "internal"}, 24, nil, "2028-03-14", "2026-03-14"},
		{"approved with an expiry given", ContentItem{State: ContentApprovedExternal, ApprovedBy: "D", ApprovalMethod: "mail", ExpiresOn: day("2027-01-01")}, 24, nil, "2027-01-01", "2026-03-14"},
		{"approved without how or who", ContentItem{State: ContentApprovedExternal}, 24, []string{"method", "approved_by"}, "", ""},
		{"approved by an unknown method", ContentItem{State: ContentApprovedExternal, ApprovedBy: "D", ApprovalMethod: "fax"}, 24, []string{"method"}, "", ""},
		{"approved in the future", ContentItem{State: ContentApprovedExternal, ApprovedBy: "D", ApprovalMethod: "mail", ApprovedOn: day("2026-04-01")}, 24, []string{"approved_on"}, "", ""},
		{"approved so long ago that consent has ended", ContentItem{State: ContentApprovedExternal, ApprovedBy: "D", ApprovalMethod: "mail", ApprovedOn: day("2023-01-01")}, 24, []string{"expires_on"}, "", ""},
		{"expired, consent ended last month", ContentItem{State: ContentExpired, ApprovedBy: "D", ApprovalMethod: "mail", ExpiresOn: day("2026-02-01")}, 24, nil, "2026-02-01", ""},
		{"expired, but the expiry is ahead", ContentItem{State: ContentExpired, ExpiresOn: day("2026-05-01")}, 24, []string{"expires_on"}, "", ""},
		{"a draft with approval details", ContentItem{State: ContentDraft, ApprovedBy: "Dana"}, 24, []string{"state"}, "", ""},
		{"withdrawn", ContentItem{State: ContentWithdrawn, ExpiresOn: day("2027-01-01")}, 24, nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			item := tc.item
			err := item.CheckNewState(today, tc.months)
			fields := ErrorFields(err)
			if len(fields) != len(tc.wantFields) {
				t.Fatalf("problems %v, want fields %v", fields, tc.wantFields)
			}
			for _, f := range tc.wantFields {
				if fields[f] == "" {
					t.Errorf("no problem with %s: %v", f, fields)
				}
			}
			if err != nil {
				return
			}
			if item.ExpiresOn.String() != tc.wantExpires || item.ApprovedOn.String() != tc.wantOn {
				t.Errorf("approved on %q, expires %q; want %q, %q", item.ApprovedOn, item.ExpiresOn, tc.wantOn, tc.wantExpires)
			}
		})
	}
}
