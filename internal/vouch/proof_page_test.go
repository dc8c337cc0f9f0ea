package vouch

import (
	"strings"
	"testing"
	"time"
)

func TestCheckProofPage(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		page    ProofPage
		days    int
		fields  []string
		expires time.Time
	}{
		{"default expiry", ProofPage{Title: " Stories  for Initech ", ContentIDs: []int64{3, 1, 3}}, 0, nil, now.AddDate(0, 0, 30)},
		{"chosen expiry", ProofPage{Title: "x", ContentIDs: []int64{1}}, 180, nil, now.AddDate(0, 0, 180)},
		{"too long", ProofPage{Title: "x", ContentIDs: []int64{1}}, 181, []string{"expires_in_days"}, time.Time{}},
		{"negative", ProofPage{Title: "x", ContentIDs: []int64{1}}, -1, []string{"expires_in_days"}, time.Time{}},
		{"nothing", ProofPage{}, 0, []string{"title", "content_ids"}, time.Time{}},
		{"bad id", ProofPage{Title: "x", ContentIDs: []int64{0}}, 0, []string{"content_ids"}, time.Time{}},
		{"long title", ProofPage{Title: strings.Repeat("a", 201), ContentIDs: []int64{1}}, 0, []string{"title"}, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.page
			err := CheckProofPage(&p, tc.days, now)
			got := ErrorFields(err)
			if len(got) != len(tc.fields) {
				t.Fatalf("fields %v, want %v", got, tc.fields)
			}
			for _, f := range tc.fields {
				if got[f] == "" {
					t.Errorf("no problem named for %s: %v", f, got)
				}
			}
			if err == nil && !p.ExpiresAt.Equal(tc.expires) {
				t.Errorf("expires %s, want %s", p.ExpiresAt, tc.expires)
			}
		})
	}
	p := ProofPage{Title: " Stories  for Initech ", ContentIDs: []int64{3, 1, 3}}
	if CheckProofPage(&p, 0, now) != nil || p.Title != "Stories for Initech" || len(p.ContentIDs) != 2 || p.ContentIDs[0] != 3 {
		t.Errorf("normalised: %+v", p)
	}
}

func TestContentRequestRules(t *testing.T) {
	r := ContentRequest{Description: "  "}
	if ErrorFields(r.Validate())["description"] == "" {
		t.Error("an empty description is accepted")
	}
	r = ContentRequest{Description: strings.Repeat("é", 90)}
	if err := r.Validate(); err != nil || r.State != ContentRequestOpen || r.IndustryIDs == nil {
		t.Fatalf("validated: %+v, %v", r, err)
	}
	if got := ContentRequestAnswer(&r, ContentRequestDone, "Mercy Health"); !strings.Contains(got, "…") || !strings.Contains(got, "Mercy Health") {
		t.Errorf("done: %q", got)
	}
	r.Note = "No customer agreed."
	if got := ContentRequestAnswer(&r, ContentRequestDeclined, ""); !strings.HasSuffix(got, "declined: No customer agreed.") {
		t.Errorf("declined: %q", got)
	}
	if ContentRequestAnswer(&r, ContentRequestInProgress, "") != "" {
		t.Error("moving to in progress tells the seller")
	}
	seller, team := &User{ID: 1, Role: RoleSeller}, &User{ID: 2, Role: RoleTeamMember}
	mine := &ContentRequest{RequestedBy: 1}
	if !MaySeeContentRequest(seller, mine) || MaySeeContentRequest(&User{ID: 3, Role: RoleSeller}, mine) || !MaySeeContentRequest(team, mine) {
		t.Error("who sees a content request")
	}
	if MayMoveContentRequest(seller) || !MayMoveContentRequest(team) {
		t.Error("who moves a content request")
	}
	if !MaySeeProofPage(seller, &ProofPage{CreatedBy: 1}) || MaySeeProofPage(seller, &ProofPage{CreatedBy: 9}) || !MaySeeProofPage(team, &ProofPage{CreatedBy: 9}) {
		t.Error("who sees a proof page")
	}
}
